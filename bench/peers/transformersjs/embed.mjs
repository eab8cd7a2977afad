// The transformers.js reference: tokenises and embeds sentences with a local Hugging Face model folder, the way
// transformers.js's feature-extraction pipeline does, and writes token ids, embeddings and timings for Quiver's
// tests (tests/Quiver.Models.Tests/Reference/TransformersJs.cs) and benchmarks.
//
//   node embed.mjs --model <folder> --input <file> --out <prefix> [--pooling mean|cls|none] [--normalize]
//                  [--batch 32] [--threads N] [--tokens-only] [--max-length N] [--no-warmup] [--dtype fp32|q8]
//
// <file> holds one JSON string per line. Writes <prefix>.tokens.jsonl (one array of token ids per sentence:
// unpadded, after truncation, with the special tokens), <prefix>.f32 (n x d float32 little-endian, unless
// pooling is none or --tokens-only) and <prefix>.json (the summary). Nothing is fetched: the folder must hold
// config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (with --dtype q8, transformers.js's name for a
// quantised model, onnx/model_quantized.onnx instead).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { AutoModel, AutoTokenizer, env, mean_pooling } from '@huggingface/transformers';

const here = path.dirname(fileURLToPath(import.meta.url));
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
        model: { type: 'string' },
        input: { type: 'string' },
        out: { type: 'string' },
        pooling: { type: 'string', default: 'mean' },
        normalize: { type: 'boolean', default: false },
        batch: { type: 'string', default: '32' },
        threads: { type: 'string', default: '1' },
        'tokens-only': { type: 'boolean', default: false },
        'max-length': { type: 'string' },
        'no-warmup': { type: 'boolean', default: false },
        dtype: { type: 'string', default: 'fp32' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e.message);
  }
  for (const required of ['model', 'input', 'out']) {
    if (values[required] === undefined) fail(`--${required} is required`);
  }
  if (!['fp32', 'q8'].includes(values.dtype)) fail(`--dtype must be fp32 or q8, not '${values.dtype}'`);
  if (!['mean', 'cls', 'none'].includes(values.pooling)) {
    fail(`--pooling must be mean, cls or none, not '${values.pooling}'`);
  }
  const positive = (name) => {
    const text = values[name];
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a positive integer, not '${text}'`);
    return value;
  };
  return {
    model: path.resolve(values.model),
    input: values.input,
    out: values.out,
    pooling: values.pooling,
    normalize: values.normalize,
    batch: positive('batch'),
    threads: positive('threads'),
    tokensOnly: values['tokens-only'],
    maxLength: values['max-length'] === undefined ? null : positive('max-length'),
    warmup: !values['no-warmup'],
    dtype: values.dtype,
  };
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
  const file = path.join(here, 'node_modules', name, 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

const options = parseOptions();
if (os.endianness() !== 'LE') fail('this machine is big-endian; the .f32 output is little-endian');
for (const file of ['tokenizer.json', 'tokenizer_config.json'].concat(
  options.tokensOnly ? [] : ['config.json', options.dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx'],
)) {
  if (!fs.existsSync(path.join(options.model, file))) fail(`${options.model} has no ${file}`);
}
const sentences = readSentences(options.input);

// Local files only: an absolute folder path is not a hub model id, so transformers.js reads it as a path
// (utils/hub.js buildResourcePaths); with remote models off it can never fall back to the hub.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;
env.useBrowserCache = false;

const tokenizer = await AutoTokenizer.from_pretrained(options.model, { local_files_only: true });
// transformers.js caps max_length at model_max_length (Infinity when tokenizer_config.json has none).
const maxLength = Math.min(options.maxLength ?? Infinity, tokenizer.model_max_length);
if (options.maxLength !== null && options.maxLength > maxLength) {
  process.stderr.write(`embed.mjs: --max-length ${options.maxLength} is above model_max_length; truncating at ${maxLength}\n`);
}

let model = null;
if (!options.tokensOnly) {
  // transformers.js 4.x copies session_options into onnxruntime-node's InferenceSession.create unchanged
  // (src/models/session.js getSession, src/backends/onnx.js createInferenceSession).
  model = await AutoModel.from_pretrained(options.model, {
    local_files_only: true,
    device: 'cpu',
    dtype: options.dtype,
    session_options: {
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    },
  });
}

// One batch as transformers.js's feature-extraction pipeline runs it (src/pipelines/feature-extraction.js):
// pad to the batch's longest, truncate at max_length, pool and normalise with the library's own functions.
async function embed(texts) {
  const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: maxLength });
  if (model === null) return { inputs, pooled: null, dimensions: null };
  const outputs = await model(inputs);
  let result = outputs.last_hidden_state ?? outputs.logits ?? outputs.token_embeddings;
  if (result === undefined) fail(`the model has no last_hidden_state output (it has ${Object.keys(outputs)})`);
  const dimensions = result.dims.at(-1);
  if (options.pooling === 'none') return { inputs, pooled: null, dimensions };
  result = options.pooling === 'mean' ? mean_pooling(result, inputs.attention_mask) : result.slice(null, 0);
  if (options.normalize) result = result.normalize(2, -1);
  return { inputs, pooled: result, dimensions };
}

// Real tokens are those under the attention mask, wherever the padding side puts the padding.
function tokenRows(inputs) {
  const [rows, width] = inputs.input_ids.dims;
  const ids = inputs.input_ids.data;
  const mask = inputs.attention_mask.data;
  const result = [];
  for (let r = 0; r < rows; r++) {
    const row = [];
    for (let c = r * width; c < (r + 1) * width; c++) {
      if (mask[c] !== 0n) row.push(Number(ids[c]));
    }
    result.push(row);
  }
  return { rows: result, width };
}

const batches = [];
for (let i = 0; i < sentences.length; i += options.batch) batches.push(sentences.slice(i, i + options.batch));

if (options.warmup && !options.tokensOnly && batches.length > 0) {
  process.stderr.write(`embed.mjs: warm-up batch of ${batches[0].length}\n`);
  await embed(batches[0]);
}

fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
const tokenLines = [];
const vectors = [];
let tokens = 0;
let paddedTokens = 0;
let dimensions = null;
let secondsModel = 0;
let lastReport = process.hrtime.bigint();
let done = 0;
for (const batch of batches) {
  const from = process.hrtime.bigint();
  const { inputs, pooled, dimensions: d } = await embed(batch);
  secondsModel += seconds(from);
  dimensions = d;
  const { rows, width } = tokenRows(inputs);
  paddedTokens += rows.length * width;
  for (const row of rows) {
    tokens += row.length;
    tokenLines.push(JSON.stringify(row));
  }
  if (pooled !== null) vectors.push(Buffer.from(pooled.data.buffer, pooled.data.byteOffset, pooled.data.byteLength));
  done += batch.length;
  if (seconds(lastReport) >= 2 || done === sentences.length) {
    lastReport = process.hrtime.bigint();
    process.stderr.write(`embed.mjs: ${done}/${sentences.length} sentences, ${secondsModel.toFixed(2)} s in the model\n`);
  }
}

fs.writeFileSync(`${options.out}.tokens.jsonl`, tokenLines.length === 0 ? '' : tokenLines.join('\n') + '\n');
const pooling = !options.tokensOnly && options.pooling !== 'none';
if (pooling) fs.writeFileSync(`${options.out}.f32`, Buffer.concat(vectors));
const summary = {
  sentences: sentences.length,
  dimensions,
  tokens,
  padded_tokens: paddedTokens,
  seconds_model: secondsModel,
  seconds_total: seconds(started),
  sentences_per_second: secondsModel > 0 ? sentences.length / secondsModel : null,
  threads: options.threads,
  batch: options.batch,
  max_length: Number.isFinite(maxLength) ? maxLength : null,
  pooling: options.tokensOnly ? null : options.pooling,
  normalize: pooling && options.normalize,
  warmup: options.warmup && !options.tokensOnly,
  tokens_only: options.tokensOnly,
  dtype: options.tokensOnly ? null : options.dtype,
  versions: {
    'transformers.js': packageVersion('@huggingface/transformers'),
    'onnxruntime-node': packageVersion('onnxruntime-node'),
    node: process.versions.node,
  },
};
fs.writeFileSync(`${options.out}.json`, JSON.stringify(summary, null, 2) + '\n');
process.stderr.write(
  `embed.mjs: ${summary.sentences} sentences, ${tokens} tokens (${paddedTokens} padded), ` +
    `${secondsModel.toFixed(3)} s in the model, ${summary.seconds_total.toFixed(3)} s in all\n`,
);
