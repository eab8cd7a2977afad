// One client sends a large /v1/embeddings request (BIG inputs of TOKENS token ids each); once the server is working
// on it, SMALLS one-sentence requests go out CONCURRENCY at a time. Prints one JSON line: each small request's
// latency, whether it finished before the large one, and the large one's total time.
// Usage: node run.mjs URL MODEL [BIG=2048] [TOKENS=100] [SMALLS=100] [CONCURRENCY=4]
const [url, model, big = "2048", tokens = "100", smalls = "100", concurrency = "4"] = process.argv.slice(2);
const post = async (body) => {
  const response = await fetch(`${url}/v1/embeddings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
};
const pending = async () => Number(((await (await fetch(`${url}/metrics`)).text()).match(/^quiver_embedding_pending(?:\{[^}]*\})? (\S+)/m) || [0, 0])[1]);

// Token ids of ordinary word pieces (the all-MiniLM-L6-v2 vocabulary has 30,522), from a fixed generator.
let seed = 7;
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
const inputs = Array.from({ length: Number(big) }, () => Array.from({ length: Number(tokens) }, () => 2000 + (next() % 27000)));
const animals = ["whale", "frog", "cat", "dog", "ship", "heron", "otter", "fox"];
const sentence = (i) => `Request ${i}: the ${animals[i % 8]} saw ${i * 7 % 101} ${animals[(i * 3) % 8]}s near the harbour at dawn.`;

const started = performance.now();
let bigDone = null;
const large = post({ input: inputs, model }).then((body) => {
  bigDone = performance.now();
  if (body.data.length !== inputs.length) throw new Error(`the large request got ${body.data.length} vectors for ${inputs.length} inputs`);
});
// Wait until the server is working on it (its inputs are queued), so every small request meets it running.
while ((await pending()) === 0 && bigDone === null) await new Promise((r) => setTimeout(r, 50));
const smallsStarted = performance.now();

const results = [];
let nextSmall = 0;
const client = async () => {
  while (nextSmall < Number(smalls)) {
    const i = nextSmall++;
    const t0 = performance.now();
    const body = await post({ input: sentence(i), model });
    const t1 = performance.now();
    if (body.data.length !== 1) throw new Error(`small request ${i} got ${body.data.length} vectors`);
    results.push({ i, ms: t1 - t0, beforeLarge: bigDone === null });
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, client));
const smallsEnded = performance.now();
await large;

const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
const quantile = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
console.log(JSON.stringify({
  large_inputs: inputs.length,
  large_tokens_each: Number(tokens),
  large_seconds: (bigDone - started) / 1000,
  smalls: results.length,
  concurrency: Number(concurrency),
  small_max_ms: sorted.at(-1),
  small_p50_ms: quantile(0.5),
  small_p99_ms: quantile(0.99),
  smalls_done_before_large: results.filter((r) => r.beforeLarge).length,
  smalls_seconds: (smallsEnded - smallsStarted) / 1000,
}));
