"""Reference values for gspark's AFTSurvivalRegression tests, from scipy.

Run with /usr/bin/python3 (scipy 1.10.1, numpy):
    /usr/bin/python3 testdata/ml/make_aft_reference.py > testdata/ml/aft_reference.json

The model is Spark's Weibull accelerated failure time model: log t = x.beta + b
+ sigma*eps, eps standard (minimum) extreme value. With eps_i = (log t_i - x_i.beta
- b)/sigma and delta_i = 1 for an observed event, 0 for a censored time, Spark
minimizes the mean negative log-likelihood (dropping the constant log t terms)

    1/n sum_i [delta_i log sigma - delta_i eps_i + exp(eps_i)]

over (log sigma, b, beta). Here it is written out in numpy and minimized with
scipy.optimize.minimize (BFGS, numerical gradient-free check below, gtol 1e-10),
starting from zeros as Spark does.

Cases: "spark_guide" is the 5-row training set of Spark's ML guide example
(examples/src/main/python/ml/aft_survival_regression.py, quantile probabilities
0.3 and 0.6); "synthetic" is 300 Weibull rows with 3 features (one constant-ish
scale) and random censoring; "synthetic_nointercept" is the same with b fixed 0.
"""
import json

import numpy as np
from scipy.optimize import minimize


def nll(theta, X, t, delta, intercept):
    log_sigma, b, beta = theta[0], theta[1] if intercept else 0.0, theta[2:]
    sigma = np.exp(log_sigma)
    eps = (np.log(t) - X @ beta - b) / sigma
    return np.mean(delta * log_sigma - delta * eps + np.exp(eps))


def fit(X, t, delta, intercept=True):
    k = X.shape[1] + 2
    f = lambda th: nll(th, X, t, delta, intercept)
    res = minimize(f, np.zeros(k), method="BFGS", options={"gtol": 1e-10, "maxiter": 10000})
    res = minimize(f, res.x, method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 200000, "maxfev": 200000})
    res = minimize(f, res.x, method="BFGS", options={"gtol": 1e-12, "maxiter": 10000})
    th = res.x
    return {"coefficients": th[2:].tolist(), "intercept": float(th[1]) if intercept else 0.0,
            "scale": float(np.exp(th[0])), "loss": float(res.fun)}


def quantiles(lam, scale, probs):
    return [float(lam * (-np.log1p(-p)) ** scale) for p in probs]


out = {}
X = np.array([[1.560, -0.605], [0.346, 2.158], [1.380, 0.231], [0.520, 1.151], [0.795, -0.226]])
t = np.array([1.218, 2.949, 3.627, 0.273, 4.199])
delta = np.array([1.0, 0.0, 0.0, 1.0, 0.0])
r = fit(X, t, delta)
probs = [0.3, 0.6]
r["rows"] = [[*x, ti, di] for x, ti, di in zip(X.tolist(), t.tolist(), delta.tolist())]
r["quantileProbabilities"] = probs
lam = np.exp(X @ np.array(r["coefficients"]) + r["intercept"])
r["predictions"] = lam.tolist()
r["quantiles"] = [quantiles(l, r["scale"], probs) for l in lam]
out["spark_guide"] = r

rng = np.random.RandomState(11)
n = 300
X = np.column_stack([rng.normal(size=n), rng.uniform(0, 10, size=n), rng.normal(loc=5, scale=0.1, size=n)])
eps = np.log(rng.exponential(size=n))  # standard minimum extreme value
logt = X @ np.array([0.5, -0.1, 0.8]) - 2.0 + 0.7 * eps
tt = np.exp(logt)
c = np.exp(rng.normal(loc=np.median(logt) + 1, scale=1, size=n))
delta = (tt <= c).astype(float)
t = np.minimum(tt, c)
for name, icpt in [("synthetic", True), ("synthetic_nointercept", False)]:
    r = fit(X, t, delta, icpt)
    r["rows"] = [[*x, ti, di] for x, ti, di in zip(X.tolist(), t.tolist(), delta.tolist())]
    out[name] = r
print(json.dumps(out, indent=1))
