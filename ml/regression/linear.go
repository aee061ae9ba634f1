// Package regression holds gspark's regression estimators with Spark ML's
// names, params and semantics: LinearRegression (least squares with
// elastic-net regularization), DecisionTreeRegressor,
// RandomForestRegressor and GBTRegressor. Register adds their loaders to an
// ml.Registry.
package regression

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"gonum.org/v1/gonum/mat"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

const classPrefix = "gspark.ml.regression."

// Register adds the loaders of this package's stages to r and returns r.
func Register(r *ml.Registry) *ml.Registry {
	r.Register(classPrefix+"LinearRegression", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		lr := newLinearRegression(md.UID)
		return lr, md.ApplyParams(lr.Params())
	})
	r.Register(classPrefix+"LinearRegressionModel", loadLinearRegressionModel)
	r.Register(classPrefix+"DecisionTreeRegressor", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		t := newDecisionTreeRegressor(md.UID)
		return t, md.ApplyParams(t.Params())
	})
	r.Register(classPrefix+"DecisionTreeRegressionModel", loadDecisionTreeRegressionModel)
	r.Register(classPrefix+"GBTRegressor", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		g := newGBTRegressor(md.UID)
		return g, md.ApplyParams(g.Params())
	})
	r.Register(classPrefix+"GBTRegressionModel", loadGBTRegressionModel)
	r.Register(classPrefix+"RandomForestRegressor", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		f := newRandomForestRegressor(md.UID)
		return f, md.ApplyParams(f.Params())
	})
	r.Register(classPrefix+"RandomForestRegressionModel", loadRandomForestRegressionModel)
	registerSpark(r)
	registerSparkLinear(r)
	registerIsotonic(r)
	registerAFT(r)
	registerFM(r)
	registerGLR(r)
	return r
}

// linParams are the params LinearRegression and its model share.
type linParams struct {
	featuresCol, labelCol, predictionCol, weightCol, solver param.Param[string]
	maxIter                                                 param.Param[int]
	regParam, elasticNetParam, tol                          param.Param[float64]
	fitIntercept, standardization                           param.Param[bool]
}

