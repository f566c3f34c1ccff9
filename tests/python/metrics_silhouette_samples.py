"""Per-point silhouette from scikit-learn, noise rows (-1) dropped.

usage: metrics_silhouette_samples.py DATA.csv LABELS.csv  (one labeling column)
Prints one value per non-noise point, in row order.
"""
import sys

import numpy as np
from sklearn.metrics import silhouette_samples

x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
y = np.loadtxt(sys.argv[2], delimiter=",", ndmin=1).astype(np.int64)
keep = y != -1
print("\n".join(repr(float(v)) for v in silhouette_samples(x[keep], y[keep])))
