package classification

import (
	"context"
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

// fmcDefaultSeed is Spark's default seed of FMClassifier: the Java hash
// code of its class name.
const fmcDefaultSeed = -2050267832

type fmcParams struct {
	mlpParams // featuresCol, labelCol, predictionCol, rawPredictionCol, probabilityCol
	optim.FMParams
}

func defineFMC(ps *param.Params) fmcParams {
	return fmcParams{mlpParams: defineMLP(ps), FMParams: optim.DefineFMParams(ps, fmcDefaultSeed)}
}

// FMClassifier fits a binary factorization machine to the logistic loss,
// as Spark's org.apache.spark.ml.classification.FMClassifier: the raw
// score is b + Σᵢ wᵢxᵢ + Σ_{i<j} ⟨vᵢ, vⱼ⟩ xᵢxⱼ, the probability of class 1
// its sigmoid. Training is Spark's mini-batch gradient descent with the
// "adamW" or "gd" updater (see optim.FMTrain). Labels must be 0 or 1. The
// model's rawPrediction is [−raw, raw], its probability [1 − p, p] and its
// prediction 1 when p > 0.5; Spark's thresholds param is not supported.
type FMClassifier struct {
	ml.StageBase
	fmcParams
}

// NewFMClassifier returns an estimator with Spark's defaults.
func NewFMClassifier() *FMClassifier { return newFMClassifier(param.UID("fmc")) }

func newFMClassifier(uid string) *FMClassifier {
	e := &FMClassifier{StageBase: ml.NewStageBase(uid)}
	e.fmcParams = defineFMC(e.Params())
	return e
}

// SetFactorSize sets the size of the factor vectors.
func (e *FMClassifier) SetFactorSize(k int) *FMClassifier {
	e.FactorSize.Set(e.Params(), k)
	return e
}

// SetSolver sets the solver: "adamW" or "gd".
func (e *FMClassifier) SetSolver(s string) *FMClassifier {
	e.Solver.Set(e.Params(), s)
	return e
}

// SetStepSize sets the step size.
func (e *FMClassifier) SetStepSize(v float64) *FMClassifier {
	e.StepSize.Set(e.Params(), v)
	return e
}

// SetMaxIter sets the iteration limit.
func (e *FMClassifier) SetMaxIter(n int) *FMClassifier {
	e.MaxIter.Set(e.Params(), n)
	return e
}

// SetRegParam sets the L2 regularization.
func (e *FMClassifier) SetRegParam(v float64) *FMClassifier {
	e.RegParam.Set(e.Params(), v)
	return e
}

// SetSeed sets the seed of the initial factors.
func (e *FMClassifier) SetSeed(s int64) *FMClassifier {
	e.Seed.Set(e.Params(), s)
	return e
}

// SetFitLinear sets whether the linear term is fitted.
func (e *FMClassifier) SetFitLinear(v bool) *FMClassifier {
	e.FitLinear.Set(e.Params(), v)
	return e
}

// SetFitIntercept sets whether the intercept is fitted.
func (e *FMClassifier) SetFitIntercept(v bool) *FMClassifier {
	e.FitIntercept.Set(e.Params(), v)
	return e
}

// SetTol sets the convergence tolerance.
func (e *FMClassifier) SetTol(v float64) *FMClassifier {
	e.Tol.Set(e.Params(), v)
	return e
}

// SetInitStd sets the standard deviation of the initial factors.
func (e *FMClassifier) SetInitStd(v float64) *FMClassifier {
	e.InitStd.Set(e.Params(), v)
	return e
}

// SetMiniBatchFraction sets the fraction of rows sampled per iteration.
func (e *FMClassifier) SetMiniBatchFraction(v float64) *FMClassifier {
	e.MiniBatchFraction.Set(e.Params(), v)
	return e
}

// ClassName implements ml.Stage.
func (e *FMClassifier) ClassName() string { return classPrefix + "FMClassifier" }

// SparkClassName returns Spark's class name of the estimator.
func (e *FMClassifier) SparkClassName() string { return sparkPrefix + "FMClassifier" }

// schema checks the input columns and returns the output schema.
func (p fmcParams) schema(ps *param.Params, in *arrow.Schema, label bool) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c := optim.Columns{UID: ps.UID(), FeaturesCol: p.featuresCol.Get(ps)}
	if label {
		c.LabelCol = p.labelCol.Get(ps)
	}
	if err := c.Check(in); err != nil {
		return nil, err
	}
	out := in
	var err error
	for k, name := range []string{p.rawPredictionCol.Get(ps), p.probabilityCol.Get(ps), p.predictionCol.Get(ps)} {
		if name == "" {
			continue
		}
		typ := arrow.DataType(linalg.VectorType())
		if k == 2 {
			typ = arrow.PrimitiveTypes.Float64
		}
		if out, err = ml.AppendColumn(out, ps.UID(), arrow.Field{Name: name, Type: typ, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TransformSchema implements ml.Stage.
func (e *FMClassifier) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return e.schema(e.Params(), in, true)
}

// Copy implements ml.Stage.
func (e *FMClassifier) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := e.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *e
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (e *FMClassifier) Save(path string) error { return ml.Save(e, path) }

// Fit implements ml.Estimator.
func (e *FMClassifier) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := e.FitModel(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitModel fits the estimator to df and returns the concrete model.
func (e *FMClassifier) FitModel(ctx context.Context, df *frame.DataFrame) (*FMClassificationModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := e.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid := ps.UID()
	lc := e.labelCol.Get(ps)
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: e.featuresCol.Get(ps), LabelCol: lc})
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		for _, y := range b.Y {
			if y != 0 && y != 1 {
				return nil, fmt.Errorf("%s: label column %q has value %v; FMClassifier is binary, labels must be 0 or 1", uid, lc, y)
			}
		}
	}
	cfg := e.Config(ps, true)
	w, _, err := optim.FMTrain(ctx, blocks, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	d, k := blocks[0].D, cfg.FactorSize
	full := make([]float64, d*k+d+1)
	copy(full, w[:d*k])
	if cfg.FitLinear {
		copy(full[d*k:], w[d*k:d*k+d])
	}
	if cfg.FitIntercept {
		full[d*k+d] = w[len(w)-1]
	}
	m := newFMClassificationModel(uid, full, d, k)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// FMClassificationModel is a fitted binary factorization machine, as
// Spark's FMClassificationModel.
type FMClassificationModel struct {
	ml.StageBase
	fmcParams
	optim.FMWeights
}

func newFMClassificationModel(uid string, coef []float64, d, k int) *FMClassificationModel {
	m := &FMClassificationModel{StageBase: ml.NewStageBase(uid), FMWeights: optim.FMWeights{Coef: coef, D: d, K: k}}
	m.fmcParams = defineFMC(m.Params())
	return m
}

// NumClasses is 2.
func (m *FMClassificationModel) NumClasses() int { return 2 }

// Raw returns the raw score of x (the log-odds of class 1).
func (m *FMClassificationModel) Raw(x linalg.Vector) (float64, error) {
	if x.Size() != m.D {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), m.D)
	}
	return optim.FMRaw(x.ToArray(), m.Coef, m.K, true, true, nil), nil
}

// ClassName implements ml.Stage.
func (m *FMClassificationModel) ClassName() string { return classPrefix + "FMClassificationModel" }

// SparkClassName returns Spark's class name of the model.
func (m *FMClassificationModel) SparkClassName() string {
	return sparkPrefix + "FMClassificationModel"
}

// TransformSchema implements ml.Stage.
func (m *FMClassificationModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in, false)
}

