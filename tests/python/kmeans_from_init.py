#!/usr/bin/python3
"""scikit-learn's Lloyd from given initial centroids, for tests/cluster/test_kmeans.cpp.

  kmeans_from_init.py POINTS_CSV INIT_CSV

Fits sklearn.cluster.KMeans(init=<centroids>, n_init=1, algorithm='lloyd')
and prints: inertia, n_iter, then the labels (one line of integers).
"""
import sys

import numpy as np
from sklearn.cluster import KMeans


def main():
    x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
    init = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
    model = KMeans(n_clusters=init.shape[0], init=init, n_init=1, algorithm="lloyd").fit(x)
    print(repr(float(model.inertia_)), int(model.n_iter_))
    print(" ".join(str(int(v)) for v in model.labels_))
    return 0


if __name__ == "__main__":
    sys.exit(main())
