#!/usr/bin/env bash
# The explorer page's figures in headless Chromium (Playwright, the system's /usr/bin/chromium) against an in-process
# server: time from opening /explorer to a drawn map, projection uncached then cached (PCA; UMAP too up to
# --umap-up-to points), beside the bare projection route; and the draw time per frame while panning, beside the same
# page drawing one fillRect per point. Prints JSON; screenshots of the panned maps go to OUT.
# Usage: bench/explorer.sh [POINTS] [UMAP_UP_TO] [OUT]   (default 10000,100000; 10000; artifacts/bench-explorer)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
points="${1:-10000,100000}"
umap="${2:-10000}"
out="${3:-artifacts/bench-explorer}"
[ -x /usr/bin/chromium ] || [ -n "${QUIVER_CHROMIUM:-}" ] || { echo "needs Chromium: apt-get update && apt-get install -y chromium" >&2; exit 2; }
dotnet build -c Release bench/Quiver.Bench.Explorer -v quiet -nologo >&2
dotnet bench/Quiver.Bench.Explorer/bin/Release/net10.0/Quiver.Bench.Explorer.dll --points "$points" --umap-up-to "$umap" --out "$out"
