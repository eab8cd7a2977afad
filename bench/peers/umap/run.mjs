// umap-js (PAIR's JavaScript port of umap-learn), the UMAP peer of bench/project.sh: reads vectors from a float32
// .npy matrix or a CSV of numbers (one row per point, no header), runs UMAP with umap-learn's defaults for up to
// 10,000 points and a seeded random, and writes the 2-D map as CSV (id, x, y), the shape `quiver project -o` writes,
// so bench/peers/sklearn/trustworthiness.py scores both alike. A one-line JSON summary (seconds) goes to stdout.
//
//   node run.mjs VECTORS.npy MAP.csv [--seed 42] [--neighbors 15] [--min-dist 0.1] [--epochs 500] [--exact 1]
//
// --exact 1 hands umap-js exact neighbours (all pairs, as Quiver's UMAP uses) instead of its own NN-descent, so the
// two differ only in the layout.
import { readFileSync, writeFileSync } from 'node:fs';
import { UMAP } from 'umap-js';

const [input, output, ...rest] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node run.mjs VECTORS.npy|VECTORS.csv MAP.csv [--seed 42] [--neighbors 15] [--min-dist 0.1] [--epochs 500]');
  process.exit(2);
}
const options = { seed: 42, neighbors: 15, 'min-dist': 0.1, epochs: 500, exact: 0 };
for (let i = 0; i < rest.length; i += 2) {
  const name = rest[i].replace(/^--/, '');
  if (!(name in options) || rest[i + 1] === undefined || Number.isNaN(Number(rest[i + 1]))) {
    console.error(`unknown option or missing number: ${rest[i]} (known: ${Object.keys(options).map(o => '--' + o).join(', ')})`);
    process.exit(2);
  }
  options[name] = Number(rest[i + 1]);
}

function readNpy(path) {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path} is not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, start);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) {
    throw new Error(`${path}: only little-endian float32 in C order is read; the header says ${header.trim()}`);
  }
  const [rows, columns] = header.match(/'shape':\s*\((\d+),\s*(\d+)\)/).slice(1).map(Number);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + rows * columns * 4));
  return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * columns, (i + 1) * columns)));
}

function readCsv(path) {
  return readFileSync(path, 'utf8').split(/\r?\n/).filter(line => line.trim()).map(line => line.split(',').map(Number));
}

// mulberry32: umap-js takes any () => [0, 1) generator; this one makes the run depend on the seed only.
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let vectors;
try {
  vectors = input.endsWith('.npy') ? readNpy(input) : readCsv(input);
  if (vectors.length === 0 || vectors.some(v => v.length !== vectors[0].length || v.some(Number.isNaN))) {
    throw new Error(`${input}: needs rows of numbers, all of one length`);
  }
} catch (error) {
  console.error(error.code === 'ENOENT' ? `no vectors at ${input}` : error.message);
  process.exit(1);
}
const started = performance.now();
const umap = new UMAP({
  nComponents: 2,
  nNeighbors: options.neighbors,
  minDist: options['min-dist'],
  nEpochs: options.epochs,
  random: seeded(options.seed),
});
// Each row's k nearest points by Euclidean distance, the point itself first, as umap-learn's nearest_neighbors returns.
function exactNeighbours(points, k) {
  const indices = [], distances = [];
  for (let i = 0; i < points.length; i++) {
    const row = points.map((p, j) => {
      let sum = 0;
      for (let x = 0; x < p.length; x++) sum += (points[i][x] - p[x]) ** 2;
      return [j === i ? -1 : Math.sqrt(sum), j];
    }).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, k);
    indices.push(row.map(r => r[1]));
    distances.push(row.map(r => Math.max(r[0], 0)));
    if ((i + 1) % 1000 === 0) console.error(`  exact neighbours ${i + 1}/${points.length}`);
  }
  return { indices, distances };
}

if (options.exact) {
  const { indices, distances } = exactNeighbours(vectors, options.neighbors);
  umap.setPrecomputedKNN(indices, distances);
}
console.error(`› umap-js on ${vectors.length} × ${vectors[0].length}: neighbours (${options.exact ? 'exact' : 'NN-descent'}), then ${options.epochs} epochs`);
const embedding = await umap.fitAsync(vectors, epoch => {
  if (epoch % 50 === 0) console.error(`  epoch ${epoch}/${options.epochs}`);
});
const seconds = (performance.now() - started) / 1000;
writeFileSync(output, 'id,x,y\n' + embedding.map((p, i) => `${i},${p[0]},${p[1]}`).join('\n') + '\n');
console.log(JSON.stringify({ peer: 'umap-js', version: '1.4.0', points: vectors.length, ...options, seconds }));
