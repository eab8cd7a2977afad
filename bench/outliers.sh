#!/usr/bin/env bash
# Outlier scores against scikit-learn on the very same vectors: `quiver outliers` (local outlier factor, k = 20, unit
# vectors) and sklearn.neighbors.LocalOutlierFactor(n_neighbors=20) on the same unit vectors; Spearman of the scores,
# overlap of the top 50, and time as a ratio. The vectors are the first N texts of a labelled set embedded by MODEL.
# Usage: bench/outliers.sh [MODEL] [N] [DATA]   (default glove-100, 5000, ../shared/data; Debian python3-sklearn)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
model="${1:-glove-100}"
n="${2:-5000}"
data="${3:-../shared/data}"
py=/usr/bin/python3
"$py" -c "import sklearn" 2>/dev/null || { echo "needs Debian's python3-sklearn: apt-get install -y python3-sklearn" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
head -n $((n + 1)) "$data/labelled/banking77/train.csv" > "$work/texts.csv"
./quiver embed --input "$work/texts.csv" --column text --output "$work/all.npy" -m "$model" > /dev/null
# Texts with no word the model knows get zero vectors, which have no cosine; both sides use the rest.
"$py" - "$work" <<'PY'
import sys, numpy as np
w = sys.argv[1]
x = np.load(f"{w}/all.npy")
keep = np.linalg.norm(x, axis=1) > 0
np.save(f"{w}/v.npy", x[keep].astype(np.float32))
print(f"{keep.sum()} of {len(x)} texts have vectors", file=sys.stderr)
PY
start=$(date +%s.%N)
./quiver outliers --input "$work/v.npy" -k 20 --top 1000000 --json > "$work/quiver.json"
quiver_s=$(echo "$(date +%s.%N) - $start" | bc -l)
"$py" - "$work" "$quiver_s" "$model" <<'PY'
import sys, json, time, numpy as np
from scipy.stats import spearmanr
from sklearn.neighbors import LocalOutlierFactor
w, quiver_s, model = sys.argv[1], float(sys.argv[2]), sys.argv[3]
x = np.load(f"{w}/v.npy").astype(np.float64)
x /= np.linalg.norm(x, axis=1, keepdims=True)
ours = {int(o["id"]): o["score"] for o in json.load(open(f"{w}/quiver.json"))["outliers"]}
q = np.array([ours[i] for i in range(len(x))])
t = time.perf_counter()
lof = LocalOutlierFactor(n_neighbors=20).fit(x)
sk_s = time.perf_counter() - t
s = -lof.negative_outlier_factor_
rho = spearmanr(q, s).correlation
top = len(set(np.argsort(-q)[:50]) & set(np.argsort(-s)[:50]))
print(f"{model}, {len(x)} banking77 texts, k = 20: Spearman {rho:.5f}, top-50 overlap {top}/50, max |diff| {np.abs(q - s).max():.2e}")
print(f"time: quiver outliers {quiver_s:.2f} s (whole CLI run: start-up, .npy read, scoring); scikit-learn fit {sk_s:.2f} s; ratio {quiver_s / sk_s:.2f}")
if rho < 0.99:
    sys.exit(f"Spearman {rho:.4f} is below 0.99")
PY
