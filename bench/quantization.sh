#!/usr/bin/env bash
# int8 and binary candidate scans with exact rescoring against the float32 exact scan, in the same run:
# recall@10 and the speed-up over float search for several oversampling factors.
# Usage: bench/quantization.sh [glove|fashion] [DATA_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll quant --dataset "${1:-glove}" --data "${2:-../shared/data}"
