"""Reference values for gspark's MultilayerPerceptronClassifier tests (numpy, scipy).

Run with /usr/bin/python3 (scipy 1.10.1, numpy):
    /usr/bin/python3 testdata/ml/make_mlp_reference.py > testdata/ml/mlp_reference.json

Spark's topology: affine layers W x + b, sigmoid after every hidden layer, a
softmax output trained on one-hot labels with the cross-entropy. Weights in
Spark's flat layout: for each layer of n inputs and m outputs, the m x n matrix
W column-major (W[i, j] at i + j*m), then the m biases. The objective is the
mean cross-entropy over rows, written out below with a numpy backward pass.

Data: 2000 standard normal 2-D points, labels drawn from the class
probabilities of a network of the same topology with weights uniform in +-3
(so the model is identifiable and the optimum finite), layers [2, 3, 3], initial weights uniform in +-2.4/sqrt(fan-in)
(numpy seed 5). Recorded: the loss and gradient at the initial weights; the
minimizer from scipy.optimize.minimize(L-BFGS-B, gtol 1e-12) started there
(refined with BFGS), with its loss and the class probabilities it gives the
training rows (the minimum has flat valleys, a hidden unit saturating while
output weights grow, so weights are not comparable between optimizers but
the minimum loss and the probabilities are); and 40 steps of Spark's gradient descent
(w -= stepSize/sqrt(t) * grad, stepSize 0.5, tol 0 so every step runs). With
a hidden layer the minimum has flat valleys (a saturating hidden unit against
growing output weights) and L-BFGS implementations stall at different points
along them, so the fitted weights are compared only in "softmax": layers
[2, 3], no hidden layer, a convex problem with a unique minimizer.
"""
import json

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, logsumexp

layers = [2, 3, 3]
rng = np.random.RandomState(5)
X = rng.normal(size=(2000, 2))
w_true = rng.uniform(-3, 3, size=sum(n * m + m for n, m in zip(layers[:-1], layers[1:])))
y = np.zeros(len(X), dtype=int)
p_true = None  # filled after the model functions are defined



def unpack(w):
    out, off = [], 0
    for n, m in zip(layers[:-1], layers[1:]):
        W = w[off:off + n * m].reshape((n, m)).T  # column-major m x n
        b = w[off + n * m:off + n * m + m]
        out.append((W, b))
        off += n * m + m
    return out


def loss_grad(w):
    params = unpack(w)
    acts = [X]
    for li, (W, b) in enumerate(params):
        z = acts[-1] @ W.T + b
        if li < len(params) - 1:
            z = expit(z)
        acts.append(z)
    z = acts[-1]
    lse = logsumexp(z, axis=1)
    p = np.exp(z - lse[:, None])
    n = len(y)
    loss = np.mean(lse - z[np.arange(n), y])
    delta = p.copy()
    delta[np.arange(n), y] -= 1
    delta /= n
    grads = []
    for li in range(len(params) - 1, -1, -1):
        W, b = params[li]
        a = acts[li]
        gW = delta.T @ a  # m x n
        gb = delta.sum(axis=0)
        grads.append(np.concatenate([gW.T.reshape(-1), gb]))  # column-major
        if li > 0:
            delta = (delta @ W) * a * (1 - a)
    return loss, np.concatenate(grads[::-1])


def probs(w):
    a = X
    params = unpack(w)
    for li, (W, b) in enumerate(params):
        a = a @ W.T + b
        if li < len(params) - 1:
            a = expit(a)
    return np.exp(a - logsumexp(a, axis=1)[:, None])


y[:] = [rng.choice(3, p=q) for q in probs(w_true)]
w0 = []
for n, m in zip(layers[:-1], layers[1:]):
    w0.extend(rng.uniform(-2.4, 2.4, size=n * m + m) / np.sqrt(n))
w0 = np.array(w0)
l0, g0 = loss_grad(w0)
res = minimize(loss_grad, w0, jac=True, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-16, "maxiter": 100000})
res = minimize(loss_grad, res.x, jac=True, method="BFGS", options={"gtol": 1e-11, "maxiter": 100000})
w = w0.copy()
for t in range(1, 41):
    _, g = loss_grad(w)
    w = w - 0.5 / np.sqrt(t) * g
out = {
    "layers": layers, "rows": np.column_stack([X, y]).tolist(),
    "initialWeights": w0.tolist(), "initialLoss": float(l0), "initialGradient": g0.tolist(),
    "weights": res.x.tolist(), "loss": float(res.fun), "probabilities": probs(res.x).tolist(), "gradientNorm": float(np.linalg.norm(res.jac)),
    "gdStepSize": 0.5, "gdIterations": 40, "gdWeights": w.tolist(),
}
# Without a hidden layer the network is multinomial logistic regression:
# convex, with a unique finite minimizer here, so the weights compare.
layers = [2, 3]
ws0 = rng.uniform(-2.4, 2.4, size=9) / np.sqrt(2)
res = minimize(loss_grad, ws0, jac=True, method="L-BFGS-B", options={"gtol": 1e-13, "ftol": 1e-16, "maxiter": 100000})
res = minimize(loss_grad, res.x, jac=True, method="BFGS", options={"gtol": 1e-12, "maxiter": 100000})
out["softmax"] = {"layers": layers, "initialWeights": ws0.tolist(), "weights": res.x.tolist(), "loss": float(res.fun),
                  "gradientNorm": float(np.linalg.norm(res.jac))}
print(json.dumps(out, indent=1))
