package regression

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// registerGLR adds the loaders of GeneralizedLinearRegression and its
// model, under gspark's class names and Spark's.
func registerGLR(r *ml.Registry) {
	est := func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		g := newGeneralizedLinearRegression(md.UID)
		if md.IsSpark() {
			return g, md.ApplySparkParams(g.Params())
		}
		return g, md.ApplyParams(g.Params())
	}
	r.Register(classPrefix+"GeneralizedLinearRegression", est)
	r.Register(sparkPrefix+"GeneralizedLinearRegression", est)
	r.Register(classPrefix+"GeneralizedLinearRegressionModel", loadGLRModel)
	r.Register(sparkPrefix+"GeneralizedLinearRegressionModel", loadGLRModel)
}

// glrParams are the params GeneralizedLinearRegression and its model
// share, with Spark's names and defaults.
type glrParams struct {
	featuresCol, labelCol, predictionCol, weightCol, offsetCol, linkPredictionCol param.Param[string]
	family, link, solver                                                          param.Param[string]
	variancePower, linkPower, regParam, tol                                       param.Param[float64]
	maxIter, aggregationDepth                                                     param.Param[int]
	fitIntercept                                                                  param.Param[bool]
}

func lowerOneOf(opts ...string) func(string) error {
	return func(v string) error {
		for _, o := range opts {
			if strings.ToLower(v) == o {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", v, strings.Join(opts, ", "))
	}
}

func defineGLR(ps *param.Params) glrParams {
	return glrParams{
		featuresCol:       param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:          param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol:     param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		weightCol:         param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset); for the binomial family the number of trials"),
		offsetCol:         param.Define[string](ps, "offsetCol", "offset column name (all offsets 0 if unset); the offset enters the linear predictor with coefficient 1"),
		linkPredictionCol: param.Define[string](ps, "linkPredictionCol", "link prediction (linear predictor) column name; not output if unset"),
		family:            param.Define(ps, "family", "the error distribution: gaussian, binomial, poisson, gamma or tweedie", param.WithDefault("gaussian"), param.WithValidator(lowerOneOf("gaussian", "binomial", "poisson", "gamma", "tweedie"))),
		link:              param.Define(ps, "link", "the link function: identity, log, inverse, logit, probit, cloglog or sqrt (not for tweedie; the family's default if unset)", param.WithValidator(lowerOneOf("identity", "log", "inverse", "logit", "probit", "cloglog", "sqrt"))),
		solver:            param.Define(ps, "solver", "the solver: irls", param.WithDefault("irls"), param.WithValidator(param.OneOf("irls"))),
		variancePower: param.Define(ps, "variancePower", "the power of the Tweedie variance function V(mu) = mu^p: 0 or in [1, Inf)", param.WithDefault(0.0), param.WithValidator(func(v float64) error {
			if v == 0 || (v >= 1 && !math.IsInf(v, 1)) {
				return nil
			}
			return fmt.Errorf("variancePower %v must be 0 or in [1, Inf)", v)
		})),
		linkPower:        param.Define[float64](ps, "linkPower", "the index of the Tweedie power link (1 - variancePower if unset)"),
		regParam:         param.Define(ps, "regParam", "L2 regularization parameter (>= 0)", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
		tol:              param.Define(ps, "tol", "convergence tolerance of IRLS: the largest change of a coefficient (>= 0)", param.WithDefault(1e-6), param.WithValidator(param.GtEq(0.0))),
		maxIter:          param.Define(ps, "maxIter", "maximum number of IRLS iterations (>= 0)", param.WithDefault(25), param.WithValidator(param.GtEq(0))),
		aggregationDepth: param.Define(ps, "aggregationDepth", "suggested depth for tree aggregation (>= 2); gspark sums partitions directly", param.WithDefault(2), param.WithValidator(param.GtEq(2))),
		fitIntercept:     param.Define(ps, "fitIntercept", "whether to fit an intercept", param.WithDefault(true)),
	}
}

// resolve returns the family and link the params select, or an error for
// a pair Spark does not support.
func (p glrParams) resolve(ps *param.Params) (glmFamily, glmLink, error) {
	link, linkSet := p.link.GetOK(ps)
	lp, lpSet := p.linkPower.GetOK(ps)
	f, l, err := familyAndLink(p.family.Get(ps), p.variancePower.Get(ps), link, linkSet && link != "", lp, lpSet)
	if err != nil {
		return f, l, fmt.Errorf("%s: %w", ps.UID(), err)
	}
	return f, l, nil
}

func (p glrParams) checkSchema(ps *param.Params, in *arrow.Schema, fitting bool) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if _, _, err := p.resolve(ps); err != nil {
		return nil, err
	}
	uid := ps.UID()
	if _, err := ml.CheckColumn(in, uid, p.featuresCol.Get(ps), ml.Vector); err != nil {
		return nil, err
	}
	cols := []string{}
	if fitting {
		cols = append(cols, p.labelCol.Get(ps), p.weightCol.Get(ps))
	}
	cols = append(cols, p.offsetCol.Get(ps))
	for _, c := range cols {
		if c == "" {
			continue
		}
		if _, err := ml.CheckColumn(in, uid, c, ml.Numeric); err != nil {
			return nil, err
		}
	}
	out := in
	var err error
	if pc := p.predictionCol.Get(ps); pc != "" {
		if out, err = ml.AppendColumn(out, uid, arrow.Field{Name: pc, Type: arrow.PrimitiveTypes.Float64, Nullable: true}); err != nil {
			return nil, err
		}
	}
	if lc := p.linkPredictionCol.Get(ps); lc != "" {
		if out, err = ml.AppendColumn(out, uid, arrow.Field{Name: lc, Type: arrow.PrimitiveTypes.Float64, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GeneralizedLinearRegression fits a generalized linear model as Spark's
// (org.apache.spark.ml.regression.GeneralizedLinearRegression): a family
// (gaussian, binomial, poisson, gamma, or tweedie with variancePower) and
// a link (identity, log, inverse, logit, probit, cloglog, sqrt, or the
// tweedie power link linkPower), with Spark's default link per family and
// the pairs Spark allows:
//
//	gaussian: identity, log, inverse     binomial: logit, probit, cloglog
//	poisson:  log, identity, sqrt        gamma:    inverse, identity, log
//
// gaussian with identity is solved in one weighted least squares step on
// label − offset; the others by iteratively reweighted least squares
// (Spark's IRLS, solver "irls") from a least squares fit to g(μ₀) −
// offset. regParam is an L2 penalty applied as Spark's
// WeightedLeastSquares applies it: in the single and initial solves to
// standardized coefficients, regParam/σ_z·½Σ(σⱼβⱼ)², in each IRLS step as
// regParam·½‖β‖², added to the weighted mean squared error. The intercept
// is never penalized. Training builds a GeneralizedLinearRegressionSummary.
type GeneralizedLinearRegression struct {
	ml.StageBase
	glrParams
}

// NewGeneralizedLinearRegression returns an estimator with Spark's
// defaults (gaussian family, identity link, maxIter 25, tol 1e-6).
func NewGeneralizedLinearRegression() *GeneralizedLinearRegression {
	return newGeneralizedLinearRegression(param.UID("glm"))
}

func newGeneralizedLinearRegression(uid string) *GeneralizedLinearRegression {
	g := &GeneralizedLinearRegression{StageBase: ml.NewStageBase(uid)}
	g.glrParams = defineGLR(g.Params())
	return g
}

// SetFeaturesCol sets the features column.
func (g *GeneralizedLinearRegression) SetFeaturesCol(c string) *GeneralizedLinearRegression {
	g.featuresCol.Set(g.Params(), c)
	return g
}

// SetLabelCol sets the label column.
func (g *GeneralizedLinearRegression) SetLabelCol(c string) *GeneralizedLinearRegression {
	g.labelCol.Set(g.Params(), c)
	return g
}

// SetPredictionCol sets the prediction (fitted mean) column.
func (g *GeneralizedLinearRegression) SetPredictionCol(c string) *GeneralizedLinearRegression {
	g.predictionCol.Set(g.Params(), c)
	return g
}

// SetLinkPredictionCol sets the link prediction (linear predictor) column.
func (g *GeneralizedLinearRegression) SetLinkPredictionCol(c string) *GeneralizedLinearRegression {
	g.linkPredictionCol.Set(g.Params(), c)
	return g
}

// SetWeightCol sets the instance weight column (trials for binomial).
func (g *GeneralizedLinearRegression) SetWeightCol(c string) *GeneralizedLinearRegression {
	g.weightCol.Set(g.Params(), c)
	return g
}

// SetOffsetCol sets the offset column.
func (g *GeneralizedLinearRegression) SetOffsetCol(c string) *GeneralizedLinearRegression {
	g.offsetCol.Set(g.Params(), c)
	return g
}

// SetFamily sets the family: gaussian, binomial, poisson, gamma or tweedie.
func (g *GeneralizedLinearRegression) SetFamily(f string) *GeneralizedLinearRegression {
	g.family.Set(g.Params(), f)
	return g
}

// SetLink sets the link function (not used by the tweedie family).
func (g *GeneralizedLinearRegression) SetLink(l string) *GeneralizedLinearRegression {
	g.link.Set(g.Params(), l)
	return g
}

// SetVariancePower sets the Tweedie variance power: 0 or at least 1.
func (g *GeneralizedLinearRegression) SetVariancePower(p float64) *GeneralizedLinearRegression {
	g.variancePower.Set(g.Params(), p)
	return g
}

// SetLinkPower sets the Tweedie link power (0 is the log link).
func (g *GeneralizedLinearRegression) SetLinkPower(p float64) *GeneralizedLinearRegression {
	g.linkPower.Set(g.Params(), p)
	return g
}

// SetRegParam sets the L2 regularization parameter.
func (g *GeneralizedLinearRegression) SetRegParam(v float64) *GeneralizedLinearRegression {
	g.regParam.Set(g.Params(), v)
	return g
}

// SetTol sets the IRLS convergence tolerance.
func (g *GeneralizedLinearRegression) SetTol(v float64) *GeneralizedLinearRegression {
	g.tol.Set(g.Params(), v)
	return g
}

// SetMaxIter sets the maximum number of IRLS iterations.
func (g *GeneralizedLinearRegression) SetMaxIter(n int) *GeneralizedLinearRegression {
	g.maxIter.Set(g.Params(), n)
	return g
}

// SetFitIntercept sets whether an intercept is fitted.
func (g *GeneralizedLinearRegression) SetFitIntercept(v bool) *GeneralizedLinearRegression {
	g.fitIntercept.Set(g.Params(), v)
	return g
}

// SetSolver sets the solver; "irls" is the only one, as in Spark.
func (g *GeneralizedLinearRegression) SetSolver(s string) *GeneralizedLinearRegression {
	g.solver.Set(g.Params(), s)
	return g
}

// ClassName implements ml.Stage.
func (g *GeneralizedLinearRegression) ClassName() string {
	return classPrefix + "GeneralizedLinearRegression"
}

// TransformSchema implements ml.Stage.
func (g *GeneralizedLinearRegression) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return g.checkSchema(g.Params(), in, true)
}

// Copy implements ml.Stage.
func (g *GeneralizedLinearRegression) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := g.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *g
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (g *GeneralizedLinearRegression) Save(path string) error { return ml.Save(g, path) }

// Fit implements ml.Estimator.
func (g *GeneralizedLinearRegression) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := g.FitModel(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitModel fits the estimator to df and returns the concrete model with
// its training summary.
func (g *GeneralizedLinearRegression) FitModel(ctx context.Context, df *frame.DataFrame) (*GeneralizedLinearRegressionModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := g.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := g.Params()
	uid := g.UID()
	fam, link, err := g.resolve(ps)
	if err != nil {
		return nil, err
	}
	blocks, d, err := readGLMBlocks(ctx, df, glmColumns{uid: uid, features: g.featuresCol.Get(ps), label: g.labelCol.Get(ps), weight: g.weightCol.Get(ps), offset: g.offsetCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	res, err := fitGLM(ctx, blocks, d, fam, link, g.fitIntercept.Get(ps), g.regParam.Get(ps), g.maxIter.Get(ps), g.tol.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newGLRModel(uid, res.coef, res.intercept)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	sum, err := m.summarize(ctx, df, blocks)
	if err != nil {
		return nil, err
	}
	ts := &GeneralizedLinearRegressionTrainingSummary{GeneralizedLinearRegressionSummary: sum, NumIterations: res.iterations, Solver: g.solver.Get(ps), diagInv: res.diagInv,
		fitIntercept: g.fitIntercept.Get(ps), featuresCol: g.featuresCol.Get(ps)}
	ts.coef = append([]float64(nil), res.coef...)
	if g.fitIntercept.Get(ps) {
		ts.coef = append(ts.coef, res.intercept)
	}
	m.summary = ts
	return m, nil
}

var _ ml.TypedEstimator[*GeneralizedLinearRegressionModel] = (*GeneralizedLinearRegression)(nil)

// GeneralizedLinearRegressionModel predicts the mean g⁻¹(x·β + β₀ +
// offset) (clamped into the family's range as Spark) and, when
// linkPredictionCol is set, the linear predictor x·β + β₀ + offset.
type GeneralizedLinearRegressionModel struct {
	ml.StageBase
	glrParams
	coef      []float64
	intercept float64
	summary   *GeneralizedLinearRegressionTrainingSummary
}

func newGLRModel(uid string, coef []float64, intercept float64) *GeneralizedLinearRegressionModel {
	m := &GeneralizedLinearRegressionModel{StageBase: ml.NewStageBase(uid), coef: coef, intercept: intercept}
	m.glrParams = defineGLR(m.Params())
	return m
}

// NewGeneralizedLinearRegressionModel makes a model from known
// coefficients (gaussian family and identity link until set otherwise).
func NewGeneralizedLinearRegressionModel(coefficients []float64, intercept float64) *GeneralizedLinearRegressionModel {
	return newGLRModel(param.UID("glm"), append([]float64(nil), coefficients...), intercept)
}

// Coefficients returns the coefficients β.
func (m *GeneralizedLinearRegressionModel) Coefficients() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.coef...)...)
}

// Intercept returns the intercept β₀.
func (m *GeneralizedLinearRegressionModel) Intercept() float64 { return m.intercept }

// NumFeatures returns the size of the feature vectors.
func (m *GeneralizedLinearRegressionModel) NumFeatures() int { return len(m.coef) }

// Summary returns the training summary, nil for a loaded model.
func (m *GeneralizedLinearRegressionModel) Summary() *GeneralizedLinearRegressionTrainingSummary {
	return m.summary
}

// HasSummary reports whether the model has a training summary.
func (m *GeneralizedLinearRegressionModel) HasSummary() bool { return m.summary != nil }

// SetFeaturesCol sets the features column.
func (m *GeneralizedLinearRegressionModel) SetFeaturesCol(c string) *GeneralizedLinearRegressionModel {
	m.featuresCol.Set(m.Params(), c)
	return m
}

// SetPredictionCol sets the prediction column.
func (m *GeneralizedLinearRegressionModel) SetPredictionCol(c string) *GeneralizedLinearRegressionModel {
	m.predictionCol.Set(m.Params(), c)
	return m
}

// SetLinkPredictionCol sets the link prediction column.
func (m *GeneralizedLinearRegressionModel) SetLinkPredictionCol(c string) *GeneralizedLinearRegressionModel {
	m.linkPredictionCol.Set(m.Params(), c)
	return m
}

// SetFamily sets the family of a model made from known coefficients.
func (m *GeneralizedLinearRegressionModel) SetFamily(f string) *GeneralizedLinearRegressionModel {
	m.family.Set(m.Params(), f)
	return m
}

// SetLink sets the link of a model made from known coefficients.
func (m *GeneralizedLinearRegressionModel) SetLink(l string) *GeneralizedLinearRegressionModel {
	m.link.Set(m.Params(), l)
	return m
}

// SetOffsetCol sets the offset column read by Transform and Evaluate.
func (m *GeneralizedLinearRegressionModel) SetOffsetCol(c string) *GeneralizedLinearRegressionModel {
	m.offsetCol.Set(m.Params(), c)
	return m
}

// Predict returns the predicted mean for one feature vector (offset 0).
func (m *GeneralizedLinearRegressionModel) Predict(x linalg.Vector) (float64, error) {
	if x.Size() != len(m.coef) {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), len(m.coef))
	}
	fam, link, err := m.resolve(m.Params())
	if err != nil {
		return 0, err
	}
	eta := m.intercept
	x.ForEachActive(func(i int, v float64) { eta += v * m.coef[i] })
	return fam.project(link.unlink(eta)), nil
}

// ClassName implements ml.Stage.
func (m *GeneralizedLinearRegressionModel) ClassName() string {
	return classPrefix + "GeneralizedLinearRegressionModel"
}

// TransformSchema implements ml.Stage.
func (m *GeneralizedLinearRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.checkSchema(m.Params(), in, false)
}

// Transform adds the prediction column and, when set, the link prediction
// column (null for a null feature vector or offset).
func (m *GeneralizedLinearRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	fam, link, err := m.resolve(ps)
	if err != nil {
		return nil, err
	}
	uid, fc, oc := m.UID(), m.featuresCol.Get(ps), m.offsetCol.Get(ps)
	coef, b := m.coef, m.intercept
	args := []frame.Column{frame.Col(fc)}
	if oc != "" {
		args = append(args, frame.Col(oc))
	}
	udf := func(mean bool) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, err := linalg.Vectors(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			var off []float64
			if len(args) > 1 {
				if off, err = ml.Float64Column(args[1], nil); err != nil {
					return nil, fmt.Errorf("%s: offset column %q: %w", uid, oc, err)
				}
			}
			out := array.NewFloat64Builder(mem)
			defer out.Release()
			out.Reserve(vc.Len())
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) || (off != nil && args[1].IsNull(i)) {
					out.AppendNull()
					continue
				}
				if vc.Size(i) != len(coef) {
					return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), len(coef))
				}
				eta := vc.DotDense(i, coef) + b
				if off != nil {
					eta += off[i]
				}
				if mean {
					eta = fam.project(link.unlink(eta))
				}
				out.UnsafeAppend(eta)
			}
			return out.NewArray(), nil
		}
	}
	// The columns in TransformSchema's order (Spark's schema order):
	// prediction, then link prediction.
	res := df
	if pc := m.predictionCol.Get(ps); pc != "" {
		res = res.WithColumn(pc, frame.UDF("glmPredict", arrow.PrimitiveTypes.Float64, udf(true), args...))
	}
	if lc := m.linkPredictionCol.Get(ps); lc != "" {
		res = res.WithColumn(lc, frame.UDF("glmLinkPredict", arrow.PrimitiveTypes.Float64, udf(false), args...))
	}
	return res, res.Err()
}

