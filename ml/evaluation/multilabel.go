package evaluation

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/values"
)

// multilabelMetricNames are the metric names Spark's
// MultilabelClassificationEvaluator accepts.
var multilabelMetricNames = []string{"subsetAccuracy", "accuracy", "hammingLoss", "precision", "recall",
	"f1Measure", "precisionByLabel", "recallByLabel", "f1MeasureByLabel", "microPrecision", "microRecall",
	"microF1Measure"}

// MultilabelClassificationEvaluator evaluates multi-label predictions, as
// Spark's org.apache.spark.ml.evaluation.MultilabelClassificationEvaluator
// (MultilabelMetrics): the prediction and label columns hold arrays of
// doubles (the predicted and the true label sets of a document). With n
// documents, P and L a document's predicted and true labels:
// subsetAccuracy is the share of documents whose P equals L (as arrays, in
// order, as Spark compares them); accuracy the mean of |P∩L|/|P∪L|;
// hammingLoss Σ(|P|+|L|−2|P∩L|)/(n × the number of distinct true labels);
// precision the mean of |P∩L|/|P| (0 for an empty P); recall the mean of
// |P∩L|/|L|; f1Measure the mean of 2|P∩L|/(|P|+|L|); the …ByLabel metrics
// those of the label metricLabel over the documents (0 when undefined), and
// the micro metrics those of the counts summed over labels. Rows with a
// null array are skipped.
type MultilabelClassificationEvaluator struct {
	ml.StageBase
	labelCol, predictionCol, metricName param.Param[string]
	metricLabel                         param.Param[float64]
}

// NewMultilabelClassificationEvaluator returns an evaluator with Spark's
// defaults (metricName f1Measure, metricLabel 0).
func NewMultilabelClassificationEvaluator() *MultilabelClassificationEvaluator {
	return newMultilabelEvaluator(param.UID("MultilabelClassificationEvaluator"))
}

func newMultilabelEvaluator(uid string) *MultilabelClassificationEvaluator {
	e := &MultilabelClassificationEvaluator{StageBase: ml.NewStageBase(uid)}
	ps := e.Params()
	e.labelCol = param.Define(ps, "labelCol", "label column name (array of doubles)", param.WithDefault("label"))
	e.predictionCol = param.Define(ps, "predictionCol", "prediction column name (array of doubles)", param.WithDefault("prediction"))
	e.metricName = param.Define(ps, "metricName", "metric: "+strings.Join(multilabelMetricNames, ", "),
		param.WithDefault("f1Measure"), param.WithValidator(param.OneOf(multilabelMetricNames...)))
	e.metricLabel = param.Define(ps, "metricLabel", "the class whose metric is computed by the …ByLabel metrics (>= 0)", param.WithDefault(0.0),
		param.WithValidator(param.InRange(0.0, math.Inf(1))))
	return e
}

