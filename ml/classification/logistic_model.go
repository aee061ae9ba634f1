package classification

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// LogisticRegressionModel predicts classes with fitted coefficients. A
// binomial model has one coefficient row: rawPrediction is [−m, m] and
// probability [1−σ(m), σ(m)] for the margin m; a multinomial model has a row
// per class: rawPrediction holds the margins and probability their softmax.
// The prediction is 1 when σ(m) > threshold (binomial), or the class
// maximizing probability/threshold when thresholds is set, or the most
// probable class.
type LogisticRegressionModel struct {
	ml.StageBase
	logParams
	coef        [][]float64
	icpt        []float64
	multinomial bool
	summary     *LogisticRegressionSummary
}

func newLogisticRegressionModel(uid string, coef [][]float64, icpt []float64, multinomial bool) *LogisticRegressionModel {
	m := &LogisticRegressionModel{StageBase: ml.NewStageBase(uid), coef: coef, icpt: icpt, multinomial: multinomial}
	m.logParams = defineLog(m.Params())
	return m
}

// NumClasses returns the number of classes (2 for a binomial model).
func (m *LogisticRegressionModel) NumClasses() int {
	if m.multinomial {
		return len(m.coef)
	}
	return 2
}

// NumFeatures returns the size of the feature vectors.
func (m *LogisticRegressionModel) NumFeatures() int { return len(m.coef[0]) }

// IsMultinomial reports whether the model is multinomial.
func (m *LogisticRegressionModel) IsMultinomial() bool { return m.multinomial }

// Coefficients returns the coefficients of a binomial model (nil for a
// multinomial one: use CoefficientMatrix).
func (m *LogisticRegressionModel) Coefficients() linalg.Vector {
	if m.multinomial {
		return nil
	}
	return linalg.Dense(append([]float64(nil), m.coef[0]...)...)
}

// Intercept returns the intercept of a binomial model (NaN for a
// multinomial one: use InterceptVector).
func (m *LogisticRegressionModel) Intercept() float64 {
	if m.multinomial {
		return math.NaN()
	}
	return m.icpt[0]
}

// CoefficientMatrix returns the coefficients, a row per class (one row for
// a binomial model).
func (m *LogisticRegressionModel) CoefficientMatrix() [][]float64 {
	out := make([][]float64, len(m.coef))
	for k, r := range m.coef {
		out[k] = append([]float64(nil), r...)
	}
	return out
}

// InterceptVector returns the intercepts, one per coefficient row.
func (m *LogisticRegressionModel) InterceptVector() []float64 {
	return append([]float64(nil), m.icpt...)
}

// Summary returns the training summary, nil for a loaded model.
func (m *LogisticRegressionModel) Summary() *LogisticRegressionSummary { return m.summary }

// HasSummary reports whether the model has a training summary.
func (m *LogisticRegressionModel) HasSummary() bool { return m.summary != nil }

// SetFeaturesCol sets the features column.
func (m *LogisticRegressionModel) SetFeaturesCol(c string) *LogisticRegressionModel {
	m.featuresCol.Set(m.Params(), c)
	return m
}

// SetPredictionCol sets the prediction column ("" for none).
func (m *LogisticRegressionModel) SetPredictionCol(c string) *LogisticRegressionModel {
	m.predictionCol.Set(m.Params(), c)
	return m
}

// SetRawPredictionCol sets the raw prediction column ("" for none).
func (m *LogisticRegressionModel) SetRawPredictionCol(c string) *LogisticRegressionModel {
	m.rawPredictionCol.Set(m.Params(), c)
	return m
}

// SetProbabilityCol sets the probability column ("" for none).
func (m *LogisticRegressionModel) SetProbabilityCol(c string) *LogisticRegressionModel {
	m.probabilityCol.Set(m.Params(), c)
	return m
}

// SetThreshold sets the binomial threshold (and clears thresholds).
func (m *LogisticRegressionModel) SetThreshold(v float64) *LogisticRegressionModel {
	m.threshold.Set(m.Params(), v)
	m.Params().Clear(m.thresholds.Name())
	return m
}

// SetThresholds sets per-class thresholds.
func (m *LogisticRegressionModel) SetThresholds(t []float64) *LogisticRegressionModel {
	m.thresholds.Set(m.Params(), t)
	return m
}

// ClassName implements ml.Stage.
func (m *LogisticRegressionModel) ClassName() string { return classPrefix + "LogisticRegressionModel" }

