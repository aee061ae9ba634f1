#!/usr/bin/env python3
"""Golden values of the two-sample Kolmogorov-Smirnov test for ml/monitor.

Writes ks_samples.csv (fixed data sets: set,side,value; generated once with
a seeded NumPy generator, kept if present) and ks_golden.json: for each set
SciPy's ks_2samp statistic D and p-value with method='asymp', and the
Kolmogorov limit distribution's survival function (scipy.stats.kstwobign)
at Stephens' corrected argument (sqrt(n) + 0.12 + 0.11/sqrt(n)) * D with
n = n1*n2/(n1+n2), the asymptotic formula ml/monitor.KSTest implements.

SciPy's 'asymp' p-value (1.10) is the finite-n Kolmogorov distribution
kstwo.sf(D, round(n)); Stephens' formula approximates it, so the Go test
compares against it with a tolerance and against the formula exactly.

Run from the repository root: /usr/bin/python3 testdata/monitor/ks_golden.py
"""
import csv
import json
import math
import os

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "ks_samples.csv")
GOLDEN = os.path.join(HERE, "ks_golden.json")


def generate():
    rng = np.random.default_rng(20261206)
    sets = {
        "normal_shift_50_60": (rng.normal(0, 1, 50), rng.normal(0.5, 1, 60)),
        "normal_same_200_150": (rng.normal(0, 1, 200), rng.normal(0, 1, 150)),
        "uniform_shift_1000": (rng.uniform(0, 1, 1000), rng.uniform(0.05, 1.05, 1000)),
        "ties_80_100": (rng.integers(0, 6, 80).astype(float), rng.integers(1, 7, 100).astype(float)),
        "small_5_7": (rng.normal(0, 1, 5), rng.normal(1, 1, 7)),
        "exp_vs_normal_300_30": (rng.exponential(1, 300), rng.normal(1, 1, 30)),
    }
    with open(SAMPLES, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["set", "side", "value"])
        for name, (a, b) in sets.items():
            for side, xs in (("a", a), ("b", b)):
                for x in xs:
                    w.writerow([name, side, "%.6f" % x])


def read():
    sets = {}
    with open(SAMPLES) as f:
        for row in csv.DictReader(f):
            sets.setdefault(row["set"], {"a": [], "b": []})[row["side"]].append(float(row["value"]))
    return sets


def main():
    if not os.path.exists(SAMPLES):
        generate()
    out = {}
    for name, s in read().items():
        a, b = np.array(s["a"]), np.array(s["b"])
        r = stats.ks_2samp(a, b, alternative="two-sided", method="asymp")
        n = len(a) * len(b) / (len(a) + len(b))
        lam = (math.sqrt(n) + 0.12 + 0.11 / math.sqrt(n)) * r.statistic
        out[name] = {
            "n1": len(a),
            "n2": len(b),
            "statistic": float(r.statistic),
            "pvalue_asymp": float(r.pvalue),
            "pvalue_stephens": float(stats.kstwobign.sf(lam)),
        }
    with open(GOLDEN, "w") as f:
        json.dump({"scipy": __import__("scipy").__version__, "sets": out}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
