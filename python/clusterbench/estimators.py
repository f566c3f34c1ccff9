"""scikit-learn estimators on the C++ kernels: drop them into a Pipeline,
GridSearchCV or clone() like sklearn.cluster.KMeans / AgglomerativeClustering."""
import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from . import _clusterbench as _native


def _seed(random_state):
    """An int random_state is the seed itself (so results match clusterbench.kmeans);
    None or a RandomState draws one, as scikit-learn does."""
    if isinstance(random_state, (int, np.integer)):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


class KMeans(ClusterMixin, BaseEstimator):
    """K-Means: greedy k-means++ seeding as scikit-learn, Lloyd iterations with
    Hamerly bounds, best of ``n_init`` restarts; deterministic at any thread count.

    Attributes after fit: ``labels_``, ``cluster_centers_``, ``inertia_``,
    ``n_iter_``, ``n_features_in_``.
    """

    def __init__(self, n_clusters=8, *, n_init=10, max_iter=300, tol=1e-4, random_state=None, n_threads=0):
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.n_threads = n_threads

    def fit(self, X, y=None):
        X = self._validate_data(X, dtype=np.float64, order="C")
        fit = _native.kmeans(X, int(self.n_clusters), n_init=self.n_init, max_iter=self.max_iter, tol=self.tol,
                             seed=_seed(self.random_state), n_threads=self.n_threads)
        self.labels_ = fit["labels"]
        self.cluster_centers_ = fit["centroids"]
        self.inertia_ = fit["inertia"]
        self.n_iter_ = fit["iterations"]
        return self

    def predict(self, X):
        """Index of the nearest centre of every point."""
        check_is_fitted(self, "cluster_centers_")
        X = self._validate_data(X, dtype=np.float64, order="C", reset=False)
        return _native.assign_nearest(X, self.cluster_centers_, n_threads=self.n_threads)


class Ward(ClusterMixin, BaseEstimator):
    """Agglomerative clustering with Ward linkage (as AgglomerativeClustering(linkage="ward")).

    Exact up to 100,000 points; above, exact weighted Ward on K-Means
    micro-clusters (``approximate_`` is then True; ``random_state`` seeds them).
    Attributes after fit: ``labels_`` (numbered by first appearance),
    ``linkage_matrix_`` (SciPy's Z over the tree's leaves, for dendrograms),
    ``cluster_centers_`` (mean of each cluster), ``approximate_``.
    ``predict`` assigns points to the nearest cluster mean (AgglomerativeClustering
    has no predict; this is what "which segment is this new customer" needs).
    """

    def __init__(self, n_clusters=2, *, random_state=0, n_threads=0):
        self.n_clusters = n_clusters
        self.random_state = random_state
        self.n_threads = n_threads

    def fit(self, X, y=None):
        X = self._validate_data(X, dtype=np.float64, order="C", ensure_min_samples=2)
        tree = _native.ward_tree(X, seed=_seed(self.random_state), n_threads=self.n_threads)
        self.labels_ = tree.cut(int(self.n_clusters))
        self.linkage_matrix_ = tree.merges
        self.approximate_ = tree.approximate
        counts = np.bincount(self.labels_, minlength=self.n_clusters)
        sums = np.zeros((self.n_clusters, X.shape[1]))
        np.add.at(sums, self.labels_, X)
        self.cluster_centers_ = sums / counts[:, np.newaxis]
        return self

    def predict(self, X):
        """Index of the nearest cluster mean of every point."""
        check_is_fitted(self, "cluster_centers_")
        X = self._validate_data(X, dtype=np.float64, order="C", reset=False)
        return _native.assign_nearest(X, self.cluster_centers_, n_threads=self.n_threads)
