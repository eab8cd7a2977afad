// Prints bench/encoder-real.sh's results: parity, speed per round with the median ratio, GEMM share, int8.
import fs from 'node:fs';
import path from 'node:path';

const [dir, roundsText, int8Flag] = process.argv.slice(2);
const read = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
const rounds = Number(roundsText);
const int8 = int8Flag === 'int8';
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sets = { sts: 'STS-B dev sentences (short)', cisi: 'CISI abstracts (long, cut at 256 tokens)' };
const tjsVersions = read('tjs-sts-1.json').versions;

const parityLine = (p) =>
  `token ids identical: ${p.token_ids_identical}${p.differing_token_count ? ` (${p.differing_token_count} of ${p.sentences} differ)` : ''}` +
  `  min cosine ${p.min_cosine.toFixed(8)}  max |diff| ${p.max_abs_difference.toExponential(2)}` +
  (p.differing_token_count ? `;  same-token rows: min cosine ${p.min_cosine_same_tokens.toFixed(8)}, max |diff| ${p.max_abs_difference_same_tokens.toExponential(2)}` : '');

console.log(`all-MiniLM-L6-v2, Quiver vs transformers.js ${tjsVersions['transformers.js']} (onnxruntime-node ${tjsVersions['onnxruntime-node']}), ` +
  `mean pooling, normalised, max length ${read('tjs-sts-1.json').max_length}`);
console.log('\nparity, fp32');
for (const [set, label] of Object.entries(sets)) console.log(`  ${label}: ${read(`parity-${set}.json`).sentences} inputs; ${parityLine(read(`parity-${set}.json`))}`);
if (int8) {
  console.log('\nparity, int8 (Quiver and transformers.js dtype q8 on the same ONNX file, one input per call)');
  for (const [set, label] of Object.entries(sets)) console.log(`  ${label}: ${parityLine(read(`parity-int8-${set}.json`))}`);
  console.log('int8 batch dependence (Quiver, batch 32 sorted by length against one input per call)');
  for (const [set, label] of Object.entries(sets)) {
    const p = read(`int8-batch-${set}.json`);
    console.log(`  ${label}: min cosine ${p.min_cosine.toFixed(6)}  max |diff| ${p.max_abs_difference.toExponential(2)}`);
  }
  console.log('int8 against fp32 (both Quiver, batch 32)');
  for (const [set, label] of Object.entries(sets)) {
    const p = read(`int8-vs-fp32-${set}.json`);
    console.log(`  ${label}: min cosine ${p.min_cosine.toFixed(6)}  max |diff| ${p.max_abs_difference.toExponential(2)}`);
  }
}

const gemms = Array.from({ length: rounds }, (_, r) => read(`gemm-${r + 1}.json`));
console.log(`\nFP32 GEMM through ONNX Runtime MatMul (${gemms[0].size}^3, ${gemms[0].threads} threads, best 1 s of 5) at the start of each round: ` +
  `${gemms.map((g) => g.gflops.toFixed(1)).join(', ')} GFLOP/s`);
console.log('useful FLOPs: per sequence of n tokens n * 6 layers * 2 * (4*384^2 + 2*384*1536 + 2*n*384), padding not counted');

for (const [set, label] of Object.entries(sets)) {
  const first = read(`quiver-${set}-1.json`);
  const t1 = read(`tjs-${set}-1.json`);
  console.log(`\nspeed: ${label}, ${first.sentences} inputs, ${first.tokens} tokens, batch 32, ${first.threads} threads; ` +
    `padded tokens: Quiver ${first.padded_tokens} (sorted by length), transformers.js ${t1.padded_tokens} (input order)`);
  console.log('  round  Quiver s/s  tjs s/s  ratio  Quiver GFLOP/s (of peak)  tjs GFLOP/s (of peak)' + (int8 ? '  int8 s/s  int8/fp32' : ''));
  const ratios = [], qs = [], ts = [], i8 = [], i8r = [], shares = [];
  for (let r = 1; r <= rounds; r++) {
    const gemm = gemms[r - 1];
    const q = read(`quiver-${set}-${r}.json`);
    const t = read(`tjs-${set}-${r}.json`);
    const ratio = q.sentences_per_second / t.sentences_per_second;
    ratios.push(ratio); qs.push(q.sentences_per_second); ts.push(t.sentences_per_second);
    const qg = q.useful_flops / q.seconds / 1e9;
    const tg = q.useful_flops / t.seconds_model / 1e9;
    shares.push(qg / gemm.gflops);
    let line = `  ${String(r).padEnd(5)}  ${q.sentences_per_second.toFixed(1).padStart(10)}  ${t.sentences_per_second.toFixed(1).padStart(7)}  ${ratio.toFixed(2).padStart(5)}` +
      `  ${qg.toFixed(1).padStart(14)} (${(100 * qg / gemm.gflops).toFixed(0).padStart(2)}%)  ${tg.toFixed(1).padStart(11)} (${(100 * tg / gemm.gflops).toFixed(0).padStart(2)}%)`;
    if (int8) {
      const e = read(`quiver-int8-${set}-${r}.json`);
      i8.push(e.sentences_per_second); i8r.push(e.sentences_per_second / q.sentences_per_second);
      line += `  ${e.sentences_per_second.toFixed(1).padStart(8)}  ${(e.sentences_per_second / q.sentences_per_second).toFixed(2).padStart(9)}`;
    }
    console.log(line);
  }
  const flops = first.useful_flops;
  console.log(`  median: Quiver ${median(qs).toFixed(1)} s/s, transformers.js ${median(ts).toFixed(1)} s/s, ratio Quiver/transformers.js ${median(ratios).toFixed(2)}x;` +
    ` Quiver at ${(flops / first.sentences * median(qs) / 1e9).toFixed(1)} useful GFLOP/s, ${(100 * median(shares)).toFixed(0)}% of its round's GEMM rate (median)` +
    (int8 ? `; int8 ${median(i8).toFixed(1)} s/s, int8/fp32 ${median(i8r).toFixed(2)}x` : ''));
}
