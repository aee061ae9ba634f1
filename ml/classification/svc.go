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
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

type svcParams struct {
	featuresCol, labelCol, predictionCol, rawPredictionCol, weightCol param.Param[string]
	maxIter                                                           param.Param[int]
	regParam, tol, threshold                                          param.Param[float64]
	fitIntercept, standardization                                     param.Param[bool]
}

func defineSVC(ps *param.Params) svcParams {
	return svcParams{
		featuresCol:      param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:         param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol:    param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		rawPredictionCol: param.Define(ps, "rawPredictionCol", "raw prediction [−m, m] column name; empty for none", param.WithDefault("rawPrediction")),
		weightCol:        param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		maxIter:          param.Define(ps, "maxIter", "maximum number of iterations (>= 0)", param.WithDefault(100), param.WithValidator(param.GtEq(0))),
		regParam:         param.Define(ps, "regParam", "L2 regularization parameter (>= 0)", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
		tol:              param.Define(ps, "tol", "convergence tolerance (>= 0)", param.WithDefault(1e-6), param.WithValidator(param.GtEq(0.0))),
		threshold:        param.Define(ps, "threshold", "threshold on the margin for predicting 1", param.WithDefault(0.0)),
		fitIntercept:     param.Define(ps, "fitIntercept", "whether to fit an intercept", param.WithDefault(true)),
		standardization:  param.Define(ps, "standardization", "whether the penalty applies to standardized coefficients", param.WithDefault(true)),
	}
}

func (p svcParams) outSchema(ps *param.Params, in *arrow.Schema, label bool) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c := optim.Columns{UID: ps.UID(), FeaturesCol: p.featuresCol.Get(ps)}
	if label {
		c.LabelCol, c.WeightCol = p.labelCol.Get(ps), p.weightCol.Get(ps)
	}
	if err := c.Check(in); err != nil {
		return nil, err
	}
	out := in
	var err error
	if name := p.rawPredictionCol.Get(ps); name != "" {
		if out, err = ml.AppendColumn(out, ps.UID(), arrow.Field{Name: name, Type: linalg.VectorType(), Nullable: true}); err != nil {
			return nil, err
		}
	}
	if name := p.predictionCol.Get(ps); name != "" {
		if out, err = ml.AppendColumn(out, ps.UID(), arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Float64, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LinearSVC fits a linear support vector machine for binary labels (0/1) as
// Spark's: it minimizes 1/W Σ wᵢ·max(0, 1 − yᵢ'(w·xᵢ + b)) + λ/2·Σ(σⱼwⱼ)²
// (y' = 2y − 1, σⱼ the sample standard deviations when standardization is
// on, the intercept unpenalized) with L-BFGS over standardized features,
// as Spark does, although the hinge loss is not smooth: the solution is
// accurate to about the tolerance of the objective, not of the
// coefficients. The gradient is aggregated per partition in parallel.
// rawPrediction is [−m, m] for the margin m; prediction is 1 when m >
// threshold.
type LinearSVC struct {
	ml.StageBase
	svcParams
}

// NewLinearSVC returns an estimator with Spark's defaults.
func NewLinearSVC() *LinearSVC { return newLinearSVC(param.UID("linearsvc")) }

func newLinearSVC(uid string) *LinearSVC {
	s := &LinearSVC{StageBase: ml.NewStageBase(uid)}
	s.svcParams = defineSVC(s.Params())
	return s
}

// SetRegParam sets the L2 regularization λ.
func (s *LinearSVC) SetRegParam(v float64) *LinearSVC { s.regParam.Set(s.Params(), v); return s }

// SetMaxIter sets the iteration limit.
func (s *LinearSVC) SetMaxIter(n int) *LinearSVC { s.maxIter.Set(s.Params(), n); return s }

// SetTol sets the convergence tolerance of L-BFGS/OWL-QN, used as Spark
// (through Breeze) does: see optim.Config for the stopping rule.
func (s *LinearSVC) SetTol(v float64) *LinearSVC { s.tol.Set(s.Params(), v); return s }

// SetFitIntercept sets whether an intercept is fitted.
func (s *LinearSVC) SetFitIntercept(b bool) *LinearSVC { s.fitIntercept.Set(s.Params(), b); return s }

// SetStandardization sets whether the penalty applies to standardized coefficients.
func (s *LinearSVC) SetStandardization(b bool) *LinearSVC {
	s.standardization.Set(s.Params(), b)
	return s
}

// SetThreshold sets the margin threshold.
func (s *LinearSVC) SetThreshold(v float64) *LinearSVC { s.threshold.Set(s.Params(), v); return s }

// SetWeightCol sets the instance weight column.
func (s *LinearSVC) SetWeightCol(c string) *LinearSVC { s.weightCol.Set(s.Params(), c); return s }

// SetFeaturesCol sets the features column.
func (s *LinearSVC) SetFeaturesCol(c string) *LinearSVC { s.featuresCol.Set(s.Params(), c); return s }

// SetLabelCol sets the label column.
func (s *LinearSVC) SetLabelCol(c string) *LinearSVC { s.labelCol.Set(s.Params(), c); return s }

// ClassName implements ml.Stage.
func (s *LinearSVC) ClassName() string { return classPrefix + "LinearSVC" }

// TransformSchema implements ml.Stage.
func (s *LinearSVC) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return s.outSchema(s.Params(), in, true)
}

// Copy implements ml.Stage.
func (s *LinearSVC) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := s.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *s
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (s *LinearSVC) Save(path string) error { return ml.Save(s, path) }

// Fit implements ml.Estimator.
func (s *LinearSVC) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := s.FitSVC(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitSVC is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (s *LinearSVC) FitSVC(ctx context.Context, df *frame.DataFrame) (*LinearSVCModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := s.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := s.Params()
	uid := s.UID()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: s.featuresCol.Get(ps), LabelCol: s.labelCol.Get(ps), WeightCol: s.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		for _, y := range b.Y {
			if y != 0 && y != 1 {
				return nil, fmt.Errorf("%s: LinearSVC supports binary labels 0 and 1 only, got %v in column %q", uid, y, s.labelCol.Get(ps))
			}
		}
	}
	mo, err := optim.ComputeMoments(ctx, blocks, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	d := mo.D
	scale := mo.SampleScale()
	fitIntercept := s.fitIntercept.Get(ps)
	var active []int
	std := make([]float64, d)
	for j := range std {
		std[j] = math.Sqrt(mo.VarX[j] * scale)
		if std[j] > 0 {
			active = append(active, j)
		}
	}
	na := len(active)
	n := na
	if fitIntercept {
		n++
	}
	l2 := s.regParam.Get(ps)
	pen := make([]float64, na)
	pre := make([]float64, n)
	for a, j := range active {
		pen[a] = 1
		if !s.standardization.Get(ps) {
			pen[a] = 1 / std[j]
		}
		pre[a] = 1 / (1 + l2*pen[a]*pen[a])
	}
	if fitIntercept {
		pre[na] = 1
	}
	beta := make([]float64, d)
	obj := func(x, g []float64) (float64, error) {
		b0 := 0.0
		if fitIntercept {
			b0 = x[na]
		}
		clear(beta)
		for a, j := range active {
			beta[j] = x[a] / std[j]
			if fitIntercept {
				b0 -= beta[j] * mo.MeanX[j]
			}
		}
		acc, err := optim.Reduce(ctx, blocks, d+2, func(b *optim.Block, a []float64) {
			for i := 0; i < b.N; i++ {
				row := b.Row(i)
				m := b0
				for j, v := range row {
					m += v * beta[j]
				}
				yp := 2*b.Y[i] - 1
				if h := 1 - yp*m; h > 0 {
					w := b.W[i]
					a[d+1] += w * h
					r := -w * yp
					for j, v := range row {
						a[j] += r * v
					}
					a[d] += r
				}
			}
		})
		if err != nil {
			return 0, err
		}
		loss := acc[d+1] / mo.W
		for a, j := range active {
			gv := (acc[j] - mo.MeanX[j]*acc[d]) / (std[j] * mo.W)
			if !fitIntercept {
				gv = acc[j] / (std[j] * mo.W)
			}
			pa := l2 * pen[a] * pen[a]
			g[a] = gv + pa*x[a]
			loss += 0.5 * pa * x[a] * x[a]
		}
		if fitIntercept {
			g[na] = acc[d] / mo.W
		}
		return loss, nil
	}
	res, err := optim.Minimize(ctx, obj, make([]float64, n), nil, optim.Config{MaxIter: s.maxIter.Get(ps), Tol: optim.ParamTol(s.tol.Get(ps)), Precond: pre})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	coef := make([]float64, d)
	b0 := 0.0
	if fitIntercept {
		b0 = res.X[na]
	}
	for a, j := range active {
		coef[j] = res.X[a] / std[j]
		if fitIntercept {
			b0 -= coef[j] * mo.MeanX[j]
		}
	}
	m := newLinearSVCModel(uid, coef, b0)
	m.objective = res.History
	return m, ps.CopyValuesTo(m.Params())
}

// LinearSVCModel predicts with margin m = w·x + b.
type LinearSVCModel struct {
	ml.StageBase
	svcParams
	coef      []float64
	intercept float64
	objective []float64
}

func newLinearSVCModel(uid string, coef []float64, b float64) *LinearSVCModel {
	m := &LinearSVCModel{StageBase: ml.NewStageBase(uid), coef: coef, intercept: b}
	m.svcParams = defineSVC(m.Params())
	return m
}

// Coefficients returns w.
func (m *LinearSVCModel) Coefficients() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.coef...)...)
}

