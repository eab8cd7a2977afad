#!/usr/bin/env bash
# Quiver's projections against scikit-learn and umap-js on the very same vectors: the first N rows of a labelled CSV
# embedded once with MODEL to a .npy, projected by `quiver project` (PCA, t-SNE, UMAP, seed 42), by scikit-learn
# (PCA, t-SNE) and by umap-js (UMAP with its own NN-descent neighbours, and with exact ones as Quiver's) in the same
# run. Prints trustworthiness (k = 10) of every map, times as ratios, PCA explained variance of both; exits 1 when
# Quiver's t-SNE or UMAP is more than 0.02 below scikit-learn's t-SNE, Quiver's UMAP more than 0.01 below umap-js on
# the same exact neighbours, or PCA differs by > 1e-4.
#
#   bench/project.sh [CSV] [N]      (env MODEL, default all-minilm-l6-v2; UMAP_PEER=0 skips umap-js)
#   needs Debian's python3-sklearn: apt-get update && apt-get install -y python3-sklearn; node and npm for umap-js
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
csv=${1:-$root/../shared/data/labelled/trec/train.csv}
n=${2:-5000}
model=${MODEL:-all-minilm-l6-v2}
work=$here/.cache/project/$(basename "$(dirname "$csv")")-$n-$model
mkdir -p "$work"

# Debian's python3-sklearn lives under /usr/bin/python3, which a pyenv or venv python3 on PATH would hide.
python=
for candidate in ${PYTHON:-} /usr/bin/python3 python3; do
  if "$candidate" -c 'import sklearn' 2>/dev/null; then python=$candidate; break; fi
done
[ -n "$python" ] || { echo "needs python3-sklearn: apt-get update && apt-get install -y python3-sklearn (or PYTHON=a python with scikit-learn)" >&2; exit 1; }
[ -f "$csv" ] || { echo "no labelled CSV at $csv (see ../shared/data/labelled/README.md)" >&2; exit 1; }

echo "› sampling the first $n rows of $csv" >&2
"$python" "$here/peers/sklearn/sample.py" "$csv" "$n" "$work/sample.csv" "$work/labels.txt"
if [ ! -f "$work/vectors.npy" ]; then
  echo "› embedding with $model" >&2
  "$root/quiver" embed --input "$work/sample.csv" --column text --output "$work/vectors.npy" --model "$model" --force >&2
fi

rm -f "$work"/quiver-* "$work"/peer-*
# NAME METHOD [OPTIONS]: the defaults of each method, and UMAP with --min-dist 0 (its best setting for local order here).
for run in "pca pca" "tsne tsne" "umap umap" "umap-md0 umap --min-dist 0"; do
  set -- $run
  name=$1; method=$2; shift 2
  echo "› quiver project --method $method $*" >&2
  plot=()
  [ "$name" = umap ] && plot=(--plot "$work/umap.png")
  "$root/quiver" project --input "$work/vectors.npy" --labels "$work/labels.txt" --method "$method" --seed 42 "$@" \
    -o "$work/quiver-$name.csv" "${plot[@]}" --categories 20 --json > "$work/summary.tmp"
  mv "$work/summary.tmp" "$work/quiver-$name.json"
done
if [ "${UMAP_PEER:-1}" != 0 ]; then
  (cd "$here/peers/umap" && [ -d node_modules/umap-js ] || npm install --no-audit --no-fund >&2)
  # NAME [OPTIONS]: umap-js as it comes (approximate neighbours by NN-descent), and on exact neighbours like Quiver's.
  for run in "umapjs" "umapjs-exact --exact 1"; do
    set -- $run
    name=$1; shift
    node "$here/peers/umap/run.mjs" "$work/vectors.npy" "$work/peer-$name.csv" --seed 42 "$@" > "$work/summary.tmp"
    mv "$work/summary.tmp" "$work/peer-$name.json"
  done
fi
echo "› scikit-learn on the same vectors" >&2
"$python" "$here/peers/sklearn/project.py" --work "$work" | tee "$work/results.json"
