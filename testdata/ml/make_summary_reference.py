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

import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm

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


def main():
    out = {
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__,
                     "sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__},
        "linear_summary_diabetes": linear(),
    }
    with open(os.path.join(HERE, "summary_reference.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
