package clustering

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

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

type gmmParams struct {
	featuresCol, predictionCol, probabilityCol, weightCol param.Param[string]
	k, maxIter                                            param.Param[int]
	tol                                                   param.Param[float64]
	seed                                                  param.Param[int64]
}

func defineGMM(ps *param.Params) gmmParams {
	return gmmParams{
		featuresCol:    param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		predictionCol:  param.Define(ps, "predictionCol", "most likely component column name", param.WithDefault("prediction")),
		probabilityCol: param.Define(ps, "probabilityCol", "component membership probabilities column name", param.WithDefault("probability")),
		weightCol:      param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		k:              param.Define(ps, "k", "number of components (> 1)", param.WithDefault(2), param.WithValidator(param.Gt(1))),
		maxIter:        param.Define(ps, "maxIter", "maximum number of EM iterations (>= 0)", param.WithDefault(100), param.WithValidator(param.GtEq(0))),
		tol:            param.Define(ps, "tol", "stop when the log-likelihood changes by at most tol", param.WithDefault(0.01), param.WithValidator(param.GtEq(0.0))),
		seed:           param.Define(ps, "seed", "random seed of the initialization", param.WithDefault(int64(538009335))),
	}
}

// GaussianMixture fits a mixture of k multivariate Gaussians (full
// covariances) by expectation-maximization, as Spark's GaussianMixture:
// each component starts from the mean of 5 rows sampled with replacement
// (seeded) and the diagonal of their variance, with equal weights; every
// iteration aggregates the responsibilities' sufficient statistics per
// partition in parallel; it stops when the total log-likelihood changes by
// at most tol or after maxIter iterations. A covariance that is not
// positive definite gets 1e-9·trace/d added to its diagonal (Spark uses a
// pseudo-inverse).
type GaussianMixture struct {
	ml.StageBase
	gmmParams
}

// NewGaussianMixture returns an estimator with Spark's defaults (k = 2).
func NewGaussianMixture() *GaussianMixture { return newGaussianMixture(param.UID("GaussianMixture")) }

func newGaussianMixture(uid string) *GaussianMixture {
	g := &GaussianMixture{StageBase: ml.NewStageBase(uid)}
	g.gmmParams = defineGMM(g.Params())
	return g
}

// SetK sets the number of components.
func (g *GaussianMixture) SetK(k int) *GaussianMixture { g.k.Set(g.Params(), k); return g }

// SetMaxIter sets the iteration limit.
func (g *GaussianMixture) SetMaxIter(n int) *GaussianMixture { g.maxIter.Set(g.Params(), n); return g }

// SetTol sets the log-likelihood tolerance.
func (g *GaussianMixture) SetTol(v float64) *GaussianMixture { g.tol.Set(g.Params(), v); return g }

// SetSeed sets the random seed.
func (g *GaussianMixture) SetSeed(s int64) *GaussianMixture { g.seed.Set(g.Params(), s); return g }

// SetFeaturesCol sets the features column.
func (g *GaussianMixture) SetFeaturesCol(c string) *GaussianMixture {
	g.featuresCol.Set(g.Params(), c)
	return g
}

// SetWeightCol sets the instance weight column.
func (g *GaussianMixture) SetWeightCol(c string) *GaussianMixture {
	g.weightCol.Set(g.Params(), c)
	return g
}

// ClassName implements ml.Stage.
func (g *GaussianMixture) ClassName() string { return classPrefix + "GaussianMixture" }

func (p gmmParams) schema(ps *param.Params, in *arrow.Schema, fit bool) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c := optim.Columns{UID: ps.UID(), FeaturesCol: p.featuresCol.Get(ps)}
	if fit {
		c.WeightCol = p.weightCol.Get(ps)
	}
	if err := c.Check(in); err != nil {
		return nil, err
	}
	out, err := ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Int32, Nullable: true})
	if err != nil {
		return nil, err
	}
	return ml.AppendColumn(out, ps.UID(), arrow.Field{Name: p.probabilityCol.Get(ps), Type: linalg.VectorType(), Nullable: true})
}

