#!/usr/bin/env bash
# The full hostile-request set over HTTP: every variant of every mutation (tests/Shared/Hostile) of a valid request of
# every operation in the server's OpenAPI document, against `./quiver serve` on a temporary QUIVER_HOME and a free
# loopback port (admin and read-only keys set, body limit 8 MiB, all-minilm-l6-v2-int8 linked from ~/.quiver/models).
# Prints totals by status class and route; exits non-zero on any 5xx, hang, non-JSON error, key not enforced, error
# in the server's log, or change to the protected collections. `dotnet test` runs one request per (operation, mutation).
# Usage: bench/hostile.sh [SEED] [PARALLEL] [MODEL]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seed="${1:-18}"
parallel="${2:-4}"
model="${3:-all-minilm-l6-v2-int8}"
./quiver --help > /dev/null   # builds artifacts/bin/quiver.dll once, if src changed
echo "› building bench/Quiver.Bench (Release)" >&2
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll hostile --seed "$seed" --parallel "$parallel" --model "$model" \
  --quiver artifacts/bin/quiver.dll
