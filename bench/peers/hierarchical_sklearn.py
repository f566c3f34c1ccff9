"""Peer for bench_hierarchical: Ward linkage in scikit-learn, SciPy and fastcluster
on the same points.
  hierarchical_sklearn.py prepare DIR N            write DIR/hier_points_N.txt (10 blobs, d = 8)
  hierarchical_sklearn.py time DIR N PEER REPEATS  PEER: sklearn | scipy | fastcluster | fastcluster_vector
prints the median seconds as JSON. Run each peer in its own process to measure its peak memory."""
import json
import sys
import time

import numpy as np

D = 8


def prepare(folder, n):
    rng = np.random.default_rng(7)
    centers = rng.uniform(0, 10, size=(10, D))
    x = centers[np.arange(n) % 10] + rng.normal(size=(n, D))
    np.savetxt(f"{folder}/hier_points_{n}.txt", x, fmt="%.17g")


def run(peer, x):
    if peer == "sklearn":
        from sklearn.cluster import AgglomerativeClustering
        return AgglomerativeClustering(n_clusters=10, linkage="ward").fit(x).labels_
    if peer == "scipy":
        from scipy.cluster.hierarchy import linkage
        return linkage(x, method="ward")
    import fastcluster
    if peer == "fastcluster":
        return fastcluster.linkage(x, method="ward")
    if peer == "fastcluster_vector":
        return fastcluster.linkage_vector(x, method="ward")
    raise SystemExit(f"unknown peer {peer}")


def main():
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], int(sys.argv[3]))
        return
    folder, n, peer, repeats = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    x = np.loadtxt(f"{folder}/hier_points_{n}.txt")
    run(peer, x[:100])  # import and warm up outside the timing
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(peer, x)
        times.append(time.perf_counter() - start)
    print(json.dumps({"peer": peer, "n": n, "median_s": float(np.median(times)), "repeats": repeats}))


if __name__ == "__main__":
    main()
