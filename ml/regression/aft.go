package regression

import (
	"context"
	"errors"
	"fmt"
	"math"
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

// aftDefaultQuantiles returns Spark's default quantileProbabilities.
func aftDefaultQuantiles() []float64 {
	return []float64{0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99}
}

// aftParams are the params AFTSurvivalRegression and its model share, with
// Spark's names and defaults.
type aftParams struct {
	featuresCol, labelCol, predictionCol, censorCol, quantilesCol param.Param[string]
	quantileProbabilities                                         param.Param[[]float64]
	fitIntercept                                                  param.Param[bool]
	maxIter, aggregationDepth                                     param.Param[int]
	tol, maxBlockSizeInMB                                         param.Param[float64]
}

func defineAFT(ps *param.Params) aftParams {
	probs := func(v []float64) error {
		if len(v) == 0 {
			return errors.New("quantileProbabilities must not be empty")
		}
		for _, p := range v {
			if !(p > 0 && p < 1) {
				return fmt.Errorf("quantileProbabilities must be in (0, 1), got %v", p)
			}
		}
		return nil
	}
	return aftParams{
		featuresCol:           param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:              param.Define(ps, "labelCol", "label column name (the survival time, > 0)", param.WithDefault("label")),
		predictionCol:         param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		censorCol:             param.Define(ps, "censorCol", "censor column name: 1 when the event occurred (uncensored), 0 when censored", param.WithDefault("censor")),
		quantilesCol:          param.Define[string](ps, "quantilesCol", "quantiles column name (none if unset)"),
		quantileProbabilities: param.Define(ps, "quantileProbabilities", "probabilities of the quantiles to predict, each in (0, 1)", param.WithDefault(aftDefaultQuantiles()), param.WithValidator(probs)),
		fitIntercept:          param.Define(ps, "fitIntercept", "whether to fit an intercept", param.WithDefault(true)),
		maxIter:               param.Define(ps, "maxIter", "maximum number of iterations (>= 0)", param.WithDefault(100), param.WithValidator(param.GtEq(0))),
		aggregationDepth:      param.Define(ps, "aggregationDepth", "suggested depth for treeAggregate (>= 2); partitions are summed in one step here", param.WithDefault(2), param.WithValidator(param.GtEq(2))),
		tol:                   param.Define(ps, "tol", "convergence tolerance of L-BFGS (>= 0)", param.WithDefault(1e-6), param.WithValidator(param.GtEq(0.0))),
		maxBlockSizeInMB:      param.Define(ps, "maxBlockSizeInMB", "maximum memory of a stacked block in MB (>= 0, 0 for automatic); accepted for Spark compatibility", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
	}
}

func (p aftParams) outputs(ps *param.Params, in *arrow.Schema) (*arrow.Schema, error) {
	out, err := ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
	if err != nil {
		return nil, err
	}
	if q := p.quantilesCol.Get(ps); q != "" {
		return ml.AppendColumn(out, ps.UID(), arrow.Field{Name: q, Type: linalg.VectorType(), Nullable: true})
	}
	return out, nil
}

// AFTSurvivalRegression fits Spark's accelerated failure time model with a
// Weibull lifetime distribution (org.apache.spark.ml.regression.AFTSurvivalRegression):
// log t = β·x + b + σ·ε with ε of the standard extreme value distribution.
// It minimizes, as Spark, the mean negative log-likelihood
//
//	1/n Σᵢ [δᵢ log σ − δᵢ εᵢ + exp(εᵢ)],  εᵢ = (log tᵢ − β·xᵢ − b)/σ
//
// (δᵢ the censor value, 1 for an observed event) with L-BFGS over
// (log σ, b, β·std) from zeros: features are divided by their sample
// standard deviations while fitting, features of zero variance get
// coefficient 0, and the optimizer's stopping rule is Breeze's (maxIter,
// tol). Labels must be positive and censor values 0 or 1. Spark has no
// weightCol for this model, nor does gspark.
type AFTSurvivalRegression struct {
	ml.StageBase
	aftParams
}

// NewAFTSurvivalRegression returns an estimator with Spark's defaults.
func NewAFTSurvivalRegression() *AFTSurvivalRegression {
	return newAFTSurvivalRegression(param.UID("aftSurvReg"))
}

func newAFTSurvivalRegression(uid string) *AFTSurvivalRegression {
	e := &AFTSurvivalRegression{StageBase: ml.NewStageBase(uid)}
	e.aftParams = defineAFT(e.Params())
	return e
}

// SetFeaturesCol sets the features column.
func (e *AFTSurvivalRegression) SetFeaturesCol(c string) *AFTSurvivalRegression {
	e.featuresCol.Set(e.Params(), c)
	return e
}

// SetLabelCol sets the label (survival time) column.
func (e *AFTSurvivalRegression) SetLabelCol(c string) *AFTSurvivalRegression {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the prediction column.
func (e *AFTSurvivalRegression) SetPredictionCol(c string) *AFTSurvivalRegression {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetCensorCol sets the censor column (1 event, 0 censored).
func (e *AFTSurvivalRegression) SetCensorCol(c string) *AFTSurvivalRegression {
	e.censorCol.Set(e.Params(), c)
	return e
}

// SetQuantilesCol sets the quantiles output column.
func (e *AFTSurvivalRegression) SetQuantilesCol(c string) *AFTSurvivalRegression {
	e.quantilesCol.Set(e.Params(), c)
	return e
}

// SetQuantileProbabilities sets the probabilities of the predicted quantiles.
func (e *AFTSurvivalRegression) SetQuantileProbabilities(p ...float64) *AFTSurvivalRegression {
	e.quantileProbabilities.Set(e.Params(), slices.Clone(p))
	return e
}

// SetFitIntercept sets whether an intercept is fitted.
func (e *AFTSurvivalRegression) SetFitIntercept(v bool) *AFTSurvivalRegression {
	e.fitIntercept.Set(e.Params(), v)
	return e
}

// SetMaxIter sets the iteration limit.
func (e *AFTSurvivalRegression) SetMaxIter(n int) *AFTSurvivalRegression {
	e.maxIter.Set(e.Params(), n)
	return e
}

// SetTol sets the convergence tolerance (see optim.Config).
func (e *AFTSurvivalRegression) SetTol(v float64) *AFTSurvivalRegression {
	e.tol.Set(e.Params(), v)
	return e
}

// ClassName implements ml.Stage.
func (e *AFTSurvivalRegression) ClassName() string { return classPrefix + "AFTSurvivalRegression" }

// SparkClassName returns Spark's class name of the estimator.
func (e *AFTSurvivalRegression) SparkClassName() string {
	return sparkPrefix + "AFTSurvivalRegression"
}

func (e *AFTSurvivalRegression) columns() optim.Columns {
	ps := e.Params()
	// The censor values ride in the weight slot of the blocks.
	return optim.Columns{UID: ps.UID(), FeaturesCol: e.featuresCol.Get(ps), LabelCol: e.labelCol.Get(ps), WeightCol: e.censorCol.Get(ps)}
}

// TransformSchema implements ml.Stage.
func (e *AFTSurvivalRegression) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := e.CheckParams(); err != nil {
		return nil, err
	}
	if err := e.columns().Check(in); err != nil {
		return nil, err
	}
	return e.outputs(e.Params(), in)
}

// Copy implements ml.Stage.
func (e *AFTSurvivalRegression) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := e.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *e
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (e *AFTSurvivalRegression) Save(path string) error { return ml.Save(e, path) }

// Fit implements ml.Estimator.
func (e *AFTSurvivalRegression) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := e.FitModel(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// aftLoss adds block b's sum of losses and gradients at params p = (log σ,
// b, β on standardized features) into acc = (loss, gradient...); inv holds
// 1/std per feature (0 for a constant feature).
func aftLoss(b *optim.Block, p, inv []float64, fitIntercept bool, acc []float64) {
	d := b.D
	sigma := math.Exp(p[0])
	logSigma := p[0]
	g := acc[1:]
	for i := 0; i < b.N; i++ {
		x := b.Row(i)
		margin := p[1]
		for j, v := range x {
			margin += p[2+j] * v * inv[j]
		}
		delta := b.W[i]
		eps := (math.Log(b.Y[i]) - margin) / sigma
		ee := math.Exp(eps)
		acc[0] += delta*logSigma - delta*eps + ee
		mult := (delta - ee) / sigma
		g[0] += delta + mult*sigma*eps
		if fitIntercept {
			g[1] += mult
		}
		for j := 0; j < d; j++ {
			g[2+j] += mult * x[j] * inv[j]
		}
	}
}

// FitModel fits the estimator to df and returns the concrete model.
func (e *AFTSurvivalRegression) FitModel(ctx context.Context, df *frame.DataFrame) (*AFTSurvivalRegressionModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := e.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid := e.UID()
	c := e.columns()
	blocks, err := optim.ReadBlocks(ctx, df, c)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, b := range blocks {
		for i := 0; i < b.N; i++ {
			if b.Y[i] <= 0 {
				return nil, fmt.Errorf("%s: label column %q has a non-positive survival time %v", uid, c.LabelCol, b.Y[i])
			}
			if w := b.W[i]; w != 0 && w != 1 {
				return nil, fmt.Errorf("%s: censor column %q has value %v, want 0 (censored) or 1 (event)", uid, c.WeightCol, w)
			}
		}
		n += b.N
	}
	d := blocks[0].D
	// Sample standard deviations of the features, as Spark's summarizer.
	sums, err := optim.Reduce(ctx, blocks, 2*d, func(b *optim.Block, acc []float64) {
		for i := 0; i < b.N; i++ {
			for j, v := range b.Row(i) {
				acc[j] += v
				acc[d+j] += v * v
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	inv := make([]float64, d)
	for j := range inv {
		mean := sums[j] / float64(n)
		v := 0.0
		if n > 1 {
			v = math.Max(0, (sums[d+j]-float64(n)*mean*mean)/float64(n-1))
		}
		if v > 0 {
			inv[j] = 1 / math.Sqrt(v)
		}
	}
	fitIntercept := e.fitIntercept.Get(ps)
	obj := func(p, grad []float64) (float64, error) {
		acc, err := optim.Reduce(ctx, blocks, len(p)+1, func(b *optim.Block, acc []float64) { aftLoss(b, p, inv, fitIntercept, acc) })
		if err != nil {
			return 0, err
		}
		for k := range grad {
			grad[k] = acc[1+k] / float64(n)
		}
		return acc[0] / float64(n), nil
	}
	res, err := optim.Minimize(ctx, obj, make([]float64, d+2), nil, optim.Config{MaxIter: e.maxIter.Get(ps), Tol: optim.ParamTol(e.tol.Get(ps))})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	coef := make([]float64, d)
	for j := range coef {
		coef[j] = res.X[2+j] * inv[j]
	}
	m := newAFTSurvivalRegressionModel(uid, coef, res.X[1], math.Exp(res.X[0]))
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// AFTSurvivalRegressionModel predicts the Weibull scale exp(β·x + b) (the
// prediction) and the quantiles exp(β·x + b)·(−log(1−p))^σ for each
// quantile probability p, as Spark's AFTSurvivalRegressionModel.
type AFTSurvivalRegressionModel struct {
	ml.StageBase
	aftParams
	coef             []float64
	intercept, scale float64
}

func newAFTSurvivalRegressionModel(uid string, coef []float64, intercept, scale float64) *AFTSurvivalRegressionModel {
	m := &AFTSurvivalRegressionModel{StageBase: ml.NewStageBase(uid), coef: coef, intercept: intercept, scale: scale}
	m.aftParams = defineAFT(m.Params())
	return m
}

// NewAFTSurvivalRegressionModel makes a model from known coefficients,
// intercept and scale σ (> 0).
func NewAFTSurvivalRegressionModel(coefficients []float64, intercept, scale float64) (*AFTSurvivalRegressionModel, error) {
	if !(scale > 0) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("AFTSurvivalRegressionModel: scale must be positive and finite, got %v", scale)
	}
	return newAFTSurvivalRegressionModel(param.UID("aftSurvReg"), slices.Clone(coefficients), intercept, scale), nil
}

// Coefficients returns β.
func (m *AFTSurvivalRegressionModel) Coefficients() linalg.Vector {
	return linalg.Dense(slices.Clone(m.coef)...)
}

// Intercept returns b.
func (m *AFTSurvivalRegressionModel) Intercept() float64 { return m.intercept }

// Scale returns σ.
func (m *AFTSurvivalRegressionModel) Scale() float64 { return m.scale }

// NumFeatures returns the size of the feature vectors.
func (m *AFTSurvivalRegressionModel) NumFeatures() int { return len(m.coef) }

// Predict returns exp(β·x + b).
func (m *AFTSurvivalRegressionModel) Predict(x linalg.Vector) (float64, error) {
	if x.Size() != len(m.coef) {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), len(m.coef))
	}
	s := m.intercept
	x.ForEachActive(func(i int, v float64) { s += v * m.coef[i] })
	return math.Exp(s), nil
}

// PredictQuantiles returns the quantiles of the survival time at the
// model's quantileProbabilities.
func (m *AFTSurvivalRegressionModel) PredictQuantiles(x linalg.Vector) (linalg.Vector, error) {
	lambda, err := m.Predict(x)
	if err != nil {
		return nil, err
	}
	return linalg.Dense(aftQuantiles(lambda, m.scale, m.quantileProbabilities.Get(m.Params()))...), nil
}

func aftQuantiles(lambda, scale float64, probs []float64) []float64 {
	out := make([]float64, len(probs))
	for i, p := range probs {
		out[i] = lambda * math.Exp(math.Log(-math.Log1p(-p))*scale)
	}
	return out
}

// SetFeaturesCol sets the features column.
func (m *AFTSurvivalRegressionModel) SetFeaturesCol(c string) *AFTSurvivalRegressionModel {
	m.featuresCol.Set(m.Params(), c)
	return m
}

// SetPredictionCol sets the prediction column.
func (m *AFTSurvivalRegressionModel) SetPredictionCol(c string) *AFTSurvivalRegressionModel {
	m.predictionCol.Set(m.Params(), c)
	return m
}

// SetQuantilesCol sets the quantiles output column.
func (m *AFTSurvivalRegressionModel) SetQuantilesCol(c string) *AFTSurvivalRegressionModel {
	m.quantilesCol.Set(m.Params(), c)
	return m
}

// SetQuantileProbabilities sets the probabilities of the predicted quantiles.
func (m *AFTSurvivalRegressionModel) SetQuantileProbabilities(p ...float64) *AFTSurvivalRegressionModel {
	m.quantileProbabilities.Set(m.Params(), slices.Clone(p))
	return m
}

// ClassName implements ml.Stage.
func (m *AFTSurvivalRegressionModel) ClassName() string {
	return classPrefix + "AFTSurvivalRegressionModel"
}

// SparkClassName returns Spark's class name of the model.
func (m *AFTSurvivalRegressionModel) SparkClassName() string {
	return sparkPrefix + "AFTSurvivalRegressionModel"
}

// TransformSchema implements ml.Stage.
func (m *AFTSurvivalRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := m.CheckParams(); err != nil {
		return nil, err
	}
	ps := m.Params()
	if err := (optim.Columns{UID: ps.UID(), FeaturesCol: m.featuresCol.Get(ps)}).Check(in); err != nil {
		return nil, err
	}
	return m.outputs(ps, in)
}

// Transform adds the prediction column and, when quantilesCol is set, the
// quantiles column (null for a null feature vector).
func (m *AFTSurvivalRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	coef, b, scale := m.coef, m.intercept, m.scale
	probs := m.quantileProbabilities.Get(ps)
	lambdas := func(arr arrow.Array) (*linalg.VectorColumn, []float64, error) {
		vc, err := linalg.Vectors(arr)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
		}
		out := make([]float64, vc.Len())
		for i := range out {
			if vc.IsNull(i) {
				continue
			}
			if vc.Size(i) != len(coef) {
				return nil, nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), len(coef))
			}
			out[i] = math.Exp(vc.DotDense(i, coef) + b)
		}
		return vc, out, nil
	}
	pred := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, ls, err := lambdas(args[0])
		if err != nil {
			return nil, err
		}
		out := array.NewFloat64Builder(mem)
		defer out.Release()
		for i, l := range ls {
			if vc.IsNull(i) {
				out.AppendNull()
			} else {
				out.Append(l)
			}
		}
		return out.NewArray(), nil
	}
	res := df.WithColumn(m.predictionCol.Get(ps), frame.UDF("aftSurvivalRegressionPredict", arrow.PrimitiveTypes.Float64, pred, frame.Col(fc)))
	if q := m.quantilesCol.Get(ps); q != "" {
		quant := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, ls, err := lambdas(args[0])
			if err != nil {
				return nil, err
			}
			out := linalg.NewVectorBuilder(mem)
			defer out.Release()
			for i, l := range ls {
				if vc.IsNull(i) {
					out.AppendNull()
				} else {
					out.AppendDense(aftQuantiles(l, scale, probs))
				}
			}
			return out.NewArray(), nil
		}
		res = res.WithColumn(q, frame.UDF("aftSurvivalRegressionQuantiles", linalg.VectorType(), quant, frame.Col(fc)))
	}
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *AFTSurvivalRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: one row {coefficients, intercept,
// scale}, Spark's columns.
func (m *AFTSurvivalRegressionModel) WriteData(dir string) error {
	return ml.WriteColumns(dir, 1, []string{"coefficients"}, [][][]float64{{m.coef}}, []string{"intercept", "scale"}, [][]float64{{m.intercept}, {m.scale}})
}

// Save implements ml.Stage.
func (m *AFTSurvivalRegressionModel) Save(path string) error { return ml.Save(m, path) }

func loadAFTSurvivalRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	vecs, nums, n, err := ml.ReadColumns(ctx, dir, []string{"coefficients"}, []string{"intercept", "scale"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if n != 1 {
		return nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, n)
	}
	if s := nums[1][0]; !(s > 0) || math.IsInf(s, 0) {
		return nil, fmt.Errorf("%s: model data field scale is %v, want a positive number", md.UID, s)
	}
	m := newAFTSurvivalRegressionModel(md.UID, vecs[0][0], nums[0][0], nums[1][0])
	return m, md.ApplyParams(m.Params())
}

func registerAFT(r *ml.Registry) {
	r.Register(classPrefix+"AFTSurvivalRegression", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		e := newAFTSurvivalRegression(md.UID)
		return e, md.ApplyParams(e.Params())
	})
	r.Register(classPrefix+"AFTSurvivalRegressionModel", loadAFTSurvivalRegressionModel)
	r.Register(sparkPrefix+"AFTSurvivalRegressionModel", loadSparkAFTSurvivalRegressionModel)
}

var _ ml.TypedEstimator[*AFTSurvivalRegressionModel] = (*AFTSurvivalRegression)(nil)
