#!/usr/bin/env bash
# ANN benchmark: Quiver's HNSW against hnswlib-node (npm) in the same run, on glove-100-angular (built from the
# installed glove-100 model: 10,000 held-out words as queries, exact ground truth computed once and cached in
# bench/.cache) and on ../shared/data/ann/fashion-mnist-784-euclidean. M=16, efConstruction=200, single-threaded
# search sweeping ef; Quiver builds with 2 threads (and 1, for a like-for-like figure: hnswlib-node's addPoint is
# synchronous, so the peer builds on 1).
# Usage: bench/ann.sh [glove|fashion|all] [DATA_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
which="${1:-all}"
data="${2:-../shared/data}"
out=bench/.cache/results
mkdir -p "$out"

(cd bench/peers/hnswlib && [ -d node_modules/hnswlib-node/build ] || npm install --no-audit --no-fund)
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
./quiver models install glove-100 >&2
bench=bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll
efs=10,20,40,60,80,120,160,240,320,480,800,1200

run() {
  local dataset=$1 folder=$2 space=$3
  dotnet "$bench" hnsw --dataset "$dataset" --data "$data" --threads 2 --ef "$efs" --filtered true > "$out/$dataset-quiver.json"
  dotnet "$bench" hnsw --dataset "$dataset" --data "$data" --threads 1 --ef 10 > "$out/$dataset-quiver-1thread.json"
  node bench/peers/hnswlib/run.mjs --folder "bench/.cache/$folder" --space "$space" --ef "$efs" > "$out/$dataset-hnswlib.json"
  node bench/ann-report.mjs "$out/$dataset-quiver.json" "$out/$dataset-quiver-1thread.json" "$out/$dataset-hnswlib.json"
}

[ "$which" = fashion ] || run glove glove-100-angular cosine
[ "$which" = glove ] || run fashion fashion-mnist-784-euclidean l2
