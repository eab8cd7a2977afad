#!/usr/bin/env bash
# fastText-style subword vectors against plain word2vec trained the same way on the same tokenised corpus (the 7 main
# ../shared/data/corpus files, lower-cased, punctuation split; skip-gram, dim 100, window 5, negative 5, sample 1e-4,
# min-count 5, 5 epochs, 2 threads; fastText n-grams 3-6 in 2,000,000 buckets):
#  1. rare words, RW-style (Luong et al. 2013 scored rare words; RW itself is not in ../shared/data): the pairs of
#     word-similarity files (WS-353 ALL, MEN, MTurk, RG, MC; scores rescaled to 0-1) whose rarer word was seen 5 to 50 times in the corpus (both in vocabulary), scored by
#     both models (`quiver eval words`), so the subwords' effect on in-vocabulary rare words shows;
#  2. out of vocabulary: the pairs with a word seen under 5 times (or never), scored by fastText from n-grams
#     (`quiver eval words --subwords`; word2vec has no vector for them);
#  3. misspellings: the 2,000 most frequent words after the first 100 with two middle letters swapped, the rank of
#     the meant word among the typo's nearest neighbours (recall@1/@10, a few examples; Quiver.Bench typos).
# Usage: bench/fasttext.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="$(cd "${1:-../shared/data}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QUIVER_HOME="$work/home"
node bench/peers/word2vec/tokenize.mjs "$work/corpus.txt" "$data"/corpus/*.part[0-9][0-9].txt
./quiver --help >/dev/null
dotnet build bench/Quiver.Bench -c Release -nologo -v quiet -tl:off > /dev/null
quiver() { dotnet "$PWD/artifacts/bin/quiver.dll" "$@"; }
common=(--dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 5 --threads 2)

echo "› training word2vec skip-gram and fastText on the same corpus" >&2
quiver train word2vec "$work/corpus.txt" -o w2v --force "${common[@]}" --json > "$work/w2v.json" 2>/dev/null
quiver train fasttext "$work/corpus.txt" -o ft --force "${common[@]}" --json > "$work/ft.json" 2>/dev/null

# The similarity pairs split by the corpus counts of their words.
mkdir -p "$work/rare/word-similarity" "$work/oov/word-similarity"
ln -s "$data/word-analogy" "$work/rare/word-analogy"
ln -s "$data/word-analogy" "$work/oov/word-analogy"
node - "$work/corpus.txt" "$data/word-similarity" "$work" <<'JS'
const fs = require('fs');
const [corpus, folder, work] = process.argv.slice(2);
const counts = new Map();
for (const line of fs.readFileSync(corpus, 'utf8').split('\n')) for (const w of line.split(' ')) if (w) counts.set(w, (counts.get(w) || 0) + 1);
const count = (w) => counts.get(w.toLowerCase()) || 0;
const rare = [], oov = [];
// WS-353's REL and SIM files are subsets of ALL, so they are left out of the pool.
for (const file of fs.readdirSync(folder).filter((f) => /^EN-.*\.txt$/.test(f) && !/WS-353-(REL|SIM)/.test(f)).sort()) {
  // The files score on different scales (0-10, 0-50, 1-5, 0-4): each is rescaled to 0-1 before they are pooled.
  const rows = fs.readFileSync(`${folder}/${file}`, 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length >= 3 && !p[0].startsWith('#'));
  const scores = rows.map((p) => Number(p[2]));
  const lo = Math.min(...scores), hi = Math.max(...scores);
  for (const p of rows) {
    const low = Math.min(count(p[0]), count(p[1]));
    const pair = `${p[0]}\t${p[1]}\t${((Number(p[2]) - lo) / (hi - lo)).toFixed(6)}`;
    if (low >= 5 && low <= 50) rare.push(pair);
    else if (low < 5) oov.push(pair);
  }
}
fs.writeFileSync(`${work}/rare/word-similarity/EN-RARE-5-50.txt`, rare.join('\n') + '\n');
fs.writeFileSync(`${work}/oov/word-similarity/EN-OOV-UNDER-5.txt`, oov.join('\n') + '\n');
console.error(`› ${rare.length} pairs whose rarer word was seen 5-50 times, ${oov.length} with a word seen under 5 times`);
JS

echo "› quiver eval words on the rare and OOV pairs" >&2
quiver eval words --data "$work/rare" --model w2v --json > "$work/rare-w2v.json" 2>/dev/null
quiver eval words --data "$work/rare" --model ft --json > "$work/rare-ft.json" 2>/dev/null
quiver eval words --data "$work/oov" --model ft --subwords --json > "$work/oov-ft.json" 2>/dev/null
quiver eval words --data "$work/oov" --model w2v --json > "$work/oov-w2v.json" 2>/dev/null
echo "› misspellings (Quiver.Bench typos)" >&2
bench="dotnet bench/Quiver.Bench/bin/Release/net10.0/Quiver.Bench.dll"
$bench typos --model ft > "$work/typos-ft.json"

node - "$work" <<'JS'
const fs = require('fs'); const work = process.argv[2];
const read = (f) => JSON.parse(fs.readFileSync(`${work}/${f}`, 'utf8'));
const sim = (f) => read(f).similarity[0];
const line = (name, s) => `${name}: ${s.used} of ${s.pairs} pairs scored${s.composed ? ` (${s.composed} composed from n-grams)` : ''}, Spearman ${(100 * s.spearman).toFixed(2)}`;
const t = (f) => read(f);
console.log(`training words/s: word2vec ${(t('w2v.json').words_trained / t('w2v.json').training_seconds).toFixed(0)}, fastText ${(t('ft.json').words_trained / t('ft.json').training_seconds).toFixed(0)}`);
console.log(line('rare 5-50, word2vec', sim('rare-w2v.json')));
console.log(line('rare 5-50, fastText', sim('rare-ft.json')));
console.log(line('OOV (<5), word2vec', sim('oov-w2v.json')));
console.log(line('OOV (<5), fastText --subwords', sim('oov-ft.json')));
const typos = read('typos-ft.json');
console.log(`misspellings (ranks ${typos.ranks}): ${typos.typos} typos, recall@1 ${(100 * typos.recall_at_1).toFixed(1)}%, recall@10 ${(100 * typos.recall_at_10).toFixed(1)}%`);
for (const e of typos.examples) console.log(`  ${e.typo} (meant ${e.meant}): ${e.nearest.join(', ')}`);
JS
