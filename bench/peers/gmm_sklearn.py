"""Peer for bench_gmm: scikit-learn GaussianMixture on the same inputs.
  gmm_sklearn.py prepare DIR        write DIR/gmm_points.txt and the start (means, weights, precisions)
  gmm_sklearn.py time DIR REPEATS   fit from that start; print the median seconds as JSON
Both sides run a fixed number of EM iterations (tol = 0) from the same start, so they do the same work."""
import json
import sys
import time

import numpy as np
from sklearn.mixture import GaussianMixture

N, D, K, ITERATIONS = 100_000, 8, 10, 20


def prepare(folder):
    rng = np.random.default_rng(2024)
    centers = rng.uniform(-10, 10, size=(K, D))
    scales = rng.uniform(0.5, 2.0, size=K)
    labels = rng.integers(0, K, size=N)
    x = centers[labels] + rng.normal(size=(N, D)) * scales[labels, None]
    np.savetxt(f"{folder}/gmm_points.txt", x, fmt="%.17g")
    np.savetxt(f"{folder}/gmm_means.txt", x[rng.choice(N, K, replace=False)], fmt="%.17g")
    np.savetxt(f"{folder}/gmm_weights.txt", np.full(K, 1.0 / K), fmt="%.17g")
    np.savetxt(f"{folder}/gmm_precisions.txt", np.tile(np.eye(D) * 0.1, (K, 1)), fmt="%.17g")


def fit_seconds(folder, repeats):
    x = np.loadtxt(f"{folder}/gmm_points.txt")
    means = np.loadtxt(f"{folder}/gmm_means.txt")
    weights = np.loadtxt(f"{folder}/gmm_weights.txt")
    precisions = np.loadtxt(f"{folder}/gmm_precisions.txt").reshape(K, D, D)
    times = []
    for _ in range(repeats):
        gm = GaussianMixture(K, covariance_type="full", tol=0.0, max_iter=ITERATIONS, weights_init=weights,
                             means_init=means, precisions_init=precisions)
        start = time.perf_counter()
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gm.fit(x)
        times.append(time.perf_counter() - start)
    print(json.dumps({"peer": "sklearn GaussianMixture full", "median_s": float(np.median(times)),
                      "iterations": int(gm.n_iter_), "lower_bound": float(gm.lower_bound_), "repeats": repeats}))


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2])
    else:
        fit_seconds(sys.argv[2], int(sys.argv[3]))
