"""Shared fixtures of the Python package tests. ctest runs them with
PYTHONPATH=build/python from the repository root (tests/CMakeLists.txt)."""
import os

import numpy as np
import pytest
from sklearn.datasets import make_blobs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def blobs():
    """600 points in 5 features around 4 centres, overlapping enough that silhouettes are not trivial."""
    X, y = make_blobs(n_samples=600, n_features=5, centers=4, cluster_std=2.5, random_state=7)
    return X, y


@pytest.fixture(scope="session")
def separated():
    """Well separated blobs: any sound K-Means or Ward finds exactly these clusters."""
    X, y = make_blobs(n_samples=400, n_features=3, centers=5, cluster_std=0.4, random_state=3)
    return X, y


@pytest.fixture(scope="session")
def small_store(tmp_path_factory):
    """A grid on December 2010 of the bundled transaction log (customers with RFM
    profiles), run in-process; returns (path, summary)."""
    import clusterbench
    out = tmp_path_factory.mktemp("store") / "day.h5"
    config = {
        "name": "day",
        "seed": 5,
        "dataset": {"type": "transactions", "path": os.path.join(ROOT, "data/transactions/online_retail_2010-12.csv"),
                    "features": ["recency", "frequency", "monetary"]},
        "preprocess": {"log1p": ["recency", "frequency", "monetary"]},
        "spaces": ["raw", {"name": "pca", "params": {"n_components": 2}}],
        "algorithms": [{"name": "kmeans", "k": [2, 5], "params": {"n_init": 3}},
                       {"name": "hierarchical", "k": [2, 4], "params": {"linkage": "ward"}}],
    }
    summary = clusterbench.run(config, out, threads=2, progress=False)
    return out, summary, config


def random_labelings(n_points, count, seed):
    """`count` labelings with 2..9 clusters, some with singletons, as a matrix."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, 2 + i % 8, n_points) for i in range(count)]).astype(np.int64)
