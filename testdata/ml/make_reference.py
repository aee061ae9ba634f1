#!/usr/bin/python3
"""Regenerates the datasets and reference results under testdata/ml.

Run from anywhere: /usr/bin/python3 testdata/ml/make_reference.py
Needs numpy and scikit-learn (Debian: apt-get install python3-sklearn python3-numpy).

The datasets are scikit-learn's bundled copies of public UCI data sets
(iris, breast cancer Wisconsin, diabetes (raw, unscaled), wine). Every CSV has
a header; the last column is the label.

Spark's objectives differ from scikit-learn's; each reference below states
the formula that reproduces Spark's (derivations in README.md beside this
file). n is the number of rows, s_j the standard deviation of feature j, s_y
that of the label.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import datasets, metrics
from sklearn.cluster import KMeans
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.naive_bayes import BernoulliNB, GaussianNB, MultinomialNB
from sklearn.linear_model import ElasticNet, LinearRegression, LogisticRegression, Ridge

HERE = os.path.dirname(os.path.abspath(__file__))


def write_csv(name, X, y, feature_names, label_name="label"):
    cols = [f.replace(" ", "_").replace("(", "").replace(")", "").replace("/", "_") for f in feature_names]
    with open(os.path.join(HERE, name), "w") as f:
        f.write(",".join(cols + [label_name]) + "\n")
        for row, lab in zip(X, y):
            f.write(",".join(repr(float(v)) for v in row) + "," + repr(float(lab)) + "\n")


def pop_std(X):
    return X.std(axis=0, ddof=0)


def sample_std(X):
    return X.std(axis=0, ddof=1)


def lst(a):
    return [float(v) for v in np.ravel(a)]


def linear(X, y):
    n = len(y)
    out = {}
    # OLS: no penalty, identical in Spark and sklearn.
    m = LinearRegression().fit(X, y)
    pred = m.predict(X)
    out["ols"] = {"coefficients": lst(m.coef_), "intercept": float(m.intercept_),
                  "rmse": float(np.sqrt(np.mean((y - pred) ** 2))),
                  "r2": float(metrics.r2_score(y, pred)),
                  "mse": float(np.mean((y - pred) ** 2)),
                  "mae": float(np.mean(np.abs(y - pred)))}
    # OLS through the origin (fitIntercept=false).
    m0 = LinearRegression(fit_intercept=False).fit(X, y)
    out["ols_noint"] = {"coefficients": lst(m0.coef_), "intercept": 0.0}
    # Ridge, solver normal. Spark (WeightedLeastSquares with standardizeLabel)
    # minimizes 1/(2n)||y - Xw - b||^2 + lam/(2 sy) * sum_j (sj wj)^2 with
    # POPULATION std sj, sy (standardization=true; sj := 1 when false).
    # = sklearn Ridge(alpha = n*lam/sy) on X/sj, coefficients divided by sj.
    lam = 0.5
    sy = float(np.std(y, ddof=0))
    sj = pop_std(X)
    r = Ridge(alpha=n * lam / sy, tol=1e-14, solver="cholesky").fit(X / sj, y)
    out["ridge_std"] = {"regParam": lam, "coefficients": lst(r.coef_ / sj), "intercept": float(r.intercept_)}
    r = Ridge(alpha=n * lam / sy, tol=1e-14, solver="cholesky").fit(X, y)
    out["ridge_nostd"] = {"regParam": lam, "coefficients": lst(r.coef_), "intercept": float(r.intercept_)}
    # Ridge without intercept (fitIntercept=false): Spark then uses the
    # uncentered second moments, sy = sqrt(mean(y^2)) ... skipped: not referenced.
    # Elastic net, solver l-bfgs/OWL-QN. Spark (LinearRegression l-bfgs path)
    # minimizes 1/(2n)||y - Xw - b||^2 + lam(1-a)/(2 sy) sum_j (sj wj)^2
    #   + lam a sum_j sj |wj| with SAMPLE std sj, sy.
    # = sklearn ElasticNet(alpha=A, l1_ratio=R) on X/sj with
    #   A*R = lam*a and A*(1-R) = lam*(1-a)/sy.
    lam, a = 0.3, 0.5
    sy = float(np.std(y, ddof=1))
    sj = sample_std(X)
    A = lam * a + lam * (1 - a) / sy
    R = lam * a / A
    e = ElasticNet(alpha=A, l1_ratio=R, tol=1e-14, max_iter=1000000).fit(X / sj, y)
    out["enet_std"] = {"regParam": lam, "elasticNetParam": a, "coefficients": lst(e.coef_ / sj),
                       "intercept": float(e.intercept_)}
    # Lasso without standardization: A = lam (a = 1).
    lam = 0.2
    e = ElasticNet(alpha=lam, l1_ratio=1.0, tol=1e-14, max_iter=1000000).fit(X, y)
    out["lasso_nostd"] = {"regParam": lam, "elasticNetParam": 1.0, "coefficients": lst(e.coef_),
                          "intercept": float(e.intercept_)}
    return out


def newton_polish(Z, y, lam, coef, icpt, multinomial):
    """Refines a solution of min 1/n sum logloss + lam/2 ||W||^2 (over the
    standardized features Z, intercepts unpenalized) by Newton's method with
    the exact gradient and Hessian, until the gradient is ~1e-13: lbfgs stops
    earlier on these ill-conditioned problems, at coefficients ~1e-3 off."""
    n, d = Z.shape
    Zb = np.hstack([Z, np.ones((n, 1))])
    if multinomial:
        K = coef.shape[0]
        Y = np.eye(K)[y]
        theta = np.hstack([coef, icpt[:, None]])  # K x (d+1)
        pen = np.ones(d + 1)
        pen[d] = 0
        for _ in range(50):
            M = Zb @ theta.T
            M -= M.max(axis=1, keepdims=True)
            P = np.exp(M)
            P /= P.sum(axis=1, keepdims=True)
            G = (P - Y).T @ Zb / n + lam * theta * pen
            H = np.zeros((K * (d + 1), K * (d + 1)))
            for a in range(K):
                for b in range(K):
                    wgt = P[:, a] * ((a == b) - P[:, b])
                    H[a * (d + 1):(a + 1) * (d + 1), b * (d + 1):(b + 1) * (d + 1)] = (Zb * wgt[:, None]).T @ Zb / n
            H += np.diag(np.tile(lam * pen, K))
            step = np.linalg.lstsq(H, G.ravel(), rcond=1e-14)[0]
            theta = theta - step.reshape(K, d + 1)
            if np.abs(G).max() < 1e-13:
                break
        return theta[:, :d], theta[:, d]
    theta = np.append(coef.ravel(), icpt[0])
    pen = np.ones(d + 1)
    pen[d] = 0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(Zb @ theta)))
        G = Zb.T @ (p - y) / n + lam * theta * pen
        H = (Zb * (p * (1 - p))[:, None]).T @ Zb / n + np.diag(lam * pen)
        theta = theta - np.linalg.solve(H, G)
        if np.abs(G).max() < 1e-13:
            break
    return theta[None, :d], theta[d:]


def logistic(X, y, lam, multinomial, standardization=True):
    # Spark minimizes 1/n sum logloss + lam/2 sum_j (sj wj)^2 (elasticNetParam=0,
    # standardization=true, SAMPLE std sj; intercepts not penalized).
    # = sklearn LogisticRegression(C = 1/(lam n)) on X/sj, coefficients / sj.
    # Multinomial intercepts are centered to sum 0 as Spark does.
    n = len(y)
    sj = sample_std(X) if standardization else np.ones(X.shape[1])
    m = LogisticRegression(C=1.0 / (lam * n), tol=1e-12, max_iter=100000).fit(X / sj, y)
    c, b = newton_polish(X / sj, y, lam, m.coef_, m.intercept_, multinomial)
    polish = float(np.abs(c - m.coef_).max() / np.abs(m.coef_).max())
    coef = c / sj
    icpt = b - b.mean() if multinomial else b
    M = (X / sj) @ c.T + b
    if multinomial:
        M -= M.max(axis=1, keepdims=True)
        probs = np.exp(M)
        probs /= probs.sum(axis=1, keepdims=True)
    else:
        p1 = 1 / (1 + np.exp(-M[:, 0]))
        probs = np.stack([1 - p1, p1], axis=1)
    pred = probs.argmax(axis=1)
    return {"regParam": lam, "coefficients": [lst(r) for r in coef], "intercepts": lst(icpt),
            "newton_polish_relative_change": polish,
            "accuracy": float(np.mean(pred == y)), "probabilities_first5": [lst(p) for p in probs[:5]]}


def spark_binary(y, s):
    """areaUnderROC and areaUnderPR exactly as Spark's BinaryClassificationMetrics
    (numBins=0: a point per distinct score, sorted descending; ROC curve from
    (0,0) to (1,1); PR curve starting at (0, precision at the first threshold);
    trapezoids)."""
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    thr = np.unique(s)[::-1]
    P = y.sum()
    N = len(y) - P
    tp = fp = 0.0
    roc = [(0.0, 0.0)]
    pr = []
    i = 0
    for t in thr:
        while i < len(s) and s[i] == t:
            tp += y[i]
            fp += 1 - y[i]
            i += 1
        roc.append((fp / N, tp / P))
        pr.append((tp / P, tp / (tp + fp)))
    roc.append((1.0, 1.0))
    pr = [(0.0, pr[0][1])] + pr

    def trap(c):
        return float(sum((c[k + 1][0] - c[k][0]) * (c[k + 1][1] + c[k][1]) / 2 for k in range(len(c) - 1)))

    return trap(roc), trap(pr)


def main():
    ref = {"sklearn": sklearn.__version__, "numpy": np.__version__}
    iris = datasets.load_iris()
    bc = datasets.load_breast_cancer()
    wine = datasets.load_wine()
    diab = datasets.load_diabetes(scaled=False)
    write_csv("iris.csv", iris.data, iris.target, iris.feature_names)
    write_csv("breast_cancer.csv", bc.data, bc.target, bc.feature_names)
    write_csv("wine.csv", wine.data, wine.target, wine.feature_names)
    write_csv("diabetes.csv", diab.data, diab.target, diab.feature_names)

    ref["linear_diabetes"] = linear(diab.data, diab.target.astype(float))
    ref["logistic_breast_cancer"] = logistic(bc.data, bc.target, 0.01, False)
    # standardization=false: the penalty is lam/2 ||w||^2 on the raw coefficients.
    ref["logistic_breast_cancer_nostd"] = logistic(bc.data, bc.target, 0.01, False, standardization=False)
    ref["logistic_iris"] = logistic(iris.data, iris.target, 0.05, True)
    ref["logistic_wine"] = logistic(wine.data, wine.target, 0.05, True)

    # ---- NaiveBayes (smoothing lambda = 1) ----
    # Spark smooths the class prior of the discrete models:
    # pi_c = log(n_c + lam) - log(n + K lam); sklearn does not (class_log_prior_
    # = log(n_c/n)), so pi is computed here in numpy. theta equals sklearn's
    # feature_log_prob_. Gaussian: pi_c = log(n_c/n) (no smoothing), theta the
    # class means, sigma the class population variances plus
    # 1e-9 * max_j var(X_j) (sklearn's var_smoothing).
    def nb_ref(model, X, y, smoothed_prior):
        K = len(np.unique(y))
        counts = np.bincount(y, minlength=K).astype(float)
        if smoothed_prior:
            pi = np.log(counts + 1.0) - np.log(len(y) + K * 1.0)
        else:
            pi = np.log(counts / len(y))
        if isinstance(model, GaussianNB):
            probs = model.predict_proba(X)  # same prior as Spark's
            out = {"theta": [lst(r) for r in model.theta_], "sigma": [lst(r) for r in model.var_]}
        else:
            th = model.feature_log_prob_
            raw = pi + X @ th.T
            if isinstance(model, BernoulliNB):
                raw = pi + X @ th.T + (1 - X) @ np.log1p(-np.exp(th)).T
            raw -= raw.max(axis=1, keepdims=True)
            probs = np.exp(raw)
            probs /= probs.sum(axis=1, keepdims=True)
            out = {"theta": [lst(r) for r in th]}
        out.update({"pi": lst(pi), "accuracy": float(np.mean(probs.argmax(axis=1) == y)),
                    "probabilities_first5": [lst(p) for p in probs[:5]]})
        return out

    mnb = MultinomialNB(alpha=1.0).fit(iris.data, iris.target)
    ref["nb_multinomial_iris"] = nb_ref(mnb, iris.data, iris.target, True)
    Xb = (bc.data[:, :10] > np.median(bc.data[:, :10], axis=0)).astype(float)
    write_csv("breast_cancer_binary.csv", Xb, bc.target, bc.feature_names[:10])
    bnb = BernoulliNB(alpha=1.0, binarize=None).fit(Xb, bc.target)
    ref["nb_bernoulli_breast_cancer"] = nb_ref(bnb, Xb, bc.target, True)
    gnb = GaussianNB(var_smoothing=1e-9).fit(wine.data, wine.target)
    ref["nb_gaussian_wine"] = nb_ref(gnb, wine.data, wine.target, False)

    # ---- Decision trees: depth 5, every midpoint between distinct values a
    # candidate (Spark with maxBins above the distinct counts), predictions on
    # the training rows. Ties between equal-gain splits may break differently
    # (sklearn permutes features at random; Spark takes the first).
    for key, est, X, yv in [("dt_regressor_diabetes", DecisionTreeRegressor(max_depth=5, random_state=0), diab.data, diab.target),
                            ("dt_classifier_wine", DecisionTreeClassifier(max_depth=5, random_state=0), wine.data, wine.target)]:
        est.fit(X, yv)
        ref[key] = {"predictions": lst(est.predict(X)), "depth": int(est.get_depth()),
                    "leaves": int(est.get_n_leaves()), "max_distinct": int(max(len(np.unique(X[:, j])) for j in range(X.shape[1]))),
                    "feature_importances": lst(est.feature_importances_)}

    # ---- GBTRegressor, emulated: Spark's first tree fits the labels with
    # weight 1; each later tree fits the negative gradient of the loss
    # (squared: 2(y - F), Spark's SquaredError; absolute: sign(y - F) with
    # sign(0) = +1) and is added with weight stepSize. Trees are sklearn's
    # DecisionTreeRegressor(max_depth=3) (= Spark with maxBins above the
    # distinct counts).
    for loss in ["squared", "absolute"]:
        X, yv = diab.data, diab.target.astype(float)
        t0 = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, yv)
        F = t0.predict(X)
        for _ in range(9):
            r = 2 * (yv - F) if loss == "squared" else np.where(yv - F < 0, -1.0, 1.0)
            t = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, r)
            F = F + 0.1 * t.predict(X)
        ref["gbt_regressor_diabetes_" + loss] = {"predictions": lst(F), "maxIter": 10, "maxDepth": 3, "stepSize": 0.1}

    # ---- GBTClassifier, emulated: labels mapped to y' = 2y - 1; first tree
    # (variance) on y' with weight 1; later trees on Spark's LogLoss negative
    # gradient 4y'/(1 + exp(2y'F)) with weight 0.1; P(1) = 1/(1 + exp(-2F)).
    X, yv = bc.data, 2.0 * bc.target - 1
    t0 = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, yv)
    F = t0.predict(X)
    for _ in range(9):
        r = 4 * yv / (1 + np.exp(2 * yv * F))
        t = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, r)
        F = F + 0.1 * t.predict(X)
    ref["gbt_classifier_breast_cancer"] = {"margins": lst(F), "maxIter": 10, "maxDepth": 3, "stepSize": 0.1}

    # ---- LinearSVC: Spark minimizes 1/n sum max(0, 1 - y'(x.w + b)) +
    # lam/2 sum (sj wj)^2 (y' = 2y - 1, sample sj, intercept unpenalized) =
    # sklearn SVC(kernel="linear", C = 1/(lam n)) on X/sj (libsvm solves the
    # dual exactly; the bias is not penalized).
    from sklearn.svm import SVC
    lam = 0.01
    sj = sample_std(bc.data)
    svc = SVC(kernel="linear", C=1.0 / (lam * len(bc.target)), tol=1e-10).fit(bc.data / sj, bc.target)
    v = svc.coef_[0]
    marg = (bc.data / sj) @ v + svc.intercept_[0]
    yp = 2.0 * bc.target - 1
    obj = float(np.mean(np.maximum(0, 1 - yp * marg)) + lam / 2 * np.sum(v * v))
    ref["linearsvc_breast_cancer"] = {"regParam": lam, "coefficients": lst(v / sj), "intercept": float(svc.intercept_[0]),
                                      "objective": obj, "accuracy": float(np.mean((marg > 0) == (bc.target == 1)))}

    # ---- GaussianMixture on iris, k = 3, full covariances: the best of 20
    # EM runs to tol 1e-10 (no covariance regularization); total
    # log-likelihood = score * n.
    from sklearn.mixture import GaussianMixture
    gm = GaussianMixture(n_components=3, covariance_type="full", tol=1e-10, max_iter=10000, n_init=20,
                         reg_covar=0.0, random_state=0).fit(iris.data)
    ref["gmm_iris"] = {"k": 3, "logLikelihood": float(gm.score(iris.data) * len(iris.data)),
                       "weights": lst(np.sort(gm.weights_))}

    # ---- Random forests: not reproducible across libraries (different
    # sampling), so only the quality is referenced: 5-fold cross-validated R2
    # / accuracy of sklearn's forest with Spark's defaults (20 trees, depth 5,
    # one third (regression) or sqrt (classification) of the features).
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.model_selection import cross_val_score
    rfr = RandomForestRegressor(n_estimators=20, max_depth=5, max_features=1 / 3, random_state=0)
    rfc = RandomForestClassifier(n_estimators=20, max_depth=5, max_features="sqrt", random_state=0)
    ref["rf_regressor_diabetes"] = {"cv_r2": float(cross_val_score(rfr, diab.data, diab.target, cv=5, scoring="r2").mean())}
    ref["rf_classifier_wine"] = {"cv_accuracy": float(cross_val_score(rfc, wine.data, wine.target, cv=5).mean())}

    # ---- evaluators: inputs written as CSV, metrics computed here ----
    ols = LinearRegression().fit(diab.data, diab.target)
    pred = ols.predict(diab.data)
    y = diab.target.astype(float)
    with open(os.path.join(HERE, "eval_regression.csv"), "w") as f:
        f.write("label,prediction\n")
        for a, b in zip(y, pred):
            f.write(f"{a!r},{float(b)!r}\n")
    ref["eval_regression"] = {
        "rmse": float(np.sqrt(metrics.mean_squared_error(y, pred))),
        "mse": float(metrics.mean_squared_error(y, pred)),
        "mae": float(metrics.mean_absolute_error(y, pred)),
        "r2": float(metrics.r2_score(y, pred)),
        # Spark's explainedVariance: sum((pred - mean(label))^2) / n.
        "var": float(np.mean((pred - y.mean()) ** 2)),
    }

    # Binary: a weak model (two features) so the curves are not trivial;
    # scores rounded to 1 decimal to create ties.
    sj = sample_std(bc.data)
    m = LogisticRegression(C=1.0, max_iter=10000).fit(bc.data[:, :2] / sj[:2], bc.target)
    score = np.round(m.decision_function(bc.data[:, :2] / sj[:2]), 1)
    yb = bc.target.astype(float)
    with open(os.path.join(HERE, "eval_binary.csv"), "w") as f:
        f.write("label,score\n")
        for a, b in zip(yb, score):
            f.write(f"{a!r},{float(b)!r}\n")
    roc, pr = spark_binary(yb, score)
    ref["eval_binary"] = {"areaUnderROC": roc, "areaUnderPR": pr,
                          "sklearn_roc_auc": float(metrics.roc_auc_score(yb, score))}

    # Multiclass: wine, a weak model (two features) so errors exist.
    sj = sample_std(wine.data)
    Xw = wine.data[:, :2] / sj[:2]
    m = LogisticRegression(C=1.0, max_iter=10000).fit(Xw, wine.target)
    probs = m.predict_proba(Xw)
    pm = m.predict(Xw).astype(float)
    ym = wine.target.astype(float)
    with open(os.path.join(HERE, "eval_multiclass.csv"), "w") as f:
        f.write("label,prediction,p0,p1,p2\n")
        for a, b, p in zip(ym, pm, probs):
            f.write(f"{a!r},{b!r}," + ",".join(repr(float(v)) for v in p) + "\n")
    eps = 1e-15
    pl = probs[np.arange(len(ym)), wine.target]
    ref["eval_multiclass"] = {
        "f1": float(metrics.f1_score(ym, pm, average="weighted")),
        "accuracy": float(metrics.accuracy_score(ym, pm)),
        "weightedPrecision": float(metrics.precision_score(ym, pm, average="weighted", zero_division=0)),
        "weightedRecall": float(metrics.recall_score(ym, pm, average="weighted", zero_division=0)),
        # Spark: mean of -log(max(p_label, 1e-15)), no renormalization.
        "logLoss": float(np.mean(-np.log(np.maximum(pl, eps)))),
    }

    # Clustering: iris with sklearn KMeans(k=3) assignments. Spark's default
    # silhouette uses SQUARED Euclidean distance = sklearn metric="sqeuclidean".
    km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(iris.data)
    with open(os.path.join(HERE, "eval_clustering.csv"), "w") as f:
        f.write("f0,f1,f2,f3,prediction\n")
        for row, c in zip(iris.data, km.labels_):
            f.write(",".join(repr(float(v)) for v in row) + f",{float(c)!r}\n")
    ref["eval_clustering"] = {
        "silhouette_squaredEuclidean": float(metrics.silhouette_score(iris.data, km.labels_, metric="sqeuclidean")),
        "silhouette_euclidean": float(metrics.silhouette_score(iris.data, km.labels_, metric="euclidean")),
    }
    # KMeans cost (sum of squared distances to the nearest center).
    ref["kmeans_iris"] = {"k": 3, "inertia": float(km.inertia_),
                          "centers": [lst(c) for c in km.cluster_centers_]}

    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(ref, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
