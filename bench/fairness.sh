#!/usr/bin/env bash
# Fair embedding scheduling, before and after, in the same run: a real `quiver serve` with all-minilm-l6-v2 (from
# QUIVER_HOME, installed if missing); one client sends 2,048 inputs of 100 token ids each in one request and, while
# the server works on it, 100 one-sentence requests go out 4 at a time (bench/peers/fairness/run.mjs). Reports each
# small request's latency (max, p50, p99), how many finished before the large one, and the large one's total time,
# for the server built from BEFORE (default c099520, FIFO batching; `git archive` into bench/.cache, built once)
# and for this checkout.
# The claim checked: with this checkout, every small request finishes before the large one and within the time of
# two model calls of --batch-max-tokens (1,024) tokens on each of the 2 callers (the call in flight when it arrives,
# then its own), timed from the large request's own token rate in the same run, so that the bound follows the
# machine's speed and load; BOUND_MS sets a fixed bound instead. The script exits 1 when the claim fails.
# Usage: bench/fairness.sh [BIG_INPUTS] [TOKENS_EACH] [SMALLS] [CONCURRENCY]
#   env BEFORE (baseline commit), BOUND_MS, SERVE_ARGS (both servers), AFTER_ARGS (this checkout's server only,
#   e.g. --batch-max-tokens 2048, then set SLICE_TOKENS to match), ONLY_AFTER=1 (reuse the last baseline run),
#   REPORT_ONLY=1 (judge the last run's results again)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
big="${1:-2048}"
tokens="${2:-100}"
smalls="${3:-100}"
concurrency="${4:-4}"
before="${BEFORE:-c099520}"
bound="${BOUND_MS:-}"
slice_tokens="${SLICE_TOKENS:-1024}"
model=all-minilm-l6-v2
cache=bench/.cache
out=$cache/results/fairness
mkdir -p "$out"
export QUIVER_HOME="${QUIVER_HOME:-$HOME/.quiver}"

# This checkout's CLI (./quiver rebuilds it into artifacts/bin when a source changed), and the model.
./quiver models install "$model" >&2
after_dll=artifacts/bin/quiver.dll

# The baseline: the same CLI at $before, built once into the cache.
before_dir=$cache/fairness-before-$before
before_dll=$before_dir/bin/quiver.dll
if [ ! -f "$before_dll" ]; then
  echo "› building the baseline ($before) into $before_dir (minutes, once)" >&2
  rm -rf "$before_dir" && mkdir -p "$before_dir/src"
  git archive "$before" | tar -x -C "$before_dir/src"
  dotnet build "$before_dir/src/src/Quiver.Cli/Quiver.Cli.csproj" -c Release -o "$before_dir/bin" -nologo -v quiet -tl:off >&2
fi

# Runs the scenario against one server build; prints the driver's JSON line.
scenario() {
  local name=$1 dll=$2 port=$3 args=$4
  echo "› $name: quiver serve on 127.0.0.1:$port ($model, 2 single-threaded model callers, no cache) $args" >&2
  dotnet "$dll" serve --urls "http://127.0.0.1:$port" --model "$model" --threads 1 --workers 2 --cache-entries 0 ${SERVE_ARGS:-} $args > "$out/server-$name.log" 2>&1 &
  local server=$!
  trap "kill $server 2>/dev/null || true" EXIT
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
  # Warm-up, not timed: loads the model.
  curl -sf "http://127.0.0.1:$port/v1/embeddings" -H 'content-type: application/json' -d "{\"input\": \"warm up\", \"model\": \"$model\"}" >/dev/null
  echo "› $name: $big inputs of $tokens token ids in one request; meanwhile $smalls one-sentence requests, $concurrency at a time" >&2
  node bench/peers/fairness/run.mjs "http://127.0.0.1:$port" "$model" "$big" "$tokens" "$smalls" "$concurrency" | tee "$out/$name.json"
  kill -TERM $server; wait $server 2>/dev/null || true
  trap - EXIT
}

# ONLY_AFTER=1 reuses the last baseline run (for trying settings; figures to report come from a full run).
if [ "${REPORT_ONLY:-0}" != 1 ]; then
  [ "${ONLY_AFTER:-0}" = 1 ] && [ -f "$out/before.json" ] || scenario before "$before_dll" 6393 "" > /dev/null
  # The deadline is raised for this run only: on a loaded 2-core machine the large request alone can approach the
  # default 5 minutes, and this benchmark is about the small requests' latency, not the deadline.
  scenario after "$after_dll" 6394 "--deadline-s 3600 ${AFTER_ARGS:-}" > /dev/null
fi

node -e '
  const fs = require("fs");
  const [dir, fixed, before, sliceTokens] = [process.argv[1], process.argv[2], process.argv[3], Number(process.argv[4])];
  const b = JSON.parse(fs.readFileSync(`${dir}/before.json`, "utf8")), a = JSON.parse(fs.readFileSync(`${dir}/after.json`, "utf8"));
  // One call of sliceTokens on one of the 2 callers, at the rate the large request ran ([CLS] and [SEP] included).
  const rate = a.large_inputs * (a.large_tokens_each + 2) / a.large_seconds;
  const call = 2 * sliceTokens / rate * 1000;
  const bound = fixed ? Number(fixed) : 2 * call;
  console.log(`the large request ran at ${rate.toFixed(0)} tokens/s over 2 callers: one ${sliceTokens}-token call takes about ${call.toFixed(0)} ms; bound ${bound.toFixed(0)} ms${fixed ? " (BOUND_MS)" : " (two such calls)"}`);
  const line = (name, r) => `${name}: small requests max ${r.small_max_ms.toFixed(0)} ms, p50 ${r.small_p50_ms.toFixed(0)} ms, p99 ${r.small_p99_ms.toFixed(0)} ms, ` +
    `${r.smalls_done_before_large} of ${r.smalls} finished before the large one; large request (${r.large_inputs} x ${r.large_tokens_each} token ids) ${r.large_seconds.toFixed(1)} s`;
  console.log(line(`before (${before}, FIFO)`, b));
  console.log(line("after (fair by tokens)", a));
  console.log(`small max latency after/before ${(a.small_max_ms / b.small_max_ms).toFixed(3)}; large request time after/before ${(a.large_seconds / b.large_seconds).toFixed(3)}`);
  const broken = [];
  if (a.small_max_ms > bound) broken.push(`a small request took ${a.small_max_ms.toFixed(0)} ms, over the bound of ${bound.toFixed(0)} ms`);
  if (a.smalls_done_before_large < a.smalls) broken.push(`${a.smalls - a.smalls_done_before_large} small requests finished only after the large one`);
  if (broken.length) { console.log(`FAILED: ${broken.join("; ")}`); process.exit(1); }
  console.log(`OK: every small request finished within ${bound.toFixed(0)} ms and before the large one`);
' "$out" "$bound" "$before" "$slice_tokens" | tee "$out/summary.txt"
exit "${PIPESTATUS[0]}"
