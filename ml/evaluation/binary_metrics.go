package evaluation

import (
	"context"

	"github.com/gspark/gspark/frame"
)

// BinaryMetrics holds Spark's BinaryClassificationMetrics of one data set:
// one point per distinct score (or per bin of scores when numBins
// down-samples), by descending score. The ROC curve runs from (0,0) to
// (1,1); the PR curve starts at (0, precision at the highest threshold).
type BinaryMetrics struct {
	thresholds []float64
	// per threshold: true and false positives so far
	tp, fp []float64
	P, N   float64
	roc    []CurvePoint
	pr     []CurvePoint
}

// ThresholdValue is a metric at one threshold (a score: rows scoring at
// least the threshold are predicted positive).
type ThresholdValue struct {
	Threshold, Value float64
}

// Metrics computes the binary metrics of df with the evaluator's columns,
// weights and numBins.
func (e *BinaryClassificationEvaluator) Metrics(ctx context.Context, df *frame.DataFrame) (*BinaryMetrics, error) {
	all, err := e.collect(ctx, df)
	if err != nil {
		return nil, err
	}
	return newBinaryMetrics(merged(all, e.numBins.Get(e.Params()))), nil
}

func newBinaryMetrics(agg []scored) *BinaryMetrics {
	m := &BinaryMetrics{}
	m.roc, m.pr = curves(agg)
	var tp, fp float64
	for _, p := range agg {
		m.P += p.pos
		m.N += p.neg
		tp += p.pos
		fp += p.neg
		m.thresholds = append(m.thresholds, p.score)
		m.tp = append(m.tp, tp)
		m.fp = append(m.fp, fp)
	}
	return m
}

// Thresholds returns the thresholds, in descending order.
func (m *BinaryMetrics) Thresholds() []float64 { return append([]float64(nil), m.thresholds...) }

// ROC returns the ROC curve (false positive rate, true positive rate),
// from (0,0) to (1,1).
func (m *BinaryMetrics) ROC() []CurvePoint { return append([]CurvePoint(nil), m.roc...) }

// PR returns the precision-recall curve (recall, precision), starting at
// (0, precision at the highest threshold) as Spark's.
func (m *BinaryMetrics) PR() []CurvePoint { return append([]CurvePoint(nil), m.pr...) }

// AreaUnderROC is the trapezoidal area under the ROC curve.
func (m *BinaryMetrics) AreaUnderROC() float64 { return trapezoid(m.roc) }

// AreaUnderPR is the trapezoidal area under the PR curve.
func (m *BinaryMetrics) AreaUnderPR() float64 { return trapezoid(m.pr) }

func (m *BinaryMetrics) precision(i int) float64 {
	if m.tp[i]+m.fp[i] == 0 {
		return 1
	}
	return m.tp[i] / (m.tp[i] + m.fp[i])
}

func (m *BinaryMetrics) byThreshold(f func(i int) float64) []ThresholdValue {
	out := make([]ThresholdValue, len(m.thresholds))
	for i, t := range m.thresholds {
		out[i] = ThresholdValue{t, f(i)}
	}
	return out
}

// PrecisionByThreshold returns (threshold, precision) pairs.
func (m *BinaryMetrics) PrecisionByThreshold() []ThresholdValue {
	return m.byThreshold(m.precision)
}

// RecallByThreshold returns (threshold, recall) pairs.
func (m *BinaryMetrics) RecallByThreshold() []ThresholdValue {
	return m.byThreshold(func(i int) float64 { return m.tp[i] / m.P })
}

// FMeasureByThreshold returns (threshold, F-measure) pairs with the given
// beta: (1+β²)·p·r/(β²·p + r), 0 when p and r are 0.
func (m *BinaryMetrics) FMeasureByThreshold(beta float64) []ThresholdValue {
	return m.byThreshold(func(i int) float64 { return fMeasure(m.precision(i), m.tp[i]/m.P, beta) })
}

func fMeasure(p, r, beta float64) float64 {
	b2 := beta * beta
	if p+r == 0 {
		return 0
	}
	return (1 + b2) * p * r / (b2*p + r)
}
