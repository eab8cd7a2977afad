// Request bodies for bench/server.sh, one JSON object per line.
// node bodies.mjs embeddings <sentences.jsonl> <model> > bodies   (one sentence per request)
// node bodies.mjs points <count> <dims> <batch> <seed> > bodies   (upserts of random unit vectors)
// node bodies.mjs search <count> <dims> <seed> > bodies           (random query vectors, limit 10)
import fs from 'node:fs';

const [kind, ...rest] = process.argv.slice(2);
let state = Number(rest.at(-1)) >>> 0 || 1;
const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
const vector = (dims) => Array.from({ length: dims }, random).map((v) => Number(v.toFixed(5)));
const lines = [];
if (kind === 'embeddings') {
  const [file, model] = rest;
  for (const line of fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length)) {
    lines.push(JSON.stringify({ input: JSON.parse(line), model }));
  }
} else if (kind === 'points') {
  const [count, dims, batch] = rest.map(Number);
  for (let start = 0; start < count; start += batch) {
    const points = [];
    for (let id = start; id < Math.min(count, start + batch); id++) points.push({ id, vector: vector(dims), payload: { group: id % 10 } });
    lines.push(JSON.stringify({ points }));
  }
} else if (kind === 'search') {
  const [count, dims] = rest.map(Number);
  for (let i = 0; i < count; i++) lines.push(JSON.stringify({ vector: vector(dims), limit: 10, with_payload: true }));
} else {
  throw new Error(`unknown kind ${kind}`);
}
process.stdout.write(lines.join('\n') + '\n');
