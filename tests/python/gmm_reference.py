"""Reference GaussianMixture fit from given initial parameters.
Usage: gmm_reference.py points.csv means.csv weights.csv precisions.csv covariance_type tol max_iter reg_covar
precisions.csv rows: full -> k rows of d*d; tied -> 1 row of d*d; diag -> k x d; spherical -> k x 1.
Prints: lower_bound score bic aic n_iter converged n_parameters, then n labels."""
import sys
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture

x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
means = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
weights = np.loadtxt(sys.argv[3], delimiter=",", ndmin=1)
prec = np.loadtxt(sys.argv[4], delimiter=",", ndmin=2)
ctype = sys.argv[5]
k, d = means.shape
if ctype == "full":
    prec = prec.reshape(k, d, d)
elif ctype == "tied":
    prec = prec.reshape(d, d)
elif ctype == "spherical":
    prec = prec.reshape(k)
gm = GaussianMixture(n_components=k, covariance_type=ctype, tol=float(sys.argv[6]), max_iter=int(sys.argv[7]),
                     reg_covar=float(sys.argv[8]), weights_init=weights, means_init=means, precisions_init=prec)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    labels = gm.fit_predict(x)
print(repr(gm.lower_bound_), repr(gm.score(x)), repr(gm.bic(x)), repr(gm.aic(x)), gm.n_iter_, int(gm.converged_),
      gm._n_parameters())
print(" ".join(str(int(v)) for v in labels))
