package evaluation

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// MulticlassClassificationEvaluator evaluates class predictions with
// metricName "f1" (default; weighted F1), "accuracy", "weightedPrecision",
// "weightedRecall", "hammingLoss" or "logLoss", as Spark's MulticlassMetrics:
// the weighted metrics average the per-label metric over the labels present
// in the label column, weighted by their frequency; a precision with no
// predictions of a label is 0. logLoss is the mean of
// −log(max(p[label], eps)) over the probability column (eps = 1e-15).
type MulticlassClassificationEvaluator struct {
	ml.StageBase
	labelCol, predictionCol, probabilityCol, weightCol, metricName param.Param[string]
	eps                                                            param.Param[float64]
}

// NewMulticlassClassificationEvaluator returns an evaluator with Spark's defaults.
func NewMulticlassClassificationEvaluator() *MulticlassClassificationEvaluator {
	return newMulticlassEvaluator(param.UID("mcEval"))
}

func newMulticlassEvaluator(uid string) *MulticlassClassificationEvaluator {
	e := &MulticlassClassificationEvaluator{StageBase: ml.NewStageBase(uid)}
	ps := e.Params()
	e.labelCol = param.Define(ps, "labelCol", "label column name", param.WithDefault("label"))
	e.predictionCol = param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction"))
	e.probabilityCol = param.Define(ps, "probabilityCol", "probability vector column (logLoss only)", param.WithDefault("probability"))
	e.weightCol = param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)")
	e.metricName = param.Define(ps, "metricName", "metric: f1, accuracy, weightedPrecision, weightedRecall, hammingLoss or logLoss",
		param.WithDefault("f1"), param.WithValidator(param.OneOf("f1", "accuracy", "weightedPrecision", "weightedRecall", "hammingLoss", "logLoss")))
	e.eps = param.Define(ps, "eps", "probabilities are clipped below at eps for logLoss", param.WithDefault(1e-15),
		param.WithValidator(param.InRange(0.0, 0.5)))
	return e
}

