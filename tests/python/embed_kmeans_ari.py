"""ARI of scikit-learn's KMeans on an embedding with reference labels.
Usage: embed_kmeans_ari.py embedding.csv labels.csv k"""
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

y = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
labels = np.loadtxt(sys.argv[2], dtype=int)
pred = KMeans(n_clusters=int(sys.argv[3]), n_init=10, random_state=0).fit_predict(y)
print("%.17g" % adjusted_rand_score(labels, pred))
