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

type nbParams struct {
	featuresCol, labelCol, predictionCol, rawPredictionCol, probabilityCol, weightCol, modelType param.Param[string]
	smoothing                                                                                    param.Param[float64]
	thresholds                                                                                   param.Param[[]float64]
}

func defineNB(ps *param.Params) nbParams {
	return nbParams{
		featuresCol:      param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:         param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol:    param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		rawPredictionCol: param.Define(ps, "rawPredictionCol", "raw prediction (joint log-likelihood) column name; empty for none", param.WithDefault("rawPrediction")),
		probabilityCol:   param.Define(ps, "probabilityCol", "class probabilities column name; empty for none", param.WithDefault("probability")),
		weightCol:        param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		modelType:        param.Define(ps, "modelType", "multinomial, bernoulli or gaussian", param.WithDefault("multinomial"), param.WithValidator(param.OneOf("multinomial", "bernoulli", "gaussian"))),
		smoothing:        param.Define(ps, "smoothing", "additive (Laplace) smoothing (>= 0)", param.WithDefault(1.0), param.WithValidator(param.GtEq(0.0))),
		thresholds: param.Define(ps, "thresholds", "per-class thresholds: the prediction maximizes p/t", param.WithValidator(func(t []float64) error {
			for _, v := range t {
				if !(v >= 0) {
					return fmt.Errorf("thresholds must be >= 0, got %v", t)
				}
			}
			return nil
		})),
	}
}

func (p nbParams) outSchema(ps *param.Params, in *arrow.Schema, label bool) (*arrow.Schema, error) {
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

// NaiveBayes fits a naive Bayes classifier as Spark's NaiveBayes, with
// modelType "multinomial" (default; non-negative features such as counts),
// "bernoulli" (0/1 features) or "gaussian". With smoothing λ and weighted
// class counts n_c out of n over K classes, the discrete models have the
// prior log((n_c+λ)/(n+Kλ)); multinomial θ_cj = log((S_cj+λ)/(Σ_j S_cj+dλ)),
// bernoulli θ_cj = log((S_cj+λ)/(n_c+2λ)) for the feature sums S. The
// gaussian model has the prior log(n_c/n), per-class means θ and population
// variances σ² plus 1e-9·max_j Var(x_j). One pass over the data, aggregated
// per partition. Labels must be class indices 0, 1, ….
type NaiveBayes struct {
	ml.StageBase
	nbParams
}

// NewNaiveBayes returns an estimator with Spark's defaults.
func NewNaiveBayes() *NaiveBayes { return newNaiveBayes(param.UID("nb")) }

func newNaiveBayes(uid string) *NaiveBayes {
	nb := &NaiveBayes{StageBase: ml.NewStageBase(uid)}
	nb.nbParams = defineNB(nb.Params())
	return nb
}

// SetModelType sets the model type.
func (nb *NaiveBayes) SetModelType(t string) *NaiveBayes { nb.modelType.Set(nb.Params(), t); return nb }

// SetSmoothing sets the additive smoothing λ.
func (nb *NaiveBayes) SetSmoothing(v float64) *NaiveBayes {
	nb.smoothing.Set(nb.Params(), v)
	return nb
}

// SetFeaturesCol sets the features column.
func (nb *NaiveBayes) SetFeaturesCol(c string) *NaiveBayes {
	nb.featuresCol.Set(nb.Params(), c)
	return nb
}

// SetLabelCol sets the label column.
func (nb *NaiveBayes) SetLabelCol(c string) *NaiveBayes { nb.labelCol.Set(nb.Params(), c); return nb }

// SetWeightCol sets the instance weight column.
func (nb *NaiveBayes) SetWeightCol(c string) *NaiveBayes { nb.weightCol.Set(nb.Params(), c); return nb }

// SetThresholds sets per-class thresholds.
func (nb *NaiveBayes) SetThresholds(t []float64) *NaiveBayes {
	nb.thresholds.Set(nb.Params(), t)
	return nb
}

// ClassName implements ml.Stage.
func (nb *NaiveBayes) ClassName() string { return classPrefix + "NaiveBayes" }

// TransformSchema implements ml.Stage.
func (nb *NaiveBayes) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return nb.outSchema(nb.Params(), in, true)
}

