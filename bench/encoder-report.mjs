// Prints bench/encoder.sh's results: parity, speed per round and its median ratio, GEMM fraction, memory.
import fs from 'node:fs';
import path from 'node:path';

const [dir, roundsText] = process.argv.slice(2);
const read = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
const rounds = Number(roundsText);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log('parity on the STS-B dev sentences (Quiver vs transformers.js)');
for (const pooling of ['mean', 'cls']) {
  for (const normalize of ['true', 'false']) {
    const p = read(`parity-${pooling}-${normalize}.json`);
    console.log(`  ${pooling.padEnd(4)} normalise=${normalize.padEnd(5)} sentences ${p.sentences}  token ids identical: ${p.token_ids_identical}` +
      `  min cosine ${p.min_cosine.toFixed(8)}  max |diff| ${p.max_abs_difference.toExponential(2)}`);
  }
}

const gemm = read('gemm.json');
console.log(`\nFP32 GEMM through ONNX Runtime MatMul (${gemm.size}^3, ${gemm.threads} threads): ${gemm.gflops.toFixed(1)} GFLOP/s`);
console.log('\nspeed (MiniLM-L6 shape, batch 32)');
console.log('  round  quiver s/s  tjs s/s  ratio  quiver tok/s  tjs tok/s  quiver pad  tjs pad  quiver GFLOP/s (of peak)');
const ratios = [];
for (let r = 1; r <= rounds; r++) {
  const q = read(`speed-quiver-${r}.json`);
  const t = read(`speed-tjs-${r}.json`);
  const ratio = q.sentences_per_second / t.sentences_per_second;
  ratios.push(ratio);
  const tjsPad = t.padded_tokens / t.tokens - 1;
  const gflops = q.flops / q.seconds / 1e9;
  console.log(`  ${String(r).padEnd(5)}  ${q.sentences_per_second.toFixed(1).padStart(10)}  ${t.sentences_per_second.toFixed(1).padStart(7)}` +
    `  ${ratio.toFixed(2).padStart(5)}  ${q.tokens_per_second.toFixed(0).padStart(12)}  ${(t.tokens / t.seconds_model).toFixed(0).padStart(9)}` +
    `  ${(100 * q.padding_overhead).toFixed(1).padStart(9)}%  ${(100 * tjsPad).toFixed(1).padStart(6)}%  ${gflops.toFixed(1)} (${(100 * gflops / gemm.gflops).toFixed(0)}%)`);
}
console.log(`  median ratio Quiver/transformers.js: ${median(ratios).toFixed(2)}x (threads ${read('speed-quiver-1.json').threads})`);

const m = read('memory.json');
const ws = m.samples.map((s) => s.working_set / 1048576);
console.log(`\nmemory: ${m.embedded.toLocaleString()} sentences streamed in ${m.seconds.toFixed(0)} s; resident every 10k: ${ws.map((x) => x.toFixed(0)).join(', ')} MiB;` +
  ` peak ${(m.peak_working_set / 1048576).toFixed(0)} MiB`);
