"""Trustworthiness (scikit-learn's manifold.trustworthiness, k = 10) of maps written by `quiver project -o MAP.csv`.

    /usr/bin/python3 bench/peers/sklearn/trustworthiness.py VECTORS.npy MAP.csv [MAP.csv ...]
"""
import sys, csv, numpy as np
from sklearn.manifold import trustworthiness
X = np.load(sys.argv[1]).astype(np.float32)
for path in sys.argv[2:]:
    rows = list(csv.DictReader(open(path)))
    Y = np.array([[float(r["x"]), float(r["y"])] for r in rows])
    print(path, round(trustworthiness(X, Y, n_neighbors=10), 4), flush=True)
