#!/usr/bin/python3
"""Reference numbers for GeneralizedLinearRegression and its training summary.

Run from anywhere: /usr/bin/python3 testdata/ml/make_glr_reference.py
Needs numpy, scipy and statsmodels (Debian: python3-numpy, python3-scipy,
python3-statsmodels); writes glr_data.csv (the small fixed dataset) and
glr_reference.json beside this file.

Fits: statsmodels GLM with the same family, link, var_weights (Spark's
weightCol) and offset, converged to tol 1e-13. Coefficients are listed
first and the intercept last, as Spark does (add_constant(prepend=False)).

Where Spark's definitions differ from statsmodels', the Spark value is
computed here by hand from Spark's documented formulas and the fitted
means, and the key says so ("spark_*"):
- pValues: Spark uses Student's t with residualDegreeOfFreedom degrees of
  freedom except for the binomial and poisson families (normal);
  statsmodels always uses the normal. spark_pValues is 2*t.sf(|t|, dof).
- aic: Spark's family formulas plus 2*rank:
  gaussian n*(log(2*pi*deviance/n)+1)+2-sum(log w);
  binomial -2*sum(log binom.pmf(round(y*w); round(w), mu)) (weights are
  trial counts); poisson -2*sum(w*log poisson.pmf(int(y); mu));
  gamma -2*sum(w*log gamma.pdf(y; 1/disp, scale=mu*disp))+2 with
  disp=deviance/sum(w); tweedie has no AIC in Spark. On this data Spark's
  AIC equals statsmodels' for binomial and poisson (weights included), is
  2 more for gaussian without weights (Spark counts the dispersion as a
  parameter) and differs further with gaussian weights and for gamma
  (Spark's gamma dispersion is deviance/sum(w), not Pearson's); both are
  recorded (spark_aic, statsmodels_aic) and the tests use spark_aic.
- nullDeviance without an intercept: Spark's null model is eta = offset
  (statsmodels fits an intercept-only model).
- dispersion: Pearson chi2 / residual dof for gaussian, gamma and tweedie,
  1 for binomial and poisson (statsmodels' scale is the same).

The regularized cases (regParam > 0) have no statsmodels counterpart: they
are computed by spark_irls below, an implementation in numpy of the
objectives Spark documents for WeightedLeastSquares (the initial fit
standardizes features and label: penalty regParam/sigma_b * 1/2 *
sum((sigma_j*beta_j)^2); the IRLS steps do not: regParam * 1/2 * |beta|^2,
both added to 1/(2*sum w) * sum(w*(x.beta+b0-z)^2)) and of Spark's IRLS
loop (stop when the largest change of a coefficient or the intercept is
below tol). The same code with regParam 0 is checked here against
statsmodels, and it records the iteration counts at Spark's default tol.
"""
import json
import os
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.genmod import families
from statsmodels.genmod.families import links

HERE = os.path.dirname(os.path.abspath(__file__))


def lst(a):
    return [float(v) for v in np.ravel(a)]


def make_data():
    rng = np.random.RandomState(20261206)
    n = 60
    X = np.column_stack([
        rng.normal(0.0, 1.0, n),
        rng.uniform(-1.0, 1.0, n),
        rng.normal(0.5, 0.7, n),
    ])
    w = rng.randint(1, 4, n).astype(float)
    off = np.round(rng.uniform(-0.3, 0.3, n), 4)
    eta = 0.4 * X[:, 0] - 0.6 * X[:, 1] + 0.3 * X[:, 2]
    y_gauss = np.round(1.5 + 2.0 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2] + rng.normal(0, 0.8, n), 4)
    y_bin = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
    y_pois = rng.poisson(np.exp(0.5 + eta)).astype(float)
    mu_g = np.exp(0.8 + 0.5 * eta)
    y_gamma = np.round(rng.gamma(2.0, mu_g / 2.0), 4) + 0.01
    X = np.round(X, 4)
    cols = ["x0", "x1", "x2", "y_gauss", "y_bin", "y_pois", "y_gamma", "w", "off"]
    data = np.column_stack([X, y_gauss, y_bin, y_pois, y_gamma, w, off])
    np.savetxt(os.path.join(HERE, "glr_data.csv"), data, delimiter=",", header=",".join(cols),
               comments="", fmt="%.10g")
    return {c: data[:, i] for i, c in enumerate(cols)}, data[:, :3]


