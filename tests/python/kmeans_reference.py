#!/usr/bin/python3
"""Reference K-Means inertia from scikit-learn for tests/cluster/test_kmeans.cpp.

  kmeans_reference.py POINTS_CSV K N_INIT [SEED [SEEDS]]

Fits sklearn.cluster.KMeans(n_clusters=K, n_init=N_INIT, algorithm='lloyd')
on the points (CSV, no header) and prints its inertia (best of the restarts);
with SEEDS, one fit per random_state SEED .. SEED+SEEDS-1, one inertia each.
"""
import sys

import numpy as np
from sklearn.cluster import KMeans


def main():
    path, k, n_init = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    seeds = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    x = np.loadtxt(path, delimiter=",", ndmin=2)
    for s in range(seed, seed + seeds):
        model = KMeans(n_clusters=k, n_init=n_init, algorithm="lloyd", random_state=s).fit(x)
        print(repr(float(model.inertia_)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
