#!/usr/bin/env bash
# Crash safety over HTTP: ROUNDS rounds of two writer clients upserting points with known vectors (random ids,
# wait=true) into `./quiver serve` (built once, temporary QUIVER_HOME, free loopback port), kill -9 at a random moment
# (150-1500 ms into the round), restart; then every acknowledged point must be present with its vector (get points),
# every stored point must be the top hit of an exact search for its own vector (params.exact), and the collections of
# earlier rounds must still hold what was checked. One line per round, a summary line; exits non-zero on any loss.
# Usage: bench/crash.sh [ROUNDS] [SEED]
#        bench/crash.sh --store [ROUNDS]   the Store-level test instead (a child process writing to a collection directly)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${1:-}" = "--store" ]; then
  QUIVER_CRASH_ROUNDS="${2:-20}" exec dotnet test tests/Quiver.Store.Tests --filter "FullyQualifiedName~CrashSafetyTests" --logger "console;verbosity=normal"
fi
rounds="${1:-100}"
seed="${2:-9}"
./quiver --help > /dev/null   # builds artifacts/bin/quiver.dll once, if src changed
echo "› building bench/Quiver.Bench (Release)" >&2
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll crash-http --rounds "$rounds" --seed "$seed" --quiver artifacts/bin/quiver.dll
