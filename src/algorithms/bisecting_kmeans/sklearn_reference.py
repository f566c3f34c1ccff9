#!/usr/bin/python3
"""scikit-learn's BisectingKMeans on a points CSV, for test_bisecting_kmeans.cpp.

  sklearn_reference.py POINTS_CSV STRATEGY K...

For each K: fits BisectingKMeans(n_clusters=K, n_init=10, random_state=0,
bisecting_strategy=STRATEGY) and prints one line: K, the inertia, then the labels.
"""
import sys

import numpy as np
from sklearn.cluster import BisectingKMeans


def main():
    path, strategy, ks = sys.argv[1], sys.argv[2], [int(k) for k in sys.argv[3:]]
    x = np.loadtxt(path, delimiter=",", ndmin=2)
    for k in ks:
        model = BisectingKMeans(n_clusters=k, n_init=10, random_state=0, bisecting_strategy=strategy).fit(x)
        print(k, repr(float(model.inertia_)), " ".join(str(int(label)) for label in model.labels_))
    return 0


if __name__ == "__main__":
    sys.exit(main())
