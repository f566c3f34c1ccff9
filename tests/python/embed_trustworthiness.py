"""scikit-learn's trustworthiness. Usage: embed_trustworthiness.py X.csv Y.csv n_neighbors"""
import sys

import numpy as np
from sklearn.manifold import trustworthiness

x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
y = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
print("%.17g" % trustworthiness(x, y, n_neighbors=int(sys.argv[3])))
