#!/usr/bin/env bash
# Classification on the shared labelled data: every set embedded once per model by `quiver eval classify`
# (--save-vectors writes the vectors, labels and folds it scored), Quiver's logistic regression, kNN and zero-shot
# scored on them, then scikit-learn's LogisticRegression (multinomial, lbfgs, same C) and KNeighborsClassifier (same k,
# cosine) on the very same vectors and folds, in the same run. Prints one Markdown row per set/model/method: accuracy
# and macro-F1 of both, the accuracy difference in points, training seconds of both and their ratio.
# TREC-6 and Banking77 ship a train split only: stratified 5-fold cross-validation. SST-2: train on train, score dev.
# Usage: bench/classify.sh [DATA]   env: MODELS (all-minilm-l6-v2 use-lite glove-100), SETS (trec banking77 sst2),
#   C (1.0), K (5), MAX_ROWS (0 = all; cap the training rows on a slow machine: quiver eval classify --max-rows),
#   QUIVER (the command, default ./quiver). Needs Debian's python3-sklearn.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${1:-../shared/data}/labelled"
models="${MODELS:-all-minilm-l6-v2 use-lite glove-100}"
sets="${SETS:-trec banking77 sst2}"
c="${C:-1.0}"
k="${K:-5}"
max_rows="${MAX_ROWS:-0}"
quiver="${QUIVER:-./quiver}"
py=/usr/bin/python3
"$py" -c "import sklearn" 2>/dev/null || { echo "needs Debian's python3-sklearn: apt-get install -y python3-sklearn" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Zero-shot prompts. Banking77's labels read as words (card_arrival → "This text is about card arrival."); TREC's
# codes and SST-2's polarities do not, so they get a sentence each, written for this benchmark.
cat > "$work/trec.csv" <<'CSV'
label,description
ABBR,This question asks what an abbreviation stands for.
DESC,This question asks for a description or a definition.
ENTY,"This question asks for a thing, such as an animal, a colour, a product or a substance."
HUM,This question asks for a person or a group of people.
LOC,"This question asks for a place, such as a city, a country or a mountain."
NUM,"This question asks for a number, a date, a price or a distance."
CSV
cat > "$work/sst2.csv" <<'CSV'
label,description
negative,"A negative review: the film is bad, boring, and not worth seeing."
positive,"A positive review: the film is good, moving, and worth seeing."
CSV

echo "| data (rows) | model | method | Quiver accuracy / macro-F1 | scikit-learn accuracy / macro-F1 | accuracy difference (points) | training s, Quiver / scikit-learn = ratio |"
echo "|---|---|---|---|---|---|---|"
status=0
for model in $models; do
  for set in $sets; do
    out="$work/$set-$model"
    args=("$data/$set/train.csv" -m "$model" --method logistic,knn,zero-shot --c "$c" -k "$k" --max-rows "$max_rows" --save-vectors "$out" --json)
    [ -f "$data/$set/dev.csv" ] && args+=(--test "$data/$set/dev.csv") || args+=(--folds 5)
    [ -f "$work/$set.csv" ] && args+=(--descriptions "$work/$set.csv")
    $quiver eval classify "${args[@]}" > "$work/$set-$model.json"
    "$py" bench/peers/sklearn/classify.py "$out" "$work/$set-$model.json" "$set" "$model" "$c" "$k" || status=1
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
