"""Reference scores from scikit-learn for the metrics tests.

usage: metrics_reference.py DATA.csv LABELS.csv
DATA.csv: one point per row. LABELS.csv: one row per point, one column per
labeling (-1 = noise). For every labeling prints one line:
  silhouette_score  calinski_harabasz  davies_bouldin  adjusted_rand(labeling, column 0)
The internal scores are computed on the rows that are not noise; a score that
scikit-learn refuses (fewer than 2 or more than n-1 clusters) prints as nan.
The adjusted Rand index keeps noise as its own label.
"""
import sys

import numpy as np
from sklearn import metrics


def guarded(score, x, y):
    k = len(np.unique(y))
    if k < 2 or k > len(y) - 1:
        return float("nan")
    return score(x, y)


def main():
    x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
    labels = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2).astype(np.int64)
    for column in range(labels.shape[1]):
        y = labels[:, column]
        keep = y != -1
        xs, ys = x[keep], y[keep]
        values = [
            guarded(metrics.silhouette_score, xs, ys),
            guarded(metrics.calinski_harabasz_score, xs, ys),
            guarded(metrics.davies_bouldin_score, xs, ys),
            metrics.adjusted_rand_score(labels[:, 0], y),
        ]
        print(" ".join(repr(float(v)) for v in values))


if __name__ == "__main__":
    main()
