"""Reference multi-label metrics from scikit-learn 1.2 for
ml/evaluation's MultilabelClassificationEvaluator (multilabel_reference.json).

Run with /usr/bin/python3 make_multilabel_reference.py. Cases: the example of
Spark's MLlib evaluation guide (multilabel classification) and 60 random
documents over 5 labels, every document with at least one true label and
every label true somewhere (so that scikit-learn's label count equals
Spark's number of distinct true labels). Arrays are sorted, so Spark's
order-sensitive subset accuracy equals scikit-learn's accuracy_score.
Spark's metrics map to scikit-learn's: subsetAccuracy = accuracy_score,
accuracy = jaccard_score(average="samples"), hammingLoss = hamming_loss,
precision/recall/f1Measure = *_score(average="samples", zero_division=0),
...ByLabel = *_score(average=None), micro* = *_score(average="micro").
"""
import json

import numpy as np
from sklearn.metrics import (accuracy_score, f1_score, hamming_loss,
                             jaccard_score, precision_score, recall_score)
from sklearn.preprocessing import MultiLabelBinarizer


def case(preds, labels):
    mlb = MultiLabelBinarizer(classes=sorted({l for ls in labels for l in ls}))
    Y = mlb.fit_transform(labels)
    P = mlb.transform(preds)
    out = {
        "predictions": preds,
        "labels": labels,
        "subsetAccuracy": accuracy_score(Y, P),
        "accuracy": jaccard_score(Y, P, average="samples", zero_division=0),
        "hammingLoss": hamming_loss(Y, P),
        "precision": precision_score(Y, P, average="samples", zero_division=0),
        "recall": recall_score(Y, P, average="samples", zero_division=0),
        "f1Measure": f1_score(Y, P, average="samples", zero_division=0),
        "microPrecision": precision_score(Y, P, average="micro", zero_division=0),
        "microRecall": recall_score(Y, P, average="micro", zero_division=0),
        "microF1Measure": f1_score(Y, P, average="micro", zero_division=0),
        "byLabel": {},
    }
    pl = precision_score(Y, P, average=None, zero_division=0)
    rl = recall_score(Y, P, average=None, zero_division=0)
    fl = f1_score(Y, P, average=None, zero_division=0)
    for i, c in enumerate(mlb.classes_):
        out["byLabel"][str(float(c))] = {"precisionByLabel": pl[i], "recallByLabel": rl[i], "f1MeasureByLabel": fl[i]}
    return out


guide_preds = [[0.0, 1.0], [0.0, 2.0], [], [2.0], [0.0, 2.0], [0.0, 1.0, 2.0], [1.0]]
guide_labels = [[0.0, 2.0], [0.0, 1.0], [0.0], [2.0], [0.0, 2.0], [0.0, 1.0], [1.0, 2.0]]

rng = np.random.default_rng(15)
preds, labels = [], []
for i in range(60):
    lab = sorted(float(x) for x in rng.choice(5, size=rng.integers(1, 4), replace=False))
    if i < 5:
        lab = sorted(set(lab) | {float(i)})
    pred = sorted(float(x) for x in rng.choice(5, size=rng.integers(0, 4), replace=False))
    preds.append(pred)
    labels.append(lab)

ref = {"guide": case(guide_preds, guide_labels), "random": case(preds, labels)}
with open("multilabel_reference.json", "w") as f:
    json.dump(ref, f, indent=1, sort_keys=True)
