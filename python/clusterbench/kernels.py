"""The C++ kernels on numpy arrays.

Silhouettes are exact (Euclidean) and, unlike scikit-learn, label -1 means
noise: noise points are left out both as samples and as neighbours, as the
grid scores DBSCAN runs. Every other label value is an ordinary cluster.
``n_threads=0`` uses all cores; the GIL is released while a kernel runs.
"""
from dataclasses import dataclass

import numpy as np

from . import _clusterbench as _native

_INT32 = np.iinfo(np.int32)


def _points(X):
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (points × features), got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinity")
    return X


def _labels_matrix(labels, n_points):
    """int32 labelings × points. Integer labels keep their values (so -1 stays
    noise); other labels (strings, floats, huge integers) are re-coded 0..k-1."""
    labels = np.asarray(labels)
    matrix = labels[np.newaxis, :] if labels.ndim == 1 else labels
    if matrix.ndim != 2 or matrix.shape[1] != n_points:
        raise ValueError(f"labels must have shape ({n_points},) or (labelings, {n_points}), got {labels.shape}")
    if matrix.dtype.kind in "iu" and (matrix.size == 0 or (matrix.min() >= _INT32.min and matrix.max() <= _INT32.max)):
        return np.ascontiguousarray(matrix, dtype=np.int32)
    return np.stack([np.unique(row, return_inverse=True)[1].astype(np.int32) for row in matrix])


def silhouette_scores(X, labels_matrix, *, n_threads=0):
    """Mean silhouette of every row of ``labels_matrix`` (labelings × points), all
    in one pass over the pairwise distances. NaN for a labeling with fewer than
    2 or more than n-1 clusters (after dropping noise)."""
    X = _points(X)
    return _native.silhouette_many(X, _labels_matrix(labels_matrix, X.shape[0]), n_threads=n_threads)["mean"]


def silhouette_score(X, labels, *, n_threads=0):
    """Mean silhouette of one labeling; ValueError when it is undefined (as scikit-learn)."""
    X = _points(X)
    result = _native.silhouette_many(X, _labels_matrix(labels, X.shape[0]), n_threads=n_threads)
    if result["status"][0] != "ok":
        raise ValueError(f"Number of labels is {result['clusters'][0]}. Valid values are 2 to n_samples - 1 "
                         "(inclusive), noise excluded")
    return float(result["mean"][0])


def silhouette_samples(X, labels, *, n_threads=0):
    """Silhouette of every point for one labeling (NaN for noise points)."""
    X = _points(X)
    result = _native.silhouette_many(X, _labels_matrix(labels, X.shape[0]), per_sample=True, n_threads=n_threads)
    return result["per_sample"][0]


@dataclass(frozen=True)
class KMeansFit:
    """One k of :func:`kmeans`: the best of its restarts."""
    k: int
    labels: np.ndarray      # int32 per point
    centroids: np.ndarray   # k × d
    inertia: float          # sum of squared distances to the assigned centroid
    iterations: int
    converged: bool


def kmeans(X, k_range, n_init=10, seed=0, *, max_iter=300, tol=1e-4, n_threads=0):
    """K-Means for every k in ``k_range`` (e.g. ``range(2, 12)``) sharing work:
    each restart seeds the largest k once (greedy k-means++) and every smaller k
    starts from its first centres. Returns ``{k: KMeansFit}`` in ascending k.
    Deterministic from ``seed`` at any thread count."""
    X = _points(X)
    ks = sorted({int(k) for k in k_range})
    if not ks:
        raise ValueError("k_range is empty")
    fits = _native.kmeans_all_k(X, ks, n_init=n_init, max_iter=max_iter, tol=tol, seed=seed, n_threads=n_threads)
    return {k: KMeansFit(**fit) for k, fit in zip(ks, fits)}
