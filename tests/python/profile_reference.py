"""Recomputes the stored profile of runs of a clusterbench results file with pandas.

Usage: profile_reference.py RESULTS.h5 [KEY ...]   (no key: every run with a profile)
Reads /profiles as one DataFrame (a row per run and group, as the README shows).
For each run: groups /labels by cluster (noise -1 last, as "noise"), and from
/customers (recency, frequency, monetary, r, f, m, segment) recomputes customers,
share, revenue, revenue share, average ticket (revenue / invoices), mean
recency/frequency/monetary and mean R/F/M, plus the cluster x segment counts;
compares them with the run's rows of /profiles. Also checks /customers against /data/features
for the columns that were clustered on. Exits 1 on any mismatch.
"""
import sys

import h5py
import numpy as np
import pandas as pd

path = sys.argv[1]
f = h5py.File(path, "r")
runs = pd.DataFrame({"key": f["runs/key"].asstr()[()], "status": f["runs/status"].asstr()[()]})
labels = f["labels"][()]
cust = f["customers"]
customers = pd.DataFrame({c: cust[c][()] for c in ["recency", "frequency", "monetary", "r", "f", "m", "segment"]})
segment_names = list(cust["segment_names"].asstr()[()])
features = pd.DataFrame(f["data/features"][()], columns=list(f["data/columns"].asstr()[()]))
for c in features.columns:
    if c in customers.columns:
        assert np.array_equal(features[c].to_numpy(), customers[c].to_numpy()), f"/customers/{c} differs from /data/features"

# --- README example (keep in sync) ---
p = f["profiles"]
profiles = pd.DataFrame({c: (p[c].asstr()[()] if p[c].dtype.kind == "O" else p[c][()]) for c in p if c != "segment_counts"})
counts = pd.DataFrame(p["segment_counts"][()], columns=f["customers/segment_names"].asstr()[()])
# --- end of README example ---
assert len(counts) == len(profiles)

keys = sys.argv[2:] or list(dict.fromkeys(profiles["key"]))
checked = 0
for key in keys:
    row = int(np.flatnonzero(runs["key"].to_numpy() == key)[0])
    df = customers.assign(cluster=labels[row])
    order = sorted(c for c in df["cluster"].unique() if c >= 0)
    order = list(range(0, (max(order) + 1) if order else 0)) + ([-1] if (df["cluster"] == -1).any() else [])
    g = df.groupby("cluster")
    n, total = len(df), df["monetary"].sum()
    expected = pd.DataFrame({
        "customers": g.size(),
        "revenue": g["monetary"].sum(),
        "invoices": g["frequency"].sum(),
        "mean_recency": g["recency"].mean(),
        "mean_frequency": g["frequency"].mean(),
        "mean_monetary": g["monetary"].mean(),
        "mean_r": g["r"].mean(),
        "mean_f": g["f"].mean(),
        "mean_m": g["m"].mean(),
    }).reindex(order, fill_value=0)
    expected["share"] = expected["customers"] / n
    expected["revenue_share"] = expected["revenue"] / total
    expected["average_ticket"] = (expected["revenue"] / expected["invoices"]).fillna(0.0)
    mine = profiles["key"] == key
    stored = profiles[mine]
    names = [f"cluster {c}" if c >= 0 else "noise" for c in order]
    assert list(stored["group"]) == names, (key, list(stored["group"]), names)
    assert np.array_equal(stored["customers"].to_numpy(), expected["customers"].to_numpy()), key
    for column in ["share", "revenue", "revenue_share", "average_ticket", "mean_recency", "mean_frequency",
                   "mean_monetary", "mean_r", "mean_f", "mean_m"]:
        got, ref = stored[column].to_numpy(), expected[column].to_numpy(dtype=float)
        assert np.allclose(got, ref, rtol=1e-12, atol=1e-9), (key, column, got, ref)
    cross = pd.crosstab(df["cluster"], df["segment"]).reindex(index=order, columns=range(len(segment_names)), fill_value=0)
    assert np.array_equal(counts[mine.to_numpy()].to_numpy(), cross.to_numpy()), (key, counts[mine.to_numpy()], cross)
    checked += 1
print("profiles checked", checked)
