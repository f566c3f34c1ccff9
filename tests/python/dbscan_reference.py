"""Reference labels from scikit-learn's DBSCAN (kd-tree neighbourhoods).
Usage: dbscan_reference.py points.csv eps min_samples  -> n labels."""
import sys

import numpy as np
from sklearn.cluster import DBSCAN

x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
labels = DBSCAN(eps=float(sys.argv[2]), min_samples=int(sys.argv[3]), algorithm="kd_tree").fit_predict(x)
print(" ".join(str(int(v)) for v in labels))
