#!/usr/bin/env bash
# Image embeddings: Quiver's MobileNetV2 (imported from nsfwjs's TensorFlow.js layers model to ONNX) against the
# original TensorFlow.js model (bench/peers/mobilenet) on the same preprocessed pixels of the 500 Fashion-MNIST PNGs:
# cosine per image; Quiver's preprocessing (SkiaSharp decode, TF bilinear resize) against an independent one (pngjs +
# tfjs resizeBilinear, as nsfwjs does); images/s of both (TensorFlow.js's CPU backend is single-threaded JavaScript), and leave-one-out
# 5-NN accuracy of the embeddings against raw pixels on Fashion-MNIST and the scikit-learn digits.
# Usage: bench/images.sh [THREADS] [DATA_DIR]   (installs mobilenet-v2 into QUIVER_HOME if missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads="${1:-2}"
data="${2:-../shared/data}"
out=bench/.cache/results/images
mkdir -p "$out"

[ -f "$data/images/fashion-mnist/labels.csv" ] || { echo "images.sh: $data/images/fashion-mnist is missing; pass the data folder as the 2nd argument" >&2; exit 2; }
(cd bench/peers/mobilenet && [ -f node_modules/nsfwjs/package.json ] || npm ci --ignore-scripts --no-audit --no-fund)
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
bench="dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll"
./quiver models install mobilenet-v2 >&2

echo "› Quiver: decode, preprocess and embed the 500 Fashion-MNIST images" >&2
$bench image-embed --input "$data/images/fashion-mnist/labels.csv" --out "$out/quiver" --threads "$threads" --batch 32 > "$out/quiver.json"
echo "› TensorFlow.js on the same pixels" >&2
node bench/peers/mobilenet/embed.mjs --input "$out/quiver.pixels.f32" --out "$out/tfjs" > /dev/null
$bench vectors-compare --ours "$out/quiver.f32" --theirs "$out/tfjs.f32" --dimensions 1280 --normalize true > "$out/parity.json"
node bench/peers/mobilenet/preprocess.mjs --labels "$data/images/fashion-mnist/labels.csv" --out "$out/reference"
$bench vectors-compare --ours "$out/quiver.pixels.f32" --theirs "$out/reference.pixels.f32" --dimensions 150528 > "$out/pixels.json"
./quiver eval images --data "$data" --json > "$out/knn.json"

node -e '
  const fs = require("fs"); const dir = process.argv[1];
  const r = (n) => JSON.parse(fs.readFileSync(`${dir}/${n}`, "utf8"));
  const p = r("parity.json"), q = r("quiver.json"), t = r("tfjs.json"), k = r("knn.json"), px = r("pixels.json");
  console.log(`preprocessing vs pngjs + tfjs resizeBilinear on ${px.rows} images: max |diff| ${px.max_abs_difference}`);
  console.log(`parity on ${p.rows} images (same pixels): min cosine ${p.min_cosine.toFixed(6)} (image ${p.worst_row}), max |diff| ${p.max_abs_difference.toExponential(2)}`);
  const tps = t.imagesPerSecond;
  console.log(`images/s: Quiver ${q.images_per_second.toFixed(1)} (decode + preprocess + model, ${q.threads} threads), TensorFlow.js ${Number(tps).toFixed(1)} (model only) -> ${(q.images_per_second / tps).toFixed(1)}x`);
  for (const row of k.results) console.log(`leave-one-out ${k.k}-NN accuracy, ${row.data_set}: ${k.model} ${(100 * row.embedding_accuracy).toFixed(2)}%, raw pixels ${(100 * row.raw_pixel_accuracy).toFixed(2)}%`);
' "$out"
