"""Reference ALS factors for ml/recommendation (als_reference.json).

Run with /usr/bin/python3 make_als_reference.py. It runs the alternating
least-squares updates Spark's ALS makes (each iteration: every item factor
from the user factors, then every user factor from the item factors), in
numpy from initial factors drawn here and stored in the JSON (the Go test
passes them to the fit through a test hook), so the Go fit must reproduce
the factors to rounding:
  explicit:  (sum_r y y^T + regParam * n * I) x = sum_r r y, n = number of ratings;
  implicit (Hu, Koren, Volinsky as Spark): c1 = alpha * |r|,
             (Y^T Y + sum_r c1 y y^T + regParam * n * I) x = sum_{r > 0} (1 + c1) y,
             n = number of positive ratings, Y^T Y over all source factors;
  nonnegative: the same quadratic minimized with x >= 0 (scipy's nnls on
             the Cholesky-transformed system).
"""
import json

import numpy as np
from scipy.optimize import nnls

rng = np.random.default_rng(20261206)
users, items = list(range(0, 14, 2)), [3, 5, 7, 11, 13, 17]
ratings = []
for u in users:
    for i in items:
        if rng.random() < 0.6:
            ratings.append((u, i, float(np.round(rng.normal(3, 1.5), 1))))
RANK = 3


def init(ids):
    out = {}
    for x in ids:
        v = rng.normal(size=RANK)
        out[x] = v / np.linalg.norm(v)
    return out


U0, V0 = init(users), init(items)


def solve(A, b, nonneg):
    if not nonneg:
        return np.linalg.solve(A, b)
    L = np.linalg.cholesky(A)
    x, _ = nnls(L.T, np.linalg.solve(L, b), maxiter=1000)
    return x


def update(src, groups, reg, implicit, alpha, nonneg):
    out = {}
    yty = sum(np.outer(y, y) for y in src.values()) if implicit else None
    for d, links in groups.items():
        A = yty.copy() if implicit else np.zeros((RANK, RANK))
        b = np.zeros(RANK)
        n = 0
        for s, r in links:
            y = src[s]
            if implicit:
                c1 = alpha * abs(r)
                A += c1 * np.outer(y, y)
                if r > 0:
                    b += (1 + c1) * y
                    n += 1
            else:
                A += np.outer(y, y)
                b += r * y
                n += 1
        out[d] = solve(A + reg * n * np.eye(RANK), b, nonneg)
    return out


def als(iters, reg, implicit=False, alpha=1.0, nonneg=False):
    by_user, by_item = {}, {}
    for u, i, r in ratings:
        by_user.setdefault(u, []).append((i, r))
        by_item.setdefault(i, []).append((u, r))
    U, V = dict(U0), dict(V0)
    for _ in range(iters):
        V = update(U, by_item, reg, implicit, alpha, nonneg)
        U = update(V, by_user, reg, implicit, alpha, nonneg)
    pred = [float(U[u] @ V[i]) for u, i, _ in ratings]
    rmse = float(np.sqrt(np.mean([(p - r) ** 2 for p, (_, _, r) in zip(pred, ratings)])))
    return {"users": {str(k): list(v) for k, v in U.items()}, "items": {str(k): list(v) for k, v in V.items()}, "rmse": rmse}


ref = {
    "rank": RANK,
    "ratings": ratings,
    "init_users": {str(k): list(v) for k, v in U0.items()},
    "init_items": {str(k): list(v) for k, v in V0.items()},
    "explicit": dict(als(6, 0.1), maxIter=6, regParam=0.1),
    "implicit": dict(als(6, 0.05, implicit=True, alpha=2.0), maxIter=6, regParam=0.05, alpha=2.0),
    "nonnegative": dict(als(4, 0.1, nonneg=True), maxIter=4, regParam=0.1),
}
with open("als_reference.json", "w") as f:
    json.dump(ref, f, indent=1)
