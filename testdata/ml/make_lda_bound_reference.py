"""Reference value of Spark's LDA variational bound (LDAModel.logLikelihoodBound)
for ml/clustering's ldaBound (lda_bound_reference.json).

Run with /usr/bin/python3 make_lda_bound_reference.py. Fixed inputs (term
counts, per-document variational Dirichlet parameters gamma, topics lambda,
priors alpha and eta) are drawn here and stored; the bound follows Hoffman,
Blei and Bach's online LDA paper, eq. (3), as Spark writes it:
  sum_d [ sum_w n_dw log sum_k exp(E[log theta_dk] + E[log beta_kw])
          + sum_k (alpha_k - gamma_dk) E[log theta_dk] + lgamma(gamma_dk) - lgamma(alpha_k)
          + lgamma(sum alpha) - lgamma(sum_k gamma_dk) ]
  + sum_kw (eta - lambda_kw) E[log beta_kw] + lgamma(lambda_kw) - lgamma(eta)
  + sum_k lgamma(eta V) - lgamma(sum_w lambda_kw)
with E[log x] of Dirichlet(a) = digamma(a) - digamma(sum a) (scipy.special).
"""
import json

import numpy as np
from scipy.special import digamma, gammaln, logsumexp

rng = np.random.default_rng(7)
K, V, D = 3, 8, 5
lam = rng.gamma(2.0, 1.0, size=(K, V))
alpha = rng.uniform(0.1, 1.0, size=K)
eta = 0.3
docs = []
for _ in range(D):
    ids = sorted(rng.choice(V, size=rng.integers(1, V), replace=False).tolist())
    cts = rng.integers(1, 6, size=len(ids)).astype(float).tolist()
    docs.append({"ids": ids, "cts": cts})
gammas = rng.gamma(3.0, 1.0, size=(D, K))


def dexp(a):
    return digamma(a) - digamma(a.sum(axis=-1, keepdims=True))


elogbeta = dexp(lam)
bound = 0.0
for d, g in zip(docs, gammas):
    et = dexp(g)
    for w, c in zip(d["ids"], d["cts"]):
        bound += c * logsumexp(et + elogbeta[:, w])
    bound += np.sum((alpha - g) * et) + np.sum(gammaln(g) - gammaln(alpha))
    bound += gammaln(alpha.sum()) - gammaln(g.sum())
bound += np.sum((eta - lam) * elogbeta) + np.sum(gammaln(lam) - gammaln(eta))
bound += np.sum(gammaln(eta * V) - gammaln(lam.sum(axis=1)))

ref = {"lambda": lam.tolist(), "alpha": alpha.tolist(), "eta": eta, "docs": docs,
       "gammas": gammas.tolist(), "bound": float(bound)}
with open("lda_bound_reference.json", "w") as f:
    json.dump(ref, f, indent=1)
