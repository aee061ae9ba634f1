package evaluation

import (
	"fmt"
	"slices"
)

// MulticlassMetrics holds Spark's MulticlassMetrics of a weighted
// confusion matrix. Labels are those present in the label column; the
// "weighted" metrics average a per-label metric weighted by each label's
// share of the total weight. A label asked for that never occurs as a
// label is an error.
type MulticlassMetrics struct {
	labels             []float64
	labelW, predW, tpW map[float64]float64
	total, correct, ll float64
	hasLogLoss         bool
}

// NewMulticlassMetrics builds the metrics from a weighted confusion map
// (label, prediction) → total weight.
func NewMulticlassMetrics(conf map[[2]float64]float64) (*MulticlassMetrics, error) {
	keys := make([][2]float64, 0, len(conf))
	for k := range conf {
		keys = append(keys, k)
	}
	// Sorted keys keep the sums' order fixed.
	slices.SortFunc(keys, func(a, b [2]float64) int {
		if c := cmpF(a[0], b[0]); c != 0 {
			return c
		}
		return cmpF(a[1], b[1])
	})
	m := &MulticlassMetrics{labelW: map[float64]float64{}, predW: map[float64]float64{}, tpW: map[float64]float64{}}
	for _, k := range keys {
		w := conf[k]
		if _, ok := m.labelW[k[0]]; !ok {
			m.labels = append(m.labels, k[0])
		}
		m.labelW[k[0]] += w
		m.predW[k[1]] += w
		m.total += w
		if k[0] == k[1] {
			m.tpW[k[0]] += w
			m.correct += w
		}
	}
	if m.total <= 0 {
		return nil, fmt.Errorf("no rows to evaluate")
	}
	slices.Sort(m.labels)
	return m, nil
}

// Labels returns the distinct labels in ascending order.
func (m *MulticlassMetrics) Labels() []float64 { return append([]float64(nil), m.labels...) }

// Accuracy is the weight of correct predictions over the total weight.
func (m *MulticlassMetrics) Accuracy() float64 { return m.correct / m.total }

// HammingLoss is the weight of wrong predictions over the total weight.
func (m *MulticlassMetrics) HammingLoss() float64 { return 1 - m.correct/m.total }

func (m *MulticlassMetrics) check(l float64) error {
	if _, ok := m.labelW[l]; !ok {
		return fmt.Errorf("label %v does not occur in the label column (labels %v)", l, m.labels)
	}
	return nil
}

func (m *MulticlassMetrics) recall(l float64) float64 { return m.tpW[l] / m.labelW[l] }

func (m *MulticlassMetrics) precision(l float64) float64 {
	if m.predW[l] == 0 {
		return 0
	}
	return m.tpW[l] / m.predW[l]
}

func (m *MulticlassMetrics) fpr(l float64) float64 {
	neg := m.total - m.labelW[l]
	if neg == 0 {
		return 0
	}
	return (m.predW[l] - m.tpW[l]) / neg
}

func (m *MulticlassMetrics) one(l float64, f func(float64) float64) (float64, error) {
	if err := m.check(l); err != nil {
		return 0, err
	}
	return f(l), nil
}

// TruePositiveRate (= Recall) of one label.
func (m *MulticlassMetrics) TruePositiveRate(l float64) (float64, error) { return m.one(l, m.recall) }

// FalsePositiveRate of one label: weight predicted l with another label
// over the weight of the other labels.
func (m *MulticlassMetrics) FalsePositiveRate(l float64) (float64, error) { return m.one(l, m.fpr) }

// Precision of one label (0 when l is never predicted).
func (m *MulticlassMetrics) Precision(l float64) (float64, error) { return m.one(l, m.precision) }

// Recall of one label.
func (m *MulticlassMetrics) Recall(l float64) (float64, error) { return m.one(l, m.recall) }

// FMeasure of one label with the given beta.
func (m *MulticlassMetrics) FMeasure(l, beta float64) (float64, error) {
	return m.one(l, func(l float64) float64 { return fMeasure(m.precision(l), m.recall(l), beta) })
}

func (m *MulticlassMetrics) byLabel(f func(float64) float64) []float64 {
	out := make([]float64, len(m.labels))
	for i, l := range m.labels {
		out[i] = f(l)
	}
	return out
}

func (m *MulticlassMetrics) weighted(f func(float64) float64) float64 {
	s := 0.0
	for _, l := range m.labels {
		s += m.labelW[l] / m.total * f(l)
	}
	return s
}

// TruePositiveRateByLabel returns each label's true positive rate, in Labels order.
func (m *MulticlassMetrics) TruePositiveRateByLabel() []float64 { return m.byLabel(m.recall) }

// FalsePositiveRateByLabel returns each label's false positive rate.
func (m *MulticlassMetrics) FalsePositiveRateByLabel() []float64 { return m.byLabel(m.fpr) }

// PrecisionByLabel returns each label's precision.
func (m *MulticlassMetrics) PrecisionByLabel() []float64 { return m.byLabel(m.precision) }

// RecallByLabel returns each label's recall.
func (m *MulticlassMetrics) RecallByLabel() []float64 { return m.byLabel(m.recall) }

// FMeasureByLabel returns each label's F-measure with the given beta.
func (m *MulticlassMetrics) FMeasureByLabel(beta float64) []float64 {
	return m.byLabel(func(l float64) float64 { return fMeasure(m.precision(l), m.recall(l), beta) })
}

// WeightedTruePositiveRate is the label-weighted mean true positive rate.
func (m *MulticlassMetrics) WeightedTruePositiveRate() float64 { return m.weighted(m.recall) }

// WeightedFalsePositiveRate is the label-weighted mean false positive rate.
func (m *MulticlassMetrics) WeightedFalsePositiveRate() float64 { return m.weighted(m.fpr) }

// WeightedRecall is the label-weighted mean recall (= accuracy).
func (m *MulticlassMetrics) WeightedRecall() float64 { return m.weighted(m.recall) }

// WeightedPrecision is the label-weighted mean precision.
func (m *MulticlassMetrics) WeightedPrecision() float64 { return m.weighted(m.precision) }

// WeightedFMeasure is the label-weighted mean F-measure with the given beta.
func (m *MulticlassMetrics) WeightedFMeasure(beta float64) float64 {
	return m.weighted(func(l float64) float64 { return fMeasure(m.precision(l), m.recall(l), beta) })
}

// LogLoss is the weighted mean of −log(max(p[label], eps)), available when
// the metrics were computed with a probability column.
func (m *MulticlassMetrics) LogLoss() (float64, error) {
	if !m.hasLogLoss {
		return 0, fmt.Errorf("logLoss needs the probability column")
	}
	return m.ll / m.total, nil
}
