"""Peer timings for bench/metrics_bench.cpp: scikit-learn on the same data.

Writes the benchmark inputs (points and labelings) to OUT_DIR so the C++
benchmark reads exactly the same values, then times scikit-learn's
silhouette_score, calinski_harabasz_score and davies_bouldin_score on the
first labeling. Prints one JSON object per line: {"name", "seconds": [...], "cpu_seconds": [...]}.

usage: metrics_sklearn.py OUT_DIR [--n 20000] [--d 8] [--k 10] [--labelings 40] [--repeats 3]
"""
import argparse
import json
import os
import time

import numpy as np
from sklearn import metrics


def make_inputs(n, d, k, labelings, seed=20240):
    rng = np.random.RandomState(seed)
    centres = 6.0 * rng.standard_normal((k, d))
    truth = rng.randint(0, k, size=n)
    x = centres[truth] + rng.standard_normal((n, d))
    columns = [truth]
    # The other labelings are K-Means-like: nearest of kk random data points, kk = 2..k+1.
    for l in range(1, labelings):
        kk = 2 + (l - 1) % k
        picks = x[rng.choice(n, size=kk, replace=False)]
        d2 = ((x[:, None, :] - picks[None, :, :]) ** 2).sum(axis=2)
        columns.append(d2.argmin(axis=1))
    return x, np.stack(columns, axis=1)


def timed(fn, repeats):
    """Wall seconds and process CPU seconds (all threads, BLAS included) per repeat."""
    seconds, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return seconds, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--d", type=int, default=8)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--labelings", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    x, labels = make_inputs(args.n, args.d, args.k, args.labelings)
    os.makedirs(args.out_dir, exist_ok=True)
    np.savetxt(os.path.join(args.out_dir, "points.csv"), x, delimiter=",", fmt="%.17g")
    np.savetxt(os.path.join(args.out_dir, "labels.csv"), labels, delimiter=",", fmt="%d")

    y = labels[:, 0]
    results = {
        "silhouette": timed(lambda: metrics.silhouette_score(x, y), args.repeats),
        "calinski_harabasz": timed(lambda: metrics.calinski_harabasz_score(x, y), args.repeats),
        "davies_bouldin": timed(lambda: metrics.davies_bouldin_score(x, y), args.repeats),
    }
    for name, (seconds, cpu) in results.items():
        print(json.dumps({"name": "sklearn_" + name, "seconds": seconds, "cpu_seconds": cpu,
                          "n": args.n, "d": args.d, "labelings": args.labelings}))


if __name__ == "__main__":
    main()