func defineLin(ps *param.Params) linParams {
	return linParams{
		featuresCol:     param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:        param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol:   param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		weightCol:       param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		solver:          param.Define(ps, "solver", "solver: auto, normal or l-bfgs", param.WithDefault("auto"), param.WithValidator(param.OneOf("auto", "normal", "l-bfgs"))),
		maxIter:         param.Define(ps, "maxIter", "maximum number of iterations (>= 0)", param.WithDefault(100), param.WithValidator(param.GtEq(0))),
		regParam:        param.Define(ps, "regParam", "regularization parameter (>= 0)", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
		elasticNetParam: param.Define(ps, "elasticNetParam", "ElasticNet mixing: 0 is L2, 1 is L1", param.WithDefault(0.0), param.WithValidator(param.InRange(0.0, 1.0))),
		tol:             param.Define(ps, "tol", "convergence tolerance of the iterative solver (>= 0)", param.WithDefault(1e-6), param.WithValidator(param.GtEq(0.0))),
		fitIntercept:    param.Define(ps, "fitIntercept", "whether to fit an intercept", param.WithDefault(true)),
		standardization: param.Define(ps, "standardization", "whether to standardize the features before fitting (the penalty applies to standardized coefficients)", param.WithDefault(true)),
	}
}

// LinearRegression fits y ≈ w·x + b minimizing, as Spark does,
//
//	1/(2W) Σ wᵢ(yᵢ − w·xᵢ − b)² + λ/σ_y·[(1−α)/2·Σⱼ(σⱼwⱼ)² + α·Σⱼ σⱼ|wⱼ|]
//
// with λ = regParam, α = elasticNetParam, σⱼ the feature standard
// deviations when standardization is on (1 otherwise) and σ_y the label's:
// the label is standardized too, so the L2 part is scaled by 1/σ_y (as
// glmnet does). The "normal" solver (chosen by "auto" up to 4096 features,
// as Spark's) works with population standard deviations, as Spark's
// WeightedLeastSquares: Cholesky on the normal equations when there is no
// L1 part, OWL-QN on them otherwise; "l-bfgs" runs L-BFGS/OWL-QN with the
// sample standard deviations, as Spark's l-bfgs path. Both work from the
// Gram matrix XᵀWX aggregated per partition in one
// pass, so the iterations do not touch the data. The intercept is never
// penalized. Features with zero variance get coefficient 0.
type LinearRegression struct {
	ml.StageBase
	linParams
}

// NewLinearRegression returns an estimator with Spark's defaults.
func NewLinearRegression() *LinearRegression { return newLinearRegression(param.UID("linReg")) }

func newLinearRegression(uid string) *LinearRegression {
	lr := &LinearRegression{StageBase: ml.NewStageBase(uid)}
	lr.linParams = defineLin(lr.Params())
	return lr
}

// SetFeaturesCol sets the features column.
func (lr *LinearRegression) SetFeaturesCol(c string) *LinearRegression {
	lr.featuresCol.Set(lr.Params(), c)
	return lr
}

// SetLabelCol sets the label column.
func (lr *LinearRegression) SetLabelCol(c string) *LinearRegression {
	lr.labelCol.Set(lr.Params(), c)
	return lr
}

// SetPredictionCol sets the prediction column.
func (lr *LinearRegression) SetPredictionCol(c string) *LinearRegression {
	lr.predictionCol.Set(lr.Params(), c)
	return lr
}

// SetWeightCol sets the instance weight column.
func (lr *LinearRegression) SetWeightCol(c string) *LinearRegression {
	lr.weightCol.Set(lr.Params(), c)
	return lr
}

// SetSolver sets the solver: "auto", "normal" or "l-bfgs".
func (lr *LinearRegression) SetSolver(s string) *LinearRegression {
	lr.solver.Set(lr.Params(), s)
	return lr
}

// SetMaxIter sets the iteration limit of the iterative solver.
func (lr *LinearRegression) SetMaxIter(n int) *LinearRegression {
	lr.maxIter.Set(lr.Params(), n)
	return lr
}

// SetRegParam sets the regularization strength λ.
func (lr *LinearRegression) SetRegParam(v float64) *LinearRegression {
	lr.regParam.Set(lr.Params(), v)
	return lr
}

// SetElasticNetParam sets the L1 share α of the penalty.
func (lr *LinearRegression) SetElasticNetParam(v float64) *LinearRegression {
	lr.elasticNetParam.Set(lr.Params(), v)
	return lr
}

// SetTol sets the convergence tolerance of L-BFGS/OWL-QN, used as Spark
// (through Breeze) does: see optim.Config for the stopping rule.
func (lr *LinearRegression) SetTol(v float64) *LinearRegression {
	lr.tol.Set(lr.Params(), v)
	return lr
}

// SetFitIntercept sets whether an intercept is fitted.
func (lr *LinearRegression) SetFitIntercept(v bool) *LinearRegression {
	lr.fitIntercept.Set(lr.Params(), v)
	return lr
}

// SetStandardization sets whether the penalty applies to standardized coefficients.
func (lr *LinearRegression) SetStandardization(v bool) *LinearRegression {
	lr.standardization.Set(lr.Params(), v)
	return lr
}

// ClassName implements ml.Stage.
func (lr *LinearRegression) ClassName() string { return classPrefix + "LinearRegression" }

// TransformSchema implements ml.Stage.
func (lr *LinearRegression) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := lr.CheckParams(); err != nil {
		return nil, err
	}
	if err := lr.columns(true).Check(in); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, lr.UID(), arrow.Field{Name: lr.predictionCol.Get(lr.Params()), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

func (p linParams) cols(ps *param.Params, label bool) optim.Columns {
	c := optim.Columns{UID: ps.UID(), FeaturesCol: p.featuresCol.Get(ps)}
	if label {
		c.LabelCol, c.WeightCol = p.labelCol.Get(ps), p.weightCol.Get(ps)
	}
	return c
}

func (lr *LinearRegression) columns(label bool) optim.Columns { return lr.cols(lr.Params(), label) }

// Copy implements ml.Stage.
func (lr *LinearRegression) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := lr.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *lr // param handles are names, valid for the copied holder too
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (lr *LinearRegression) Save(path string) error { return ml.Save(lr, path) }

// Fit implements ml.Estimator.
func (lr *LinearRegression) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := lr.FitLinear(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitLinear is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (lr *LinearRegression) FitLinear(ctx context.Context, df *frame.DataFrame) (*LinearRegressionModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := lr.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := lr.Params()
	uid := lr.UID()
	blocks, err := optim.ReadBlocks(ctx, df, lr.columns(true))
	if err != nil {
		return nil, err
	}
	mo, err := optim.ComputeMoments(ctx, blocks, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	d := mo.D
	lambda, alpha := lr.regParam.Get(ps), lr.elasticNetParam.Get(ps)
	fitIntercept, standardize := lr.fitIntercept.Get(ps), lr.standardization.Get(ps)
	solver := lr.solver.Get(ps)
	// As Spark's LinearRegression.train: "auto" takes WeightedLeastSquares
	// (the normal equations) up to WeightedLeastSquares.MAX_NUM_FEATURES =
	// 4096 features whatever the penalty; WLS solves an elastic net on the
	// normal equations with OWL-QN (its QuasiNewtonSolver).
	useNormal := solver == "normal" || (solver == "auto" && d <= maxNormalFeatures)
	scale := 1.0 // population statistics for the normal solver
	if !useNormal {
		scale = mo.SampleScale()
	}
	sy := math.Sqrt(mo.VarY * scale)
	// Spark reports an objective history of {0} (0 iterations) when there
	// was nothing to iterate: Cholesky on the normal equations
	// (WeightedLeastSquares' objectiveHistory.getOrElse(Array(0.0))) or a
	// constant label.
	sum := &LinearRegressionSummary{Solver: "normal", ObjectiveHistory: []float64{0}}
	if !useNormal {
		sum.Solver = "l-bfgs"
	}
	coef := make([]float64, d)
	intercept := 0.0
	switch {
	case sy == 0 && (fitIntercept || mo.MeanY == 0):
		// A constant label: the model is that constant, as in Spark.
		if fitIntercept {
			intercept = mo.MeanY
		}
	default:
		if sy == 0 {
			if lambda > 0 {
				return nil, fmt.Errorf("%s: the label column %q is constant and nonzero without an intercept: the model cannot be regularized with a standardized label", uid, lr.labelCol.Get(ps))
			}
			sy = math.Abs(mo.MeanY)
		}
		sx := make([]float64, d)
		var active []int
		for j := range sx {
			sx[j] = math.Sqrt(mo.VarX[j] * scale)
			if sx[j] > 0 {
				active = append(active, j)
			}
		}
		k := len(active)
		C := make([]float64, k*k)
		c := make([]float64, k)
		pen := make([]float64, k)
		for a, j := range active {
			for b, l := range active {
				v := mo.XX[j*d+l]
				if fitIntercept {
					v -= mo.MeanX[j] * mo.MeanX[l]
				}
				C[a*k+b] = v / (sx[j] * sx[l])
			}
			v := mo.XY[j]
			if fitIntercept {
				v -= mo.MeanX[j] * mo.MeanY
			}
			c[a] = v / (sx[j] * sy)
			pen[a] = 1
			if !standardize {
				pen[a] = 1 / sx[j]
			}
		}
		l2 := lambda * (1 - alpha) / sy
		l1 := lambda * alpha / sy
		var u []float64
		if useNormal && l1 == 0 {
			u, err = solveNormal(C, c, pen, l2)
			if err != nil {
				useNormal = false // singular: fall back to the iterative solver, as Spark does
				sum.Solver = "l-bfgs"
			} else if k == d {
				sum.diagInv, err = normalDiagInverse(C, pen, l2, mo, sx, fitIntercept)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", uid, err)
				}
			}
		}
		if u == nil {
			// Spark's objective keeps the constant term ½·E[w·ỹ²] of the
			// standardized label ỹ (y − ȳ with an intercept, y without,
			// divided by σ_y): WLS's NormalEquationCostFun has ½·bbBar and
			// the l-bfgs path's LeastSquaresBlockAggregator sums squared
			// residuals. It does not move the minimizer, but the objective
			// history reports it and the convergence test is relative to
			// the starting objective.
			yy := mo.VarY
			if !fitIntercept {
				yy = mo.YY
			}
			cst := 0.5 * yy / (sy * sy)
			obj := func(x, g []float64) (float64, error) {
				f := cst
				for a := 0; a < k; a++ {
					row := C[a*k : a*k+k]
					s := 0.0
					for b, v := range row {
						s += v * x[b]
					}
					pa := pen[a] * pen[a] * l2
					g[a] = s - c[a] + pa*x[a]
					f += 0.5*x[a]*s - c[a]*x[a] + 0.5*pa*x[a]*x[a]
				}
				return f, nil
			}
			var l1w []float64
			if l1 > 0 {
				l1w = make([]float64, k)
				for a := range l1w {
					l1w[a] = l1 * pen[a]
				}
			}
			res, err := optim.Minimize(ctx, obj, make([]float64, k), l1w, optim.Config{MaxIter: lr.maxIter.Get(ps), Tol: optim.ParamTol(lr.tol.Get(ps))})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", uid, err)
			}
			u = res.X
			sum.ObjectiveHistory = res.History
			sum.TotalIterations = res.Iterations
		}
		for a, j := range active {
			coef[j] = u[a] * sy / sx[j]
		}
		if fitIntercept {
			intercept = mo.MeanY
			for j, w := range coef {
				intercept -= w * mo.MeanX[j]
			}
		}
	}
	m := newLinearRegressionModel(uid, coef, intercept)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	if err := sum.compute(ctx, blocks, coef, intercept, fitIntercept); err != nil {
		return nil, err
	}
	m.summary = sum
	return m, nil
}

// maxNormalFeatures is Spark's WeightedLeastSquares.MAX_NUM_FEATURES: the
// "auto" solver uses the normal equations up to this many features.
const maxNormalFeatures = 4096

// solveNormal solves (C + l2·diag(pen²))u = c by Cholesky.
func solveNormal(C, c, pen []float64, l2 float64) ([]float64, error) {
	k := len(c)
	if k == 0 {
		return []float64{}, nil
	}
	A := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			v := C[a*k+b]
			if a == b {
				v += l2 * pen[a] * pen[a]
			}
			A.SetSym(a, b, v)
		}
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(A); !ok {
		return nil, errors.New("singular normal equations")
	}
	var u mat.VecDense
	if err := ch.SolveVecTo(&u, mat.NewVecDense(k, append([]float64(nil), c...))); err != nil {
		return nil, err
	}
	return u.RawVector().Data, nil
}

// LinearRegressionModel predicts w·x + b.
type LinearRegressionModel struct {
	ml.StageBase
	linParams
	coef      []float64
	intercept float64
	summary   *LinearRegressionSummary
}

func newLinearRegressionModel(uid string, coef []float64, intercept float64) *LinearRegressionModel {
	m := &LinearRegressionModel{StageBase: ml.NewStageBase(uid), coef: coef, intercept: intercept}
	m.linParams = defineLin(m.Params())
	return m
}

// NewLinearRegressionModel makes a model from known coefficients.
func NewLinearRegressionModel(coefficients []float64, intercept float64) *LinearRegressionModel {
	return newLinearRegressionModel(param.UID("linReg"), append([]float64(nil), coefficients...), intercept)
}

// Coefficients returns the coefficients w.
func (m *LinearRegressionModel) Coefficients() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.coef...)...)
}

