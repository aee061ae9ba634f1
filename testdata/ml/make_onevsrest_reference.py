"""Reference values for gspark's OneVsRest test, from scikit-learn.

Run with /usr/bin/python3 (scikit-learn 1.2.1):
    /usr/bin/python3 testdata/ml/make_onevsrest_reference.py > testdata/ml/onevsrest_reference.json

OneVsRest over Spark's binary LogisticRegression (regParam lam, elasticNet 0,
standardization on) on iris.csv. Spark's binary objective is
1/n sum logloss + lam/2 sum (s_j b_j)^2 with s_j the sample standard deviations,
intercept unpenalized: sklearn LogisticRegression(C = 1/(lam n)) on X/s_j, the
coefficients divided by s_j (see README.md). sklearn's OneVsRestClassifier fits
one such model per class on "label == k"; its decision_function is each
model's margin, which is element 1 of Spark's binary rawPrediction (the
margin; element 0 is its negation), so it is OneVsRestModel's rawPrediction.
"""
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

here = os.path.dirname(os.path.abspath(__file__))
data = np.loadtxt(os.path.join(here, "iris.csv"), delimiter=",", skiprows=1)
X, y = data[:, :-1], data[:, -1].astype(int)
lam = 0.01
n = len(y)
s = X.std(axis=0, ddof=1)
ovr = OneVsRestClassifier(LogisticRegression(C=1.0 / (lam * n), tol=1e-12, max_iter=100000)).fit(X / s, y)
raw = ovr.decision_function(X / s)
out = {
    "regParam": lam,
    "coefficients": [(e.coef_[0] / s).tolist() for e in ovr.estimators_],
    "intercepts": [float(e.intercept_[0]) for e in ovr.estimators_],
    "rawPrediction": raw.tolist(),
    "prediction": ovr.predict(X / s).astype(float).tolist(),
}
print(json.dumps(out, indent=1))
