// The Universal Sentence Encoder lite tokenizer reference: the Tokenizer class of
// @tensorflow-models/universal-sentence-encoder (pinned by package-lock.json) on a vocab.json, for Quiver's tests
// (tests/Quiver.Models.Tests/Reference/UseTokenizerJs.cs) and benchmarks.
//
//   node tokenize.mjs --vocab <vocab.json> --input <file> --out <file>
//
// <file> holds one JSON string per line; --out gets one JSON array of piece ids per line, in the same order.
// Prints a JSON summary (sentences, tokens, seconds spent in encode) on stdout. Nothing is fetched.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { Tokenizer } from '@tensorflow-models/universal-sentence-encoder';

function fail(message) {
  process.stderr.write(`tokenize.mjs: ${message}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: { vocab: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  }));
} catch (e) {
  fail(e.message);
}
for (const required of ['vocab', 'input', 'out']) {
  if (values[required] === undefined) fail(`--${required} is required`);
}

const vocabulary = JSON.parse(fs.readFileSync(values.vocab, 'utf8'));
if (!Array.isArray(vocabulary)) fail(`${values.vocab} is not a JSON array of [piece, score] pairs`);

const lines = fs.readFileSync(values.input, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const sentences = lines.map((line, i) => {
  let sentence;
  try {
    sentence = JSON.parse(line);
  } catch (e) {
    fail(`${values.input} line ${i + 1} is not JSON: ${e.message}`);
  }
  if (typeof sentence !== 'string') fail(`${values.input} line ${i + 1} is not a JSON string`);
  return sentence;
});

const tokenizer = new Tokenizer(vocabulary);
const started = process.hrtime.bigint();
const ids = sentences.map((sentence) => tokenizer.encode(sentence));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

fs.writeFileSync(values.out, ids.map((row) => JSON.stringify(row) + '\n').join(''));
const require = createRequire(import.meta.url);
process.stdout.write(JSON.stringify({
  sentences: sentences.length,
  tokens: ids.reduce((sum, row) => sum + row.length, 0),
  seconds,
  versions: {
    'universal-sentence-encoder': require('@tensorflow-models/universal-sentence-encoder/package.json').version,
    node: process.versions.node,
    icu: process.versions.icu,
  },
}) + '\n');
