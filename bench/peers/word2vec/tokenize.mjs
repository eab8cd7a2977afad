// Writes one tokenised training file for both word2vec tools: lower-case, every punctuation or symbol character split
// off as its own token, whitespace collapsed, one input line per output line (empty lines dropped).
// Usage: node tokenize.mjs OUT FILE...
import fs from 'node:fs';
import readline from 'node:readline';

const [out, ...inputs] = process.argv.slice(2);
const sink = fs.createWriteStream(out);
let lines = 0;
let tokens = 0;
for (const file of inputs) {
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    const words = line.toLowerCase().replace(/[\p{P}\p{S}]/gu, ' $& ').split(/\s+/u).filter((w) => w.length > 0);
    if (words.length === 0) continue;
    lines++;
    tokens += words.length;
    if (!sink.write(words.join(' ') + '\n')) await new Promise((r) => sink.once('drain', r));
  }
}
await new Promise((r) => sink.end(r));
console.error(`› tokenised ${inputs.length} files: ${lines} lines, ${tokens} tokens -> ${out}`);
