"""Reference weights for gspark's MultilayerPerceptronClassifier with a hidden layer.

Run with /usr/bin/python3 (numpy 1.24, scipy 1.10.1, scikit-learn 1.2.1):
    /usr/bin/python3 testdata/ml/make_mlp_weights_reference.py > testdata/ml/mlp_weights_reference.json

The network is Spark's: affine layers, a sigmoid after the hidden layer, a
softmax output, the mean cross-entropy of the labels, no regularization.
Weights use Spark's flat layout (per layer of n inputs and m outputs: the
m x n matrix column-major, i.e. entry (output k, input j) at j*m + k, then the
m biases), which is numpy's row-major (n, m) array W[j, k] raveled.

Data: N standard normal 2-D points; labels drawn from the class probabilities
of a [2, 3, 3] network with hidden weights uniform in +-3, hidden biases in
+-0.5 and output weights in +-4. Such data give a finite minimizer at which
the Hessian, apart from the softmax's exact symmetry, is positive definite
(checked below): adding the same vector to every class's output weights and
bias changes no probability, so the Hessian has layers[1]+1 zero
eigenvalues; the gradient is orthogonal to those directions, so gradient
based optimizers (L-BFGS, BFGS) started from the same weights never move
along them and reach the same point.

Recorded:
  - the loss and gradient at the initial weights (uniform +-2.4/sqrt(fan-in));
  - scipy.optimize.minimize(L-BFGS-B, then BFGS) from those weights, then three
    Newton steps in the Hessian's range, to a gradient of ~1e-15: weights, loss, gradient norm, class probabilities;
  - lambdaMin, the smallest Hessian eigenvalue outside the symmetry's null
    space (Hessian by central differences of the analytic gradient): near
    the minimizer |w - w*| <= |grad f(w)| / lambdaMin, which sets the test's
    tolerance on the weights;
  - a cross-check of this file's numpy network against scikit-learn's
    MLPClassifier (activation logistic, softmax output for 3 classes):
    predict_proba with the same weights and sklearn.metrics.log_loss agree
    with the numpy loss (asserted here, not in Go).
"""
import json
import os
import sys
import warnings

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, logsumexp
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier

layers = [2, 3, 3]
N = int(os.environ.get("N", "4000"))
rng = np.random.RandomState(int(os.environ.get("SEED", "12")))
X = rng.normal(size=(N, layers[0]))


def unpack(w):
    out, off = [], 0
    for n, m in zip(layers[:-1], layers[1:]):
        out.append((w[off:off + n * m].reshape((n, m)), w[off + n * m:off + n * m + m]))
        off += n * m + m
    return out


def forward(w, x):
    acts = [x]
    params = unpack(w)
    for li, (W, b) in enumerate(params):
        z = acts[-1] @ W + b
        if li < len(params) - 1:
            z = expit(z)
        acts.append(z)
    return acts


def probs(w):
    z = forward(w, X)[-1]
    return np.exp(z - logsumexp(z, axis=1)[:, None])


def loss_grad(w):
    acts = forward(w, X)
    z = acts[-1]
    lse = logsumexp(z, axis=1)
    loss = np.mean(lse - z[np.arange(N), y])
    d = np.exp(z - lse[:, None])
    d[np.arange(N), y] -= 1
    d /= N
    params = unpack(w)
    grads = [None] * len(params)
    for li in range(len(params) - 1, -1, -1):
        W, _ = params[li]
        a = acts[li]
        grads[li] = np.concatenate([(a.T @ d).ravel(), d.sum(axis=0)])
        if li > 0:
            d = (d @ W.T) * a * (1 - a)
    return loss, np.concatenate(grads)


n0, n1, n2 = layers
w_true = np.concatenate([rng.uniform(-3, 3, n0 * n1), rng.uniform(-0.5, 0.5, n1), rng.uniform(-4, 4, n1 * n2), np.zeros(n2)])
u = rng.uniform(size=N)
y = np.zeros(N, dtype=int)
y[:] = (u[:, None] > np.cumsum(probs(w_true), axis=1)).sum(axis=1)
w0 = np.concatenate([rng.uniform(-2.4, 2.4, n * m + m) / np.sqrt(n) for n, m in zip(layers[:-1], layers[1:])])
l0, g0 = loss_grad(w0)

res = minimize(loss_grad, w0, jac=True, method="L-BFGS-B", options={"gtol": 1e-14, "ftol": 0, "maxiter": 100000, "maxfun": 200000})
res = minimize(loss_grad, res.x, jac=True, method="BFGS", options={"gtol": 1e-13, "maxiter": 100000})
w = res.x
nw = len(w)
nullity = n1 + 1


def hessian(w):
    H = np.zeros((nw, nw))
    h = 1e-6
    for i in range(nw):
        e = np.zeros(nw)
        e[i] = h
        H[:, i] = (loss_grad(w + e)[1] - loss_grad(w - e)[1]) / (2 * h)
    return (H + H.T) / 2


# Newton steps restricted to the Hessian's range (the pseudo-inverse leaves
# the symmetry's null space alone) take the gradient from ~1e-9 to rounding.
for _ in range(3):
    ev, V = np.linalg.eigh(hessian(w))
    g = loss_grad(w)[1]
    r = V[:, nullity:]
    w = w - r @ ((r.T @ g) / ev[nullity:])
loss, g = loss_grad(w)
ev = np.linalg.eigvalsh(hessian(w))
assert np.all(np.abs(ev[:nullity]) < 1e-9), ev
lam = ev[nullity]
print("seed", os.environ.get("SEED", "12"), "smallest Hessian eigenvalues", np.array2string(ev[:nullity + 3], precision=2, max_line_width=999), "max |w|", np.abs(w).max(), "|grad|", np.linalg.norm(g), file=sys.stderr)
assert lam > 1e-6, ev

# scikit-learn's network with the same weights gives the same probabilities and loss.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    clf = MLPClassifier(hidden_layer_sizes=(n1,), activation="logistic", solver="lbfgs", alpha=0.0, max_iter=1).fit(X, y)
assert clf.out_activation_ == "softmax"
for ww, ll in ((w0, l0), (w, loss)):
    params = unpack(ww)
    clf.coefs_ = [W.copy() for W, _ in params]
    clf.intercepts_ = [b.copy() for _, b in params]
    p = clf.predict_proba(X)
    assert np.max(np.abs(p - probs(ww))) < 1e-13
    assert abs(log_loss(y, p) - ll) < 1e-12, (log_loss(y, p), ll)

out = {
    "layers": layers,
    "rows": np.column_stack([X, y]).tolist(),
    "initialWeights": w0.tolist(),
    "initialLoss": float(l0),
    "initialGradient": g0.tolist(),
    "weights": w.tolist(),
    "loss": float(loss),
    "gradientNorm": float(np.linalg.norm(g)),
    "lambdaMin": float(lam),
    "probabilities": probs(w).tolist(),
}
print(json.dumps(out))
