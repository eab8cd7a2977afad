#!/usr/bin/env bash
# Word2Vec against Google's original C tool (npm word2vec@1.1.5 ships word2vec.c; it is compiled here with make/gcc)
# in the same run, on the same tokenised file, with the same settings: dim 100, window 5, negative 5, sample 1e-4,
# min-count 5, 5 iterations, 2 threads; skip-gram and CBOW. Rounds alternate which tool goes first.
#
# Words/s for both = (the tool's own count of training words × iterations) / wall-clock seconds of the whole command
# (vocabulary pass, training and writing the model included; for Quiver also registering it). The C tool's count is
# its "Words in train file" line, Quiver's the words_trained of its --json summary (the same count: in-vocabulary
# tokens plus one sentence end per line, per epoch). Then `quiver eval words` scores both models of every round
# (the C tool's binary file is imported with `quiver models install NAME --file`), and the report gives each
# metric's mean and standard deviation over the rounds for both tools: with 2 threads neither tool repeats itself
# (Hogwild updates race), so one round's difference is partly noise. Quiver's seed is the round number.
#
# Corpus: the 7 main files ../shared/data/corpus/*.partNN.txt (3.85 M tokens after tokenising); extra/ is left out as
# SOURCE.txt suggests. Tokenising: lower-case, every punctuation/symbol character its own token (peers/word2vec/tokenize.mjs).
# Usage: bench/word2vec.sh [DATA_DIR]   (env ROUNDS=3, MODES="sg cbow")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="$(cd "${1:-../shared/data}" && pwd)"
rounds="${ROUNDS:-3}"
modes="${MODES:-sg cbow}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export QUIVER_HOME="$work/home"

peer=bench/peers/word2vec
echo "› installing and compiling the C word2vec (npm word2vec@1.1.5, make -B)" >&2
(cd "$peer" && npm ci --silent --no-audit --no-fund --ignore-scripts >/dev/null)
make -B -s -C "$peer/node_modules/word2vec/src" word2vec >/dev/null 2>&1 || make -B -C "$peer/node_modules/word2vec/src" word2vec >&2
c_w2v="$peer/node_modules/word2vec/src/word2vec"

node "$peer/tokenize.mjs" "$work/corpus.txt" "$data"/corpus/*.part[0-9][0-9].txt
./quiver --help >/dev/null  # build once, before any timing; later calls run that build even if sources change meanwhile
quiver() { dotnet "$PWD/artifacts/bin/quiver.dll" "$@"; }

common=(-size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 -min-count 5 -iter 5 -threads 2)
qcommon=(--dim 100 --window 5 --negative 5 --sample 1e-4 --min-count 5 --epochs 5 --threads 2)
results="$work/results.tsv"
now() { date +%s.%N; }

run_c() {  # mode round
  local flag=0; [ "$1" = cbow ] && flag=1
  local t0 t1; t0=$(now)
  "$c_w2v" -train "$work/corpus.txt" -output "$work/c-$1.bin" -cbow "$flag" "${common[@]}" -binary 1 > "$work/c.log"
  t1=$(now)
  local words; words=$(tr '\r' '\n' < "$work/c.log" | sed -n 's/^Words in train file: //p')
  echo -e "$1\t$2\tc\t$((words * 5))\t$(echo "$t1 - $t0" | bc -l)" >> "$results"
}

run_q() {  # mode round
  local flag=(); [ "$1" = cbow ] && flag=(--cbow)
  local t0 t1; t0=$(now)
  quiver train word2vec "$work/corpus.txt" -o "q-$1" --force "${flag[@]}" "${qcommon[@]}" --seed "$2" --json > "$work/q.json" 2>/dev/null
  t1=$(now)
  local words; words=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).words_trained)' "$work/q.json")
  echo -e "$1\t$2\tquiver\t$words\t$(echo "$t1 - $t0" | bc -l)" >> "$results"
}

for mode in $modes; do
  for round in $(seq 1 "$rounds"); do
    echo "› $mode round $round/$rounds" >&2
    if [ $((round % 2)) -eq 1 ]; then run_c "$mode" "$round"; run_q "$mode" "$round"; else run_q "$mode" "$round"; run_c "$mode" "$round"; fi
    tail -n 2 "$results" | awk -F'\t' '{printf "    %-6s %6.1f s  %8.0f words/s\n", $3, $5, $4 / $5}' >&2
    echo "    quiver eval words on both $mode models of round $round" >&2
    quiver models install "c-$mode" --file "$work/c-$mode.bin" --force >/dev/null 2>&1
    quiver eval words --data "$data" --model "c-$mode" --json > "$work/eval-c-$mode-$round.json" 2>/dev/null
    quiver eval words --data "$data" --model "q-$mode" --json > "$work/eval-q-$mode-$round.json" 2>/dev/null
  done
done

node - "$work" "$modes" <<'JS'
const fs = require('fs');
const [work, modes] = process.argv.slice(2);
const rows = fs.readFileSync(`${work}/results.tsv`, 'utf8').trim().split('\n').map((l) => l.split('\t'));
const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
for (const mode of modes.split(' ')) {
  const r = rows.filter((x) => x[0] === mode);
  const rate = (tool) => r.filter((x) => x[2] === tool).map((x) => +x[3] / +x[4]);
  const ratios = [...new Set(r.map((x) => x[1]))].map((round) => {
    const q = r.find((x) => x[1] === round && x[2] === 'quiver'); const c = r.find((x) => x[1] === round && x[2] === 'c');
    return (+q[3] / +q[4]) / (+c[3] / +c[4]);
  });
  console.log(`${mode}: words/s median quiver ${median(rate('quiver')).toFixed(0)}, C ${median(rate('c')).toFixed(0)}; ` +
    `per-round ratios ${ratios.map((x) => x.toFixed(2)).join(' ')}; median ratio quiver/C ${median(ratios).toFixed(2)}x (target >= 1.0x)`);
  const rounds = [...new Set(r.map((x) => x[1]))];
  const ev = (tool) => rounds.map((round) => JSON.parse(fs.readFileSync(`${work}/eval-${tool}-${mode}-${round}.json`, 'utf8')));
  const q = ev('q'); const c = ev('c');
  const acc = (e, s) => e.analogy.find((x) => x.section === s)?.accuracy;
  const rho = (e, f) => 100 * e.similarity.find((x) => x.file === f)?.spearman;
  const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  const sd = (a) => a.length < 2 ? 0 : Math.sqrt(a.reduce((x, y) => x + (y - mean(a)) ** 2, 0) / (a.length - 1));
  const stat = (a) => `${mean(a).toFixed(2).padStart(6)} ± ${sd(a).toFixed(2).padEnd(4)}`;
  const line = (name, metric) => {
    const a = q.map(metric); const b = c.map(metric);
    console.log(`  ${name.padEnd(28)} quiver ${stat(a)}  C ${stat(b)}  mean diff ${(mean(a) - mean(b)).toFixed(2).padStart(6)}  rounds quiver ${a.map((x) => x.toFixed(2)).join(' ')} | C ${b.map((x) => x.toFixed(2)).join(' ')}`);
  };
  console.log(`  (mean ± standard deviation over ${rounds.length} rounds)`);
  for (const s of ['semantic', 'syntactic', 'overall']) line(`analogy ${s} %`, (e) => acc(e, s));
  for (const f of q[0].similarity.map((x) => x.file)) line(`spearman ${f}`, (e) => rho(e, f));
}
JS
