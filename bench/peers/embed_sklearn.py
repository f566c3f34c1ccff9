"""Times scikit-learn on the embedding benchmark inputs (written by embed_data.py).
Usage: embed_sklearn.py data_dir repeats [case ...]   (cases: pca trees tsne_5000 tsne_20000; default all)
Prints one line per case: name median_wall_s median_cpu_s [extra]; writes t-SNE embeddings
to data_dir/sklearn_tsne_<n>.bin for the trustworthiness comparison."""
import os
import sys
import time

import numpy as np
import threadpoolctl
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.ensemble import RandomForestRegressor, RandomTreesEmbedding
from sklearn.manifold import TSNE
from sklearn.preprocessing import OneHotEncoder


def read(path):
    with open(path, "rb") as f:
        n, d = np.fromfile(f, dtype="<i8", count=2)
        return np.fromfile(f, dtype="<f8", count=n * d).reshape(n, d)


def write(path, x):
    with open(path, "wb") as f:
        np.array(x.shape, dtype="<i8").tofile(f)
        np.ascontiguousarray(x, dtype="<f8").tofile(f)


def timed(fn, repeats):
    """Median wall-clock and whole-process CPU seconds (all threads) over repeats."""
    times, cpus, result = [], [], None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return (float(np.median(times)), float(np.median(cpus))), result


out, repeats = sys.argv[1], int(sys.argv[2])
cases = set(sys.argv[3:]) or {"pca", "trees", "tsne_5000", "tsne_20000"}
blas = [(p.get("internal_api"), p.get("num_threads")) for p in threadpoolctl.threadpool_info()]
print("# threadpoolctl:", blas, flush=True)

if "pca" in cases:
    x = read(os.path.join(out, "pca_1000000.bin"))
    t, _ = timed(lambda: PCA(n_components=2).fit_transform(x), repeats)
    print(f"pca_1000000 {t[0]:.6f} {t[1]:.6f}", flush=True)

rfm = read(os.path.join(out, "rfm_50000.bin"))


def random_trees():
    leaves = RandomTreesEmbedding(n_estimators=100, max_depth=5, random_state=0, n_jobs=2).fit_transform(rfm)
    return TruncatedSVD(n_components=2, random_state=0).fit_transform(leaves)


def supervised_forest():
    features, target = np.delete(rfm, 2, axis=1), rfm[:, 2]
    forest = RandomForestRegressor(n_estimators=100, max_depth=5, max_features=1.0, oob_score=True,
                                   random_state=0, n_jobs=2).fit(features, target)
    leaves = OneHotEncoder().fit_transform(forest.apply(features))
    return forest.oob_score_, TruncatedSVD(n_components=2, random_state=0).fit_transform(leaves)


if "trees" in cases:
    t, _ = timed(random_trees, repeats)
    print(f"trees_random_50000 {t[0]:.6f} {t[1]:.6f}", flush=True)
    t, (oob, _) = timed(supervised_forest, repeats)
    print(f"trees_supervised_50000 {t[0]:.6f} {t[1]:.6f} oob_r2={oob:.4f}", flush=True)

for n in (5000, 20000):
    if f"tsne_{n}" not in cases:
        continue
    x = read(os.path.join(out, f"blobs_{n}.bin"))
    reps = repeats if n <= 5000 else 1
    t, y = timed(lambda: TSNE(perplexity=30, init="pca", learning_rate="auto", random_state=0,
                              n_jobs=2).fit_transform(x), reps)
    write(os.path.join(out, f"sklearn_tsne_{n}.bin"), y)
    print(f"tsne_{n} {t[0]:.6f} {t[1]:.6f} repeats={reps}", flush=True)