// Intercept returns the intercept b.
func (m *LinearRegressionModel) Intercept() float64 { return m.intercept }

// NumFeatures returns the size of the feature vectors.
func (m *LinearRegressionModel) NumFeatures() int { return len(m.coef) }

// Summary returns the training summary, nil for a loaded model.
func (m *LinearRegressionModel) Summary() *LinearRegressionSummary { return m.summary }

// HasSummary reports whether the model has a training summary.
func (m *LinearRegressionModel) HasSummary() bool { return m.summary != nil }

// Predict returns w·x + b for one feature vector.
func (m *LinearRegressionModel) Predict(x linalg.Vector) (float64, error) {
	if x.Size() != len(m.coef) {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), len(m.coef))
	}
	p := m.intercept
	x.ForEachActive(func(i int, v float64) { p += v * m.coef[i] })
	return p, nil
}

// SetFeaturesCol sets the features column.
func (m *LinearRegressionModel) SetFeaturesCol(c string) *LinearRegressionModel {
	m.featuresCol.Set(m.Params(), c)
	return m
}

// SetPredictionCol sets the prediction column.
func (m *LinearRegressionModel) SetPredictionCol(c string) *LinearRegressionModel {
	m.predictionCol.Set(m.Params(), c)
	return m
}

// ClassName implements ml.Stage.
func (m *LinearRegressionModel) ClassName() string { return classPrefix + "LinearRegressionModel" }

