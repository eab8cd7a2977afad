"""scikit-learn's side of bench/project.sh, on the very vectors Quiver projected.

Reads vectors.npy and Quiver's maps (quiver-pca.json, quiver-tsne.csv, quiver-umap.csv and their --json summaries),
umap-js's maps when project.sh ran it (peer-umapjs.csv, peer-umapjs-exact.csv and their summaries),
runs scikit-learn's PCA and t-SNE (defaults of 1.2: perplexity 30, init 'pca', learning rate 'auto', 1000
iterations, Barnes-Hut) on the same vectors, and prints trustworthiness (manifold.trustworthiness, k = 10) of every
map, the times as ratios, and PCA's explained variance side by side. Exits 1 when a target is missed.
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness

parser = argparse.ArgumentParser()
parser.add_argument("--work", required=True)
parser.add_argument("--k", type=int, default=10)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
work = args.work

X = np.load(os.path.join(work, "vectors.npy")).astype(np.float32)


def quiver_map(method, prefix="quiver"):
    with open(os.path.join(work, f"{prefix}-{method}.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return np.array([[float(r["x"]), float(r["y"])] for r in rows], dtype=np.float32)


def quiver_summary(method, prefix="quiver"):
    with open(os.path.join(work, f"{prefix}-{method}.json"), encoding="utf-8") as f:
        return json.load(f)


results = {"points": int(X.shape[0]), "dimensions": int(X.shape[1]), "k": args.k, "sklearn": sklearn.__version__}

started = time.perf_counter()
pca = PCA(n_components=2, svd_solver="full").fit(X)
results["sklearn_pca_seconds"] = time.perf_counter() - started
quiver_pca = quiver_summary("pca")
ours = np.array(quiver_pca["explained_variance_ratio"])
theirs = pca.explained_variance_ratio_
results["pca_explained_variance_ratio"] = {"quiver": ours.tolist(), "sklearn": theirs.tolist(), "max_abs_difference": float(np.max(np.abs(ours - theirs)))}

started = time.perf_counter()
sk_tsne = TSNE(n_components=2, init="pca", learning_rate="auto", random_state=args.seed).fit_transform(X)
results["sklearn_tsne_seconds"] = time.perf_counter() - started

trust = {
    "sklearn_tsne": trustworthiness(X, sk_tsne, n_neighbors=args.k),
    "sklearn_pca": trustworthiness(X, pca.transform(X), n_neighbors=args.k),
}
# Every map project.sh wrote: pca, tsne, umap and variants such as umap-md0 (--min-dist 0).
methods = sorted(f[len("quiver-"):-len(".csv")] for f in os.listdir(work) if f.startswith("quiver-") and f.endswith(".csv"))
for method in methods:
    trust[f"quiver_{method}"] = trustworthiness(X, quiver_map(method), n_neighbors=args.k)
# umap-js: umapjs (its own NN-descent neighbours) and umapjs-exact (exact neighbours, as Quiver's UMAP uses).
peers = sorted(f[len("peer-"):-len(".csv")] for f in os.listdir(work) if f.startswith("peer-") and f.endswith(".csv"))
for peer in peers:
    trust[peer.replace("-", "_")] = trustworthiness(X, quiver_map(peer, "peer"), n_neighbors=args.k)
results["trustworthiness"] = trust
results["quiver_seconds"] = {m: quiver_summary(m)["seconds"] for m in methods}
results["peer_seconds"] = {p: quiver_summary(p, "peer")["seconds"] for p in peers}
results["time_ratio_quiver_over_sklearn"] = {
    "tsne": results["quiver_seconds"]["tsne"] / results["sklearn_tsne_seconds"],
    **{f"{m}_vs_sklearn_tsne": results["quiver_seconds"][m] / results["sklearn_tsne_seconds"] for m in methods if m.startswith("umap")},
    "pca": results["quiver_seconds"]["pca"] / results["sklearn_pca_seconds"],
    **{f"umap_vs_{p}": results["quiver_seconds"]["umap"] / results["peer_seconds"][p] for p in peers},
}

print(json.dumps(results, indent=2))
print(f"\n{X.shape[0]} points x {X.shape[1]} dims, trustworthiness k = {args.k} (scikit-learn {sklearn.__version__})", file=sys.stderr)
for name, value in trust.items():
    print(f"  {name:16s} {value:.4f}", file=sys.stderr)
print("  time quiver/sklearn: " + ", ".join(f"{name} {ratio:.2f}" for name, ratio in results["time_ratio_quiver_over_sklearn"].items()), file=sys.stderr)
print(f"  PCA explained variance ratio: quiver {ours.round(6).tolist()} sklearn {theirs.round(6).tolist()}", file=sys.stderr)

failures = []
for method in ("tsne", "umap"):
    if trust[f"quiver_{method}"] < trust["sklearn_tsne"] - 0.02:
        failures.append(f"Quiver's {method} trustworthiness {trust[f'quiver_{method}']:.4f} is more than 0.02 below scikit-learn's t-SNE {trust['sklearn_tsne']:.4f}")
if "umapjs_exact" in trust and trust["quiver_umap"] < trust["umapjs_exact"] - 0.01:
    failures.append(f"Quiver's UMAP trustworthiness {trust['quiver_umap']:.4f} is more than 0.01 below umap-js on the same exact neighbours {trust['umapjs_exact']:.4f}")
if results["pca_explained_variance_ratio"]["max_abs_difference"] > 1e-4:
    failures.append(f"PCA explained variance differs by {results['pca_explained_variance_ratio']['max_abs_difference']:.2e} (target 1e-4)")
for failure in failures:
    print("MISSED: " + failure, file=sys.stderr)
sys.exit(1 if failures else 0)
