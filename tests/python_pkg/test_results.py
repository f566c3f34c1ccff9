"""Results files through the package, checked against the raw HDF5 store read
with h5py (the README's recipe), and clusterbench.run on the same engine as the CLI."""
import json

import h5py
import numpy as np
import pandas as pd
import pytest

import clusterbench


def h5_runs(path):
    with h5py.File(path, "r") as f:
        return pd.DataFrame({c: (f["runs"][c].asstr()[()] if f["runs"][c].dtype.kind == "O" else f["runs"][c][()])
                             for c in f["runs"]})


def test_run_from_a_dict_writes_every_run(small_store):
    path, summary, _ = small_store
    assert summary.output == str(path)
    assert summary.planned == 2 * (4 + 3) and summary.computed == summary.planned
    assert summary.failed == 0 and summary.written


def test_a_second_run_reuses_the_file(small_store):
    path, _, config = small_store
    again = clusterbench.run(config, path, threads=2, progress=False)
    assert again.computed == 0 and again.reused == again.planned and not again.written


def test_leaderboard_holds_the_stored_runs(small_store):
    path, _, _ = small_store
    board = clusterbench.read_leaderboard(path)
    stored = h5_runs(path).set_index("key")
    assert sorted(board["key"]) == sorted(stored.index)
    assert list(board["rank"]) == list(range(1, len(board) + 1))
    for column in ("silhouette", "silhouette_ref", "davies_bouldin", "inertia"):
        np.testing.assert_array_equal(board[column].to_numpy(), stored.loc[board["key"], column].to_numpy())
    assert (board["k"].to_numpy() == stored.loc[board["key"], "k"].to_numpy()).all()
    assert board.attrs["grid_name"] == "day"


def test_leaderboard_order_is_the_cli_order(small_store):
    path, _, _ = small_store
    board = clusterbench.read_leaderboard(path)
    rank_by = board.attrs["rank_by"]
    # Eligible runs first, each block best first.
    first_ineligible = (~board["eligible"]).to_numpy().argmax() if (~board["eligible"]).any() else len(board)
    assert board["eligible"].iloc[:first_ineligible].all() and not board["eligible"].iloc[first_ineligible:].any()
    eligible = board[board["eligible"]][rank_by].to_numpy()
    assert (np.diff(eligible) <= 0).all()
    assert (board.loc[~board["eligible"], "ineligible"] != "").all()


def test_labels_by_key_and_by_rank(small_store):
    path, _, _ = small_store
    board = clusterbench.read_leaderboard(path)
    with h5py.File(path, "r") as f:
        keys = list(f["runs/key"].asstr()[()])
        stored = f["labels"][()]
    best = board["key"].iloc[0]
    labels = clusterbench.read_labels(path, best)
    assert labels.dtype == np.int32
    np.testing.assert_array_equal(labels, stored[keys.index(best)])
    np.testing.assert_array_equal(clusterbench.read_labels(path, 1), labels)
    np.testing.assert_array_equal(clusterbench.read_labels(path, np.int64(1)), labels)
    with pytest.raises(ValueError, match="no run with key"):
        clusterbench.read_labels(path, "nope")
    with pytest.raises(TypeError):
        clusterbench.read_labels(path, 1.5)


def test_spaces(small_store):
    path, _, _ = small_store
    with h5py.File(path, "r") as f:
        pca = f["spaces/pca/points"][()]
        reference = f["data/reference"][()]
    np.testing.assert_array_equal(clusterbench.read_space(path, "pca"), pca)
    np.testing.assert_array_equal(clusterbench.read_space(path, "reference"), reference)
    with pytest.raises(ValueError, match="no space 'umap'") as error:
        clusterbench.read_space(path, "umap")
    assert "raw" in str(error.value) and "pca" in str(error.value)  # the message lists what there is


def test_stored_silhouette_is_the_kernel_on_the_stored_space(small_store):
    path, _, _ = small_store
    board = clusterbench.read_leaderboard(path)
    run = board[(board["space"] == "pca") & (board["algorithm"] == "kmeans")].iloc[0]
    labels = clusterbench.read_labels(path, run["key"])
    points = clusterbench.read_space(path, "pca")
    assert clusterbench.silhouette_score(points, labels) == pytest.approx(run["silhouette"], abs=1e-12)


def test_profile_matches_the_stored_rows(small_store):
    path, _, _ = small_store
    key = clusterbench.read_leaderboard(path)["key"].iloc[0]
    profile = clusterbench.read_profile(path, key)
    with h5py.File(path, "r") as f:
        p = f["profiles"]
        rows = pd.DataFrame({c: (p[c].asstr()[()] if p[c].dtype.kind == "O" else p[c][()])
                             for c in p if c != "segment_counts"})
        counts = pd.DataFrame(p["segment_counts"][()], columns=f["customers/segment_names"].asstr()[()])
    mine = rows["key"] == key
    assert list(profile.index) == list(rows.loc[mine, "group"])
    np.testing.assert_allclose(profile["revenue"], rows.loc[mine, "revenue"])
    assert profile["customers"].sum() == len(clusterbench.read_labels(path, key))
    by_segment = clusterbench.read_profile(path, key, by_segment=True)
    np.testing.assert_array_equal(by_segment.to_numpy(), counts[mine.to_numpy()].to_numpy())


def test_bad_config_names_the_key(tmp_path):
    config = {"dataset": {"type": "features", "path": "missing.csv"}, "algorithms": [{"name": "kmeans", "k": [2, 3]}],
              "spaces": ["raw"], "output": str(tmp_path / "x.h5"), "nonsense": 1}
    with pytest.raises(ValueError, match="nonsense"):
        clusterbench.run(config, progress=False)


def test_missing_results_file_is_a_value_error(tmp_path):
    with pytest.raises(ValueError):
        clusterbench.read_leaderboard(tmp_path / "absent.h5")
