"""Peer for bench_dbscan: scikit-learn DBSCAN on the same points.
  dbscan_sklearn.py prepare DIR                       write DIR/dbscan_points.txt (n=100,000, d=3)
  dbscan_sklearn.py time DIR EPS MIN_SAMPLES REPEATS  one DBSCAN fit; median wall and CPU seconds as JSON
  dbscan_sklearn.py target DIR MIN_SAMPLES REPEATS    one fit per eps in DIR/dbscan_target_eps.txt
                                                      (written by bench_dbscan); medians of the total"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN

N, D = 100_000, 3


def prepare(folder):
    # Ten unit-variance blobs along a chain with gaps of 4..5.5 standard deviations
    # (they merge one by one as eps grows, so every k = 2..11 exists at a moderate
    # eps), plus 1% uniform background noise.
    rng = np.random.default_rng(11)
    n_noise = N // 100
    gaps = rng.uniform(4.0, 5.5, size=9)
    centers = np.zeros((10, D))
    centers[1:, 0] = np.cumsum(gaps)
    centers[:, 1] = rng.uniform(-1, 1, size=10)
    blob = np.arange(N - n_noise) % 10
    blobs = centers[blob] + rng.normal(size=(N - n_noise, D))
    low, high = centers.min(axis=0) - 4, centers.max(axis=0) + 4
    noise = rng.uniform(low, high, size=(n_noise, D))
    x = np.vstack([blobs, noise])
    np.savetxt(f"{folder}/dbscan_points.txt", x[rng.permutation(N)], fmt="%.17g")


def fit(x, eps, min_samples):
    return DBSCAN(eps=eps, min_samples=min_samples).fit(x).labels_


def main():
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2])
        return
    folder = sys.argv[2]
    x = np.loadtxt(f"{folder}/dbscan_points.txt")
    if sys.argv[1] == "time":
        eps, min_samples, repeats = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        times, cpu = [], []
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            labels = fit(x, eps, min_samples)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(json.dumps({"peer": "sklearn DBSCAN", "median_s": float(np.median(times)),
                          "median_cpu_s": float(np.median(cpu)),
                          "clusters": int(labels.max() + 1), "noise": int((labels < 0).sum())}))
    else:
        min_samples, repeats = int(sys.argv[3]), int(sys.argv[4])
        eps_list = np.atleast_1d(np.loadtxt(f"{folder}/dbscan_target_eps.txt"))
        totals, cpu, clusters = [], [], []
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            clusters = [int(fit(x, e, min_samples).max() + 1) for e in eps_list]
            totals.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(json.dumps({"peer": "sklearn DBSCAN once per eps", "median_s": float(np.median(totals)),
                          "median_cpu_s": float(np.median(cpu)), "eps": len(eps_list), "clusters": clusters}))


if __name__ == "__main__":
    main()
