"""scikit-learn's RandomForestRegressor out-of-bag R² predicting one column from the others.
Usage: embed_forest_oob.py data.csv target_column n_estimators max_depth min_samples_leaf"""
import sys

import numpy as np
from sklearn.ensemble import RandomForestRegressor

x = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
t = int(sys.argv[2])
y = x[:, t]
features = np.delete(x, t, axis=1)
forest = RandomForestRegressor(n_estimators=int(sys.argv[3]), max_depth=int(sys.argv[4]),
                               min_samples_leaf=int(sys.argv[5]), max_features=1.0, bootstrap=True,
                               oob_score=True, random_state=0).fit(features, y)
print("%.17g" % forest.oob_score_)
