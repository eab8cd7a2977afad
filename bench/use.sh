#!/usr/bin/env bash
# Universal Sentence Encoder lite: Quiver's imported ONNX model against the original TensorFlow.js graph model
# (tfjs-core/-converter/-backend-cpu 3.21 and the USE tokenizer 1.3.3, bench/peers/use) in the same run, over the
# 3,000 sentences of the STS Benchmark dev set: identical token ids, cosine per sentence, STS Spearman of both, and
# sentences/s of both on the same subset in the same run (batch 32; TensorFlow.js's CPU backend is single-threaded
# JavaScript, Quiver uses THREADS) and of glove-100 SIF.
# The reference's pass over all 3,000 sentences takes about 20 minutes, so it is kept in bench/.cache/results/use/tfjs.*
# and reused; delete those files to recompute it.
# Usage: bench/use.sh [THREADS] [DATA_DIR] [SPEED_SENTENCES]   (installs use-lite and glove-100 into QUIVER_HOME if missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads="${1:-2}"
data="${2:-../shared/data}"
speed="${3:-320}"
cache=bench/.cache
out=$cache/results/use
mkdir -p "$out"
home="${QUIVER_HOME:-$HOME/.quiver}"

[ -f "$data/sts/sts-dev.csv" ] || { echo "use.sh: $data/sts/sts-dev.csv is missing; pass the data folder as the 2nd argument" >&2; exit 2; }
(cd bench/peers/use && [ -f node_modules/@tensorflow/tfjs-core/package.json ] || npm ci --ignore-scripts --no-audit --no-fund)
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
bench="dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll"
./quiver models install use-lite >&2
./quiver models install glove-100 >&2

node -e '
  const fs = require("fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(l => l.length);
  fs.writeFileSync(process.argv[2], lines.flatMap(l => l.split("\t").slice(5, 7)).map(s => JSON.stringify(s)).join("\n") + "\n");
' "$data/sts/sts-dev.csv" "$cache/sts-dev.jsonl"

if [ ! -f "$out/tfjs.f32" ]; then
  echo "› TensorFlow.js reference over all sentences (about 20 minutes)" >&2
  node bench/peers/use/embed.mjs --input "$cache/sts-dev.jsonl" --out "$out/tfjs" --batch 32 > /dev/null
fi
echo "› Quiver over all sentences" >&2
$bench encoder --model "$home/models/use-lite" --input "$cache/sts-dev.jsonl" --out "$out/quiver" --batch 32 --threads "$threads" > "$out/quiver.json"
echo "› speed on the first $speed sentences, both engines in this run" >&2
head -n "$speed" "$cache/sts-dev.jsonl" > "$cache/sts-dev-$speed.jsonl"
node bench/peers/use/embed.mjs --input "$cache/sts-dev-$speed.jsonl" --out "$out/speed-tfjs" --batch 32 > /dev/null
$bench encoder --model "$home/models/use-lite" --input "$cache/sts-dev-$speed.jsonl" --batch 32 --threads "$threads" > "$out/speed-quiver.json"
$bench encoder-compare --ours "$out/quiver" --theirs "$out/tfjs" > "$out/parity.json"
$bench static --model glove-100 --input "$cache/sts-dev.jsonl" > "$out/glove.json"
$bench sts-from-vectors --file "$data/sts/sts-dev.csv" --vectors "$out/tfjs.f32" > "$out/tfjs-sts.json"
./quiver eval sts "$data/sts/sts-dev.csv" --model use-lite --json > "$out/quiver-sts.json"
./quiver eval sts "$data/sts/sts-dev.csv" --model glove-100 --pooling sif --json > "$out/glove-sts.json"

node -e '
  const fs = require("fs"); const dir = process.argv[1];
  const r = (n) => JSON.parse(fs.readFileSync(`${dir}/${n}`, "utf8"));
  const p = r("parity.json"), q = r("quiver.json"), t = r("speed-tfjs.json"), sq = r("speed-quiver.json"), g = r("glove.json");
  const qs = r("quiver-sts.json").results[0], gs = r("glove-sts.json").results[0], ts = r("tfjs-sts.json");
  console.log(`parity on ${p.sentences} sentences: token ids identical ${p.token_ids_identical}, min cosine ${p.min_cosine.toFixed(6)} (sentence ${p.worst_sentence}), max |diff| ${p.max_abs_difference.toExponential(2)}`);
  console.log(`STS-B dev Spearman x100: Quiver use-lite ${(100 * qs.spearman).toFixed(2)}, TensorFlow.js reference ${(100 * ts.spearman).toFixed(2)}, glove-100 SIF ${(100 * gs.spearman).toFixed(2)}`);
  console.log(`sentences/s on the first ${t.sentences}: Quiver use-lite ${sq.sentences_per_second.toFixed(1)} (${sq.threads} threads), TensorFlow.js ${t.sentences_per_second.toFixed(2)} -> ${(sq.sentences_per_second / t.sentences_per_second).toFixed(0)}x`);
  console.log(`sentences/s on all ${q.sentences}: Quiver use-lite ${q.sentences_per_second.toFixed(1)}; glove-100 SIF ${g.sentences_per_second.toFixed(0)} (${(g.sentences_per_second / q.sentences_per_second).toFixed(1)}x use-lite)`);
  console.log(`Quiver padding overhead ${(100 * q.padding_overhead).toFixed(1)}%, ${q.tokens_per_second.toFixed(0)} tokens/s`);
' "$out"