// TransformSchema implements ml.Stage.
func (m *LinearRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := m.CheckParams(); err != nil {
		return nil, err
	}
	if err := m.cols(m.Params(), false).Check(in); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, m.UID(), arrow.Field{Name: m.predictionCol.Get(m.Params()), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

// Transform adds the prediction column (null for a null feature vector).
func (m *LinearRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	uid, fc := m.UID(), m.featuresCol.Get(m.Params())
	coef, b := m.coef, m.intercept
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
		}
		out := array.NewFloat64Builder(mem)
		defer out.Release()
		out.Reserve(vc.Len())
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				out.AppendNull()
				continue
			}
			if vc.Size(i) != len(coef) {
				return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), len(coef))
			}
			out.UnsafeAppend(vc.DotDense(i, coef) + b)
		}
		return out.NewArray(), nil
	}
	res := df.WithColumn(m.predictionCol.Get(m.Params()), frame.UDF("linearRegressionPredict", arrow.PrimitiveTypes.Float64, fn, frame.Col(fc)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *LinearRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: coefficients and intercept as one Parquet row.
func (m *LinearRegressionModel) WriteData(dir string) error {
	return ml.WriteVectorRows(dir, "coefficients", [][]float64{m.coef}, "intercept", []float64{m.intercept})
}

// Save implements ml.Stage.
func (m *LinearRegressionModel) Save(path string) error { return ml.Save(m, path) }

func loadLinearRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	coef, b, err := ml.ReadVectorRows(ctx, dir, "coefficients", "intercept")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(coef) != 1 {
		return nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, len(coef))
	}
	m := newLinearRegressionModel(md.UID, coef[0], b[0])
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (lr *LinearRegression) FitModel(ctx context.Context, df *frame.DataFrame) (*LinearRegressionModel, error) {
	return lr.FitLinear(ctx, df)
}

var _ ml.TypedEstimator[*LinearRegressionModel] = (*LinearRegression)(nil)