// SetLabelCol sets the label column.
func (e *MulticlassClassificationEvaluator) SetLabelCol(c string) *MulticlassClassificationEvaluator {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the prediction column.
func (e *MulticlassClassificationEvaluator) SetPredictionCol(c string) *MulticlassClassificationEvaluator {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetProbabilityCol sets the probability column used by logLoss.
func (e *MulticlassClassificationEvaluator) SetProbabilityCol(c string) *MulticlassClassificationEvaluator {
	e.probabilityCol.Set(e.Params(), c)
	return e
}

// SetWeightCol sets the weight column.
func (e *MulticlassClassificationEvaluator) SetWeightCol(c string) *MulticlassClassificationEvaluator {
	e.weightCol.Set(e.Params(), c)
	return e
}

// SetMetricName sets the metric.
func (e *MulticlassClassificationEvaluator) SetMetricName(m string) *MulticlassClassificationEvaluator {
	e.metricName.Set(e.Params(), m)
	return e
}

// MetricName returns the metric evaluated.
func (e *MulticlassClassificationEvaluator) MetricName() string { return e.metricName.Get(e.Params()) }

// IsLargerBetter is false for logLoss and hammingLoss, true otherwise.
func (e *MulticlassClassificationEvaluator) IsLargerBetter() bool {
	m := e.MetricName()
	return m != "logLoss" && m != "hammingLoss"
}

// CopyEvaluator implements Evaluator.
func (e *MulticlassClassificationEvaluator) CopyEvaluator(extra param.ParamMap) (Evaluator, error) {
	b, err := e.CopyBase(extra)
	c := *e
	c.StageBase = b
	return &c, err
}

type mcStats struct {
	confusion map[[2]float64]float64 // (label, prediction) → weight
	logLoss   float64
}

// Evaluate implements Evaluator.
func (e *MulticlassClassificationEvaluator) Evaluate(ctx context.Context, df *frame.DataFrame) (float64, error) {
	if err := e.CheckParams(); err != nil {
		return 0, err
	}
	ps := e.Params()
	metric := e.MetricName()
	uid, lc, pc, wc := e.UID(), e.labelCol.Get(ps), e.predictionCol.Get(ps), e.weightCol.Get(ps)
	probc := ""
	if metric == "logLoss" {
		probc = e.probabilityCol.Get(ps)
	}
	cols := map[string][]ml.ColumnKind{lc: {ml.Numeric}, pc: {ml.Numeric}, wc: {ml.Numeric}, probc: {ml.Vector}}
	if err := checkCols(df, uid, cols); err != nil {
		return 0, err
	}
	eps := e.eps.Get(ps)
	parts, err := frame.AggregatePartitions(ctx, df, func(int) *mcStats { return &mcStats{confusion: map[[2]float64]float64{}} },
		func(acc *mcStats, b arrow.RecordBatch) (*mcStats, error) {
			ys, ya, err := numericCol(b, uid, lc)
			if err != nil {
				return nil, err
			}
			preds, pa, err := numericCol(b, uid, pc)
			if err != nil {
				return nil, err
			}
			ws, wa, err := weightsOf(b, uid, wc)
			if err != nil {
				return nil, err
			}
			var vc *linalg.VectorColumn
			var va arrow.Array
			if probc != "" {
				va = b.Column(ml.FieldIndex(b.Schema(), probc))
				if vc, err = linalg.Vectors(va); err != nil {
					return nil, fmt.Errorf("%s: column %q: %w", uid, probc, err)
				}
			}
			for i := range ys {
				if ya.IsNull(i) || pa.IsNull(i) || nullAt(wa, i) || nullAt(va, i) {
					continue
				}
				w := 1.0
				if ws != nil {
					w = ws[i]
				}
				acc.confusion[[2]float64{ys[i], preds[i]}] += w
				if vc != nil {
					k := ys[i]
					if k < 0 || k != math.Trunc(k) || int(k) >= vc.Size(i) {
						return nil, fmt.Errorf("%s: label %v is not a class index of the %d probabilities in column %q", uid, k, vc.Size(i), probc)
					}
					p := 0.0
					if d := vc.DenseValues(i); d != nil {
						p = d[int(k)]
					} else {
						idx, vals := vc.Sparse(i)
						for j, ix := range idx {
							if int(ix) == int(k) {
								p = vals[j]
							}
						}
					}
					acc.logLoss -= w * math.Log(math.Max(p, eps))
				}
			}
			return acc, nil
		})
	if err != nil {
		return 0, err
	}
	conf := map[[2]float64]float64{}
	logLoss := 0.0
	for _, p := range parts {
		for k, v := range p.confusion {
			conf[k] += v
		}
		logLoss += p.logLoss
	}
	// Sorted keys keep the sums' order fixed.
	keys := make([][2]float64, 0, len(conf))
	for k := range conf {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]float64) int {
		if c := cmpF(a[0], b[0]); c != 0 {
			return c
		}
		return cmpF(a[1], b[1])
	})
	labelW, predW, tpW := map[float64]float64{}, map[float64]float64{}, map[float64]float64{}
	var total, correct float64
	var labels []float64
	for _, k := range keys {
		w := conf[k]
		if _, ok := labelW[k[0]]; !ok {
			labels = append(labels, k[0])
		}
		labelW[k[0]] += w
		predW[k[1]] += w
		total += w
		if k[0] == k[1] {
			tpW[k[0]] += w
			correct += w
		}
	}
	if total <= 0 {
		return 0, fmt.Errorf("%s: no rows to evaluate", uid)
	}
	slices.Sort(labels)
	var wp, wr, wf float64
	for _, l := range labels {
		tp := tpW[l]
		prec := 0.0
		if predW[l] > 0 {
			prec = tp / predW[l]
		}
		rec := tp / labelW[l]
		f := 0.0
		if prec+rec > 0 {
			f = 2 * prec * rec / (prec + rec)
		}
		frac := labelW[l] / total
		wp += frac * prec
		wr += frac * rec
		wf += frac * f
	}
	switch metric {
	case "accuracy":
		return correct / total, nil
	case "hammingLoss":
		return 1 - correct/total, nil
	case "weightedPrecision":
		return wp, nil
	case "weightedRecall":
		return wr, nil
	case "logLoss":
		return logLoss / total, nil
	}
	return wf, nil
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