// SetLabelCol sets the label column.
func (e *MultilabelClassificationEvaluator) SetLabelCol(c string) *MultilabelClassificationEvaluator {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the prediction column.
func (e *MultilabelClassificationEvaluator) SetPredictionCol(c string) *MultilabelClassificationEvaluator {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetMetricName sets the metric.
func (e *MultilabelClassificationEvaluator) SetMetricName(m string) *MultilabelClassificationEvaluator {
	e.metricName.Set(e.Params(), m)
	return e
}

// SetMetricLabel sets the label of the …ByLabel metrics.
func (e *MultilabelClassificationEvaluator) SetMetricLabel(l float64) *MultilabelClassificationEvaluator {
	e.metricLabel.Set(e.Params(), l)
	return e
}

// MetricName returns the metric evaluated.
func (e *MultilabelClassificationEvaluator) MetricName() string { return e.metricName.Get(e.Params()) }

// IsLargerBetter is false for hammingLoss, true otherwise.
func (e *MultilabelClassificationEvaluator) IsLargerBetter() bool {
	return e.MetricName() != "hammingLoss"
}

// CopyEvaluator implements Evaluator.
func (e *MultilabelClassificationEvaluator) CopyEvaluator(extra param.ParamMap) (Evaluator, error) {
	b, err := e.CopyBase(extra)
	c := *e
	c.StageBase = b
	return &c, err
}

// MultilabelMetrics holds the sums Spark's MultilabelMetrics derives its
// metrics from.
type MultilabelMetrics struct {
	docs, subset, accuracy, precision, recall, f1, hamming float64
	labels                                                 map[float64]bool
	tp, fp, fn                                             map[float64]float64
}

func newMultilabelMetrics() *MultilabelMetrics {
	return &MultilabelMetrics{labels: map[float64]bool{}, tp: map[float64]float64{}, fp: map[float64]float64{}, fn: map[float64]float64{}}
}

// add adds one document.
func (m *MultilabelMetrics) add(pred, lab []float64) {
	inter := 0
	used := make([]bool, len(lab))
	for _, p := range pred {
		hit := false
		for j, l := range lab {
			if !used[j] && l == p {
				used[j], hit = true, true
				break
			}
		}
		if hit {
			inter++
			m.tp[p]++
		} else {
			m.fp[p]++
		}
	}
	for j, l := range lab {
		m.labels[l] = true
		if !used[j] {
			m.fn[l]++
		}
	}
	np, nl, ni := float64(len(pred)), float64(len(lab)), float64(inter)
	m.docs++
	same := len(pred) == len(lab)
	for i := 0; same && i < len(pred); i++ {
		same = pred[i] == lab[i]
	}
	if same {
		m.subset++
	}
	m.accuracy += ni / (nl + np - ni)
	if np > 0 {
		m.precision += ni / np
	}
	m.recall += ni / nl
	m.f1 += 2 * ni / (np + nl)
	m.hamming += nl + np - 2*ni
}

func (m *MultilabelMetrics) merge(o *MultilabelMetrics) {
	m.docs += o.docs
	m.subset += o.subset
	m.accuracy += o.accuracy
	m.precision += o.precision
	m.recall += o.recall
	m.f1 += o.f1
	m.hamming += o.hamming
	for l := range o.labels {
		m.labels[l] = true
	}
	for l, v := range o.tp {
		m.tp[l] += v
	}
	for l, v := range o.fp {
		m.fp[l] += v
	}
	for l, v := range o.fn {
		m.fn[l] += v
	}
}

// SubsetAccuracy is the share of documents predicted exactly.
func (m *MultilabelMetrics) SubsetAccuracy() float64 { return m.subset / m.docs }

// Accuracy is the mean of |P∩L|/|P∪L|.
func (m *MultilabelMetrics) Accuracy() float64 { return m.accuracy / m.docs }

// HammingLoss is the share of wrong (document, label) decisions.
func (m *MultilabelMetrics) HammingLoss() float64 {
	return m.hamming / (m.docs * float64(len(m.labels)))
}

// Precision is the mean over documents of |P∩L|/|P|.
func (m *MultilabelMetrics) Precision() float64 { return m.precision / m.docs }

// Recall is the mean over documents of |P∩L|/|L|.
func (m *MultilabelMetrics) Recall() float64 { return m.recall / m.docs }

// F1Measure is the mean over documents of 2|P∩L|/(|P|+|L|).
func (m *MultilabelMetrics) F1Measure() float64 { return m.f1 / m.docs }

// PrecisionByLabel is tp/(tp+fp) of label l (0 if it is never predicted).
func (m *MultilabelMetrics) PrecisionByLabel(l float64) float64 {
	return ratio(m.tp[l], m.tp[l]+m.fp[l])
}

// RecallByLabel is tp/(tp+fn) of label l (0 if it is never true).
func (m *MultilabelMetrics) RecallByLabel(l float64) float64 { return ratio(m.tp[l], m.tp[l]+m.fn[l]) }

// F1MeasureByLabel is the harmonic mean of label l's precision and recall.
func (m *MultilabelMetrics) F1MeasureByLabel(l float64) float64 {
	p, r := m.PrecisionByLabel(l), m.RecallByLabel(l)
	return ratio(2*p*r, p+r)
}

func (m *MultilabelMetrics) sums() (tp, fp, fn float64) {
	for _, v := range m.tp {
		tp += v
	}
	for _, v := range m.fp {
		fp += v
	}
	for _, v := range m.fn {
		fn += v
	}
	return
}

// MicroPrecision is Σtp/(Σtp+Σfp) over labels.
func (m *MultilabelMetrics) MicroPrecision() float64 {
	tp, fp, _ := m.sums()
	return tp / (tp + fp)
}

// MicroRecall is Σtp/(Σtp+Σfn) over labels.
func (m *MultilabelMetrics) MicroRecall() float64 {
	tp, _, fn := m.sums()
	return tp / (tp + fn)
}

// MicroF1Measure is 2Σtp/(2Σtp+Σfp+Σfn).
func (m *MultilabelMetrics) MicroF1Measure() float64 {
	tp, fp, fn := m.sums()
	return 2 * tp / (2*tp + fp + fn)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Metric returns the metric named as Spark names it; label is used by the
// …ByLabel metrics.
func (m *MultilabelMetrics) Metric(name string, label float64) (float64, error) {
	switch name {
	case "subsetAccuracy":
		return m.SubsetAccuracy(), nil
	case "accuracy":
		return m.Accuracy(), nil
	case "hammingLoss":
		return m.HammingLoss(), nil
	case "precision":
		return m.Precision(), nil
	case "recall":
		return m.Recall(), nil
	case "f1Measure":
		return m.F1Measure(), nil
	case "precisionByLabel":
		return m.PrecisionByLabel(label), nil
	case "recallByLabel":
		return m.RecallByLabel(label), nil
	case "f1MeasureByLabel":
		return m.F1MeasureByLabel(label), nil
	case "microPrecision":
		return m.MicroPrecision(), nil
	case "microRecall":
		return m.MicroRecall(), nil
	case "microF1Measure":
		return m.MicroF1Measure(), nil
	}
	return 0, fmt.Errorf("unknown multilabel metric %q", name)
}

// Evaluate implements Evaluator.
func (e *MultilabelClassificationEvaluator) Evaluate(ctx context.Context, df *frame.DataFrame) (float64, error) {
	m, err := e.Metrics(ctx, df)
	if err != nil {
		return 0, err
	}
	v, err := m.Metric(e.MetricName(), e.metricLabel.Get(e.Params()))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", e.UID(), err)
	}
	return v, nil
}

// Metrics reads df once and returns every metric.
func (e *MultilabelClassificationEvaluator) Metrics(ctx context.Context, df *frame.DataFrame) (*MultilabelMetrics, error) {
	if err := e.CheckParams(); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid, lc, pc := e.UID(), e.labelCol.Get(ps), e.predictionCol.Get(ps)
	if err := checkArrayCols(df, uid, lc, pc); err != nil {
		return nil, err
	}
	parts, err := frame.AggregatePartitions(ctx, df, func(int) *MultilabelMetrics { return newMultilabelMetrics() },
		func(acc *MultilabelMetrics, b arrow.RecordBatch) (*MultilabelMetrics, error) {
			return acc, eachArrayPair(b, uid, pc, lc, func(pred, lab []float64) { acc.add(pred, lab) })
		})
	if err != nil {
		return nil, err
	}
	m := newMultilabelMetrics()
	for _, p := range parts {
		m.merge(p)
	}
	if m.docs == 0 {
		return nil, fmt.Errorf("%s: no rows to evaluate", uid)
	}
	return m, nil
}

// checkArrayCols checks that the columns are arrays of numbers.
func checkArrayCols(df *frame.DataFrame, uid string, cols ...string) error {
	if err := df.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		f, err := ml.CheckColumn(df.Schema(), uid, c)
		if err != nil {
			return err
		}
		ok := false
		switch l := f.Type.(type) {
		case *arrow.ListType:
			ok = ml.IsNumeric(l.Elem())
		case *arrow.LargeListType:
			ok = ml.IsNumeric(l.Elem())
		}
		if !ok {
			return fmt.Errorf("%s: input column %q must be array<double>, got %s", uid, c, ml.TypeName(f.Type))
		}
	}
	return nil
}

// eachArrayPair calls fn with the (prediction, label) arrays of each row of
// b where neither is null; null elements are an error.
func eachArrayPair(b arrow.RecordBatch, uid, pc, lc string, fn func(pred, lab []float64)) error {
	pa, la := b.Column(ml.FieldIndex(b.Schema(), pc)), b.Column(ml.FieldIndex(b.Schema(), lc))
	for i := 0; i < int(b.NumRows()); i++ {
		if pa.IsNull(i) || la.IsNull(i) {
			continue
		}
		pred, err := floatList(values.Value(pa, i))
		if err != nil {
			return fmt.Errorf("%s: column %q: %w", uid, pc, err)
		}
		lab, err := floatList(values.Value(la, i))
		if err != nil {
			return fmt.Errorf("%s: column %q: %w", uid, lc, err)
		}
		fn(pred, lab)
	}
	return nil
}

func floatList(v any) ([]float64, error) {
	xs, _ := v.([]any)
	out := make([]float64, len(xs))
	for i, x := range xs {
		switch n := x.(type) {
		case float64:
			out[i] = n
		case float32:
			out[i] = float64(n)
		case int8:
			out[i] = float64(n)
		case int16:
			out[i] = float64(n)
		case int32:
			out[i] = float64(n)
		case int64:
			out[i] = float64(n)
		case nil:
			return nil, fmt.Errorf("an array holds a null")
		default:
			return nil, fmt.Errorf("an array holds %v (%T), not a number", x, x)
		}
	}
	return out, nil
}
