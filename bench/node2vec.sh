#!/usr/bin/env bash
# node2vec/DeepWalk community recovery: a generated planted-partition graph (10 communities of 100 nodes, edge
# probability 0.05 within a community and 0.002 across, seed 7), node vectors from `quiver train node2vec` with several
# p/q, scored by the share of nodes whose 10 nearest neighbours (cosine) are mostly of their own community.
# There is no peer: this checks quality, not speed. Usage: bench/node2vec.sh   (env QUIVER=./quiver)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
quiver="${QUIVER:-./quiver}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QUIVER_HOME="$work/home"
node bench/peers/node2vec/planted.mjs graph "$work/edges.tsv" 10 100 0.05 0.002 7
for pq in "1 1" "1 0.5" "1 2" "4 0.25"; do
  set -- $pq
  $quiver train node2vec "$work/edges.tsv" -o "g" --force --p "$1" --q "$2" --threads 2 --save-text "$work/v.txt" --json > "$work/train.json" 2>/dev/null
  echo "p $1 q $2: $(node bench/peers/node2vec/planted.mjs score "$work/v.txt" 10) (training $(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log(j.training_seconds.toFixed(1)+" s")' "$work/train.json"))"
done
