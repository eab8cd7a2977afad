#!/usr/bin/env bash
# The server under load (wrk from Debian, loopback, CONCURRENCY connections for SECONDS each):
#  1. POST /v1/embeddings, one STS-B dev sentence per request (3,000 distinct sentences cycled; the embedding cache
#     is off, --cache-entries 0, so every request reaches the model), with the
#     default text model (use-lite); its sentences/s against the in-process encoder's on the same sentences in the
#     same run (Quiver.Bench encoder, same threads);
#  2. POST /collections/bench/points/search on 20,000 random 256-d points, 10 results with payload.
# Reports requests/s, p50/p90/p99 latency, errors (connect/read/write/timeout and non-2xx) and the server's peak RSS.
# Usage: bench/server.sh [SECONDS] [CONCURRENCY] [DATA_DIR] [THREADS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-60}"
concurrency="${2:-64}"
data="${3:-../shared/data}"
threads="${4:-2}"
cache=bench/.cache
out=$cache/results/server
mkdir -p "$out"
export QUIVER_HOME="${QUIVER_HOME:-$HOME/.quiver}"
port=6391

[ -f "$data/sts/sts-dev.csv" ] || { echo "server.sh: $data/sts/sts-dev.csv is missing; pass the data folder as the 3rd argument" >&2; exit 2; }
if ! command -v wrk >/dev/null; then
  echo "› installing wrk (Debian)" >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 || sudo sh -c 'apt-get update -qq && apt-get install -y -qq wrk' >/dev/null
fi
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
bench="dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll"
./quiver models install use-lite >&2

node -e '
  const fs = require("fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(l => l.length);
  fs.writeFileSync(process.argv[2], lines.flatMap(l => l.split("\t").slice(5, 7)).map(s => JSON.stringify(s)).join("\n") + "\n");
' "$data/sts/sts-dev.csv" "$cache/sts-dev.jsonl"
node bench/peers/server/bodies.mjs embeddings "$cache/sts-dev.jsonl" use-lite > "$out/embed.bodies"
node bench/peers/server/bodies.mjs points 20000 256 500 7 > "$out/points.bodies"
node bench/peers/server/bodies.mjs search 2000 256 11 > "$out/search.bodies"

# The in-process encoder runs twice before the served run and twice after it (the ratio is against the mean of the
# four), because this machine's speed drifts by ±15% over minutes.
inprocess() {
  echo "› in-process encoder on the same sentences (threads $threads)" >&2
  for _ in 1 2; do
    $bench encoder --model "$QUIVER_HOME/models/use-lite" --input "$cache/sts-dev.jsonl" --batch 64 --threads "$threads" >> "$out/in-process.jsonl"
  done
}
rm -f "$out/in-process.jsonl"

echo "› starting quiver serve on 127.0.0.1:$port" >&2
dotnet artifacts/bin/quiver.dll serve --urls "http://127.0.0.1:$port" --threads 1 --workers "$threads" --cache-entries 0 --max-concurrent 256 ${SERVE_ARGS:-} > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$port"
curl -sf -X DELETE "$base/collections/bench" >/dev/null || true
curl -sf -X PUT "$base/collections/bench" -H 'content-type: application/json' -d '{"vectors": {"size": 256, "distance": "Cosine"}}' >/dev/null
node bench/peers/server/upload.mjs "$base/collections/bench/points?wait=true" "$out/points.bodies"
# Warm-up: load the model and the index (not timed).
curl -sf "$base/v1/embeddings" -H 'content-type: application/json' -d '{"input": "warm up", "model": "use-lite"}' >/dev/null
head -n 1 "$out/search.bodies" | curl -sf "$base/collections/bench/points/search" -H 'content-type: application/json' --data-binary @- >/dev/null

# Warm-up under load, 10 s per endpoint, not timed: the server's JIT tiers up its request path in the first seconds
# (tiered compilation took 11% of its CPU 4-14 s after start).
echo "› wrk warm-up (10 s per endpoint, not timed)" >&2
BODIES="$out/embed.bodies" WRK_PATH=/v1/embeddings wrk -t2 -c"$concurrency" -d10s --timeout 30s -s bench/peers/server/post.lua "$base" > /dev/null
BODIES="$out/search.bodies" WRK_PATH=/collections/bench/points/search wrk -t2 -c"$concurrency" -d10s --timeout 30s -s bench/peers/server/post.lua "$base" > /dev/null

inprocess
echo "› wrk: /v1/embeddings, $concurrency connections, ${seconds}s" >&2
BODIES="$out/embed.bodies" WRK_PATH=/v1/embeddings wrk -t2 -c"$concurrency" -d"${seconds}s" --timeout 30s -s bench/peers/server/post.lua "$base" > "$out/wrk-embed.txt"
inprocess
echo "› wrk: search, $concurrency connections, ${seconds}s" >&2
BODIES="$out/search.bodies" WRK_PATH=/collections/bench/points/search wrk -t2 -c"$concurrency" -d"${seconds}s" --timeout 30s -s bench/peers/server/post.lua "$base" > "$out/wrk-search.txt"
grep VmHWM "/proc/$server/status" | awk '{print $2}' > "$out/peak-rss-kib.txt"
curl -sf "$base/metrics" > "$out/metrics.txt"
kill -TERM $server; wait $server 2>/dev/null || true
trap - EXIT

node -e '
  const fs = require("fs"); const dir = process.argv[1];
  const last = (f) => JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8").trim().split("\n").filter(l => l.startsWith("{")).at(-1));
  const e = last("wrk-embed.txt"), s = last("wrk-search.txt");
  const runs = fs.readFileSync(`${dir}/in-process.jsonl`, "utf8").trim().split("\n").map(l => JSON.parse(l).sentences_per_second);
  const inproc = { sentences_per_second: runs.reduce((a, b) => a + b, 0) / runs.length };
  const rss = Number(fs.readFileSync(`${dir}/peak-rss-kib.txt`, "utf8")) / 1024;
  const metrics = fs.readFileSync(`${dir}/metrics.txt`, "utf8");
  const sum = (name) => Number((metrics.match(new RegExp(`^${name} (\\S+)`, "m")) || [0, NaN])[1]);
  const errors = (r) => r.errors_connect + r.errors_read + r.errors_write + r.errors_timeout + r.errors_status;
  const line = (name, r) => `${name}: ${r.requests} requests in ${r.seconds.toFixed(1)} s = ${(r.requests / r.seconds).toFixed(1)} req/s, p50 ${r.p50_ms.toFixed(1)} ms, p90 ${r.p90_ms.toFixed(1)} ms, p99 ${r.p99_ms.toFixed(1)} ms, errors ${errors(r)} (non-2xx ${r.errors_status})`;
  console.log(line("POST /v1/embeddings (1 sentence each)", e));
  console.log(line("POST /collections/bench/points/search (20k x 256-d, top 10)", s));
  const served = e.requests / e.seconds;
  console.log(`server embedding throughput ${served.toFixed(1)} sentences/s vs in-process encoder ${inproc.sentences_per_second.toFixed(1)} sentences/s (mean of ${runs.map(r => r.toFixed(1)).join(", ")}; same sentences, same threads) -> ${(100 * served / inproc.sentences_per_second).toFixed(1)}%`);
  console.log(`dynamic batching: ${(sum("quiver_embedding_batch_inputs_sum") / sum("quiver_embedding_batch_inputs_count")).toFixed(1)} inputs per model call on average over ${sum("quiver_embedding_batch_inputs_count")} calls`);
  console.log(`server peak RSS ${rss.toFixed(0)} MiB`);
' "$out" | tee "$out/summary.txt"