// TransformSchema implements ml.Stage.
func (m *LogisticRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// margins writes the margins of x (one per coefficient row) into out.
func (m *LogisticRegressionModel) margins(vc *linalg.VectorColumn, i int, out []float64) {
	for k, row := range m.coef {
		out[k] = vc.DotDense(i, row) + m.icpt[k]
	}
}

// probabilities turns the margins into class probabilities.
func (m *LogisticRegressionModel) probabilities(margins, probs []float64) {
	if !m.multinomial {
		p := 1 / (1 + math.Exp(-margins[0]))
		probs[0], probs[1] = 1-p, p
		return
	}
	mx := math.Inf(-1)
	for _, v := range margins {
		mx = math.Max(mx, v)
	}
	z := 0.0
	for k, v := range margins {
		probs[k] = math.Exp(v - mx)
		z += probs[k]
	}
	for k := range probs {
		probs[k] /= z
	}
}

func (m *LogisticRegressionModel) predict(probs []float64) float64 {
	ps := m.Params()
	if t, ok := m.thresholds.GetOK(ps); ok && len(t) == len(probs) {
		best, bestV := 0, math.Inf(-1)
		for k, p := range probs {
			v := math.Inf(1)
			if t[k] > 0 {
				v = p / t[k]
			}
			if v > bestV {
				best, bestV = k, v
			}
		}
		return float64(best)
	}
	if !m.multinomial {
		if probs[1] > m.threshold.Get(ps) {
			return 1
		}
		return 0
	}
	best := 0
	for k, p := range probs {
		if p > probs[best] {
			best = k
		}
	}
	return float64(best)
}

// Transform adds the rawPrediction, probability and prediction columns
// (each skipped when its column name is empty; null for a null vector).
func (m *LogisticRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	if t, ok := m.thresholds.GetOK(ps); ok && len(t) != m.NumClasses() {
		return nil, fmt.Errorf("%s: thresholds has %d values but the model has %d classes", uid, len(t), m.NumClasses())
	}
	K, d, nc := len(m.coef), m.NumFeatures(), m.NumClasses()
	// kind 0: raw, 1: probability, 2: prediction.
	udf := func(kind int) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, err := linalg.Vectors(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			margins, probs, raw := make([]float64, K), make([]float64, nc), make([]float64, nc)
			var vb *linalg.VectorBuilder
			var fb *array.Float64Builder
			if kind == 2 {
				fb = array.NewFloat64Builder(mem)
				defer fb.Release()
				fb.Reserve(vc.Len())
			} else {
				vb = linalg.NewVectorBuilder(mem)
				defer vb.Release()
				vb.Reserve(vc.Len())
			}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					if fb != nil {
						fb.AppendNull()
					} else {
						vb.AppendNull()
					}
					continue
				}
				if vc.Size(i) != d {
					return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), d)
				}
				m.margins(vc, i, margins)
				switch kind {
				case 0:
					if m.multinomial {
						copy(raw, margins)
					} else {
						raw[0], raw[1] = -margins[0], margins[0]
					}
					vb.AppendDense(raw)
				case 1:
					m.probabilities(margins, probs)
					vb.AppendDense(probs)
				default:
					m.probabilities(margins, probs)
					fb.Append(m.predict(probs))
				}
			}
			if fb != nil {
				return fb.NewArray(), nil
			}
			return vb.NewArray(), nil
		}
	}
	return withPredictionColumns(df, "logisticRegression", fc, [3]string{m.rawPredictionCol.Get(ps), m.probabilityCol.Get(ps), m.predictionCol.Get(ps)}, udf)
}

// Copy implements ml.Stage.
func (m *LogisticRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: whether the model is multinomial.
func (m *LogisticRegressionModel) ExtraMetadata() map[string]any {
	return map[string]any{"isMultinomial": m.multinomial}
}

// WriteData implements ml.DataWriter: one Parquet row per row of the
// coefficient matrix, with its intercept.
func (m *LogisticRegressionModel) WriteData(dir string) error {
	return ml.WriteVectorRows(dir, "coefficients", m.coef, "intercept", m.icpt)
}

// Save implements ml.Stage.
func (m *LogisticRegressionModel) Save(path string) error { return ml.Save(m, path) }

func loadLogisticRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	coef, icpt, err := ml.ReadVectorRows(ctx, dir, "coefficients", "intercept")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	var multi bool
	if err := md.GetExtra("isMultinomial", &multi); err != nil {
		return nil, err
	}
	if len(coef) == 0 || len(coef) != len(icpt) {
		return nil, fmt.Errorf("%s: model data has %d coefficient rows and %d intercepts", md.UID, len(coef), len(icpt))
	}
	for _, r := range coef {
		if len(r) != len(coef[0]) {
			return nil, fmt.Errorf("%s: ragged coefficient matrix", md.UID)
		}
	}
	m := newLogisticRegressionModel(md.UID, coef, icpt, multi)
	return m, md.ApplyParams(m.Params())
}
