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

// BinaryClassificationEvaluator evaluates scores for binary labels with
// metricName "areaUnderROC" (default) or "areaUnderPR", defined as Spark's
// BinaryClassificationMetrics: a curve point per distinct score (descending),
// the ROC curve from (0,0) to (1,1), the PR curve starting at
// (0, precision at the highest score), areas by the trapezoidal rule. A label
// > 0.5 is positive. The rawPrediction column is a vector (element 1 is the
// score) or a number. When there are more than 2·numBins distinct scores,
// consecutive points are merged into about numBins bins as Spark does
// (numBins = 0 disables it); the bins run over the globally sorted scores,
// where Spark's restart at each partition of its sorted data.
type BinaryClassificationEvaluator struct {
	ml.StageBase
	labelCol, rawPredictionCol, weightCol, metricName param.Param[string]
	numBins                                           param.Param[int]
}

// NewBinaryClassificationEvaluator returns an evaluator with Spark's defaults.
func NewBinaryClassificationEvaluator() *BinaryClassificationEvaluator {
	return newBinaryEvaluator(param.UID("binEval"))
}

func newBinaryEvaluator(uid string) *BinaryClassificationEvaluator {
	e := &BinaryClassificationEvaluator{StageBase: ml.NewStageBase(uid)}
	ps := e.Params()
	e.labelCol = param.Define(ps, "labelCol", "label column name", param.WithDefault("label"))
	e.rawPredictionCol = param.Define(ps, "rawPredictionCol", "raw prediction (score) column name", param.WithDefault("rawPrediction"))
	e.weightCol = param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)")
	e.metricName = param.Define(ps, "metricName", "metric: areaUnderROC or areaUnderPR", param.WithDefault("areaUnderROC"),
		param.WithValidator(param.OneOf("areaUnderROC", "areaUnderPR")))
	e.numBins = param.Define(ps, "numBins", "number of bins the curves are down-sampled to (0: no down-sampling)",
		param.WithDefault(1000), param.WithValidator(func(v int) error {
			if v != 0 && v < 2 {
				return fmt.Errorf("must be 0 or >= 2, got %d", v)
			}
			return nil
		}))
	return e
}

