"""Reference values for gspark's factorization machine trainer, in numpy.

Run with /usr/bin/python3 (numpy):
    /usr/bin/python3 testdata/ml/make_fm_reference.py > testdata/ml/fm_reference.json

A factorization machine over d features with k factors predicts
    raw = b + sum_i w_i x_i + sum_{i<j} <v_i, v_j> x_i x_j
(written here with the explicit pairwise sum, V V^T, not the O(dk) identity
Spark's code uses). Coefficients in Spark's layout: V row-major (feature i's
factors at i*k .. i*k+k-1), then w, then b. Spark's losses: squared error
(raw - y)^2 for FMRegressor, log(1 + exp(-raw)) if y = 1 else
log(1 + exp(raw)) for FMClassifier; the gradient is averaged over the rows.
Spark's GradientDescent (miniBatchFraction 1) runs, for t = 1..T:
  gd:    w = w (1 - eta_t lam) - eta_t g,  eta_t = stepSize / sqrt(t)
  adamW: m = .9 m + .1 g; v = .999 v + .001 g^2; w = w - stepSize mhat /
         (sqrt(vhat) + 1e-8) - lam w
with loss history mean loss + lam/2 |w_prev|^2; tol 0 so all T steps run.
Each case starts from the recorded initial coefficients (factors N(0, 0.1^2)
drawn here, linear and intercept 0, as Spark initializes them).
"""
import json

import numpy as np

rng = np.random.RandomState(3)
n, d, k = 80, 4, 3
X = rng.normal(size=(n, d))
X[rng.uniform(size=X.shape) < 0.3] = 0.0  # some zeros, as sparse data has
y_reg = 1.0 + X @ np.array([0.5, -1.0, 0.3, 0.0]) + 0.8 * X[:, 0] * X[:, 1] + rng.normal(scale=0.3, size=n)
y_cls = (rng.uniform(size=n) < 1 / (1 + np.exp(-(X[:, 0] - X[:, 2] + X[:, 1] * X[:, 3])))).astype(float)


def split(c):
    V = c[:d * k].reshape(d, k)
    return V, c[d * k:d * k + d], c[-1]


def raw_and_grad(c):
    V, w, b = split(c)
    pair = V @ V.T
    raw = np.full(n, b) + X @ w
    for i in range(d):
        for j in range(i + 1, d):
            raw += pair[i, j] * X[:, i] * X[:, j]
    # d raw / d V[i, f] = x_i * sum_{j != i} V[j, f] x_j
    dV = np.zeros((n, d, k))
    for i in range(d):
        for j in range(d):
            if j != i:
                dV[:, i, :] += (X[:, i] * X[:, j])[:, None] * V[j][None, :]
    J = np.concatenate([dV.reshape(n, d * k), X, np.ones((n, 1))], axis=1)
    return raw, J


def loss_grad(c, y, logistic):
    raw, J = raw_and_grad(c)
    if logistic:
        loss = np.where(y > 0, np.logaddexp(0, -raw), np.logaddexp(0, raw))
        mult = 1 / (1 + np.exp(-raw)) - y
    else:
        loss = (raw - y) ** 2
        mult = 2 * (raw - y)
    return loss.mean(), (mult[:, None] * J).mean(axis=0)


def train(c0, y, logistic, solver, step, lam, T):
    c = c0.copy()
    m, v = np.zeros_like(c), np.zeros_like(c)
    b1t = b2t = 1.0
    reg = 0.5 * lam * c @ c
    hist = []
    for t in range(1, T + 1):
        loss, g = loss_grad(c, y, logistic)
        hist.append(loss + reg)
        if solver == "gd":
            eta = step / np.sqrt(t)
            c = c * (1 - eta * lam) - eta * g
        else:
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            b1t *= 0.9
            b2t *= 0.999
            c = c - (step * (m / (1 - b1t)) / (np.sqrt(v / (1 - b2t)) + 1e-8) + lam * c)
        reg = 0.5 * lam * c @ c
    return c, hist


c0 = np.concatenate([rng.normal(scale=0.1, size=d * k), np.zeros(d + 1)])
out = {"rows": np.column_stack([X, y_reg, y_cls]).tolist(), "factorSize": k, "initial": c0.tolist()}
l0, g0 = loss_grad(c0, y_reg, False)
out["initialLossRegression"], out["initialGradientRegression"] = float(l0), g0.tolist()
l0, g0 = loss_grad(c0, y_cls, True)
out["initialLossClassification"], out["initialGradientClassification"] = float(l0), g0.tolist()
cases = []
for logistic in (False, True):
    for solver, step in (("gd", 0.05), ("adamW", 0.05)):
        c, hist = train(c0, y_cls if logistic else y_reg, logistic, solver, step, 0.01, 30)
        cases.append({"logistic": logistic, "solver": solver, "stepSize": step, "regParam": 0.01,
                      "iterations": 30, "coefficients": c.tolist(), "lossHistory": hist})
out["cases"] = cases
print(json.dumps(out, indent=1))
