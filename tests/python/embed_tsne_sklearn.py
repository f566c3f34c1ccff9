"""scikit-learn's TSNE on a data set: trustworthiness (k=5) and K-Means k ARI of its embedding.
Usage: embed_tsne_sklearn.py data.csv labels.csv perplexity k
Prints: trustworthiness ari"""
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.manifold import TSNE, trustworthiness
from sklearn.metrics import adjusted_rand_score

x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
labels = np.loadtxt(sys.argv[2], dtype=int)
y = TSNE(perplexity=float(sys.argv[3]), init="pca", learning_rate="auto", random_state=0).fit_transform(x)
pred = KMeans(n_clusters=int(sys.argv[4]), n_init=10, random_state=0).fit_predict(y)
print("%.17g %.17g" % (trustworthiness(x, y, n_neighbors=5), adjusted_rand_score(labels, pred)))