// SetLabelCol sets the label column.
func (e *BinaryClassificationEvaluator) SetLabelCol(c string) *BinaryClassificationEvaluator {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetRawPredictionCol sets the score column.
func (e *BinaryClassificationEvaluator) SetRawPredictionCol(c string) *BinaryClassificationEvaluator {
	e.rawPredictionCol.Set(e.Params(), c)
	return e
}

// SetWeightCol sets the weight column.
func (e *BinaryClassificationEvaluator) SetWeightCol(c string) *BinaryClassificationEvaluator {
	e.weightCol.Set(e.Params(), c)
	return e
}

// SetMetricName sets the metric.
func (e *BinaryClassificationEvaluator) SetMetricName(m string) *BinaryClassificationEvaluator {
	e.metricName.Set(e.Params(), m)
	return e
}

// SetNumBins sets the down-sampling bin count.
func (e *BinaryClassificationEvaluator) SetNumBins(n int) *BinaryClassificationEvaluator {
	e.numBins.Set(e.Params(), n)
	return e
}

// MetricName returns the metric evaluated.
func (e *BinaryClassificationEvaluator) MetricName() string { return e.metricName.Get(e.Params()) }

// IsLargerBetter is true: both areas grow with quality.
func (e *BinaryClassificationEvaluator) IsLargerBetter() bool { return true }

// CopyEvaluator implements Evaluator.
func (e *BinaryClassificationEvaluator) CopyEvaluator(extra param.ParamMap) (Evaluator, error) {
	b, err := e.CopyBase(extra)
	c := *e
	c.StageBase = b
	return &c, err
}

type scored struct {
	score, pos, neg float64
}

// Evaluate implements Evaluator.
func (e *BinaryClassificationEvaluator) Evaluate(ctx context.Context, df *frame.DataFrame) (float64, error) {
	roc, pr, err := e.Areas(ctx, df)
	if err != nil {
		return 0, err
	}
	if e.MetricName() == "areaUnderPR" {
		return pr, nil
	}
	return roc, nil
}

// Areas returns the areas under the ROC and PR curves. They are NaN when the
// labels are all of one class, as in Spark.
func (e *BinaryClassificationEvaluator) Areas(ctx context.Context, df *frame.DataFrame) (roc, pr float64, err error) {
	all, err := e.collect(ctx, df)
	if err != nil {
		return 0, 0, err
	}
	rocPts, prPts := curves(merged(all, e.numBins.Get(e.Params())))
	return trapezoid(rocPts), trapezoid(prPts), nil
}

// CurvePoint is a point of a curve: for ROC X is the false positive rate
// and Y the true positive rate; for PR X is the recall and Y the precision.
type CurvePoint struct {
	X, Y float64
}

// Curves returns the ROC curve, from (0,0) to (1,1), and the PR curve,
// starting at (0, precision at the highest score), whose areas Areas
// computes: one point per distinct score (or bin), by descending score.
// Coordinates are NaN when the labels are all of one class.
func (e *BinaryClassificationEvaluator) Curves(ctx context.Context, df *frame.DataFrame) (roc, pr []CurvePoint, err error) {
	all, err := e.collect(ctx, df)
	if err != nil {
		return nil, nil, err
	}
	roc, pr = curves(merged(all, e.numBins.Get(e.Params())))
	return roc, pr, nil
}

// collect reads the (score, positive weight, negative weight) of each row.
func (e *BinaryClassificationEvaluator) collect(ctx context.Context, df *frame.DataFrame) ([]scored, error) {
	if err := e.CheckParams(); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid, lc, rc, wc := e.UID(), e.labelCol.Get(ps), e.rawPredictionCol.Get(ps), e.weightCol.Get(ps)
	if err := checkCols(df, uid, map[string][]ml.ColumnKind{lc: {ml.Numeric}, rc: {ml.Numeric, ml.Vector}, wc: {ml.Numeric}}); err != nil {
		return nil, err
	}
	parts, err := frame.AggregatePartitions(ctx, df, func(int) []scored { return nil },
		func(acc []scored, b arrow.RecordBatch) ([]scored, error) {
			ys, ya, err := numericCol(b, uid, lc)
			if err != nil {
				return nil, err
			}
			ws, wa, err := weightsOf(b, uid, wc)
			if err != nil {
				return nil, err
			}
			sa := b.Column(ml.FieldIndex(b.Schema(), rc))
			var scores []float64
			var vc *linalg.VectorColumn
			if linalg.IsVector(sa.DataType()) {
				if vc, err = linalg.Vectors(sa); err != nil {
					return nil, fmt.Errorf("%s: column %q: %w", uid, rc, err)
				}
			} else if scores, err = ml.Float64Column(sa, nil); err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, rc, err)
			}
			for i := range ys {
				if ya.IsNull(i) || sa.IsNull(i) || nullAt(wa, i) {
					continue
				}
				var s float64
				if vc != nil {
					if vc.Size(i) != 2 {
						return nil, fmt.Errorf("%s: raw prediction vectors in column %q must have size 2, got %d", uid, rc, vc.Size(i))
					}
					if d := vc.DenseValues(i); d != nil {
						s = d[1]
					} else {
						idx, vals := vc.Sparse(i)
						for k, j := range idx {
							if j == 1 {
								s = vals[k]
							}
						}
					}
				} else {
					s = scores[i]
				}
				if math.IsNaN(s) {
					return nil, fmt.Errorf("%s: column %q has a NaN score", uid, rc)
				}
				w := 1.0
				if ws != nil {
					w = ws[i]
				}
				if ys[i] > 0.5 {
					acc = append(acc, scored{s, w, 0})
				} else {
					acc = append(acc, scored{s, 0, w})
				}
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	var all []scored
	for _, p := range parts {
		all = append(all, p...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no rows to evaluate", uid)
	}
	return all, nil
}

// merged sorts the points by descending score and merges equal scores (and
// bins when there are many).
func merged(pts []scored, numBins int) []scored {
	slices.SortStableFunc(pts, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	// One point per distinct score.
	agg := pts[:0:0]
	for _, p := range pts {
		if n := len(agg); n > 0 && agg[n-1].score == p.score {
			agg[n-1].pos += p.pos
			agg[n-1].neg += p.neg
			continue
		}
		agg = append(agg, p)
	}
	if numBins > 0 {
		if grouping := len(agg) / numBins; grouping >= 2 {
			binned := agg[:0:0]
			for i := 0; i < len(agg); i += grouping {
				b := agg[i]
				for _, p := range agg[i+1 : min(i+grouping, len(agg))] {
					b.pos += p.pos
					b.neg += p.neg
				}
				binned = append(binned, b)
			}
			agg = binned
		}
	}
	return agg
}

// curves builds the ROC and PR curves of merged points.
func curves(agg []scored) (roc, pr []CurvePoint) {
	var P, N float64
	for _, p := range agg {
		P += p.pos
		N += p.neg
	}
	var tp, fp float64
	roc = append(roc, CurvePoint{0, 0})
	for i, p := range agg {
		tp += p.pos
		fp += p.neg
		roc = append(roc, CurvePoint{fp / N, tp / P})
		prec := 1.0
		if tp+fp > 0 {
			prec = tp / (tp + fp)
		}
		if i == 0 {
			pr = append(pr, CurvePoint{0, prec})
		}
		pr = append(pr, CurvePoint{tp / P, prec})
	}
	roc = append(roc, CurvePoint{1, 1})
	return roc, pr
}

// trapezoid is the area under a curve by the trapezoidal rule.
func trapezoid(c []CurvePoint) float64 {
	a := 0.0
	for i := 1; i < len(c); i++ {
		a += (c[i].X - c[i-1].X) * (c[i].Y + c[i-1].Y) / 2
	}
	return a
}
