package regression

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

// fmrDefaultSeed is Spark's default seed of FMRegressor: the Java hash code
// of its class name.
const fmrDefaultSeed = 891375198

type fmrParams struct {
	featuresCol, labelCol, predictionCol param.Param[string]
	optim.FMParams
}

func defineFMR(ps *param.Params) fmrParams {
	return fmrParams{
		featuresCol:   param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:      param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol: param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		FMParams:      optim.DefineFMParams(ps, fmrDefaultSeed),
	}
}

// FMRegressor fits a factorization machine (Rendle 2010) to the squared
// error, as Spark's org.apache.spark.ml.regression.FMRegressor:
//
//	ŷ = b + Σᵢ wᵢxᵢ + Σ_{i<j} ⟨vᵢ, vⱼ⟩ xᵢxⱼ
//
// with factors vᵢ of size factorSize, trained by Spark's mini-batch
// gradient descent with the "adamW" or "gd" updater and L2 regParam (see
// optim.FMTrain for the exact rules and the differences in random draws).
// Spark's FMRegressor has no weightCol.
type FMRegressor struct {
	ml.StageBase
	fmrParams
}

// NewFMRegressor returns an estimator with Spark's defaults.
func NewFMRegressor() *FMRegressor { return newFMRegressor(param.UID("fmr")) }

func newFMRegressor(uid string) *FMRegressor {
	e := &FMRegressor{StageBase: ml.NewStageBase(uid)}
	e.fmrParams = defineFMR(e.Params())
	return e
}

// SetFitLinear sets whether the linear term is fitted.
func (e *FMRegressor) SetFitLinear(v bool) *FMRegressor {
	e.FitLinear.Set(e.Params(), v)
	return e
}

// SetFitIntercept sets whether the intercept is fitted.
func (e *FMRegressor) SetFitIntercept(v bool) *FMRegressor {
	e.FitIntercept.Set(e.Params(), v)
	return e
}

// SetTol sets the convergence tolerance.
func (e *FMRegressor) SetTol(v float64) *FMRegressor {
	e.Tol.Set(e.Params(), v)
	return e
}

// SetInitStd sets the standard deviation of the initial factors.
func (e *FMRegressor) SetInitStd(v float64) *FMRegressor {
	e.InitStd.Set(e.Params(), v)
	return e
}

// SetMiniBatchFraction sets the fraction of rows sampled per iteration.
func (e *FMRegressor) SetMiniBatchFraction(v float64) *FMRegressor {
	e.MiniBatchFraction.Set(e.Params(), v)
	return e
}

// SetFactorSize sets the size of the factor vectors.
func (e *FMRegressor) SetFactorSize(k int) *FMRegressor {
	e.FactorSize.Set(e.Params(), k)
	return e
}

// SetSolver sets the solver: "adamW" or "gd".
func (e *FMRegressor) SetSolver(s string) *FMRegressor {
	e.Solver.Set(e.Params(), s)
	return e
}

// SetStepSize sets the step size.
func (e *FMRegressor) SetStepSize(v float64) *FMRegressor {
	e.StepSize.Set(e.Params(), v)
	return e
}

// SetMaxIter sets the iteration limit.
func (e *FMRegressor) SetMaxIter(n int) *FMRegressor {
	e.MaxIter.Set(e.Params(), n)
	return e
}

// SetRegParam sets the L2 regularization.
func (e *FMRegressor) SetRegParam(v float64) *FMRegressor {
	e.RegParam.Set(e.Params(), v)
	return e
}

// SetSeed sets the seed of the initial factors.
func (e *FMRegressor) SetSeed(s int64) *FMRegressor {
	e.Seed.Set(e.Params(), s)
	return e
}

// ClassName implements ml.Stage.
func (e *FMRegressor) ClassName() string { return classPrefix + "FMRegressor" }

// SparkClassName returns Spark's class name of the estimator.
func (e *FMRegressor) SparkClassName() string { return sparkPrefix + "FMRegressor" }

// TransformSchema implements ml.Stage.
func (e *FMRegressor) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := e.CheckParams(); err != nil {
		return nil, err
	}
	ps := e.Params()
	c := optim.Columns{UID: ps.UID(), FeaturesCol: e.featuresCol.Get(ps), LabelCol: e.labelCol.Get(ps)}
	if err := c.Check(in); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: e.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

// Copy implements ml.Stage.
func (e *FMRegressor) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := e.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *e
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (e *FMRegressor) Save(path string) error { return ml.Save(e, path) }

