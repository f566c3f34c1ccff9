"""PCA (numpy SVD) of the one-hot leaf matrix. Usage: embed_leaf_pca.py leaves.csv n_components
leaves.csv: n rows × trees columns of leaf numbers. Prints the n × n_components scores."""
import sys

import numpy as np

leaves = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2).astype(int)
m = int(sys.argv[2])
blocks = []
for t in range(leaves.shape[1]):
    onehot = np.zeros((leaves.shape[0], leaves[:, t].max() + 1))
    onehot[np.arange(leaves.shape[0]), leaves[:, t]] = 1.0
    blocks.append(onehot)
x = np.hstack(blocks)
x -= x.mean(axis=0)
u, s, _ = np.linalg.svd(x, full_matrices=False)
np.savetxt(sys.stdout, u[:, :m] * s[:m], fmt="%.17g")
