"""Reference values for gspark's IsotonicRegression tests, from scikit-learn.

Run with /usr/bin/python3 (scikit-learn 1.2.1):
    /usr/bin/python3 testdata/ml/make_isotonic_reference.py > testdata/ml/isotonic_reference.json

Each case holds the training rows (x, y, w), the fitted thresholds of
sklearn.isotonic.IsotonicRegression(increasing=..., out_of_bounds="clip")
(X_thresholds_, y_thresholds_: the same non-redundant breakpoints Spark 3
keeps as boundaries/predictions) and predictions at test points, inside and
outside the training range. sklearn pools tied x values into their weighted
mean before pooling violators, as Spark 3 does.
"""
import json

import numpy as np
from sklearn.isotonic import IsotonicRegression

rng = np.random.RandomState(7)
cases = {}


def case(name, x, y, w, increasing):
    ir = IsotonicRegression(increasing=increasing, out_of_bounds="clip")
    ir.fit(x, y, sample_weight=w)
    test = np.concatenate([[x.min() - 1.5, x.max() + 2.0], np.linspace(x.min(), x.max(), 23)])
    cases[name] = {
        "x": x.tolist(), "y": y.tolist(), "w": None if w is None else w.tolist(),
        "isotonic": increasing,
        "boundaries": ir.X_thresholds_.tolist(), "predictions": ir.y_thresholds_.tolist(),
        "test": test.tolist(), "testPredictions": ir.predict(test).tolist(),
    }


x = np.arange(40, dtype=float) / 4
y = np.log1p(x) + rng.normal(scale=0.4, size=x.size)
case("increasing", x, y, None, True)
case("decreasing", x, -y, None, False)
w = rng.uniform(0.2, 3.0, size=x.size)
case("weighted", x, y, w, True)
# ties: 3 rows at each of 12 x values, labels shuffled
xt = np.repeat(np.arange(12, dtype=float), 3)
yt = 0.5 * xt + rng.normal(scale=2.0, size=xt.size)
wt = rng.uniform(0.5, 2.0, size=xt.size)
case("ties_weighted", xt, yt, wt, True)
case("ties_decreasing", xt, -yt, None, False)
print(json.dumps(cases, indent=1))
