// Generates a planted-partition graph (stochastic block model) and scores node vectors on it.
//   node planted.mjs graph OUT.tsv COMMUNITIES SIZE P_IN P_OUT SEED   -> edge list "cKnI\tcKnJ", one per line
//   node planted.mjs score VECTORS.txt K                                -> JSON: share of nodes whose K nearest
//                                                                         neighbours (cosine) are mostly of their community
import fs from 'node:fs';

const [verb, ...args] = process.argv.slice(2);
if (verb === 'graph') {
  const [out, communities, size, pIn, pOut, seed] = args;
  let s = Number(seed) >>> 0;
  const random = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const n = Number(communities) * Number(size);
  const name = (i) => `c${Math.floor(i / size)}n${i % size}`;
  const lines = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const same = Math.floor(i / size) === Math.floor(j / size);
      if (random() < (same ? Number(pIn) : Number(pOut))) lines.push(`${name(i)}\t${name(j)}`);
    }
  }
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.error(`› ${n} nodes in ${communities} communities, ${lines.length} edges -> ${out}`);
} else if (verb === 'score') {
  const [file, k] = args;
  const rows = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(' '));
  const names = rows.map((r) => r[0]);
  const vectors = rows.map((r) => { const v = r.slice(1).map(Number); const norm = Math.hypot(...v) || 1; return v.map((x) => x / norm); });
  const community = (name) => name.slice(0, name.indexOf('n'));
  let correct = 0;
  for (let i = 0; i < names.length; i++) {
    const scores = [];
    for (let j = 0; j < names.length; j++) if (j !== i) scores.push([vectors[i].reduce((s, x, d) => s + x * vectors[j][d], 0), j]);
    scores.sort((a, b) => b[0] - a[0]);
    const votes = {};
    for (const [, j] of scores.slice(0, Number(k))) votes[community(names[j])] = (votes[community(names[j])] || 0) + 1;
    const best = Object.entries(votes).sort((a, b) => b[1] - a[1])[0][0];
    if (best === community(names[i])) correct++;
  }
  console.log(JSON.stringify({ nodes: names.length, k: Number(k), accuracy: correct / names.length }));
}
