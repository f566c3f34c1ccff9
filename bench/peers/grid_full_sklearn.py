"""The whole grid of experiments/grid_at_scale in scikit-learn (1.2, as Debian ships it).

Usage: grid_full_sklearn.py CUSTOMERS.csv OUT.json [LABELS.npz]

Same steps as `clusterbench run experiments/grid_at_scale/grid.yaml.in`:
  read the CSV (pandas); log1p on recency, frequency, monetary, average_ticket,
  distinct_products; StandardScaler on all six columns: the reference space.
  Spaces: raw (the reference space); PCA(2); TSNE(2, init="pca", learning_rate="auto",
  random_state=0, other parameters default: perplexity 30, 1000 iterations, Barnes-Hut
  theta 0.5); tree = RandomTreesEmbedding(n_estimators=100, max_depth=5, random_state=0)
  (clusterbench's tree space defaults) followed by a PCA of the centred one-hot leaf
  matrix to 2 components (scikit-learn 1.2's PCA refuses sparse input, so the centring is
  implicit: ARPACK SVD of a LinearOperator, which is what PCA(svd_solver="arpack") does on
  sparse input from scikit-learn 1.4 on). sklearn.manifold.trustworthiness(k=5) of every
  embedding against the reference space (clusterbench stores it for every embedding).
  For each space and k = 2..11: KMeans(n_init=10), GaussianMixture(covariance_type="full")
  (random_state=0 throughout), AgglomerativeClustering(linkage="ward") with the merge tree
  cached by joblib.Memory (compute_full_tree=True: one tree per space, cut at every k, as
  clusterbench does), DBSCAN(min_samples=5) with eps chosen per target k (below).
  Every labeling with >= 2 clusters is scored: silhouette_score in the space and in the
  reference space (in raw both are the same matrix, scored once), calinski_harabasz_score,
  davies_bouldin_score. Noise points (DBSCAN's -1) are left out of the scores and a
  labeling with more than half the points noise is not scored (status mostly_noise), as
  clusterbench's scoring policy.

DBSCAN eps: scikit-learn has no target-k mode, so one DBSCAN fit per k with
eps = a quantile of the 5-NN distances (NearestNeighbors(5) on the space, the point
itself included: the distance at which a point becomes core for min_samples=5); the
quantile runs from 0.95 for k=2 down to 0.50 for k=11 (0.05 steps): larger eps, fewer
clusters, and at most 1 - q of the points are not core, so the noise stays under half.
The clusters found need not be k (on these data they range from 1 to a few dozen);
k_found is recorded. The eps search is not timed apart: the 5-NN query is added to the
fit time of k=2.

Threads: n_jobs=-1 where an estimator takes it (TSNE's neighbour search,
RandomTreesEmbedding, NearestNeighbors, DBSCAN); BLAS and OpenMP use their defaults
(all cores). The threadpoolctl report is printed and stored in the JSON.

The JSON holds per-step wall times (read, preprocess, each space and its
trustworthiness, each fit and its scores), the total, process CPU seconds and one
record per run (space, algorithm, k, k_found, status, silhouette, silhouette_ref, ...).
LABELS.npz, when given, gets the ids and the labels of every run (row i = runs[i]).
"""
import json
import shutil
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from joblib import Memory
from scipy.sparse.linalg import LinearOperator, svds
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomTreesEmbedding
from sklearn.manifold import TSNE, trustworthiness
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info

FEATURES = ["recency", "frequency", "monetary", "average_ticket", "distinct_products", "returns"]
LOG1P = ["recency", "frequency", "monetary", "average_ticket", "distinct_products"]
KS = range(2, 12)
SEED = 0
MAX_NOISE_FRACTION = 0.5
TRUST_NEIGHBORS = 5
DBSCAN_MIN_SAMPLES = 5
# eps quantile of the 5-NN distance for target k (k = 2 -> 0.95 ... k = 11 -> 0.50)
DBSCAN_QUANTILE = {k: round(0.95 - 0.05 * (k - 2), 2) for k in KS}


def centred_leaf_pca(leaves, n_components):
    """PCA of the sparse one-hot leaf matrix without densifying it: truncated SVD of
    (L - 1 mu^T) through a LinearOperator (ARPACK, deterministic start)."""
    leaves = leaves.tocsr().astype(np.float64)
    n, m = leaves.shape
    mu = np.asarray(leaves.mean(axis=0)).ravel()
    leaves_t = leaves.T.tocsr()

    def matmat(v):
        v = np.asarray(v)
        return leaves @ v - np.outer(np.ones(n), mu @ v).reshape((n,) + v.shape[1:])

    def rmatmat(u):
        u = np.asarray(u)
        return leaves_t @ u - np.outer(mu, u.sum(axis=0)).reshape((m,) + u.shape[1:])

    op = LinearOperator((n, m), matvec=matmat, rmatvec=rmatmat, matmat=matmat, rmatmat=rmatmat,
                        dtype=np.float64)
    u, s, _ = svds(op, k=n_components, v0=np.full(min(n, m), 1.0 / np.sqrt(min(n, m))))
    order = np.argsort(-s)
    return u[:, order] * s[order]


