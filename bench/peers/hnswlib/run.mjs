// The hnswlib-node peer of bench/ann.sh: builds an HNSW index over the same .fvecs files as Quiver.Bench and
// sweeps ef with single-threaded search. Prints one JSON line on stdout; progress on stderr.
// Usage: node run.mjs --folder DIR --space cosine|l2 [--m 16] [--efc 200] [--ef 10,20,...] [--k 10]
import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, v, i, all) => (i % 2 === 0 ? [...pairs, [v.replace(/^--/, ''), all[i + 1]]] : pairs), []));
const folder = args.folder;
const space = args.space ?? 'cosine';
const m = Number(args.m ?? 16);
const efc = Number(args.efc ?? 200);
const k = Number(args.k ?? 10);
const efs = (args.ef ?? '10,20,40,80,120,200,400').split(',').map(Number);

function readVecs(file, intValues) {
  const buf = fs.readFileSync(file);
  const rows = [];
  for (let off = 0; off < buf.length;) {
    const d = buf.readInt32LE(off);
    const view = intValues
      ? new Int32Array(buf.buffer.slice(buf.byteOffset + off + 4, buf.byteOffset + off + 4 + 4 * d))
      : new Float32Array(buf.buffer.slice(buf.byteOffset + off + 4, buf.byteOffset + off + 4 + 4 * d));
    rows.push(Array.from(view));
    off += 4 + 4 * d;
  }
  return rows;
}

const base = readVecs(path.join(folder, 'base.fvecs'), false);
const queries = readVecs(path.join(folder, 'query.fvecs'), false);
const truth = readVecs(path.join(folder, 'groundtruth.ivecs'), true);
const d = base[0].length;

global.gc?.();
const rssBefore = process.memoryUsage().rss;
const index = new hnswlib.HierarchicalNSW(space, d);
let t = process.hrtime.bigint();
// --index-cache FILE reuses an index saved by an earlier run (for repeated search measurements; build time is then a load).
if (args['index-cache'] && fs.existsSync(args['index-cache'])) {
  index.readIndexSync(args['index-cache']);
} else {
  index.initIndex(base.length, m, efc, 100);
  for (let i = 0; i < base.length; i++) {
    index.addPoint(base[i], i);
    if ((i + 1) % 50000 === 0) process.stderr.write(`  hnswlib added ${i + 1}/${base.length}\n`);
  }
  if (args['index-cache']) index.writeIndexSync(args['index-cache']);
}
const buildSeconds = Number(process.hrtime.bigint() - t) / 1e9;
const indexBytes = process.memoryUsage().rss - rssBefore;
process.stderr.write(`› hnswlib built ${base.length} x ${d} in ${buildSeconds.toFixed(1)} s (1 thread: the binding's addPoint is synchronous), rss +${(indexBytes / 1048576).toFixed(0)} MiB\n`);

const sweep = [];
for (const ef of efs) {
  index.setEf(ef);
  for (let i = 0; i < Math.min(200, queries.length); i++) index.searchKnn(queries[i], k);
  let recall = 0;
  for (let i = 0; i < queries.length; i++) {
    const found = index.searchKnn(queries[i], k).neighbors;
    const want = new Set(truth[i].slice(0, k));
    recall += found.filter((x) => want.has(x)).length / k;
  }
  let searched = 0;
  t = process.hrtime.bigint();
  let seconds = 0;
  do {
    for (let i = 0; i < queries.length; i++) index.searchKnn(queries[i], k);
    searched += queries.length;
    seconds = Number(process.hrtime.bigint() - t) / 1e9;
  } while (seconds < 1);
  const row = { ef, recall: recall / queries.length, qps: searched / seconds };
  sweep.push(row);
  process.stderr.write(`  ef ${String(ef).padStart(4)}: recall@${k} ${row.recall.toFixed(4)}  ${Math.round(row.qps).toLocaleString('en-US').padStart(9)} q/s\n`);
}

console.log(JSON.stringify({
  engine: 'hnswlib-node', dataset: path.basename(folder), n: base.length, dimensions: d, m, ef_construction: efc, threads: 1,
  build_seconds: buildSeconds, index_bytes: indexBytes, peak_working_set_bytes: process.resourceUsage().maxRSS * 1024, sweep,
}));
