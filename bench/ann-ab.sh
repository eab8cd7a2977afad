#!/usr/bin/env bash
# Search-only A/B against hnswlib-node on glove-100-angular: both indexes are built once and cached, then the two
# engines' ef sweeps alternate ROUNDS times, so drift on a shared machine hits both; prints each round's QPS ratio at
# recall@10 0.90 and 0.95 and the median. Usage: bench/ann-ab.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
out=bench/.cache/results/ab
mkdir -p "$out"
(cd bench/peers/hnswlib && [ -d node_modules/hnswlib-node/build ] || npm install --no-audit --no-fund)
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
efs=60,80,120,160,240,320
for r in $(seq 1 "$rounds"); do
  dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll hnsw --dataset glove --graph-cache bench/.cache/glove-graph.qhns --ef "$efs" > "$out/quiver-$r.json"
  node bench/peers/hnswlib/run.mjs --folder bench/.cache/glove-100-angular --space cosine --ef "$efs" --index-cache bench/.cache/glove-hnswlib.bin > "$out/hnswlib-$r.json"
done
node - "$out" "$rounds" <<'JS'
const fs = require('fs');
const [dir, rounds] = [process.argv[2], Number(process.argv[3])];
function qpsAt(run, target) {
  const s = [...run.sweep].sort((a, b) => a.recall - b.recall);
  for (let i = 1; i < s.length; i++) if (s[i].recall >= target) {
    const a = s[i - 1], b = s[i], t = (target - a.recall) / (b.recall - a.recall || 1);
    return a.qps + t * (b.qps - a.qps);
  }
  return null;
}
for (const target of [0.9, 0.95]) {
  const ratios = [];
  for (let r = 1; r <= rounds; r++) {
    const q = JSON.parse(fs.readFileSync(`${dir}/quiver-${r}.json`)), p = JSON.parse(fs.readFileSync(`${dir}/hnswlib-${r}.json`));
    ratios.push(qpsAt(q, target) / qpsAt(p, target));
  }
  ratios.sort((a, b) => a - b);
  console.log(`recall@10 ${target}: quiver/hnswlib per round ${ratios.map((x) => x.toFixed(2)).join(' ')}; median ${ratios[Math.floor(rounds / 2)].toFixed(2)}x`);
}
JS
