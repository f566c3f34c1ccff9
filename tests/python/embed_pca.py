"""Reference PCA by numpy's SVD of the centred data.
Usage: embed_pca.py data.csv n_components
Prints: components (row by row), explained variance, explained variance ratio."""
import sys

import numpy as np

x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
m = int(sys.argv[2])
c = x - x.mean(axis=0)
_, s, vt = np.linalg.svd(c, full_matrices=False)
var = s**2 / (x.shape[0] - 1)
total = c.var(axis=0, ddof=1).sum()
np.savetxt(sys.stdout, vt[:m], fmt="%.17g")
np.savetxt(sys.stdout, var[:m][None, :], fmt="%.17g")
np.savetxt(sys.stdout, (var[:m] / total)[None, :], fmt="%.17g")
