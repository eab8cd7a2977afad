// An independent reference for Quiver's image preprocessing: decodes PNGs with pngjs (pure JavaScript), then does
// what nsfwjs 4.3.0 does to a decoded image (NSFWJS.infer): RGB as float, divided by 255, and
// tf.image.resizeBilinear(img, [224, 224], alignCorners = true) on the TensorFlow.js CPU backend.
//
//   node preprocess.mjs --labels labels.csv --out prefix
//
// labels.csv: a header, then file,label,... rows with files relative to the CSV's folder. Writes <prefix>.pixels.f32
// (N x 224 x 224 x 3 float32, NHWC), in the CSV's order, for comparison with Quiver's own pixels.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import pngjs from "pngjs";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
if (!args.labels || !args.out) {
  console.error("usage: node preprocess.mjs --labels labels.csv --out prefix");
  process.exit(2);
}

await tf.setBackend("cpu");
const folder = path.dirname(path.resolve(args.labels));
const files = readFileSync(args.labels, "utf8").split("\n").slice(1).filter((l) => l.length).map((l) => path.join(folder, l.split(",")[0]));
const out = new Float32Array(files.length * 224 * 224 * 3);
files.forEach((file, n) => {
  const png = pngjs.PNG.sync.read(readFileSync(file));
  const rgb = new Float32Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) {
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = png.data[i * 4 + c];
  }
  const pixels = tf.tidy(() => {
    const image = tf.div(tf.tensor3d(rgb, [png.height, png.width, 3]), 255);
    const resized = png.width === 224 && png.height === 224 ? image : tf.image.resizeBilinear(image, [224, 224], true);
    return resized.dataSync();
  });
  out.set(pixels, n * 224 * 224 * 3);
});
writeFileSync(`${args.out}.pixels.f32`, Buffer.from(out.buffer));
console.error(`preprocess.mjs: ${files.length} images decoded with pngjs and resized with tfjs ${tf.version_core}`);
