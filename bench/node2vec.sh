#!/usr/bin/env bash
# node2vec/DeepWalk community recovery: a generated planted-partition graph (10 communities of 100 nodes, edge
# probability 0.05 within a community and 0.002 across, seed 7), node vectors from `quiver train node2vec` with several
# p/q, scored by the share of nodes whose 10 nearest neighbours (cosine) are mostly of their own community.
# Then the same on a real graph, Zachary's karate club (from networkx). There is no peer: this checks quality,
# not speed. Usage: bench/node2vec.sh   (env QUIVER=./quiver)
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

# A real graph: Zachary's karate club (34 members, 78 friendships; each member's faction after the club split, the
# "club" attribute), as it ships in Python's networkx. Scored the same way with K = 5 (majority baseline 50%).
if python3 -c "import networkx" 2>/dev/null; then
  python3 - "$work/karate.tsv" <<'PY'
import sys
import networkx as nx
g = nx.karate_club_graph()
name = lambda v: ("h" if g.nodes[v]["club"] == "Mr. Hi" else "o") + "n" + str(v)
with open(sys.argv[1], "w") as out:
    out.write("".join(f"{name(a)}\t{name(b)}\n" for a, b in g.edges()))
print(f"› karate club: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges (networkx {nx.__version__})", file=sys.stderr)
PY
  for pq in "1 1" "1 0.5" "1 2"; do
    set -- $pq
    $quiver train node2vec "$work/karate.tsv" -o "karate" --force --p "$1" --q "$2" --dim 16 --threads 2 --save-text "$work/k.txt" --json > /dev/null 2>&1
    echo "karate club, p $1 q $2: $(node bench/peers/node2vec/planted.mjs score "$work/k.txt" 5)"
  done
else
  echo "karate club: skipped (python3 with networkx is not installed)"
fi