// TransformSchema implements ml.Stage.
func (g *GaussianMixture) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return g.schema(g.Params(), in, true)
}

// Copy implements ml.Stage.
func (g *GaussianMixture) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := g.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *g
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (g *GaussianMixture) Save(path string) error { return ml.Save(g, path) }

// Fit implements ml.Estimator.
func (g *GaussianMixture) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := g.FitGMM(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// gaussian is a component ready for density evaluation.
type gaussian struct {
	mean   []float64
	cov    []float64 // d×d row-major
	prec   []float64 // inverse covariance
	logDet float64
}

func newGaussian(mean, cov []float64) (*gaussian, error) {
	d := len(mean)
	sym := mat.NewSymDense(d, append([]float64(nil), cov...))
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		tr := 0.0
		for j := 0; j < d; j++ {
			tr += cov[j*d+j]
		}
		jit := 1e-9 * math.Max(tr/float64(d), 1e-300)
		for j := 0; j < d; j++ {
			sym.SetSym(j, j, sym.At(j, j)+jit)
		}
		if !ch.Factorize(sym) {
			return nil, fmt.Errorf("a component's covariance is singular")
		}
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return nil, err
	}
	prec := make([]float64, d*d)
	for a := 0; a < d; a++ {
		for b := 0; b < d; b++ {
			prec[a*d+b] = inv.At(a, b)
		}
	}
	return &gaussian{mean: mean, cov: cov, prec: prec, logDet: ch.LogDet()}, nil
}

// logPDF returns log N(x | mean, cov); diff is scratch of length d.
func (g *gaussian) logPDF(x, diff []float64) float64 {
	d := len(x)
	for j := range x {
		diff[j] = x[j] - g.mean[j]
	}
	q := 0.0
	for a := 0; a < d; a++ {
		s := 0.0
		row := g.prec[a*d : a*d+d]
		for b, v := range diff {
			s += row[b] * v
		}
		q += diff[a] * s
	}
	return -0.5 * (float64(d)*math.Log(2*math.Pi) + g.logDet + q)
}

// responsibilities writes the membership probabilities of x into r and
// returns log Σ_k w_k N(x | k).
func responsibilities(weights []float64, comps []*gaussian, x, diff, r []float64) float64 {
	mx := math.Inf(-1)
	for k, c := range comps {
		r[k] = math.Log(weights[k]) + c.logPDF(x, diff)
		mx = math.Max(mx, r[k])
	}
	s := 0.0
	for k := range r {
		r[k] = math.Exp(r[k] - mx)
		s += r[k]
	}
	for k := range r {
		r[k] /= s
	}
	return mx + math.Log(s)
}

// GaussianMixtureSummary describes a fit.
type GaussianMixtureSummary struct {
	// LogLikelihood is the total weighted log-likelihood of the training
	// rows under the final model.
	LogLikelihood float64
	// ClusterSizes is the number of rows assigned to each component.
	ClusterSizes []float64
	// NumIter is the number of EM iterations run.
	NumIter int
}

