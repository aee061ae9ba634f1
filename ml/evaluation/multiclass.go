package evaluation

import (
	"context"
	"fmt"
	"math"
	"strings"

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
	eps, metricLabel, beta                                         param.Param[float64]
}

// multiclassMetricNames are the metric names Spark's
// MulticlassClassificationEvaluator accepts.
var multiclassMetricNames = []string{"f1", "accuracy", "weightedPrecision", "weightedRecall",
	"weightedTruePositiveRate", "weightedFalsePositiveRate", "weightedFMeasure",
	"truePositiveRateByLabel", "falsePositiveRateByLabel", "precisionByLabel", "recallByLabel",
	"fMeasureByLabel", "logLoss", "hammingLoss"}

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
	e.metricName = param.Define(ps, "metricName", "metric: "+strings.Join(multiclassMetricNames, ", "),
		param.WithDefault("f1"), param.WithValidator(param.OneOf(multiclassMetricNames...)))
	e.metricLabel = param.Define(ps, "metricLabel", "the class whose metric is computed by the …ByLabel metrics", param.WithDefault(0.0),
		param.WithValidator(param.InRange(0.0, math.Inf(1))))
	e.beta = param.Define(ps, "beta", "the beta of weightedFMeasure and fMeasureByLabel", param.WithDefault(1.0),
		param.WithValidator(param.InRange(0.0, math.Inf(1))))
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

// SetMetricLabel sets the class of the …ByLabel metrics.
func (e *MulticlassClassificationEvaluator) SetMetricLabel(l float64) *MulticlassClassificationEvaluator {
	e.metricLabel.Set(e.Params(), l)
	return e
}

// SetBeta sets the beta of weightedFMeasure and fMeasureByLabel.
func (e *MulticlassClassificationEvaluator) SetBeta(b float64) *MulticlassClassificationEvaluator {
	e.beta.Set(e.Params(), b)
	return e
}

// MetricName returns the metric evaluated.
func (e *MulticlassClassificationEvaluator) MetricName() string { return e.metricName.Get(e.Params()) }

// IsLargerBetter is false for logLoss and hammingLoss, true otherwise.
func (e *MulticlassClassificationEvaluator) IsLargerBetter() bool {
	m := e.MetricName()
	return m != "logLoss" && m != "hammingLoss" && m != "weightedFalsePositiveRate" && m != "falsePositiveRateByLabel"
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
	m, err := e.metrics(ctx, df, metric == "logLoss")
	if err != nil {
		return 0, err
	}
	beta, label := e.beta.Get(ps), e.metricLabel.Get(ps)
	var v float64
	switch metric {
	case "accuracy":
		return m.Accuracy(), nil
	case "hammingLoss":
		return m.HammingLoss(), nil
	case "weightedPrecision":
		return m.WeightedPrecision(), nil
	case "weightedRecall":
		return m.WeightedRecall(), nil
	case "weightedTruePositiveRate":
		return m.WeightedTruePositiveRate(), nil
	case "weightedFalsePositiveRate":
		return m.WeightedFalsePositiveRate(), nil
	case "weightedFMeasure":
		return m.WeightedFMeasure(beta), nil
	case "logLoss":
		return m.LogLoss()
	case "truePositiveRateByLabel", "recallByLabel":
		v, err = m.Recall(label)
	case "falsePositiveRateByLabel":
		v, err = m.FalsePositiveRate(label)
	case "precisionByLabel":
		v, err = m.Precision(label)
	case "fMeasureByLabel":
		v, err = m.FMeasure(label, beta)
	default:
		return m.WeightedFMeasure(1), nil
	}
	if err != nil {
		return 0, fmt.Errorf("%s: metricLabel: %w", e.UID(), err)
	}
	return v, nil
}

// Metrics computes every metric of df (logLoss too when the probability
// column exists).
func (e *MulticlassClassificationEvaluator) Metrics(ctx context.Context, df *frame.DataFrame) (*MulticlassMetrics, error) {
	if err := e.CheckParams(); err != nil {
		return nil, err
	}
	return e.metrics(ctx, df, ml.FieldIndex(df.Schema(), e.probabilityCol.Get(e.Params())) >= 0)
}

func (e *MulticlassClassificationEvaluator) metrics(ctx context.Context, df *frame.DataFrame, withProb bool) (*MulticlassMetrics, error) {
	ps := e.Params()
	uid, lc, pc, wc := e.UID(), e.labelCol.Get(ps), e.predictionCol.Get(ps), e.weightCol.Get(ps)
	probc := ""
	if withProb {
		probc = e.probabilityCol.Get(ps)
	}
	cols := map[string][]ml.ColumnKind{lc: {ml.Numeric}, pc: {ml.Numeric}, wc: {ml.Numeric}, probc: {ml.Vector}}
	if err := checkCols(df, uid, cols); err != nil {
		return nil, err
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
		return nil, err
	}
	conf := map[[2]float64]float64{}
	logLoss := 0.0
	for _, p := range parts {
		for k, v := range p.confusion {
			conf[k] += v
		}
		logLoss += p.logLoss
	}
	m, err := NewMulticlassMetrics(conf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m.ll, m.hasLogLoss = logLoss, probc != ""
	return m, nil
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
