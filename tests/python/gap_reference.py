#!/usr/bin/python3
"""An independent gap statistic (numpy + scikit-learn's KMeans) for tests/cluster/test_gap_statistic.cpp.

  gap_reference.py POINTS_CSV LABELS_CSV KS REFERENCE_CSV B SEED

POINTS_CSV: the data (no header). LABELS_CSV: one column per k > 1 of KS
(comma-separated, ascending, may start at 1): the clusterbench labels the data
gap uses. REFERENCE_CSV: clusterbench's first reference set. Prints five lines:
  1. log W_k of the data from those labels (exact: compared to 1e-9)
  2. how far the reference set leaves numpy's PCA box (max, in box widths) and
     the smallest share of each box side it covers (uniform draws fill it)
  3. Gap(k) from numpy's own B uniform reference sets in the PCA-aligned box
     (Tibshirani, Walther & Hastie 2001, method b), each clustered by KMeans
  4. s_k = sd_k * sqrt(1 + 1/B), sd with divisor B
  5. the k of the paper's 1-SE rule: smallest k with Gap(k) >= Gap(k+1) - s_(k+1)
  6. the k of the 1-SE rule from the global maximum (clusGap "globalSEmax")
"""
import sys

import numpy as np
from sklearn.cluster import KMeans


def log_w(x, labels):
    total = 0.0
    for c in np.unique(labels[labels >= 0]):
        members = x[labels == c]
        total += ((members - members.mean(axis=0)) ** 2).sum()
    return np.log(total)


def pca_frame(x):
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    rotated = (x - mean) @ vt.T
    return mean, vt, rotated.min(axis=0), rotated.max(axis=0)


def main():
    points, labels_csv, ks_text, reference_csv, b_text, seed_text = sys.argv[1:7]
    x = np.loadtxt(points, delimiter=",", ndmin=2)
    ks = [int(k) for k in ks_text.split(",")]
    labels = np.loadtxt(labels_csv, delimiter=",", ndmin=2).astype(int)
    B, seed = int(b_text), int(seed_text)

    data_log_w, column = [], 0
    for k in ks:
        if k == 1:
            data_log_w.append(log_w(x, np.zeros(len(x), dtype=int)))
        else:
            data_log_w.append(log_w(x, labels[:, column]))
            column += 1
    print(" ".join(repr(float(v)) for v in data_log_w))

    mean, vt, low, high = pca_frame(x)
    reference = np.loadtxt(reference_csv, delimiter=",", ndmin=2)
    r = (reference - mean) @ vt.T
    width = high - low
    outside = np.maximum(np.maximum(low - r, r - high), 0).max(axis=0) / width
    covered = (r.max(axis=0) - r.min(axis=0)) / width
    print(repr(float(outside.max())), repr(float(covered.min())))

    rng = np.random.default_rng(seed)
    ref_log_w = np.empty((B, len(ks)))
    for b in range(B):
        z = rng.uniform(low, high, size=x.shape) @ vt + mean
        for i, k in enumerate(ks):
            if k == 1:
                ref_log_w[b, i] = log_w(z, np.zeros(len(z), dtype=int))
            else:
                fit = KMeans(n_clusters=k, n_init=3, random_state=seed + b).fit(z)
                ref_log_w[b, i] = log_w(z, fit.labels_)
    gap = ref_log_w.mean(axis=0) - np.array(data_log_w)
    s = ref_log_w.std(axis=0) * np.sqrt(1 + 1 / B)
    print(" ".join(repr(float(v)) for v in gap))
    print(" ".join(repr(float(v)) for v in s))
    chosen = ks[-1]
    for i in range(len(ks) - 1):
        if gap[i] >= gap[i + 1] - s[i + 1]:
            chosen = ks[i]
            break
    print(chosen)
    best = int(np.argmax(gap))
    print(next(k for i, k in enumerate(ks) if gap[i] >= gap[best] - s[best]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