// FitGMM is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (g *GaussianMixture) FitGMM(ctx context.Context, df *frame.DataFrame) (*GaussianMixtureModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := g.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := g.Params()
	uid := g.UID()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: g.featuresCol.Get(ps), WeightCol: g.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	K, d := g.k.Get(ps), blocks[0].D
	n := totalRows(blocks)
	const nSamples = 5
	r := rand.New(rand.NewPCG(uint64(g.seed.Get(ps)), 0x676d6d))
	weights := make([]float64, K)
	comps := make([]*gaussian, K)
	for k := 0; k < K; k++ {
		mean := make([]float64, d)
		sq := make([]float64, d)
		for s := 0; s < nSamples; s++ {
			x := rowAt(blocks, r.IntN(n))
			for j, v := range x {
				mean[j] += v / nSamples
				sq[j] += v * v / nSamples
			}
		}
		cov := make([]float64, d*d)
		for j := 0; j < d; j++ {
			cov[j*d+j] = math.Max(sq[j]-mean[j]*mean[j], 0)
			if cov[j*d+j] == 0 {
				cov[j*d+j] = 1e-6 // identical samples: a small variance, not a singular start
			}
		}
		if comps[k], err = newGaussian(mean, cov); err != nil {
			return nil, fmt.Errorf("%s: %w", uid, err)
		}
		weights[k] = 1 / float64(K)
	}
	// Per component: Σr, Σr·x (d), Σr·x xᵀ (d²); then the log-likelihood.
	stride := 1 + d + d*d
	ll, prev := math.Inf(-1), math.Inf(-1)
	iter := 0
	tol := g.tol.Get(ps)
	for ; iter < g.maxIter.Get(ps); iter++ {
		acc, err := optim.Reduce(ctx, blocks, K*stride+1, func(b *optim.Block, a []float64) {
			diff, resp := make([]float64, d), make([]float64, K)
			for i := 0; i < b.N; i++ {
				x := b.Row(i)
				w := b.W[i]
				a[K*stride] += w * responsibilities(weights, comps, x, diff, resp)
				for k, rk := range resp {
					rw := rk * w
					base := a[k*stride:]
					base[0] += rw
					for j, v := range x {
						base[1+j] += rw * v
						row := base[1+d+j*d : 1+d+j*d+d]
						for l := j; l < d; l++ {
							row[l] += rw * v * x[l]
						}
					}
				}
			}
		})
		if err != nil {
			return nil, err
		}
		prev, ll = ll, acc[K*stride]
		W := 0.0
		for k := 0; k < K; k++ {
			W += acc[k*stride]
		}
		for k := 0; k < K; k++ {
			base := acc[k*stride:]
			rk := base[0]
			if rk <= 0 {
				continue // an empty component keeps its parameters
			}
			mean := make([]float64, d)
			for j := range mean {
				mean[j] = base[1+j] / rk
			}
			cov := make([]float64, d*d)
			for j := 0; j < d; j++ {
				for l := j; l < d; l++ {
					v := base[1+d+j*d+l]/rk - mean[j]*mean[l]
					cov[j*d+l], cov[l*d+j] = v, v
				}
			}
			c, err := newGaussian(mean, cov)
			if err != nil {
				return nil, fmt.Errorf("%s: component %d: %w", uid, k, err)
			}
			comps[k], weights[k] = c, rk/W
		}
		if math.Abs(ll-prev) <= tol {
			iter++
			break
		}
	}
	m := newGaussianMixtureModel(uid, weights, comps)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	// Final log-likelihood and sizes under the returned parameters.
	acc, err := optim.Reduce(ctx, blocks, K+1, func(b *optim.Block, a []float64) {
		diff, resp := make([]float64, d), make([]float64, K)
		for i := 0; i < b.N; i++ {
			a[K] += b.W[i] * responsibilities(weights, comps, b.Row(i), diff, resp)
			best := 0
			for k, v := range resp {
				if v > resp[best] {
					best = k
				}
			}
			a[best]++
		}
	})
	if err != nil {
		return nil, err
	}
	m.summary = &GaussianMixtureSummary{LogLikelihood: acc[K], ClusterSizes: acc[:K], NumIter: iter}
	return m, nil
}

// GaussianMixtureModel assigns rows to mixture components.
type GaussianMixtureModel struct {
	ml.StageBase
	gmmParams
	weights []float64
	comps   []*gaussian
	summary *GaussianMixtureSummary
}

func newGaussianMixtureModel(uid string, weights []float64, comps []*gaussian) *GaussianMixtureModel {
	m := &GaussianMixtureModel{StageBase: ml.NewStageBase(uid), weights: weights, comps: comps}
	m.gmmParams = defineGMM(m.Params())
	return m
}

// Weights returns the mixing weights.
func (m *GaussianMixtureModel) Weights() []float64 { return append([]float64(nil), m.weights...) }

// Means returns each component's mean.
func (m *GaussianMixtureModel) Means() [][]float64 {
	out := make([][]float64, len(m.comps))
	for k, c := range m.comps {
		out[k] = append([]float64(nil), c.mean...)
	}
	return out
}

