"""clusterbench from Python.

Results files (HDF5 stores written by ``clusterbench run``) into pandas and
numpy, the grid engine in-process, and the fast kernels on numpy arrays::

    import clusterbench as cb
    runs = cb.read_leaderboard("results/default.h5")
    scores = cb.silhouette_scores(X, labels_matrix)   # many labelings, one pass
    model = cb.KMeans(n_clusters=4).fit(X)            # a scikit-learn estimator

The native module ``_clusterbench`` is the C++ library itself (same reader,
leaderboard, kernels and grid session as the CLI); this package gives it
pandas/numpy/scikit-learn shapes.
"""
from ._clusterbench import __version__, git_commit
from .grid import RunSummary, run
from .kernels import KMeansFit, kmeans, silhouette_samples, silhouette_score, silhouette_scores
from .results import read_labels, read_leaderboard, read_profile, read_space

__all__ = [
    "KMeans", "KMeansFit", "RunSummary", "Ward", "kmeans", "read_labels", "read_leaderboard", "read_profile",
    "read_space", "run", "silhouette_samples", "silhouette_score", "silhouette_scores", "__version__", "git_commit",
]


def __getattr__(name):
    # The estimators need scikit-learn; importing it only on first use keeps
    # `import clusterbench` fast and working without it.
    if name in ("KMeans", "Ward"):
        from . import estimators
        return getattr(estimators, name)
    raise AttributeError(f"module 'clusterbench' has no attribute {name!r}")