FAMILIES = {
    "gaussian": lambda link: families.Gaussian(link),
    "binomial": lambda link: families.Binomial(link),
    "poisson": lambda link: families.Poisson(link),
    "gamma": lambda link: families.Gamma(link),
}

LINKS = {
    "identity": links.identity,
    "log": links.log,
    "inverse": links.inverse_power,
    "logit": links.logit,
    "probit": links.probit,
    "cloglog": links.cloglog,
    "sqrt": links.sqrt,
}


def spark_aic(family, y, mu, w, dev, rank):
    n = len(y)
    if family == "gaussian":
        a = n * (np.log(dev / n * 2 * np.pi) + 1) + 2 - np.sum(np.log(w))
    elif family == "binomial":
        wt = np.round(w)
        a = -2 * np.sum(np.where(wt == 0, 0.0, stats.binom.logpmf(np.round(y * w), wt, mu)))
    elif family == "poisson":
        a = -2 * np.sum(w * stats.poisson.logpmf(np.trunc(y), mu))
    elif family == "gamma":
        disp = dev / np.sum(w)
        a = -2 * np.sum(w * stats.gamma.logpdf(y, 1 / disp, scale=mu * disp)) + 2
    else:
        return None
    return float(a + 2 * rank)


def sm_family(family, link, var_power=None):
    if family == "tweedie":
        return families.Tweedie(link=link, var_power=var_power)
    return FAMILIES[family](link)


def case(name, X, y, family, link_name, w=None, off=None, intercept=True, var_power=None, link_power=None):
    if family == "tweedie":
        lp = (1 - var_power) if link_power is None else link_power
        link = links.log() if lp == 0 else links.Power(lp)
    else:
        link = LINKS[link_name]()
    A = sm.add_constant(X, prepend=False, has_constant="add") if intercept else X
    fam = sm_family(family, link, var_power)
    model = sm.GLM(y, A, family=fam, var_weights=w, offset=off)
    fit = model.fit(tol=1e-13, maxiter=200)
    n = len(y)
    wv = np.ones(n) if w is None else w
    ov = np.zeros(n) if off is None else off
    mu = fit.fittedvalues
    rank = A.shape[1]
    dof = n - rank
    d = X.shape[1]
    # Spark's null deviance without an intercept: the model eta = offset.
    if intercept:
        null_dev = float(fit.null_deviance)
    else:
        null_dev = float(np.sum(fam.resid_dev(y, link.inverse(ov), var_weights=wv) ** 2))
    dispersion = 1.0 if family in ("binomial", "poisson") else float(fit.pearson_chi2 / dof)
    tv = fit.params / fit.bse
    if family in ("binomial", "poisson"):
        pv = 2 * stats.norm.sf(np.abs(tv))
    else:
        pv = 2 * stats.t.sf(np.abs(tv), dof)
    if family == "tweedie":
        dev_res = np.sign(y - mu) * np.sqrt(np.maximum(fam.resid_dev(y, mu, var_weights=wv) ** 2, 0))
    else:
        dev_res = fit.resid_deviance
    out = {
        "family": family,
        "link": link_name,
        "variancePower": var_power,
        "linkPower": link_power,
        "weighted": w is not None,
        "offset": off is not None,
        "fitIntercept": intercept,
        "feature_columns": list(range(d)),
        "coefficients": lst(fit.params[:d]),
        "intercept": float(fit.params[-1]) if intercept else 0.0,
        "coefficientStandardErrors": lst(fit.bse),
        "tValues": lst(tv),
        "statsmodels_pvalues": lst(fit.pvalues),
        "spark_pValues": lst(pv),
        "deviance": float(fit.deviance),
        "nullDeviance": null_dev,
        "statsmodels_null_deviance": float(fit.null_deviance),
        "dispersion": dispersion,
        "statsmodels_scale": float(fit.scale),
        "statsmodels_aic": float(fit.aic) if np.isfinite(fit.aic) else None,
        "spark_aic": spark_aic(family, y, mu, wv, float(fit.deviance), rank),
        "residualDegreeOfFreedom": dof,
        "residualDegreeOfFreedomNull": n - 1 if intercept else n,
        "rank": rank,
        "residuals_deviance_head": lst(dev_res[:6]),
        "residuals_pearson_head": lst(fit.resid_pearson[:6]),
        "residuals_working_head": lst(fit.resid_working[:6]),
        "residuals_response_head": lst(fit.resid_response[:6]),
        "prediction_head": lst(mu[:6]),
        "link_prediction_head": lst((A @ fit.params + ov)[:6]),
    }
    # Spark's IRLS in numpy: the same optimum, and its iteration count at
    # Spark's default tol (1e-6) and maxIter (25).
    sp = spark_irls(X, y, wv, ov, family, link, intercept, 0.0, 1e-6, 25, var_power)
    out["spark_numIterations_tol1e-6"] = sp["iterations"]
    gap = max(np.max(np.abs(sp["coef"] - fit.params[:d])), abs(sp["intercept"] - (fit.params[-1] if intercept else 0)))
    out["spark_irls_tol1e-6_max_abs_diff"] = float(gap)
    sp2 = spark_irls(X, y, wv, ov, family, link, intercept, 0.0, 1e-12, 100, var_power)
    gap2 = max(np.max(np.abs(sp2["coef"] - fit.params[:d])), abs(sp2["intercept"] - (fit.params[-1] if intercept else 0)))
    assert gap2 < 1e-7 * max(1.0, np.max(np.abs(fit.params))), (name, gap2)
    print(f"{name}: statsmodels iterations {fit.fit_history['iteration']}, spark-irls {sp['iterations']} (tol 1e-6, max diff {gap:.2e})")
    return out


