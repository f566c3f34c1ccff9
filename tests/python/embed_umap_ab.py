"""umap-learn's find_ab_params, by scipy's curve_fit. Usage: embed_umap_ab.py spread min_dist"""
import sys

import numpy as np
from scipy.optimize import curve_fit

spread, min_dist = float(sys.argv[1]), float(sys.argv[2])


def curve(x, a, b):
    return 1.0 / (1.0 + a * x ** (2 * b))


xv = np.linspace(0, spread * 3, 300)
yv = np.zeros(xv.shape)
yv[xv < min_dist] = 1.0
yv[xv >= min_dist] = np.exp(-(xv[xv >= min_dist] - min_dist) / spread)
params, _ = curve_fit(curve, xv, yv)
print("%.17g %.17g" % (params[0], params[1]))