// Copy implements ml.Stage.
func (nb *NaiveBayes) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := nb.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *nb
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (nb *NaiveBayes) Save(path string) error { return ml.Save(nb, path) }

// Fit implements ml.Estimator.
func (nb *NaiveBayes) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := nb.FitNB(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitNB is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (nb *NaiveBayes) FitNB(ctx context.Context, df *frame.DataFrame) (*NaiveBayesModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := nb.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := nb.Params()
	uid := nb.UID()
	mt := nb.modelType.Get(ps)
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: nb.featuresCol.Get(ps), LabelCol: nb.labelCol.Get(ps), WeightCol: nb.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	d := blocks[0].D
	K := 0
	for _, b := range blocks {
		for i, y := range b.Y {
			if y < 0 || y != math.Trunc(y) || y > 1e6 {
				return nil, fmt.Errorf("%s: labels in column %q must be class indices 0, 1, 2, …; got %v", uid, nb.labelCol.Get(ps), y)
			}
			K = max(K, int(y)+1)
			for _, v := range b.Row(i) {
				switch {
				case mt == "multinomial" && v < 0:
					return nil, fmt.Errorf("%s: multinomial naive Bayes needs non-negative features, got %v in column %q", uid, v, nb.featuresCol.Get(ps))
				case mt == "bernoulli" && v != 0 && v != 1:
					return nil, fmt.Errorf("%s: bernoulli naive Bayes needs 0/1 features, got %v in column %q", uid, v, nb.featuresCol.Get(ps))
				}
			}
		}
	}
	// Per class: weight, Σw·x (d), Σw·x² (d).
	stride := 1 + 2*d
	acc, err := optim.Reduce(ctx, blocks, K*stride, func(b *optim.Block, a []float64) {
		for i := 0; i < b.N; i++ {
			w := b.W[i]
			row := a[int(b.Y[i])*stride:]
			row[0] += w
			for j, v := range b.Row(i) {
				row[1+j] += w * v
				row[1+d+j] += w * v * v
			}
		}
	})
	if err != nil {
		return nil, err
	}
	lam := nb.smoothing.Get(ps)
	n := 0.0
	for c := 0; c < K; c++ {
		n += acc[c*stride]
	}
	if n <= 0 {
		return nil, fmt.Errorf("%s: the sum of the weights must be positive", uid)
	}
	pi := make([]float64, K)
	theta := make([][]float64, K)
	var sigma [][]float64
	for c := 0; c < K; c++ {
		row := acc[c*stride:]
		nc := row[0]
		theta[c] = make([]float64, d)
		switch mt {
		case "gaussian":
			pi[c] = math.Log(nc / n)
		default:
			pi[c] = math.Log(nc+lam) - math.Log(n+float64(K)*lam)
		}
		switch mt {
		case "multinomial":
			tot := 0.0
			for j := 0; j < d; j++ {
				tot += row[1+j]
			}
			den := math.Log(tot + float64(d)*lam)
			for j := 0; j < d; j++ {
				theta[c][j] = math.Log(row[1+j]+lam) - den
			}
		case "bernoulli":
			den := math.Log(nc + 2*lam)
			for j := 0; j < d; j++ {
				theta[c][j] = math.Log(row[1+j]+lam) - den
			}
		}
	}
	if mt == "gaussian" {
		// epsilon = 1e-9 · the largest population variance over all rows.
		eps := 0.0
		for j := 0; j < d; j++ {
			var s, s2 float64
			for c := 0; c < K; c++ {
				s += acc[c*stride+1+j]
				s2 += acc[c*stride+1+d+j]
			}
			eps = math.Max(eps, s2/n-(s/n)*(s/n))
		}
		eps *= 1e-9
		sigma = make([][]float64, K)
		for c := 0; c < K; c++ {
			row := acc[c*stride:]
			nc := row[0]
			sigma[c] = make([]float64, d)
			for j := 0; j < d; j++ {
				if nc == 0 {
					sigma[c][j] = 1 // an absent class: its prior is −∞ anyway
					continue
				}
				mean := row[1+j] / nc
				theta[c][j] = mean
				sigma[c][j] = math.Max(row[1+d+j]/nc-mean*mean, 0) + eps
			}
		}
	}
	if t, ok := nb.thresholds.GetOK(ps); ok && len(t) != K {
		return nil, fmt.Errorf("%s: thresholds has %d values but the data has %d classes", uid, len(t), K)
	}
	m := newNaiveBayesModel(uid, mt, pi, theta, sigma)
	return m, ps.CopyValuesTo(m.Params())
}

// NaiveBayesModel predicts with the learned log prior pi, θ (log
// probabilities, or means for gaussian) and σ² (gaussian). rawPrediction
// holds the joint log-likelihoods, probability their normalized exponent.
type NaiveBayesModel struct {
	ml.StageBase
	nbParams
	kind     string
	pi       []float64
	theta    [][]float64
	sigma    [][]float64
	negTheta [][]float64 // bernoulli: log(1 − exp θ)
}

func newNaiveBayesModel(uid, kind string, pi []float64, theta, sigma [][]float64) *NaiveBayesModel {
	m := &NaiveBayesModel{StageBase: ml.NewStageBase(uid), kind: kind, pi: pi, theta: theta, sigma: sigma}
	m.nbParams = defineNB(m.Params())
	if kind == "bernoulli" {
		m.negTheta = make([][]float64, len(theta))
		for c, r := range theta {
			m.negTheta[c] = make([]float64, len(r))
			for j, v := range r {
				m.negTheta[c][j] = math.Log1p(-math.Exp(v))
			}
		}
	}
	return m
}

// Pi returns the log class priors.
func (m *NaiveBayesModel) Pi() []float64 { return append([]float64(nil), m.pi...) }

// Theta returns θ, a row per class.
func (m *NaiveBayesModel) Theta() [][]float64 { return cloneMatrix(m.theta) }

// Sigma returns the gaussian variances, a row per class (nil otherwise).
func (m *NaiveBayesModel) Sigma() [][]float64 { return cloneMatrix(m.sigma) }

// NumClasses returns the number of classes.
func (m *NaiveBayesModel) NumClasses() int { return len(m.pi) }

// NumFeatures returns the size of the feature vectors.
func (m *NaiveBayesModel) NumFeatures() int { return len(m.theta[0]) }

func cloneMatrix(a [][]float64) [][]float64 {
	if a == nil {
		return nil
	}
	out := make([][]float64, len(a))
	for i, r := range a {
		out[i] = append([]float64(nil), r...)
	}
	return out
}

// ClassName implements ml.Stage.
func (m *NaiveBayesModel) ClassName() string { return classPrefix + "NaiveBayesModel" }

// TransformSchema implements ml.Stage.
func (m *NaiveBayesModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// raw writes the joint log-likelihoods of x into out.
func (m *NaiveBayesModel) raw(x []float64, out []float64) error {
	for c := range m.pi {
		s := m.pi[c]
		th := m.theta[c]
		switch m.kind {
		case "multinomial":
			for j, v := range x {
				if v != 0 {
					s += v * th[j]
				}
			}
		case "bernoulli":
			nt := m.negTheta[c]
			for j, v := range x {
				switch v {
				case 1:
					s += th[j]
				case 0:
					s += nt[j]
				default:
					return fmt.Errorf("bernoulli naive Bayes needs 0/1 features, got %v", v)
				}
			}
		default:
			sg := m.sigma[c]
			for j, v := range x {
				d := v - th[j]
				s -= 0.5*math.Log(2*math.Pi*sg[j]) + d*d/(2*sg[j])
			}
		}
		out[c] = s
	}
	return nil
}

// Transform adds the rawPrediction, probability and prediction columns
// (each skipped when its name is empty; null for a null vector).
func (m *NaiveBayesModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	K, d := m.NumClasses(), m.NumFeatures()
	thresholds, hasT := m.thresholds.GetOK(ps)
	if hasT && len(thresholds) != K {
		return nil, fmt.Errorf("%s: thresholds has %d values but the model has %d classes", uid, len(thresholds), K)
	}
	udf := func(kind int) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, err := linalg.Vectors(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			x, raw, probs := make([]float64, d), make([]float64, K), make([]float64, K)
			var vb *linalg.VectorBuilder
			var fb *array.Float64Builder
			if kind == 2 {
				fb = array.NewFloat64Builder(mem)
				defer fb.Release()
			} else {
				vb = linalg.NewVectorBuilder(mem)
				defer vb.Release()
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
				clear(x)
				vc.AddTo(i, 1, x)
				if err := m.raw(x, raw); err != nil {
					return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
				}
				if kind == 0 {
					vb.AppendDense(raw)
					continue
				}
				mx := math.Inf(-1)
				for _, v := range raw {
					mx = math.Max(mx, v)
				}
				z := 0.0
				for c, v := range raw {
					probs[c] = math.Exp(v - mx)
					z += probs[c]
				}
				for c := range probs {
					probs[c] /= z
				}
				if kind == 1 {
					vb.AppendDense(probs)
					continue
				}
				best, bestV := 0, math.Inf(-1)
				for c, p := range probs {
					v := p
					if hasT {
						v = math.Inf(1)
						if thresholds[c] > 0 {
							v = p / thresholds[c]
						}
					}
					if v > bestV {
						best, bestV = c, v
					}
				}
				fb.Append(float64(best))
			}
			if fb != nil {
				return fb.NewArray(), nil
			}
			return vb.NewArray(), nil
		}
	}
	return withPredictionColumns(df, "naiveBayes", fc, [3]string{m.rawPredictionCol.Get(ps), m.probabilityCol.Get(ps), m.predictionCol.Get(ps)}, udf)
}

// Copy implements ml.Stage.
func (m *NaiveBayesModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the kind of model.
func (m *NaiveBayesModel) ExtraMetadata() map[string]any {
	return map[string]any{"kind": m.kind}
}

// WriteData implements ml.DataWriter: one Parquet row per class with its
// log prior pi, theta and, for the gaussian kind, sigma.
func (m *NaiveBayesModel) WriteData(dir string) error {
	names, vecs := []string{"theta"}, [][][]float64{m.theta}
	if m.sigma != nil {
		names, vecs = append(names, "sigma"), append(vecs, m.sigma)
	}
	return ml.WriteColumns(dir, len(m.pi), names, vecs, []string{"pi"}, [][]float64{m.pi})
}

// Save implements ml.Stage.
func (m *NaiveBayesModel) Save(path string) error { return ml.Save(m, path) }

func loadNaiveBayesModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var kind string
	if err := md.GetExtra("kind", &kind); err != nil {
		return nil, err
	}
	names := []string{"theta"}
	if kind == "gaussian" {
		names = append(names, "sigma")
	}
	vecs, nums, _, err := ml.ReadColumns(ctx, dir, names, []string{"pi"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	pi, theta := nums[0], vecs[0]
	var sigma [][]float64
	if kind == "gaussian" {
		sigma = vecs[1]
	}
	if len(pi) == 0 || len(theta) != len(pi) || (kind == "gaussian" && len(sigma) != len(pi)) {
		return nil, fmt.Errorf("%s: inconsistent naive Bayes model data", md.UID)
	}
	m := newNaiveBayesModel(md.UID, kind, pi, theta, sigma)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (nb *NaiveBayes) FitModel(ctx context.Context, df *frame.DataFrame) (*NaiveBayesModel, error) {
	return nb.FitNB(ctx, df)
}

var _ ml.TypedEstimator[*NaiveBayesModel] = (*NaiveBayes)(nil)