// Transform adds the rawPrediction, probability and prediction columns
// (each skipped when its name is empty; null for a null vector).
func (m *FMClassificationModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := ps.UID(), m.featuresCol.Get(ps)
	coef, d, k := m.Coef, m.D, m.K
	udf := func(kind int) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, err := linalg.Vectors(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			var vb *linalg.VectorBuilder
			var fb *array.Float64Builder
			if kind == 2 {
				fb = array.NewFloat64Builder(mem)
				defer fb.Release()
			} else {
				vb = linalg.NewVectorBuilder(mem)
				defer vb.Release()
			}
			x := make([]float64, d)
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
				clear(x)
				vc.AddTo(i, 1, x)
				raw := optim.FMRaw(x, coef, k, true, true, nil)
				p := 1 / (1 + math.Exp(-raw))
				switch kind {
				case 0:
					vb.AppendDense([]float64{-raw, raw})
				case 1:
					vb.AppendDense([]float64{1 - p, p})
				default:
					pred := 0.0
					if p > 0.5 {
						pred = 1
					}
					fb.Append(pred)
				}
			}
			if fb != nil {
				return fb.NewArray(), nil
			}
			return vb.NewArray(), nil
		}
	}
	return withPredictionColumns(df, "fmClassifier", fc, [3]string{m.rawPredictionCol.Get(ps), m.probabilityCol.Get(ps), m.predictionCol.Get(ps)}, udf)
}

// Copy implements ml.Stage.
func (m *FMClassificationModel) Copy(extra param.ParamMap) (ml.Stage, error) {
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
func (m *FMClassificationModel) WriteData(dir string) error {
	d, k := m.D, m.K
	return ml.WriteColumns(dir, 1, []string{"linear", "factors"}, [][][]float64{{m.Coef[d*k : d*k+d]}, {m.Coef[:d*k]}}, []string{"intercept"}, [][]float64{{m.Coef[d*k+d]}})
}

// Save implements ml.Stage.
func (m *FMClassificationModel) Save(path string) error { return ml.Save(m, path) }

func loadFMClassificationModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	vecs, nums, n, err := ml.ReadColumns(ctx, dir, []string{"linear", "factors"}, []string{"intercept"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if n != 1 {
		return nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, n)
	}
	lin, fac := vecs[0][0], vecs[1][0]
	d := len(lin)
	if d == 0 || len(fac) == 0 || len(fac)%d != 0 {
		return nil, fmt.Errorf("%s: model data has %d linear weights and %d factors, want factorSize per feature", md.UID, d, len(fac))
	}
	coef := append(append(slices.Clone(fac), lin...), nums[0][0])
	m := newFMClassificationModel(md.UID, coef, d, len(fac)/d)
	return m, md.ApplyParams(m.Params())
}

func registerFMC(r *ml.Registry) {
	r.Register(classPrefix+"FMClassifier", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		e := newFMClassifier(md.UID)
		return e, md.ApplyParams(e.Params())
	})
	r.Register(classPrefix+"FMClassificationModel", loadFMClassificationModel)
	r.Register(sparkPrefix+"FMClassificationModel", loadSparkFMClassificationModel)
}

var _ ml.TypedEstimator[*FMClassificationModel] = (*FMClassifier)(nil)
