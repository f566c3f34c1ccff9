"""clusterbench.KMeans and clusterbench.Ward as scikit-learn estimators."""
import numpy as np
import pytest
import scipy.cluster.hierarchy
import sklearn.cluster
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import clusterbench


def test_kmeans_params_follow_the_sklearn_protocol():
    model = clusterbench.KMeans(n_clusters=3, random_state=1)
    assert model.get_params()["n_clusters"] == 3
    copy = clone(model).set_params(n_clusters=5)
    assert copy.n_clusters == 5 and model.n_clusters == 3


def test_kmeans_in_a_pipeline(separated):
    X, y = separated
    pipeline = make_pipeline(StandardScaler(), clusterbench.KMeans(n_clusters=5, random_state=0))
    labels = pipeline.fit_predict(X)
    assert adjusted_rand_score(y, labels) == 1.0
    # predict on the training points gives the fitted labels; on new points, the nearest centre.
    np.testing.assert_array_equal(pipeline.predict(X), pipeline[-1].labels_)
    centres = pipeline[-1].cluster_centers_
    np.testing.assert_array_equal(pipeline[-1].predict(centres + 1e-3), np.arange(5))


def test_kmeans_matches_sklearn(blobs):
    X, _ = blobs
    ours = clusterbench.KMeans(n_clusters=4, n_init=10, random_state=0).fit(X)
    theirs = sklearn.cluster.KMeans(n_clusters=4, n_init=10, random_state=0).fit(X)
    assert ours.inertia_ == pytest.approx(theirs.inertia_, rel=0.01)
    assert adjusted_rand_score(theirs.labels_, ours.labels_) > 0.95
    assert ours.n_features_in_ == X.shape[1]


def test_predict_checks_fit_and_features(blobs):
    X, _ = blobs
    model = clusterbench.KMeans(n_clusters=3)
    with pytest.raises(Exception, match="not fitted"):
        model.predict(X)
    model.fit(X)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :2])


def test_ward_matches_agglomerative_clustering(blobs):
    X, _ = blobs
    ours = clusterbench.Ward(n_clusters=4).fit(X)
    theirs = sklearn.cluster.AgglomerativeClustering(n_clusters=4, linkage="ward").fit(X)
    assert adjusted_rand_score(theirs.labels_, ours.labels_) == 1.0
    assert not ours.approximate_


def test_ward_tree_heights_match_scipy(blobs):
    X, _ = blobs
    ours = clusterbench.Ward(n_clusters=3).fit(X).linkage_matrix_
    theirs = scipy.cluster.hierarchy.linkage(X, method="ward")
    np.testing.assert_allclose(ours[:, 2], theirs[:, 2], rtol=1e-9)
    np.testing.assert_array_equal(ours[:, 3], theirs[:, 3])


def test_ward_in_a_pipeline_predicts_nearest_cluster_mean(separated):
    X, y = separated
    pipeline = make_pipeline(StandardScaler(), clusterbench.Ward(n_clusters=5))
    assert adjusted_rand_score(y, pipeline.fit_predict(X)) == 1.0
    np.testing.assert_array_equal(pipeline.predict(X), pipeline[-1].labels_)
