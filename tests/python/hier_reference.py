"""Reference for hierarchical clustering: SciPy's merge heights and
scikit-learn AgglomerativeClustering labels for k = 2..11.
Usage: hier_reference.py points.csv linkage [linkage ...]
Prints, per linkage: n-1 heights (SciPy linkage order), then 10 rows of n labels."""
import shutil
import sys
import tempfile

import numpy as np
from scipy.cluster.hierarchy import linkage
from sklearn.cluster import AgglomerativeClustering

x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
out = []
for method in sys.argv[2:]:
    z = linkage(x, method=method, metric="euclidean")
    out.append(" ".join(repr(float(h)) for h in z[:, 2]))
    cache = tempfile.mkdtemp()
    try:
        for k in range(2, 12):
            model = AgglomerativeClustering(n_clusters=k, linkage=method, compute_full_tree=True, memory=cache)
            out.append(" ".join(str(int(v)) for v in model.fit_predict(x)))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
print("\n".join(out))
