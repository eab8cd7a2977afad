#!/usr/bin/env bash
# k-means and HDBSCAN of `quiver cluster` against scikit-learn (Debian python3-sklearn 1.2.1: apt-get install -y
# python3-sklearn), always on the very same vectors:
#  1. speed and inertia: ROWS x DIM float32 vectors drawn from a Gaussian mixture (50 random centres, spread 0.5; not
#     real embeddings), written to .npy; Quiver and sklearn's KMeans (k-means++, Lloyd, best of 10 starts, tol 1e-4)
#     at k = K on the same machine with THREADS threads each, alternating ROUNDS times: inertia ratio (target within 1%) and
#     fit-time ratio per round (Quiver's fit time from its --json, not process start or reading the file) and their median.
#  2. quality against labels: 20 Newsgroups subject lines and Banking77 ($DATA/labelled/), embedded by Quiver with
#     all-minilm-l6-v2 and glove-100 (SIF) and saved with --save-vectors; k-means at k = number of labels by both
#     (V-measure and ARI by sklearn's metrics on both assignments, and Quiver's own figures beside them), and Quiver's
#     HDBSCAN (--density) on the same vectors (sklearn 1.2.1 has no HDBSCAN).
# Usage: bench/cluster.sh [speed|labels|all] [DATA]   (default all, ../shared/data)
# Env:   ROUNDS=3 THREADS=$(nproc) ROWS=100000 DIM=384 K=20 MODELS="all-minilm-l6-v2 glove-100" SETS="twentynewsgroups-subjects banking77"
#        MIN_CLUSTER_SIZE=15
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
what="${1:-all}"
data="$(cd "${2:-../shared/data}" && pwd)"
rows="${ROWS:-100000}" rounds="${ROUNDS:-3}" threads="${THREADS:-$(nproc)}" dim="${DIM:-384}" k="${K:-20}" mcs="${MIN_CLUSTER_SIZE:-15}"
models="${MODELS:-all-minilm-l6-v2 glove-100}" sets="${SETS:-twentynewsgroups-subjects banking77}"
py=/usr/bin/python3
"$py" -c 'import sklearn; assert sklearn.__version__ == "1.2.1", sklearn.__version__' \
  || { echo "error: needs Debian's python3-sklearn 1.2.1 (apt-get install -y python3-sklearn)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
peer=bench/peers/sklearn/cluster.py
./quiver models list >/dev/null
echo "› machine: $(nproc) cores; $(date -u +%FT%TZ)" >&2

if [ "$what" = speed ] || [ "$what" = all ]; then
  echo "› generating $rows x $dim vectors (Gaussian mixture, 50 centres)" >&2
  "$py" "$peer" gen --rows "$rows" --dim "$dim" --out "$work/mix.npy"
  # The two fits alternate, ROUNDS times, and the median of the per-round ratios is reported: this machine is shared.
  for round in $(seq 1 "$rounds"); do
    echo "› round $round/$rounds: quiver cluster --k $k (best of 10 starts)" >&2
    ./quiver cluster --input "$work/mix.npy" --k "$k" --inits 10 --threads "$threads" --json --assignments > "$work/mix.json"
    echo "› round $round/$rounds: sklearn KMeans(n_clusters=$k, n_init=10) on the same file" >&2
    "$py" "$peer" speed --vectors "$work/mix.npy" --quiver-json "$work/mix.json" --k "$k" --threads "$threads" | tee -a "$work/speed.jsonl"
  done
  "$py" -c '
import json, statistics, sys
rounds = [json.loads(line) for line in open(sys.argv[1])]
print(json.dumps({"rounds": len(rounds), "median_time_ratio": statistics.median(r["time_ratio"] for r in rounds),
                  "inertia_ratios": [r["inertia_ratio"] for r in rounds]}))' "$work/speed.jsonl"
fi

if [ "$what" = labels ] || [ "$what" = all ]; then
  for set in $sets; do
    csv="$data/labelled/$set/train.csv"
    labels=$(tail -n +2 "$csv" | "$py" -c 'import csv,sys; print(len({r[1] for r in csv.reader(sys.stdin)}))')
    for model in $models; do
      echo "› $set with $model: k-means at k = $labels" >&2
      ./quiver cluster --input "$csv" -m "$model" --k "$labels" --inits 10 --json --assignments --save-vectors "$work/v.npy" > "$work/kmeans.json"
      echo "› $set with $model: HDBSCAN (--min-cluster-size $mcs) on the same vectors" >&2
      ./quiver cluster --input "$work/v.npy" --density --min-cluster-size "$mcs" --json --assignments > "$work/hdbscan.json"
      echo "› $set with $model: sklearn KMeans(n_clusters=$labels, n_init=10) on the same vectors" >&2
      printf '{"set": "%s", "model": "%s", "result": %s}\n' "$set" "$model" \
        "$("$py" "$peer" labels --vectors "$work/v.npy" --csv "$csv" --kmeans "$work/kmeans.json" --hdbscan "$work/hdbscan.json")"
    done
  done
fi
