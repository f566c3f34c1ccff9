#!/usr/bin/python3
"""clusterbench.silhouette_scores (all labelings in one pass) against 40 calls of
sklearn.metrics.silhouette_score, from Python, on the same arrays.

  PYTHONPATH=build/python bench/python_silhouette.py [--points 20000] [--labelings 40] [--repeats 3]

Inputs as bench_metrics' silhouette case: n points in d = 8 around 10 Gaussian
centres; labeling 0 is the truth, the others random with 2..11 clusters (the
grid's typical k range). Prints the median wall time of each side over the
repeats, the ratio, the largest difference between the two sides' scores, and
the BLAS that threadpoolctl reports for scikit-learn (NumPy's).
"""
import argparse
import statistics
import time

import numpy as np
import sklearn.metrics
from threadpoolctl import threadpool_info

import clusterbench


def make_inputs(n, d, k, labelings, seed=20240):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    X = 6.0 * rng.standard_normal((k, d))[truth] + rng.standard_normal((n, d))
    labels = np.stack([truth] + [rng.integers(0, 2 + (l - 1) % k, n) for l in range(1, labelings)]).astype(np.int32)
    return X, labels


def median_seconds(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=20000)
    parser.add_argument("--labelings", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    X, labels = make_inputs(args.points, 8, 10, args.labelings)

    for pool in threadpool_info():
        if pool["user_api"] == "blas":
            print(f"BLAS (threadpoolctl): {pool['internal_api']} {pool['version']} {pool.get('threading_layer', '')}, "
                  f"{pool['num_threads']} threads, {pool['filepath']}")
    ours, our_scores = median_seconds(lambda: clusterbench.silhouette_scores(X, labels), args.repeats)
    theirs, their_scores = median_seconds(
        lambda: np.array([sklearn.metrics.silhouette_score(X, row) for row in labels]), args.repeats)
    print(f"{args.labelings} labelings of {args.points} points x 8, median of {args.repeats}")
    print(f"clusterbench.silhouette_scores (one call): {ours:8.3f} s")
    print(f"sklearn.metrics.silhouette_score x {args.labelings}:  {theirs:8.3f} s")
    print(f"ratio: {theirs / ours:.1f}x   max |difference| of the scores: {np.max(np.abs(our_scores - their_scores)):.2e}")


if __name__ == "__main__":
    main()
