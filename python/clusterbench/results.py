"""Results files into pandas and numpy.

The native reader is the CLI's (``store::read_results``) and the order is the
CLI's leaderboard (``clusterbench rank``): eligible runs first by the grid's
``rank_by`` score, then ineligible runs with the reason, then unscored runs.
"""
import operator
import os

import pandas as pd

from . import _clusterbench as _native


def _run_choice(run):
    """A run key (str) or a leaderboard rank (int, 1 = best) for the native reader."""
    if isinstance(run, str):
        return run
    try:
        return operator.index(run)
    except TypeError:
        raise TypeError(f"run must be a run key (str) or a leaderboard rank (int), not {type(run).__name__}") from None


def read_leaderboard(path):
    """Every run of a results file as a DataFrame, one row per run, in leaderboard order.

    Columns: ``rank``, ``key``, ``space``, ``algorithm``, ``k``, ``k_found``,
    ``status``, ``eligible``, ``ineligible`` (the reason, '' when eligible), the
    score columns (``silhouette``, ``silhouette_ref``, ``calinski_harabasz``,
    ``davies_bouldin``, ``ari``, ``noise_fraction``, ...), the algorithms' values
    (``inertia``, ...; NaN where a run has none), ``fit_seconds``,
    ``score_seconds``, ``seed``, ``params`` (JSON) and ``message``.
    ``df.attrs`` holds ``rank_by``, ``grid_name``, ``schema_version`` and
    ``config_text``.
    """
    raw = _native.leaderboard_columns(os.fspath(path))
    frame = pd.DataFrame(raw["columns"])
    for column in ("rank", "k", "k_found"):
        frame[column] = frame[column].astype("int64")
    frame.attrs.update({name: raw[name] for name in ("rank_by", "grid_name", "schema_version", "config_text")})
    return frame


def read_labels(path, run):
    """Labels (int32, one per point, -1 = noise) of a run: its key, or its leaderboard rank (1 = best)."""
    return _native.run_labels(os.fspath(path), _run_choice(run))


def read_space(path, name):
    """Points (n × d') of a space by its label (e.g. 'raw', 'pca'); 'reference' is
    the preprocessed features, 'features' the input table."""
    return _native.space_points(os.fspath(path), name)


def read_profile(path, run, by_segment=False):
    """The customer profile of a run's clusters (transactions data sets only).

    One row per group (``cluster 0`` … ``cluster k-1``, then ``noise``):
    customers, share, revenue, revenue_share, average_ticket, mean recency /
    frequency / monetary and mean R/F/M scores. With ``by_segment=True``, the
    customers of each group per RFM segment instead (groups × segments).
    """
    raw = _native.run_profile(os.fspath(path), _run_choice(run))
    if by_segment:
        counts = raw["segment_counts"].astype("int64")
        return pd.DataFrame(counts, index=pd.Index(raw["segment_rows"], name="group"), columns=raw["segment_names"])
    profile = pd.DataFrame(raw["columns"]).set_index("group")
    profile["customers"] = profile["customers"].astype("int64")
    profile.attrs["key"] = raw["key"]
    return profile
