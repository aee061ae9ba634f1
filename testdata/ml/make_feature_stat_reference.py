#!/usr/bin/python3
"""Reference numbers for DCT, the feature selectors and ml/stat.

Run from anywhere: /usr/bin/python3 testdata/ml/make_feature_stat_reference.py
Needs numpy, scipy and scikit-learn (Debian: python3-numpy, python3-scipy,
python3-sklearn); writes feature_stat_reference.json beside this file.

- dct: scipy.fft.dct(type=2, norm="ortho") and its inverse (type 3), which
  is what Spark's DCT (jTransforms with scaling) computes.
- corr: Pearson (numpy.corrcoef) and Spearman (scipy.stats.spearmanr, ties
  by average rank) of the first 5 features of wine.csv.
- chisq: scipy.stats.chi2_contingency(correction=False) of each discrete
  feature of a small table against its label, as Spark's ChiSquareTest.
- summary: numpy mean, sum, sample variance and std, count, nonzeros, max,
  min, L1 and L2 norms of wine.csv's first 5 features, plain and with
  weights (Spark's weighted variance: sum w(x-mean)^2 / (sum w - sum w^2 /
  sum w)).
- fclassif / fregression: sklearn.feature_selection f_classif (wine's 13
  features against its class) and f_regression (diabetes' 10 features).
- selections: the features scikit-learn's SelectKBest, SelectPercentile,
  SelectFpr, SelectFdr (Benjamini-Hochberg) and SelectFwe keep with those
  tests, for UnivariateFeatureSelector's five selection modes (thresholds
  chosen away from p-values below double precision, where Spark's 1 - CDF
  ties them at 0).
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy import fft, stats
from sklearn.feature_selection import (SelectFdr, SelectFpr, SelectFwe, SelectKBest,
                                       SelectPercentile, f_classif, f_regression)

HERE = os.path.dirname(os.path.abspath(__file__))


def lst(a):
    return [float(v) for v in np.ravel(a)]


def load(name):
    d = np.loadtxt(os.path.join(HERE, name), delimiter=",", skiprows=1)
    return d[:, :-1], d[:, -1]


def main():
    out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__}}

    vecs = [[0.0, 1.0, -2.0, 3.0], [-1.0, 2.0, 4.0, -7.0], [14.0, -2.0, -5.0, 1.0], [1.5, 2.5, 0.25, -4.0, 8.0, 0.0, 3.0]]
    out["dct"] = [{"in": v, "forward": lst(fft.dct(np.array(v), type=2, norm="ortho")),
                   "inverse": lst(fft.idct(np.array(v), type=2, norm="ortho"))} for v in vecs]

    X, y = load("wine.csv")
    X5 = X[:, :5]
    out["wine5"] = [lst(r) for r in X5]
    out["corr"] = {"pearson": [lst(r) for r in np.corrcoef(X5, rowvar=False)],
                   "spearman": [lst(r) for r in stats.spearmanr(X5).correlation]}

    w = (np.arange(len(X5)) % 3 + 1).astype(float)
    out["weights"] = lst(w)

    def summary(M, w):
        sw = w.sum()
        mean = (w[:, None] * M).sum(0) / sw
        var = (w[:, None] * (M - mean) ** 2).sum(0) / (sw - (w ** 2).sum() / sw)
        return {"mean": lst(mean), "sum": lst((w[:, None] * M).sum(0)), "variance": lst(var),
                "std": lst(np.sqrt(var)), "count": int(len(M)), "weightSum": float(sw),
                "numNonZeros": lst((M != 0).sum(0)), "max": lst(M.max(0)), "min": lst(M.min(0)),
                "normL1": lst((w[:, None] * np.abs(M)).sum(0)),
                "normL2": lst(np.sqrt((w[:, None] * M ** 2).sum(0)))}
    out["summary"] = summary(X5, np.ones(len(X5)))
    out["summaryWeighted"] = summary(X5, w)
    assert np.allclose(out["summary"]["variance"], X5.var(0, ddof=1))

    # A discrete table: 3 features with 2..4 values, 3 label values.
    rng = np.random.RandomState(7)
    n = 60
    lab = rng.randint(0, 3, n).astype(float)
    f0 = (lab + rng.randint(0, 2, n)) % 4
    f1 = rng.randint(0, 2, n).astype(float)
    f2 = np.where(rng.rand(n) < 0.7, lab, rng.randint(0, 3, n)) * 2.5
    D = np.column_stack([f0, f1, f2]).astype(float)
    chis = []
    for j in range(D.shape[1]):
        vals, labs = np.unique(D[:, j]), np.unique(lab)
        tab = np.array([[np.sum((D[:, j] == a) & (lab == b)) for b in labs] for a in vals])
        stat, p, dof, _ = stats.chi2_contingency(tab, correction=False)
        chis.append({"statistic": float(stat), "pValue": float(p), "dof": int(dof)})
    out["chisq"] = {"features": [lst(r) for r in D], "label": lst(lab), "tests": chis}

    F, p = f_classif(X, y)
    out["fclassif"] = {"F": lst(F), "pValue": lst(p)}
    Xd, yd = load("diabetes.csv")
    F, p = f_regression(Xd, yd)
    out["fregression"] = {"F": lst(F), "pValue": lst(p)}

    sel = []
    for data, score, mode, t in [("wine", f_classif, "numTopFeatures", 9), ("wine", f_classif, "percentile", 0.7),
                                 ("wine", f_classif, "fpr", 1e-12), ("wine", f_classif, "fdr", 1e-10),
                                 ("wine", f_classif, "fwe", 1e-12),
                                 ("diabetes", f_regression, "numTopFeatures", 7), ("diabetes", f_regression, "fpr", 1e-4),
                                 ("diabetes", f_regression, "fdr", 1e-3), ("diabetes", f_regression, "fwe", 1e-3)]:
        A, b = (X, y) if data == "wine" else (Xd, yd)
        sk = {"numTopFeatures": lambda: SelectKBest(score, k=int(t)),
              "percentile": lambda: SelectPercentile(score, percentile=100 * t),
              "fpr": lambda: SelectFpr(score, alpha=t), "fdr": lambda: SelectFdr(score, alpha=t),
              "fwe": lambda: SelectFwe(score, alpha=t)}[mode]().fit(A, b)
        idx = [int(i) for i in np.flatnonzero(sk.get_support())]
        if mode == "percentile":
            assert len(idx) == int(A.shape[1] * t)
        sel.append({"data": data, "mode": mode, "threshold": t, "selected": idx})
    out["selections"] = sel

    with open(os.path.join(HERE, "feature_stat_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