// Covariances returns each component's covariance, d×d row-major.
func (m *GaussianMixtureModel) Covariances() [][]float64 {
	out := make([][]float64, len(m.comps))
	for k, c := range m.comps {
		out[k] = append([]float64(nil), c.cov...)
	}
	return out
}

// Summary returns the training summary, nil for a loaded model.
func (m *GaussianMixtureModel) Summary() *GaussianMixtureSummary { return m.summary }

// ClassName implements ml.Stage.
func (m *GaussianMixtureModel) ClassName() string { return classPrefix + "GaussianMixtureModel" }

// TransformSchema implements ml.Stage.
func (m *GaussianMixtureModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in, false)
}

// Transform adds the prediction (int32) and probability columns (null for
// a null vector).
func (m *GaussianMixtureModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	d, K := len(m.comps[0].mean), len(m.comps)
	udf := func(prob bool) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, err := linalg.Vectors(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			x, diff, resp := make([]float64, d), make([]float64, d), make([]float64, K)
			var vb *linalg.VectorBuilder
			var ib *array.Int32Builder
			if prob {
				vb = linalg.NewVectorBuilder(mem)
				defer vb.Release()
			} else {
				ib = array.NewInt32Builder(mem)
				defer ib.Release()
			}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					if prob {
						vb.AppendNull()
					} else {
						ib.AppendNull()
					}
					continue
				}
				if vc.Size(i) != d {
					return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), d)
				}
				clear(x)
				vc.AddTo(i, 1, x)
				responsibilities(m.weights, m.comps, x, diff, resp)
				if prob {
					vb.AppendDense(resp)
					continue
				}
				best := 0
				for k, v := range resp {
					if v > resp[best] {
						best = k
					}
				}
				ib.Append(int32(best))
			}
			if prob {
				return vb.NewArray(), nil
			}
			return ib.NewArray(), nil
		}
	}
	out := df.WithColumn(m.predictionCol.Get(ps), frame.UDF("gmmPredict", arrow.PrimitiveTypes.Int32, udf(false), frame.Col(fc)))
	out = out.WithColumn(m.probabilityCol.Get(ps), frame.UDF("gmmProbability", linalg.VectorType(), udf(true), frame.Col(fc)))
	return out, out.Err()
}

// Copy implements ml.Stage.
func (m *GaussianMixtureModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: one Parquet row per component (weight, mean, covariance).
func (m *GaussianMixtureModel) WriteData(dir string) error {
	return ml.WriteColumns(dir, len(m.weights), []string{"mean", "cov"}, [][][]float64{m.Means(), m.Covariances()},
		[]string{"weight"}, [][]float64{m.weights})
}

// Save implements ml.Stage.
func (m *GaussianMixtureModel) Save(path string) error { return ml.Save(m, path) }

func loadGaussianMixtureModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	vecs, nums, _, err := ml.ReadColumns(ctx, dir, []string{"mean", "cov"}, []string{"weight"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	weights, means, covs := nums[0], vecs[0], vecs[1]
	if len(weights) == 0 || len(means) != len(weights) || len(covs) != len(weights) {
		return nil, fmt.Errorf("%s: inconsistent mixture data", md.UID)
	}
	comps := make([]*gaussian, len(weights))
	for k := range comps {
		d := len(means[k])
		if d == 0 || d != len(means[0]) || len(covs[k]) != d*d {
			return nil, fmt.Errorf("%s: component %d has inconsistent sizes", md.UID, k)
		}
		c, err := newGaussian(means[k], covs[k])
		if err != nil {
			return nil, fmt.Errorf("%s: component %d: %w", md.UID, k, err)
		}
		comps[k] = c
	}
	m := newGaussianMixtureModel(md.UID, weights, comps)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (g *GaussianMixture) FitModel(ctx context.Context, df *frame.DataFrame) (*GaussianMixtureModel, error) {
	return g.FitGMM(ctx, df)
}

var _ ml.TypedEstimator[*GaussianMixtureModel] = (*GaussianMixture)(nil)
