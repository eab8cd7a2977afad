// Reference MobileNetV2 features for the TensorFlow.js layers importer's parity check: loads nsfwjs's bundled
// MobileNetV2 layers model the way nsfwjs does (nsfwjs.load("MobileNetV2") on the CPU backend), truncates it at the
// pooled features (average_pooling2d_1, flattened: 1280 per image) and runs already preprocessed pixels through it, so
// preprocessing is not part of the comparison.
//
//   node embed.mjs --input pixels.f32 --out reference [--layer flatten_1] [--repeat 3]
//   node embed.mjs --random 32 --seed 1 --out reference
//
// pixels.f32: N x 224 x 224 x 3 little-endian float32, NHWC. --random N makes N images of uniform values in [-1, 1)
// from a 32-bit LCG (state = 1664525 state + 1013904223, value = 2 state / 2^32 - 1, starting from the seed), which the
// C# parity test generates identically. Writes <out>.f32 (N x features float32) and <out>.json
// (images, features, seconds of the best run, images per second).
import { readFileSync, writeFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as nsfwjs from "nsfwjs";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
if (!(args.input || args.random) || !args.out) {
  console.error("usage: node embed.mjs (--input pixels.f32 | --random N [--seed S]) --out prefix [--layer flatten_1] [--repeat 3]");
  process.exit(2);
}

await tf.setBackend("cpu");
const console_info = console.info;
console.info = () => {};
const net = await nsfwjs.load("MobileNetV2");
console.info = console_info;
const layer = net.model.getLayer(args.layer ?? "flatten_1");
const truncated = tfl.model({ inputs: net.model.inputs, outputs: layer.output });

const perImage = 224 * 224 * 3;
const pixels = args.random ? random(Number(args.random) * perImage, Number(args.seed ?? 1)) : read(args.input);
if (pixels.length % perImage !== 0) {
  console.error(`${args.input} holds ${pixels.length} floats, not a whole number of 224 x 224 x 3 images.`);
  process.exit(2);
}

const images = pixels.length / perImage;
const input = tf.tensor4d(pixels, [images, 224, 224, 3]);
let best = Infinity;
let features;
for (let run = 0; run < Number(args.repeat ?? 1); run++) {
  const start = process.hrtime.bigint();
  const output = truncated.predict(input);
  features = await output.data();
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  output.dispose();
}

writeFileSync(`${args.out}.f32`, Buffer.from(features.buffer, features.byteOffset, features.byteLength));
writeFileSync(`${args.out}.json`, JSON.stringify({
  model: "nsfwjs@4.3.0 MobileNetV2", layer: layer.name, backend: tf.getBackend(), tfjs: tf.version_core,
  images, features: features.length / images, seconds: best, imagesPerSecond: images / best,
}, null, 2));

function read(path) {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function random(count, seed) {
  const values = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = (2 * state) / 4294967296 - 1;
  }
  return values;
}
