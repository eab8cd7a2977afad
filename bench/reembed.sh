#!/usr/bin/env bash
# Re-embedding throughput (points/s) against plain indexing of the same texts with the same model, in the same run:
# rounds alternate the two (Quiver.Bench reembed), and the medians' ratio is the figure. Needs the model installed
# (./quiver models install all-minilm-l6-v2) and a text file with one passage per line.
# Usage: bench/reembed.sh [--model all-minilm-l6-v2] [--points 300] [--rounds 3] [--batch 64] [--texts FILE]
# (the README's figure: --points 300 --rounds 3; Moby Dick's lines are whole paragraphs, about 130 tokens each)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build bench/Quiver.Bench -c Release -v q -nologo > /dev/null
exec dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll reembed --texts ../shared/data/corpus/moby-dick.part00.txt "$@"
