"""The same grid in scikit-learn: KMeans(n_init=3) for k = 2..11 plus silhouette_score,
on the same CSV. Prints the median wall time of the repeats and the BLAS in use."""
import json
import statistics
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info

path, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
x = StandardScaler().fit_transform(np.loadtxt(path, delimiter=",", skiprows=1))
times = []
for _ in range(repeats):
    start = time.perf_counter()
    for k in range(2, 12):
        labels = KMeans(n_clusters=k, n_init=3, random_state=0).fit_predict(x)
        silhouette_score(x, labels)
    times.append(time.perf_counter() - start)
blas = [f"{i['internal_api']}:{i.get('threading_layer', '')}" for i in threadpool_info() if i["user_api"] == "blas"]
print(json.dumps({"median_seconds": statistics.median(times), "repeats": times, "blas": blas}))