def score(y, ref, labels, same_as_ref):
    """Scores of one labeling (noise excluded); (status, dict of scores, seconds)."""
    start = time.perf_counter()
    kept = labels >= 0
    noise_fraction = 1.0 - kept.mean()
    k_found = len(np.unique(labels[kept]))
    values = {"k_found": int(k_found), "noise_fraction": float(noise_fraction),
              "silhouette": None, "silhouette_ref": None, "calinski_harabasz": None, "davies_bouldin": None}
    if k_found < 2 or k_found >= kept.sum():
        return "fewer_than_2_clusters", values, time.perf_counter() - start
    if noise_fraction > MAX_NOISE_FRACTION:
        return "mostly_noise", values, time.perf_counter() - start
    yk, lk = y[kept], labels[kept]
    values["silhouette"] = float(silhouette_score(yk, lk))
    values["silhouette_ref"] = values["silhouette"] if same_as_ref else float(silhouette_score(ref[kept], lk))
    values["calinski_harabasz"] = float(calinski_harabasz_score(yk, lk))
    values["davies_bouldin"] = float(davies_bouldin_score(yk, lk))
    return "ok", values, time.perf_counter() - start


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: grid_full_sklearn.py CUSTOMERS.csv OUT.json [LABELS.npz]")
    csv, out, labels_out = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) == 4 else None)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    blas = [{key: info.get(key) for key in ("user_api", "internal_api", "version", "threading_layer",
                                              "architecture", "num_threads")}
            for info in threadpool_info()]
    for info in blas:
        print("# threadpoolctl:", ", ".join(f"{k}={v}" for k, v in info.items()), flush=True)
    steps = {}

    start = time.perf_counter()
    frame = pd.read_csv(csv)
    ids = frame["id"].astype(str).to_numpy().astype(np.str_)
    x = frame[FEATURES].to_numpy(dtype=np.float64)
    steps["read_seconds"] = time.perf_counter() - start

    start = time.perf_counter()
    for column in LOG1P:
        j = FEATURES.index(column)
        x[:, j] = np.log1p(x[:, j])
    ref = StandardScaler().fit_transform(x)
    steps["preprocess_seconds"] = time.perf_counter() - start

    space_makers = {
        "raw": lambda: ref,
        "pca": lambda: PCA(n_components=2, random_state=SEED).fit_transform(ref),
        "tsne": lambda: TSNE(n_components=2, init="pca", learning_rate="auto", random_state=SEED,
                             n_jobs=-1).fit_transform(ref),
        "tree": lambda: centred_leaf_pca(
            RandomTreesEmbedding(n_estimators=100, max_depth=5, min_samples_leaf=1, random_state=SEED,
                                 n_jobs=-1).fit_transform(ref), 2),
    }
    spaces, runs, all_labels = {}, [], []
    cache = tempfile.mkdtemp(prefix="ward_tree_")
    try:
        for name, make in space_makers.items():
            start = time.perf_counter()
            y = np.ascontiguousarray(make(), dtype=np.float64)
            info = {"seconds": time.perf_counter() - start, "dimensions": int(y.shape[1])}
            if name != "raw":
                start = time.perf_counter()
                info["trustworthiness"] = float(trustworthiness(ref, y, n_neighbors=TRUST_NEIGHBORS))
                info["trustworthiness_seconds"] = time.perf_counter() - start
            spaces[name] = info
            print(f"# space {name}: {info}", flush=True)

            start = time.perf_counter()
            core_distance = NearestNeighbors(n_neighbors=DBSCAN_MIN_SAMPLES, n_jobs=-1).fit(y).kneighbors(y)[0][:, -1]
            dbscan_knn_seconds = time.perf_counter() - start
            memory = Memory(location=f"{cache}/{name}", verbose=0)

            fitters = {
                "kmeans": lambda k: (KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(y), {}),
                "gmm": lambda k: (GaussianMixture(n_components=k, covariance_type="full", random_state=SEED)
                                  .fit(y).predict(y), {}),
                "hierarchical": lambda k: (AgglomerativeClustering(n_clusters=k, linkage="ward", memory=memory,
                                                                   compute_full_tree=True).fit_predict(y), {}),
                "dbscan": lambda k: (lambda eps: (DBSCAN(eps=eps, min_samples=DBSCAN_MIN_SAMPLES, n_jobs=-1)
                                                  .fit_predict(y), {"eps": eps}))(
                    float(np.quantile(core_distance, DBSCAN_QUANTILE[k]))),
            }
            for algorithm, fit in fitters.items():
                for k in KS:
                    start = time.perf_counter()
                    labels, extra = fit(k)
                    fit_seconds = time.perf_counter() - start
                    if algorithm == "dbscan" and k == KS[0]:
                        fit_seconds += dbscan_knn_seconds  # the 5-NN distances that choose eps
                    status, values, score_seconds = score(y, ref, labels, name == "raw")
                    runs.append({"space": name, "algorithm": algorithm, "k": k, "status": status, **values,
                                 **extra, "fit_seconds": fit_seconds, "score_seconds": score_seconds})
                    all_labels.append(np.asarray(labels, dtype=np.int32))
                print(f"# {name} {algorithm}: {sum(r['fit_seconds'] + r['score_seconds'] for r in runs[-len(KS):]):.2f} s",
                      flush=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    steps["spaces_seconds"] = sum(s["seconds"] + s.get("trustworthiness_seconds", 0.0) for s in spaces.values())
    steps["fit_seconds"] = sum(r["fit_seconds"] for r in runs)
    steps["score_seconds"] = sum(r["score_seconds"] for r in runs)
    if labels_out:
        np.savez_compressed(labels_out, ids=ids, labels=np.vstack(all_labels))
    result = {
        "program": "scikit-learn grid (bench/peers/grid_full_sklearn.py)",
        "n": int(len(ids)), "features": FEATURES, "log1p": LOG1P, "threadpoolctl": blas,
        "dbscan_eps_quantiles": {str(k): q for k, q in DBSCAN_QUANTILE.items()},
        "steps": steps, "spaces": spaces, "runs": runs,
        "total_seconds": time.perf_counter() - wall0, "cpu_seconds": time.process_time() - cpu0,
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"# total {result['total_seconds']:.2f} s wall, {result['cpu_seconds']:.2f} s CPU, {len(runs)} runs", flush=True)


if __name__ == "__main__":
    main()
