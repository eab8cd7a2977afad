#!/usr/bin/python3
"""scikit-learn's side of bench/cluster.sh, on the very vectors Quiver clustered (Debian python3-sklearn 1.2.1).

gen     writes a Gaussian-mixture matrix (float32 .npy) for the speed and inertia check.
speed   fits sklearn's KMeans (Lloyd, k-means++, best of 10 starts) on the .npy Quiver clustered, times it, and
        compares inertias (Quiver's own figure, and recomputed here from Quiver's assignments).
labels  fits sklearn's KMeans at k = number of labels on Quiver's saved vectors, and scores both against the labels
        with sklearn's own metrics (V-measure, ARI); HDBSCAN is Quiver's only (sklearn 1.2.1 has none).
"""
import argparse
import csv
import json
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, v_measure_score


def inertia_of(x, labels):
    total = 0.0
    for c in np.unique(labels):
        members = x[labels == c].astype(np.float64)
        total += ((members - members.mean(axis=0)) ** 2).sum()
    return total


def sklearn_kmeans(x, k, seed, threads=None):
    with threadpool_limits(limits=threads):
        start = time.perf_counter()
        fit = KMeans(n_clusters=k, n_init=10, init="k-means++", algorithm="lloyd", max_iter=300, tol=1e-4, random_state=seed).fit(x)
        return fit, time.perf_counter() - start


def gen(args):
    rng = np.random.default_rng(args.seed)
    centres = rng.normal(0, 1, (args.centres, args.dim))
    which = rng.integers(0, args.centres, args.rows)
    x = centres[which] + rng.normal(0, args.spread, (args.rows, args.dim))
    np.save(args.out, x.astype(np.float32))


def speed(args):
    x = np.load(args.vectors)
    quiver = json.load(open(args.quiver_json))
    ours = np.array(quiver["assignments"]["clusters"])
    fit, seconds = sklearn_kmeans(x, args.k, args.seed, args.threads)
    recomputed = inertia_of(x, ours)
    print(json.dumps({
        "rows": x.shape[0], "dims": x.shape[1], "k": args.k, "threads": args.threads,
        "quiver_inertia": quiver["inertia"], "quiver_inertia_recomputed": recomputed, "sklearn_inertia": float(fit.inertia_),
        "inertia_ratio": quiver["inertia"] / float(fit.inertia_),
        "quiver_seconds": quiver["seconds"], "sklearn_seconds": seconds, "time_ratio": quiver["seconds"] / seconds,
        "quiver_iterations": quiver["iterations"], "sklearn_iterations": int(fit.n_iter_),
    }))


def labels(args):
    x = np.load(args.vectors)
    with open(args.csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kmeans = json.load(open(args.kmeans))
    hdbscan = json.load(open(args.hdbscan))
    ids = [int(i) for i in kmeans["assignments"]["ids"]]
    truth = [rows[i - 1]["label"] for i in ids]
    k = len(set(truth))
    assert x.shape[0] == len(ids), (x.shape, len(ids))
    fit, seconds = sklearn_kmeans(x, k, args.seed)
    ours = np.array(kmeans["assignments"]["clusters"])
    density = np.array(hdbscan["assignments"]["clusters"])
    clustered = density >= 0
    print(json.dumps({
        "points": len(ids), "skipped": kmeans["skipped"], "k": k,
        "quiver_v": v_measure_score(truth, ours), "quiver_ari": adjusted_rand_score(truth, ours),
        "quiver_v_own": kmeans["agreement"]["v_measure"], "quiver_ari_own": kmeans["agreement"]["ari"],
        "sklearn_v": v_measure_score(truth, fit.labels_), "sklearn_ari": adjusted_rand_score(truth, fit.labels_),
        "quiver_inertia": kmeans["inertia"], "sklearn_inertia": float(fit.inertia_),
        "quiver_seconds": kmeans["seconds"], "sklearn_seconds": seconds,
        "hdbscan_clusters": hdbscan["clusters"], "hdbscan_noise": int((~clustered).sum()),
        "hdbscan_v": v_measure_score(truth, density), "hdbscan_ari": adjusted_rand_score(truth, density),
        "hdbscan_v_clustered": v_measure_score(np.array(truth)[clustered], density[clustered]) if clustered.any() else None,
        "hdbscan_seconds": hdbscan["seconds"],
    }))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--rows", type=int, default=100_000)
    g.add_argument("--dim", type=int, default=384)
    g.add_argument("--centres", type=int, default=50)
    g.add_argument("--spread", type=float, default=0.5)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--out", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--vectors", required=True)
    s.add_argument("--quiver-json", required=True)
    s.add_argument("--k", type=int, required=True)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--threads", type=int, required=True)
    lab = sub.add_parser("labels")
    lab.add_argument("--vectors", required=True)
    lab.add_argument("--csv", required=True)
    lab.add_argument("--kmeans", required=True)
    lab.add_argument("--hdbscan", required=True)
    lab.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    {"gen": gen, "speed": speed, "labels": labels}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
