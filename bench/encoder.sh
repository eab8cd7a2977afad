#!/usr/bin/env bash
# Encoder benchmark and parity check: Quiver's transformer encoder against transformers.js (npm
# @huggingface/transformers 4.3.2 on onnxruntime-node) in the same run, on a MiniLM-L6-shaped BERT (6 layers, hidden
# 384, 12 heads, intermediate 1536, the real bert-base-uncased vocabulary, random weights) over the 3,000 sentences of
# the STS Benchmark dev set. Same thread count, batches of 32; transformers.js takes the sentences in input order,
# Quiver sorts them by length (its batching). Reports the ratio of sentences/s per round (rounds alternate the
# engines), tokens/s, padding overhead, the fraction of the machine's FP32 GEMM rate (ONNX Runtime MatMul, same
# threads), token-id identity and cosine for mean and CLS pooling, normalised and not, and peak memory while
# streaming 100,000 sentences. The real pretrained all-MiniLM-L6-v2 is measured by bench/encoder-real.sh.
# Usage: bench/encoder.sh [ROUNDS] [THREADS] [MEMORY_SENTENCES] [DATA_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
threads="${2:-2}"
memory_count="${3:-100000}"
data="${4:-../shared/data}"
cache=bench/.cache
out=$cache/results/encoder
model=$cache/models/minilm-l6-random
mkdir -p "$out"

[ -f "$data/sts/sts-dev.csv" ] || { echo "encoder.sh: $data/sts/sts-dev.csv is missing; pass the data folder as the 4th argument" >&2; exit 2; }
(cd bench/peers/transformersjs && [ -f node_modules/@huggingface/transformers/package.json ] || npm ci --ignore-scripts --no-audit --no-fund)
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
bench="dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll"

# Columns 6 and 7 of the TAB-separated file, one JSON string per line.
node -e '
  const fs = require("fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(l => l.length);
  const out = lines.flatMap(l => l.split("\t").slice(5, 7)).map(s => JSON.stringify(s));
  fs.writeFileSync(process.argv[2], out.join("\n") + "\n");
' "$data/sts/sts-dev.csv" "$cache/sts-dev.jsonl"
[ -f "$model/onnx/model.onnx" ] || $bench encoder-model --out "$model" --shape minilm --cache "$cache"

echo "› GEMM peak with $threads threads" >&2
$bench gemm --threads "$threads" --size 1024 > "$out/gemm.json"

echo "› parity: token ids and embeddings for mean/cls, normalised or not" >&2
for pooling in mean cls; do
  for normalize in true false; do
    flag=$([ "$normalize" = true ] && echo --normalize || true)
    node bench/peers/transformersjs/embed.mjs --model "$model" --input "$cache/sts-dev.jsonl" --out "$out/tjs-$pooling-$normalize" \
      --pooling "$pooling" $flag --batch 32 --threads "$threads" > /dev/null
    $bench encoder --model "$model" --input "$cache/sts-dev.jsonl" --out "$out/quiver-$pooling-$normalize" \
      --pooling "$pooling" --normalize "$normalize" --batch 32 --threads "$threads" > "$out/quiver-$pooling-$normalize.json"
    $bench encoder-compare --ours "$out/quiver-$pooling-$normalize" --theirs "$out/tjs-$pooling-$normalize" > "$out/parity-$pooling-$normalize.json"
  done
done

echo "› speed: $rounds rounds, engines alternating" >&2
for round in $(seq 1 "$rounds"); do
  node bench/peers/transformersjs/embed.mjs --model "$model" --input "$cache/sts-dev.jsonl" --out "$out/speed-tjs-$round" \
    --pooling mean --normalize --batch 32 --threads "$threads" > /dev/null
  $bench encoder --model "$model" --input "$cache/sts-dev.jsonl" --pooling mean --batch 32 --threads "$threads" > "$out/speed-quiver-$round.json"
done

echo "› memory: streaming $memory_count sentences" >&2
$bench encoder-memory --model "$model" --input "$cache/sts-dev.jsonl" --count "$memory_count" --threads "$threads" > "$out/memory.json"

node bench/encoder-report.mjs "$out" "$rounds"
