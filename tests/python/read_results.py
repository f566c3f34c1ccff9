"""Opens a clusterbench results file with h5py and pandas, exactly as the README shows."""
import sys

import h5py
import pandas as pd

path = sys.argv[1]
# --- README example (keep in sync) ---
f = h5py.File(path, "r")
runs = pd.DataFrame({c: (f["runs"][c].asstr()[()] if f["runs"][c].dtype.kind == "O" else f["runs"][c][()]) for c in f["runs"]})
print(runs.sort_values("silhouette", ascending=False)[["space", "algorithm", "k", "silhouette"]].head())
# --- end of README example ---
labels = f["labels"][()]
assert labels.shape == (len(runs), len(f["data/ids"])), labels.shape
assert runs["key"].is_unique
print("runs", len(runs))
print("schema", f.attrs["schema_version"])