// Copy implements ml.Stage; the copy keeps the training summary.
func (m *GeneralizedLinearRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: intercept and coefficients as one
// Parquet row, the layout of Spark's GeneralizedLinearRegressionModel data.
func (m *GeneralizedLinearRegressionModel) WriteData(dir string) error {
	return ml.WriteVectorRows(dir, "coefficients", [][]float64{m.coef}, "intercept", []float64{m.intercept})
}

// Save implements ml.Stage (the summary is not saved, as in Spark).
func (m *GeneralizedLinearRegressionModel) Save(path string) error { return ml.Save(m, path) }

// loadGLRModel reads a model saved by gspark or by Spark (metadata, and
// data/ with one row of intercept and coefficients).
func loadGLRModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var coef [][]float64
	var b []float64
	var err error
	if md.IsSpark() {
		coef, b, err = readSparkGLRData(ctx, dir)
	} else {
		coef, b, err = ml.ReadVectorRows(ctx, dir, "coefficients", "intercept")
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(coef) != 1 {
		return nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, len(coef))
	}
	m := newGLRModel(md.UID, coef[0], b[0])
	if md.IsSpark() {
		err = md.ApplySparkParams(m.Params())
	} else {
		err = md.ApplyParams(m.Params())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if _, _, err := m.resolve(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}
