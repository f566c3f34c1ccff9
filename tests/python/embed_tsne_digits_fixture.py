"""Writes tests/fixtures/embed/tsne_digits_sklearn.txt: the trustworthiness (k=5) and the K-Means
(k=10) ARI of scikit-learn's TSNE on the bundled digits, which test_tsne compares with ours.
scikit-learn's TSNE takes minutes on a loaded machine, so the test reads these committed numbers.
Usage (from the project root): /usr/bin/python3 tests/python/embed_tsne_digits_fixture.py"""
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.manifold import TSNE, trustworthiness
from sklearn.metrics import adjusted_rand_score

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
table = np.loadtxt(os.path.join(root, "data", "benchmarks", "sklearn-digits.csv.gz"), delimiter=",")
x, labels = table[:, :64], table[:, 64].astype(int)
y = TSNE(perplexity=30, init="pca", learning_rate="auto", random_state=0).fit_transform(x)
pred = KMeans(n_clusters=10, n_init=10, random_state=0).fit_predict(y)
out = os.path.join(root, "tests", "fixtures", "embed", "tsne_digits_sklearn.txt")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    f.write(f"# scikit-learn {sklearn.__version__} TSNE(perplexity=30, init='pca', learning_rate='auto', "
            "random_state=0) on data/benchmarks/sklearn-digits.csv.gz\n")
    f.write("# written by tests/python/embed_tsne_digits_fixture.py; columns: trustworthiness(k=5) kmeans10_ari\n")
    f.write("%.17g %.17g\n" % (trustworthiness(x, y, n_neighbors=5), adjusted_rand_score(labels, pred)))
