"""Reference subsample agreement for the stability tests, from scikit-learn and numpy.

usage: stability_reference.py FULL.csv ROWS.csv REFIT.csv
FULL.csv: the full partition, one label per point (-1 = noise). ROWS.csv: the
subsample's rows of the full data. REFIT.csv: the refit's label of each
subsample row. Prints the adjusted Rand index of the full labels restricted to
the subsample against the refit (noise its own label, as scikit-learn does),
then for each full cluster 0..max its best Jaccard with a refit cluster (noise
is no cluster; nan when the cluster has no point in the subsample).
"""
import sys

import numpy as np
from sklearn.metrics import adjusted_rand_score


def main():
    full = np.loadtxt(sys.argv[1], ndmin=1).astype(np.int64)
    rows = np.loadtxt(sys.argv[2], ndmin=1).astype(np.int64)
    refit = np.loadtxt(sys.argv[3], ndmin=1).astype(np.int64)
    restricted = full[rows]
    values = [adjusted_rand_score(restricted, refit)]
    for c in range(full.max() + 1):
        members = set(np.flatnonzero(restricted == c))
        if not members:
            values.append(float("nan"))
            continue
        best = 0.0
        for d in np.unique(refit[refit >= 0]):
            other = set(np.flatnonzero(refit == d))
            best = max(best, len(members & other) / len(members | other))
        values.append(best)
    print(" ".join(repr(float(v)) for v in values))


if __name__ == "__main__":
    main()
