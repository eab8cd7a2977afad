#!/usr/bin/env bash
# Trains GloVe on the shared corpus with Quiver's `glove` command, installs it in a scratch QUIVER_HOME, and reports
# `quiver eval words` for it, training time and peak memory; then trains again with a small --memory-mib to show
# that spilling to sorted runs and shuffling on disk work at scale. No peer: no original GloVe binary is run.
#
# Tokenisation (perl, per line, lines kept as the corpus's sentences/paragraphs): lower-case; every character that
# is not a letter, a digit or white space becomes a token of its own (so "don't," -> "don ' t ,"); runs of white
# space collapse to one space; empty lines are dropped. Input: the corpus's *.part*.txt files (not SOURCE.txt or extra/).
#
# Usage: bench/glove.sh [DATA_DIR]   (default ../shared/data)
# Env:   DIM=100 WINDOW=10 EPOCHS=20 MIN_COUNT=5 THREADS=2 SMALL_MIB=8 SEED=1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
data="$(cd "${1:-../shared/data}" && pwd)"
dim="${DIM:-100}" window="${WINDOW:-10}" epochs="${EPOCHS:-20}" min_count="${MIN_COUNT:-5}" threads="${THREADS:-2}"
small_mib="${SMALL_MIB:-8}" seed="${SEED:-1}"
work="$(mktemp -d)"
export work  # the glove function runs in a child shell under /usr/bin/time
trap 'rm -rf "$work"' EXIT
export QUIVER_HOME="$work/home"

echo "› tokenising $data/corpus/*.part*.txt" >&2
cat "$data"/corpus/*.part*.txt | perl -CSD -ne '$_ = lc; s/([^\p{L}\p{N}\s])/ $1 /g; s/\s+/ /g; s/^ //; s/ $//; print "$_\n" if length' > "$work/corpus.tok"
echo "› $(wc -w < "$work/corpus.tok") tokens, $(wc -l < "$work/corpus.tok") lines" >&2

glove() { ./quiver train glove "$@"; }
./quiver models list >/dev/null

run() { # name, memory MiB
  echo "› training $1 (--memory-mib $2)" >&2
  /usr/bin/time -f '%e %M' -o "$work/$1.time" bash -c "$(declare -f glove); glove \"\$@\"" _ \
    "$work/corpus.tok" -o "$1" --dim "$dim" --window "$window" --epochs "$epochs" --min-count "$min_count" \
    --threads "$threads" --seed "$seed" --memory-mib "$2" --temp "$work" --json > "$work/$1.json"
  read -r wall rss < "$work/$1.time"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const c = r.costs.map((x) => x.toFixed(4));
    console.log(`${r.model}: ${r.words} words x ${r.dimensions}-d, ${r.tokens} tokens, ${r.cooccurrences} records, ` +
      `${r.spilled_runs} runs, shuffled on disk: ${r.shuffled_on_disk}, train ${r.train_seconds.toFixed(1)} s, ` +
      `wall ${process.argv[2]} s, peak RSS ${(process.argv[3] / 1024).toFixed(0)} MiB\n  cost per iteration: ${c.join(" ")}`);' \
    "$work/$1.json" "$wall" "$rss"
  ./quiver eval words --data "$data" --model "$1"
}

run glove-corpus 4096
run glove-corpus-small "$small_mib"