def spark_round(x):
    # Scala's BigDecimal(x) (from the double's shortest decimal form) with
    # setScale(4, HALF_UP).
    return str(Decimal(repr(float(x))).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def spark_table(c, family_name):
    """The text of Spark's GeneralizedLinearRegressionTrainingSummary.toString
    for case c, built from the reference numbers by Spark's rules: intercept
    row first, features named features_0.., cells rounded to 4 decimals
    and cut to 17 characters + '...' beyond 20, columns left-padded to the
    widest cell and joined by one space; the null deviance is printed with
    the residual degrees of freedom (Spark prints degreesOfFreedom there)."""
    d = len(c["coefficients"])
    est = c["coefficients"] + ([c["intercept"]] if c["fitIntercept"] else [])
    names = ["features_%d" % j for j in range(d)] + (["(Intercept)"] if c["fitIntercept"] else [])
    order = ([d] if c["fitIntercept"] else []) + list(range(d))
    cut = lambda v: v[:17] + "..." if len(v) > 20 else v
    rows = [["Feature", "Estimate", "Std Error", "T Value", "P Value"]]
    for i in order:
        rows.append([cut(names[i])] + [cut(spark_round(v[i])) for v in (est, c["coefficientStandardErrors"], c["tValues"], c["spark_pValues"])])
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    out = "Coefficients:\n" + "".join(" ".join(r[i].rjust(widths[i]) for i in range(5)) + "\n" for r in rows)
    out += "\n(Dispersion parameter for %s family taken to be %s)\n" % (family_name, spark_round(c["dispersion"]))
    nd = "Null deviance: %s on %d degrees of freedom" % (spark_round(c["nullDeviance"]), c["residualDegreeOfFreedom"])
    rd = "Residual deviance: %s on %d degrees of freedom" % (spark_round(c["deviance"]), c["residualDegreeOfFreedom"])
    width = max(len(nd), len(rd))
    out += nd.rjust(width) + "\n" + rd.rjust(width)
    if family_name != "tweedie":
        out += "\nAIC: " + spark_round(c["spark_aic"])
    return out


def variance(family, mu, var_power):
    if family == "gaussian":
        return np.ones_like(mu)
    if family == "binomial":
        return mu * (1 - mu)
    if family == "poisson":
        return mu
    if family == "gamma":
        return mu * mu
    return mu ** var_power


def initial_mu(family, y, w):
    if family == "binomial":
        return (w * y + 0.5) / (w + 1)
    if family in ("poisson", "tweedie"):
        return np.where(y == 0, 0.1, y) if family == "tweedie" else np.maximum(y, 0.1)
    return y.copy()


def project(family, mu):
    eps = 1e-16
    if family == "binomial":
        return np.clip(mu, eps, 1 - eps)
    if family in ("poisson", "gamma", "tweedie"):
        return np.maximum(mu, eps)
    return mu


def wls(X, z, w, intercept, reg, standardize):
    """Spark's WeightedLeastSquares objective solved in closed form."""
    W = w.sum()
    xm = w @ X / W
    zm = w @ z / W
    if intercept:
        Xc = X - xm
        zc = z - zm
    else:
        Xc, zc = X, z
    C = (Xc * w[:, None]).T @ Xc / W
    c = (Xc * w[:, None]).T @ zc / W
    if standardize:
        sx2 = w @ (X - xm) ** 2 / W
        sz = np.sqrt(w @ (z - zm) ** 2 / W)
        pen = reg / sz * np.diag(sx2)
    else:
        pen = reg * np.eye(X.shape[1])
    beta = np.linalg.solve(C + pen, c)
    b0 = zm - xm @ beta if intercept else 0.0
    return beta, b0


def spark_irls(X, y, w, off, family, link, intercept, reg, tol, max_iter, var_power=None):
    mu0 = initial_mu(family, y, w)
    eta0 = link(project(family, mu0)) - off
    coef, b0 = wls(X, eta0, w, intercept, reg, True)
    it = 0
    while it < max_iter:
        eta = X @ coef + b0 + off
        mu = project(family, link.inverse(eta))
        d = link.deriv(mu)
        z = eta - off + (y - mu) * d
        ww = w / (d * d * variance(family, mu, var_power))
        nc, nb = wls(X, z, ww, intercept, reg, False)
        diff = coef - nc
        # Spark reduces the coefficient differences with max(|x|, |y|): with
        # one coefficient the (signed) difference itself is used.
        dc = diff[0] if len(diff) == 1 else np.max(np.abs(diff))
        tolv = max(dc, abs(b0 - nb))
        coef, b0 = nc, nb
        it += 1
        if tolv < tol:
            break
    return {"coef": coef, "intercept": b0, "iterations": it}


def regularized(name, X, y, w, off, family, link_name, intercept, reg):
    link = LINKS[link_name]()
    if family == "gaussian" and link_name == "identity":
        coef, b0 = wls(X, y - off, w, intercept, reg, True)
        its = 1
    else:
        r = spark_irls(X, y, w, off, family, link, intercept, reg, 1e-13, 200)
        coef, b0, its = r["coef"], r["intercept"], r["iterations"]
    print(f"{name}: numpy spark-irls, {its} iterations")
    return {"family": family, "link": link_name, "regParam": reg, "fitIntercept": intercept,
            "coefficients": lst(coef), "intercept": float(b0)}


def load_libsvm(path, d):
    ys, rows = [], []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            ys.append(float(parts[0]))
            r = np.zeros(d)
            for p in parts[1:]:
                i, v = p.split(":")
                r[int(i) - 1] = float(v)
            rows.append(r)
    return np.array(rows), np.array(ys)


def main():
    cols, X = make_data()
    w, off = cols["w"], cols["off"]
    out = {
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
        "data": "glr_data.csv",
        "cases": {},
        "regularized": {},
    }
    C = out["cases"]
    C["gaussian_identity"] = case("gaussian_identity", X, cols["y_gauss"], "gaussian", "identity")
    C["gaussian_identity_w_off"] = case("gaussian_identity_w_off", X, cols["y_gauss"], "gaussian", "identity", w=w, off=off)
    C["gaussian_log_w"] = case("gaussian_log_w", X, cols["y_gamma"], "gaussian", "log", w=w)
    C["binomial_logit"] = case("binomial_logit", X, cols["y_bin"], "binomial", "logit")
    C["binomial_logit_w"] = case("binomial_logit_w", X, cols["y_bin"], "binomial", "logit", w=w)
    C["binomial_probit_off"] = case("binomial_probit_off", X, cols["y_bin"], "binomial", "probit", off=off)
    C["binomial_cloglog_w"] = case("binomial_cloglog_w", X, cols["y_bin"], "binomial", "cloglog", w=w)
    # One feature: Spark's IRLS takes the signed change of a single
    # coefficient (see spark_irls), which stops this fit one iteration early.
    C["binomial_probit_1feature"] = case("binomial_probit_1feature", X[:, :1], cols["y_bin"], "binomial", "probit")
    C["poisson_log_w_off"] = case("poisson_log_w_off", X, cols["y_pois"], "poisson", "log", w=w, off=off)
    C["poisson_log_noint"] = case("poisson_log_noint", X, cols["y_pois"], "poisson", "log", intercept=False)
    C["poisson_sqrt"] = case("poisson_sqrt", X, cols["y_pois"], "poisson", "sqrt")
    C["gamma_inverse_w"] = case("gamma_inverse_w", X, cols["y_gamma"], "gamma", "inverse", w=w)
    C["gamma_log_off"] = case("gamma_log_off", X, cols["y_gamma"], "gamma", "log", off=off)
    C["gamma_identity"] = case("gamma_identity", X, cols["y_gamma"], "gamma", "identity")
    C["tweedie_p1.5_default_link"] = case("tweedie_p1.5_default_link", X, cols["y_gamma"], "tweedie", None, w=w, var_power=1.5)
    C["tweedie_p1.5_log_off"] = case("tweedie_p1.5_log_off", X, cols["y_gamma"], "tweedie", None, off=off, var_power=1.5, link_power=0.0)
    # Counts with zeros: Spark starts a zero label at 0.1 (Tweedie.delta).
    C["tweedie_p1.2_log_counts"] = case("tweedie_p1.2_log_counts", X, cols["y_pois"], "tweedie", None, w=w, var_power=1.2, link_power=0.0)
    C["tweedie_p1.2_log_counts"]["label_column"] = 5
    C["tweedie_p2.5_log_w"] = case("tweedie_p2.5_log_w", X, cols["y_gamma"], "tweedie", None, w=w, var_power=2.5, link_power=0.0)

    for name in ("gaussian_identity", "gamma_log_off", "binomial_logit_w", "tweedie_p1.5_log_off"):
        C[name]["spark_summary_text"] = spark_table(C[name], C[name]["family"])

    R = out["regularized"]
    R["gaussian_identity_reg0.3"] = regularized("gaussian_identity_reg0.3", X, cols["y_gauss"], w, off, "gaussian", "identity", True, 0.3)
    R["poisson_log_reg0.1"] = regularized("poisson_log_reg0.1", X, cols["y_pois"], w, off, "poisson", "log", True, 0.1)
    R["binomial_logit_reg0.05_noint"] = regularized("binomial_logit_reg0.05_noint", X, cols["y_bin"], w, np.zeros(len(w)), "binomial", "logit", False, 0.05)

    # Spark's ML guide example data (sample_linear_regression_data, 501 rows,
    # 10 features): the guide fits gaussian/identity with regParam 0.3.
    Xs, ys = load_libsvm(os.path.join(HERE, "sample_linear_regression_data.txt"), 10)
    out["sample_linear_regression"] = case("sample_linear_regression", Xs, ys, "gaussian", "identity")
    R["sample_linear_regression_reg0.3"] = regularized("sample_linear_regression_reg0.3", Xs, ys, np.ones(len(ys)), np.zeros(len(ys)), "gaussian", "identity", True, 0.3)

    with open(os.path.join(HERE, "glr_reference.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
