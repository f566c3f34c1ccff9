#!/usr/bin/python3
"""Reference K-Means inertia from scikit-learn for tests/cluster/test_kmeans.cpp.

  kmeans_reference.py POINTS_CSV K N_INIT [SEED]

Fits sklearn.cluster.KMeans(n_clusters=K, n_init=N_INIT, algorithm='lloyd')
on the points (CSV, no header) and prints its inertia (best of the restarts).
"""
import sys

import numpy as np
from sklearn.cluster import KMeans


def main():
    path, k, n_init = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    x = np.loadtxt(path, delimiter=",", ndmin=2)
    model = KMeans(n_clusters=k, n_init=n_init, algorithm="lloyd", random_state=seed).fit(x)
    print(repr(float(model.inertia_)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
