"""scikit-learn's classifiers on the very vectors `quiver eval classify --save-vectors DIR` scored, with the same
folds (or the same test rows), beside Quiver's figures from its --json output.

Usage: classify.py DIR QUIVER_JSON DATASET MODEL C K
Prints one Markdown row per method: data set, model, method, Quiver accuracy / macro-F1, scikit-learn accuracy /
macro-F1, training seconds of both and their ratio (Quiver / scikit-learn). Zero-shot has no scikit-learn peer; it is
recomputed here with NumPy (argmax of cosine to the saved label vectors) as a check of Quiver's figure.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.neighbors import KNeighborsClassifier

folder, quiver_json, dataset, model, c, k = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
quiver = {m["method"]: m for m in json.load(open(quiver_json))["methods"]}


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


x = np.load(f"{folder}/train.npy").astype(np.float64)
y = np.array(read_lines(f"{folder}/train-labels.txt"))
try:
    folds = np.array([int(f) for f in read_lines(f"{folder}/folds.txt")])
    splits = [(folds != f, folds == f) for f in range(folds.max() + 1)]
    xt, yt = None, None
except FileNotFoundError:
    folds = None
    xt = np.load(f"{folder}/test.npy").astype(np.float64)
    yt = np.array(read_lines(f"{folder}/test-labels.txt"))


def score(make):
    """Accuracy, macro-F1 and total fit seconds over the folds (or on the test rows)."""
    seconds = 0.0
    if folds is None:
        model_ = make()
        t = time.perf_counter()
        model_.fit(x, y)
        seconds = time.perf_counter() - t
        predicted = model_.predict(xt)
        return accuracy_score(yt, predicted), f1_score(yt, predicted, average="macro"), seconds
    predicted = np.empty(len(y), dtype=y.dtype)
    for train, test in splits:
        model_ = make()
        t = time.perf_counter()
        model_.fit(x[train], y[train])
        seconds += time.perf_counter() - t
        predicted[test] = model_.predict(x[test])
    return accuracy_score(y, predicted), f1_score(y, predicted, average="macro"), seconds


rows = []
with warnings.catch_warnings():
    warnings.simplefilter("error", ConvergenceWarning)
    if "logistic" in quiver:
        acc, f1, s = score(lambda: LogisticRegression(multi_class="multinomial", solver="lbfgs", C=c, max_iter=5000))
        rows.append(("logistic", acc, f1, s))
if "knn" in quiver:
    acc, f1, s = score(lambda: KNeighborsClassifier(n_neighbors=k, metric="cosine", algorithm="brute"))
    rows.append(("knn", acc, f1, s))
if "zero-shot" in quiver:
    labels = np.load(f"{folder}/label-vectors.npy").astype(np.float64)
    classes = np.array(read_lines(f"{folder}/classes.txt"))
    scored_x, scored_y = (x, y) if folds is not None else (xt, yt)
    unit = scored_x / np.maximum(np.linalg.norm(scored_x, axis=1, keepdims=True), 1e-300)
    labels /= np.linalg.norm(labels, axis=1, keepdims=True)
    predicted = classes[np.argmax(unit @ labels.T, axis=1)]
    rows.append(("zero-shot", accuracy_score(scored_y, predicted), f1_score(scored_y, predicted, average="macro"), None))

how = f"{folds.max() + 1}-fold CV on {len(y):,}" if folds is not None else f"train {len(y):,}, test {len(yt):,}"
failed = False
for method, acc, f1, s in rows:
    q = quiver[method]
    if s is None:
        times = "—"
        peer = f"NumPy check {acc:.4f} / {f1:.4f}"
    else:
        times = f"{q['train_seconds']:.2f} / {s:.2f} = {q['train_seconds'] / s:.2f}"
        peer = f"{acc:.4f} / {f1:.4f}"
    diff = (q["accuracy"] - acc) * 100
    print(f"| {dataset} ({how}) | {model} | {method} | {q['accuracy']:.4f} / {q['macro_f1']:.4f} | {peer} | {diff:+.2f} | {times} |", flush=True)
    if method == "logistic" and abs(diff) > 0.5:
        print(f"  logistic regression is {diff:+.2f} accuracy points from scikit-learn's (target: within 0.5)", file=sys.stderr)
        failed = True
    if method == "zero-shot" and abs(diff) > 1e-9:
        print(f"  zero-shot accuracy differs from the NumPy check by {diff:+.4f} points", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
