"""The numpy kernels against scikit-learn's numbers."""
import numpy as np
import pytest
import sklearn.cluster
import sklearn.metrics

import clusterbench
from conftest import random_labelings


def test_silhouette_score_matches_sklearn(blobs):
    X, y = blobs
    assert clusterbench.silhouette_score(X, y) == pytest.approx(sklearn.metrics.silhouette_score(X, y), abs=1e-12)


def test_silhouette_scores_match_sklearn_for_every_labeling(blobs):
    X, _ = blobs
    labelings = random_labelings(len(X), 12, seed=1)
    labelings[3, :5] = [100, 101, 102, 103, 104]  # singleton clusters score 0, as in scikit-learn
    expected = [sklearn.metrics.silhouette_score(X, row) for row in labelings]
    np.testing.assert_allclose(clusterbench.silhouette_scores(X, labelings), expected, rtol=0, atol=1e-12)


def test_silhouette_samples_match_sklearn(blobs):
    X, y = blobs
    np.testing.assert_allclose(clusterbench.silhouette_samples(X, y), sklearn.metrics.silhouette_samples(X, y),
                               rtol=0, atol=1e-12)


def test_labels_that_are_not_integers_are_recoded(blobs):
    X, y = blobs
    names = np.array(["north", "south", "east", "west"])[y]
    assert clusterbench.silhouette_score(X, names) == pytest.approx(sklearn.metrics.silhouette_score(X, y), abs=1e-12)


def test_noise_is_left_out_as_in_the_grid(blobs):
    X, y = blobs
    labels = y.copy()
    labels[::7] = -1
    kept = labels != -1
    # sklearn on the points that are not noise is clusterbench's policy for label -1.
    assert clusterbench.silhouette_score(X, labels) == pytest.approx(
        sklearn.metrics.silhouette_score(X[kept], labels[kept]), abs=1e-12)


def test_undefined_silhouettes(blobs):
    X, _ = blobs
    one_cluster = np.zeros(len(X), dtype=int)
    with pytest.raises(ValueError, match="Number of labels is 1"):
        clusterbench.silhouette_score(X, one_cluster)
    scores = clusterbench.silhouette_scores(X, np.stack([one_cluster, np.arange(len(X)) % 2]))
    assert np.isnan(scores[0]) and np.isfinite(scores[1])


def test_shape_errors_name_the_problem(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="labels must have shape"):
        clusterbench.silhouette_score(X, y[:-1])
    with pytest.raises(ValueError, match="2-D"):
        clusterbench.silhouette_score(X[:, 0], y)
    with pytest.raises(ValueError, match="NaN"):
        clusterbench.silhouette_score(np.where(X > 5, np.nan, X), y)


def test_kmeans_over_k_range_matches_sklearn_inertia(blobs):
    X, _ = blobs
    fits = clusterbench.kmeans(X, range(2, 7), n_init=10, seed=3)
    assert list(fits) == [2, 3, 4, 5, 6]
    for k, fit in fits.items():
        reference = sklearn.cluster.KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        assert fit.labels.shape == (len(X),) and fit.centroids.shape == (k, X.shape[1])
        assert set(np.unique(fit.labels)) == set(range(k))
        # Both keep the best of 10 seedings: within 1% of each other.
        assert fit.inertia == pytest.approx(reference.inertia_, rel=0.01)
        # The reported inertia is the inertia of the reported labels and centroids.
        assert fit.inertia == pytest.approx(((X - fit.centroids[fit.labels]) ** 2).sum(), rel=1e-9)


def test_kmeans_is_deterministic_and_seeded(blobs):
    X, _ = blobs
    a = clusterbench.kmeans(X, [4], n_init=2, seed=11, n_threads=1)[4]
    b = clusterbench.kmeans(X, [4], n_init=2, seed=11, n_threads=2)[4]
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_array_equal(a.centroids, b.centroids)


def test_kmeans_finds_separated_clusters(separated):
    X, y = separated
    fit = clusterbench.kmeans(X, [5], n_init=5, seed=0)[5]
    assert sklearn.metrics.adjusted_rand_score(y, fit.labels) == 1.0


def test_kmeans_rejects_impossible_k(blobs):
    X, _ = blobs
    with pytest.raises(ValueError):
        clusterbench.kmeans(X, [len(X) + 1])
