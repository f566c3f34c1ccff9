"""Writes the embedding benchmark inputs once, so the C++ benchmark and the
scikit-learn peer read the same points. Format: int64 n, int64 d, then n·d
float64, row-major, little-endian. Usage: embed_data.py out_dir"""
import os
import sys

import numpy as np
from sklearn.datasets import make_blobs


def write(path, x):
    with open(path, "wb") as f:
        np.array(x.shape, dtype="<i8").tofile(f)
        np.ascontiguousarray(x, dtype="<f8").tofile(f)


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
# t-SNE / UMAP-style: 10 overlapping Gaussian clusters in 30-D.
for n in (1000, 2000, 3000, 5000, 7000, 10000, 20000, 100000):
    x, _ = make_blobs(n_samples=n, n_features=30, centers=10, cluster_std=4.0, center_box=(-10, 10), random_state=n)
    write(os.path.join(out, f"blobs_{n}.bin"), x)
# PCA: 1,000,000 × 8 correlated Gaussian.
rng = np.random.default_rng(1)
write(os.path.join(out, "pca_1000000.bin"), rng.standard_normal((1_000_000, 8)) @ rng.standard_normal((8, 8)))
# Trees: RFM-like customers (recency, frequency, monetary, tenure); monetary depends on the others.
n = 50000
recency = rng.exponential(90, n)
frequency = rng.poisson(5, n) + 1.0
tenure = recency + rng.exponential(200, n)
monetary = np.exp(3 + 0.4 * np.log(frequency) - 0.002 * recency + 0.3 * rng.standard_normal(n))
write(os.path.join(out, "rfm_50000.bin"), np.column_stack([recency, frequency, monetary, tenure]))