// Fit implements ml.Estimator.
func (e *FMRegressor) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := e.FitModel(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitModel fits the estimator to df and returns the concrete model.
func (e *FMRegressor) FitModel(ctx context.Context, df *frame.DataFrame) (*FMRegressionModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := e.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := e.Params()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: ps.UID(), FeaturesCol: e.featuresCol.Get(ps), LabelCol: e.labelCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	cfg := e.Config(ps, false)
	w, _, err := optim.FMTrain(ctx, blocks, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ps.UID(), err)
	}
	d := blocks[0].D
	m := newFMRegressionModel(ps.UID(), fmFull(w, d, cfg.FactorSize, cfg.FitLinear, cfg.FitIntercept), d, cfg.FactorSize)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// fmFull returns coefficients in the full layout (factors, linear,
// intercept), zeros for the parts not fitted.
func fmFull(w []float64, d, k int, fitLinear, fitIntercept bool) []float64 {
	out := make([]float64, d*k+d+1)
	copy(out, w[:d*k])
	if fitLinear {
		copy(out[d*k:], w[d*k:d*k+d])
	}
	if fitIntercept {
		out[d*k+d] = w[len(w)-1]
	}
	return out
}

// FMRegressionModel predicts b + Σᵢ wᵢxᵢ + Σ_{i<j} ⟨vᵢ, vⱼ⟩ xᵢxⱼ, as
// Spark's FMRegressionModel.
type FMRegressionModel struct {
	ml.StageBase
	fmrParams
	optim.FMWeights
}

func newFMRegressionModel(uid string, coef []float64, d, k int) *FMRegressionModel {
	m := &FMRegressionModel{StageBase: ml.NewStageBase(uid), FMWeights: optim.FMWeights{Coef: coef, D: d, K: k}}
	m.fmrParams = defineFMR(m.Params())
	return m
}

// Predict returns the prediction for x.
func (m *FMRegressionModel) Predict(x linalg.Vector) (float64, error) {
	if x.Size() != m.D {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), m.D)
	}
	return optim.FMRaw(x.ToArray(), m.Coef, m.K, true, true, nil), nil
}

// ClassName implements ml.Stage.
func (m *FMRegressionModel) ClassName() string { return classPrefix + "FMRegressionModel" }

// SparkClassName returns Spark's class name of the model.
func (m *FMRegressionModel) SparkClassName() string { return sparkPrefix + "FMRegressionModel" }

// TransformSchema implements ml.Stage.
func (m *FMRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := m.CheckParams(); err != nil {
		return nil, err
	}
	ps := m.Params()
	if err := (optim.Columns{UID: ps.UID(), FeaturesCol: m.featuresCol.Get(ps)}).Check(in); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: m.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

// Transform adds the prediction column (null for a null feature vector).
func (m *FMRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := ps.UID(), m.featuresCol.Get(ps)
	coef, d, k := m.Coef, m.D, m.K
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
		}
		out := array.NewFloat64Builder(mem)
		defer out.Release()
		x := make([]float64, d)
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				out.AppendNull()
				continue
			}
			if vc.Size(i) != d {
				return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), d)
			}
			clear(x)
			vc.AddTo(i, 1, x)
			out.Append(optim.FMRaw(x, coef, k, true, true, nil))
		}
		return out.NewArray(), nil
	}
	res := df.WithColumn(m.predictionCol.Get(ps), frame.UDF("fmRegressionPredict", arrow.PrimitiveTypes.Float64, fn, frame.Col(fc)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *FMRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: one row {intercept, linear, factors
// (row-major, factorSize per feature)}.
func (m *FMRegressionModel) WriteData(dir string) error {
	return writeFM(dir, m.Coef, m.D, m.K)
}

// Save implements ml.Stage.
func (m *FMRegressionModel) Save(path string) error { return ml.Save(m, path) }

func writeFM(dir string, coef []float64, d, k int) error {
	return ml.WriteColumns(dir, 1, []string{"linear", "factors"}, [][][]float64{{coef[d*k : d*k+d]}, {coef[:d*k]}}, []string{"intercept"}, [][]float64{{coef[d*k+d]}})
}

// readFM reads writeFM's row back as full coefficients, d and k.
func readFM(ctx context.Context, dir, uid string) ([]float64, int, int, error) {
	vecs, nums, n, err := ml.ReadColumns(ctx, dir, []string{"linear", "factors"}, []string{"intercept"})
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%s: %w", uid, err)
	}
	if n != 1 {
		return nil, 0, 0, fmt.Errorf("%s: model data has %d rows, want 1", uid, n)
	}
	lin, fac := vecs[0][0], vecs[1][0]
	d := len(lin)
	if d == 0 || len(fac)%d != 0 || len(fac) == 0 {
		return nil, 0, 0, fmt.Errorf("%s: model data has %d linear weights and %d factors, want factorSize per feature", uid, d, len(fac))
	}
	coef := append(append(slices.Clone(fac), lin...), nums[0][0])
	return coef, d, len(fac) / d, nil
}

func loadFMRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	coef, d, k, err := readFM(ctx, dir, md.UID)
	if err != nil {
		return nil, err
	}
	m := newFMRegressionModel(md.UID, coef, d, k)
	return m, md.ApplyParams(m.Params())
}

func registerFM(r *ml.Registry) {
	r.Register(classPrefix+"FMRegressor", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		e := newFMRegressor(md.UID)
		return e, md.ApplyParams(e.Params())
	})
	r.Register(classPrefix+"FMRegressionModel", loadFMRegressionModel)
	r.Register(sparkPrefix+"FMRegressionModel", loadSparkFMRegressionModel)
}

var _ ml.TypedEstimator[*FMRegressionModel] = (*FMRegressor)(nil)
