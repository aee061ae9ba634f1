#!/usr/bin/python3
"""Reference numbers for Spark-style training summaries and evaluator metrics.

Run from anywhere: /usr/bin/python3 testdata/ml/make_summary_reference.py
Needs numpy, scipy, scikit-learn and statsmodels (Debian: python3-numpy,
python3-scipy, python3-sklearn, python3-statsmodels); writes
summary_reference.json beside this file.

Linear regression: statsmodels OLS/WLS on the raw diabetes data. Spark lists
coefficients first and the intercept last, so the constant column is
appended (add_constant(prepend=False)). Spark's devianceResiduals are the
min and max of sqrt(w)*(label - prediction).
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn import metrics

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_reference  # noqa: E402  (the logistic fits mapped to Spark's objective)

HERE = os.path.dirname(os.path.abspath(__file__))


def lst(a):
    return [float(v) for v in np.ravel(a)]


def load(name):
    d = np.loadtxt(os.path.join(HERE, name), delimiter=",", skiprows=1)
    return d[:, :-1], d[:, -1]


def ols_case(X, y, w, intercept):
    A = sm.add_constant(X, prepend=False) if intercept else X
    fit = sm.WLS(y, A, weights=w).fit() if w is not None else sm.OLS(y, A).fit()
    resid = y - fit.fittedvalues
    dev = resid * (np.sqrt(w) if w is not None else 1.0)
    return {
        "coefficients": lst(fit.params[:X.shape[1]]),
        "intercept": float(fit.params[-1]) if intercept else 0.0,
        "coefficientStandardErrors": lst(fit.bse),
        "tValues": lst(fit.tvalues),
        "pValues": lst(fit.pvalues),
        "degreesOfFreedom": float(fit.df_resid),
        "r2": float(fit.rsquared),
        "r2adj": float(fit.rsquared_adj),
        "devianceResiduals": [float(dev.min()), float(dev.max())],
        "residuals_head": lst(resid[:5]),
    }


def linear():
    X, y = load("diabetes.csv")
    w = (np.arange(len(y)) % 3 + 1).astype(float)
    return {
        "weights": "w_i = (i mod 3) + 1, i the 0-based row number",
        "ols": ols_case(X, y, None, True),
        "ols_noint": ols_case(X, y, None, False),
        "wls": ols_case(X, y, w, True),
    }


def multiclass_metrics(y, pred, w=None, beta=0.5):
    """Spark's MulticlassMetrics from scikit-learn: per-label metrics over the
    labels of y, label-weighted averages, FPR from the weighted confusion
    matrix (FP / (total - label weight))."""
    labels = np.unique(y)
    p, r, f1, _ = metrics.precision_recall_fscore_support(y, pred, labels=labels, sample_weight=w, zero_division=0)
    _, _, fb, _ = metrics.precision_recall_fscore_support(y, pred, labels=labels, beta=beta, sample_weight=w, zero_division=0)
    cm = metrics.confusion_matrix(y, pred, labels=labels, sample_weight=w)
    total = cm.sum()
    fp = cm.sum(axis=0) - np.diag(cm)
    fpr = fp / (total - cm.sum(axis=1))
    frac = cm.sum(axis=1) / total
    return {
        "labels": lst(labels), "beta": beta,
        "accuracy": float(metrics.accuracy_score(y, pred, sample_weight=w)),
        "hammingLoss": float(metrics.hamming_loss(y, pred, sample_weight=w)),
        "precisionByLabel": lst(p), "recallByLabel": lst(r), "truePositiveRateByLabel": lst(r),
        "falsePositiveRateByLabel": lst(fpr), "f1ByLabel": lst(f1), "fMeasureByLabel": lst(fb),
        "weightedPrecision": float(metrics.precision_score(y, pred, average="weighted", sample_weight=w, zero_division=0)),
        "weightedRecall": float(metrics.recall_score(y, pred, average="weighted", sample_weight=w, zero_division=0)),
        "weightedTruePositiveRate": float(metrics.recall_score(y, pred, average="weighted", sample_weight=w, zero_division=0)),
        "weightedFalsePositiveRate": float(np.sum(frac * fpr)),
        "f1": float(metrics.f1_score(y, pred, average="weighted", sample_weight=w, zero_division=0)),
        "weightedFMeasure": float(metrics.fbeta_score(y, pred, beta=beta, average="weighted", sample_weight=w, zero_division=0)),
    }


def eval_multiclass():
    d = np.loadtxt(os.path.join(HERE, "eval_multiclass.csv"), delimiter=",", skiprows=1)
    y, pred, probs = d[:, 0], d[:, 1], d[:, 2:]
    w = (np.arange(len(y)) % 3 + 1).astype(float)
    out = {"unweighted": multiclass_metrics(y, pred), "weighted": multiclass_metrics(y, pred, w)}
    pl = probs[np.arange(len(y)), y.astype(int)]
    out["weighted"]["logLoss"] = float(np.sum(w * -np.log(np.maximum(pl, 1e-15))) / w.sum())
    out["weighted"]["sklearn_log_loss"] = float(metrics.log_loss(y, probs, sample_weight=w))
    return out


def logistic_summaries():
    """Training summaries: the Spark-objective fits of make_reference.py
    (regParam 0.05, standardization), their probabilities and predictions,
    and scikit-learn's metrics on them. Binary: iris versicolor (0) vs
    virginica (1), 100 rows (fewer than 2*100 distinct scores, so Spark's
    summary with numBins=100 does not down-sample)."""
    X, y = load("iris.csv")
    keep = y > 0
    Xb, yb = X[keep], y[keep] - 1
    fit = make_reference.logistic(Xb, yb.astype(int), 0.05, False)
    z = Xb @ np.array(fit["coefficients"][0]) + fit["intercepts"][0]
    p1 = 1 / (1 + np.exp(-z))
    pred = (p1 > 0.5).astype(float)
    fpr, tpr, thr = metrics.roc_curve(yb, p1, drop_intermediate=False)
    prec, rec, pthr = metrics.precision_recall_curve(yb, p1)
    binary = multiclass_metrics(yb, pred)
    binary.update({
        "coefficients": fit["coefficients"][0], "intercept": fit["intercepts"][0],
        "probability1": lst(p1),
        "areaUnderROC": float(metrics.roc_auc_score(yb, p1)),
        # sklearn's curves begin with threshold inf at (0,0); Spark's ROC
        # begins at (0,0) too and ends with an added (1,1).
        "roc_fpr": lst(fpr), "roc_tpr": lst(tpr), "roc_thresholds": lst(thr[1:]),
        # sklearn's PR arrays run by ascending threshold and end with the
        # point (recall 0, precision 1); Spark's PR starts at
        # (0, precision at the top threshold).
        "pr_precision": lst(prec[:-1][::-1]), "pr_recall": lst(rec[:-1][::-1]), "pr_thresholds": lst(pthr[::-1]),
        "fMeasureByThreshold_beta1": lst(2 * prec[:-1][::-1] * rec[:-1][::-1] / (prec[:-1][::-1] + rec[:-1][::-1])),
    })
    fit = make_reference.logistic(X, y.astype(int), 0.05, True)
    M = X @ np.array(fit["coefficients"]).T + np.array(fit["intercepts"])
    pm = M.argmax(axis=1).astype(float)
    multi = multiclass_metrics(y, pm)
    return {"binary_iris_1v2": binary, "multinomial_iris": multi}


def eval_other():
    """ClusteringEvaluator's cosine silhouette (sklearn metric="cosine") and
    RegressionEvaluator's metrics with weights (i mod 3)+1 (Spark's "var" is
    sum w (prediction - weighted mean label)^2 / sum w)."""
    d = np.loadtxt(os.path.join(HERE, "eval_clustering.csv"), delimiter=",", skiprows=1)
    out = {"silhouette_cosine": float(metrics.silhouette_score(d[:, :-1], d[:, -1], metric="cosine"))}
    d = np.loadtxt(os.path.join(HERE, "eval_regression.csv"), delimiter=",", skiprows=1)
    y, p = d[:, 0], d[:, 1]
    w = (np.arange(len(y)) % 3 + 1).astype(float)
    mse = metrics.mean_squared_error(y, p, sample_weight=w)
    ym = np.sum(w * y) / w.sum()
    out["regression_weighted"] = {
        "mse": float(mse), "rmse": float(np.sqrt(mse)),
        "mae": float(metrics.mean_absolute_error(y, p, sample_weight=w)),
        "r2": float(metrics.r2_score(y, p, sample_weight=w)),
        "var": float(np.sum(w * (p - ym) ** 2) / w.sum()),
    }
    return out


def main():
    out = {
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__,
                     "sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__},
        "linear_summary_diabetes": linear(),
        "eval_multiclass_metrics": eval_multiclass(),
        "logistic_summaries": logistic_summaries(),
        "eval_other": eval_other(),
    }
    with open(os.path.join(HERE, "summary_reference.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