// Intercept returns b.
func (m *LinearSVCModel) Intercept() float64 { return m.intercept }

// ObjectiveHistory returns the objective after each training iteration (nil
// for a loaded model).
func (m *LinearSVCModel) ObjectiveHistory() []float64 { return append([]float64(nil), m.objective...) }

// SetThreshold sets the margin threshold.
func (m *LinearSVCModel) SetThreshold(v float64) *LinearSVCModel {
	m.threshold.Set(m.Params(), v)
	return m
}

// ClassName implements ml.Stage.
func (m *LinearSVCModel) ClassName() string { return classPrefix + "LinearSVCModel" }

// TransformSchema implements ml.Stage.
func (m *LinearSVCModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// Transform adds the rawPrediction and prediction columns (each skipped
// when its name is empty; null for a null vector).
func (m *LinearSVCModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	th := m.threshold.Get(ps)
	udf := func(raw bool) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, err := linalg.Vectors(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			var vb *linalg.VectorBuilder
			var fb *array.Float64Builder
			if raw {
				vb = linalg.NewVectorBuilder(mem)
				defer vb.Release()
			} else {
				fb = array.NewFloat64Builder(mem)
				defer fb.Release()
			}
			pair := make([]float64, 2)
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					if raw {
						vb.AppendNull()
					} else {
						fb.AppendNull()
					}
					continue
				}
				if vc.Size(i) != len(m.coef) {
					return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), len(m.coef))
				}
				mg := vc.DotDense(i, m.coef) + m.intercept
				if raw {
					pair[0], pair[1] = -mg, mg
					vb.AppendDense(pair)
				} else if mg > th {
					fb.Append(1)
				} else {
					fb.Append(0)
				}
			}
			if raw {
				return vb.NewArray(), nil
			}
			return fb.NewArray(), nil
		}
	}
	out := df
	if c := m.rawPredictionCol.Get(ps); c != "" {
		out = out.WithColumn(c, frame.UDF("linearSVC", linalg.VectorType(), udf(true), frame.Col(fc)))
	}
	if c := m.predictionCol.Get(ps); c != "" {
		out = out.WithColumn(c, frame.UDF("linearSVC", arrow.PrimitiveTypes.Float64, udf(false), frame.Col(fc)))
	}
	return out, out.Err()
}

// Copy implements ml.Stage.
func (m *LinearSVCModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: coefficients and intercept as one Parquet row.
func (m *LinearSVCModel) WriteData(dir string) error {
	return ml.WriteVectorRows(dir, "coefficients", [][]float64{m.coef}, "intercept", []float64{m.intercept})
}

// Save implements ml.Stage.
func (m *LinearSVCModel) Save(path string) error { return ml.Save(m, path) }

func loadLinearSVCModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	coef, b, err := ml.ReadVectorRows(ctx, dir, "coefficients", "intercept")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(coef) != 1 {
		return nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, len(coef))
	}
	m := newLinearSVCModel(md.UID, coef[0], b[0])
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (s *LinearSVC) FitModel(ctx context.Context, df *frame.DataFrame) (*LinearSVCModel, error) {
	return s.FitSVC(ctx, df)
}

var _ ml.TypedEstimator[*LinearSVCModel] = (*LinearSVC)(nil)
