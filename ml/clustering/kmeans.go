// Package clustering holds gspark's clustering estimators with Spark ML's
// names, params and semantics: KMeans (k-means|| initialization, Lloyd
// iterations), BisectingKMeans and GaussianMixture (EM). Register adds their loaders to an ml.Registry.
package clustering

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

const classPrefix = "gspark.ml.clustering."

// Register adds the loaders of this package's stages to r and returns r.
func Register(r *ml.Registry) *ml.Registry {
	r.Register(classPrefix+"KMeans", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		k := newKMeans(md.UID)
		return k, md.ApplyParams(k.Params())
	})
	r.Register(classPrefix+"KMeansModel", loadKMeansModel)
	registerSparkModels(r)
	r.Register(classPrefix+"GaussianMixture", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		g := newGaussianMixture(md.UID)
		return g, md.ApplyParams(g.Params())
	})
	r.Register(classPrefix+"GaussianMixtureModel", loadGaussianMixtureModel)
	r.Register(classPrefix+"BisectingKMeans", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		b := newBisectingKMeans(md.UID)
		return b, md.ApplyParams(b.Params())
	})
	r.Register(classPrefix+"BisectingKMeansModel", loadBisectingKMeansModel)
	r.Register(sparkClusteringPrefix+"BisectingKMeansModel", loadSparkBisectingKMeansModel)
	r.Register(classPrefix+"LDA", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		l := newLDA(md.UID)
		return l, md.ApplyParams(l.Params())
	})
	r.Register(classPrefix+"LDAModel", loadLDAModel)
	r.Register(sparkClusteringPrefix+"LocalLDAModel", loadSparkLocalLDAModel)
	r.Register(classPrefix+"DistributedLDAModel", loadDistributedLDAModel)
	r.Register(sparkClusteringPrefix+"DistributedLDAModel", loadSparkDistributedLDAModel)
	r.Register(classPrefix+"PowerIterationClustering", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		p := newPIC(md.UID)
		return p, md.ApplyParams(p.Params())
	})
	return r
}

type kmParams struct {
	featuresCol, predictionCol, weightCol, initMode, distanceMeasure param.Param[string]
	k, maxIter, initSteps                                            param.Param[int]
	tol                                                              param.Param[float64]
	seed                                                             param.Param[int64]
}

func defineKM(ps *param.Params) kmParams {
	return kmParams{
		featuresCol:     param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		predictionCol:   param.Define(ps, "predictionCol", "cluster index column name", param.WithDefault("prediction")),
		weightCol:       param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		initMode:        param.Define(ps, "initMode", "initialization: k-means|| or random", param.WithDefault("k-means||"), param.WithValidator(param.OneOf("k-means||", "random"))),
		distanceMeasure: param.Define(ps, "distanceMeasure", "distance measure: euclidean or cosine", param.WithDefault("euclidean"), param.WithValidator(param.OneOf("euclidean", "cosine"))),
		k:               param.Define(ps, "k", "number of clusters (> 1)", param.WithDefault(2), param.WithValidator(param.Gt(1))),
		maxIter:         param.Define(ps, "maxIter", "maximum number of iterations (>= 0)", param.WithDefault(20), param.WithValidator(param.GtEq(0))),
		initSteps:       param.Define(ps, "initSteps", "number of k-means|| steps (> 0)", param.WithDefault(2), param.WithValidator(param.Gt(0))),
		tol:             param.Define(ps, "tol", "convergence tolerance: every center moves less than tol", param.WithDefault(1e-4), param.WithValidator(param.GtEq(0.0))),
		seed:            param.Define(ps, "seed", "random seed", param.WithDefault(int64(-1689246527))),
	}
}

// KMeans clusters vectors into k groups by Lloyd's algorithm from a
// k-means|| (or random) initialization, as Spark's KMeans: each k-means||
// step samples every point with probability 2k·cost/Σcost, and the
// candidates, weighted by the points closest to them, are reduced to k
// centers by a local weighted k-means++. Iterations stop when no center
// moves by more than tol (Euclidean), or after maxIter. Every pass runs per
// partition in parallel over the partition's rows held as one dense
// row-major block: distances come from ‖c‖² − 2x·c over chunks of rows ×
// all centers (kmeans_kernel.go; with AVX2 and FMA, four rows by eight
// centers at a time in kmeans_vector.go, where a row whose two nearest
// centers are too close for that form is compared exactly), and without
// those instructions Lloyd iterations keep Hamerly's bounds per row so that
// rows whose nearest center cannot have changed are compared with no center
// (kmeans_lloyd.go); assignment and the partial sums are one pass. The random draws depend on the seed and each row's
// position, not on the partitioning (Spark's depend on the partition), so
// the result is the same for 1 or n partitions up to rounding.
//
// With distanceMeasure "cosine" (Spark's CosineDistanceMeasure) the distance
// is 1 − x·c/(‖x‖‖c‖), a cluster's center is the normalized mean of its
// rows scaled to unit length (Spark's updateClusterSum and centroid), a
// center has converged when its distance to its previous value is at most
// tol, and the training cost sums the weighted distances. Zero vectors are
// an error. For unit vectors 1 − x·c = ‖x − c‖²/2, so the fit runs the
// Euclidean machinery (k-means||, Hamerly's bounds) on the rows scaled to
// unit length and normalizes each new center.
type KMeans struct {
	ml.StageBase
	kmParams
}

// NewKMeans returns an estimator with Spark's defaults (k = 2).
func NewKMeans() *KMeans { return newKMeans(param.UID("KMeans")) }

func newKMeans(uid string) *KMeans {
	k := &KMeans{StageBase: ml.NewStageBase(uid)}
	k.kmParams = defineKM(k.Params())
	return k
}

// SetK sets the number of clusters.
func (km *KMeans) SetK(k int) *KMeans { km.k.Set(km.Params(), k); return km }

// SetMaxIter sets the iteration limit.
func (km *KMeans) SetMaxIter(n int) *KMeans { km.maxIter.Set(km.Params(), n); return km }

// SetTol sets the convergence tolerance.
func (km *KMeans) SetTol(v float64) *KMeans { km.tol.Set(km.Params(), v); return km }

// SetSeed sets the random seed.
func (km *KMeans) SetSeed(s int64) *KMeans { km.seed.Set(km.Params(), s); return km }

// SetInitMode sets the initialization: "k-means||" or "random".
func (km *KMeans) SetInitMode(m string) *KMeans { km.initMode.Set(km.Params(), m); return km }

// SetDistanceMeasure sets the distance measure: "euclidean" (the default)
// or "cosine".
func (km *KMeans) SetDistanceMeasure(m string) *KMeans {
	km.distanceMeasure.Set(km.Params(), m)
	return km
}

// SetInitSteps sets the number of k-means|| steps.
func (km *KMeans) SetInitSteps(n int) *KMeans { km.initSteps.Set(km.Params(), n); return km }

// SetFeaturesCol sets the features column.
func (km *KMeans) SetFeaturesCol(c string) *KMeans { km.featuresCol.Set(km.Params(), c); return km }

// SetPredictionCol sets the cluster index column.
func (km *KMeans) SetPredictionCol(c string) *KMeans {
	km.predictionCol.Set(km.Params(), c)
	return km
}

// SetWeightCol sets the instance weight column.
func (km *KMeans) SetWeightCol(c string) *KMeans { km.weightCol.Set(km.Params(), c); return km }

// ClassName implements ml.Stage.
func (km *KMeans) ClassName() string { return classPrefix + "KMeans" }

func (p kmParams) schema(ps *param.Params, in *arrow.Schema, fit bool) (*arrow.Schema, error) {
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
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Int32, Nullable: true})
}

// TransformSchema implements ml.Stage.
func (km *KMeans) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return km.schema(km.Params(), in, true)
}

// Copy implements ml.Stage.
func (km *KMeans) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := km.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *km
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (km *KMeans) Save(path string) error { return ml.Save(km, path) }

// Fit implements ml.Estimator.
func (km *KMeans) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := km.FitKMeans(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// KMeansSummary describes a fit: the cost (sum of weighted squared
// distances to the nearest final center), the weight of each cluster and the
// number of Lloyd iterations run.
type KMeansSummary struct {
	TrainingCost float64
	ClusterSizes []float64
	NumIter      int
}

// FitKMeans is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (km *KMeans) FitKMeans(ctx context.Context, df *frame.DataFrame) (*KMeansModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := km.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := km.Params()
	uid := km.UID()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: km.featuresCol.Get(ps), WeightCol: km.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	k, seed := km.k.Get(ps), km.seed.Get(ps)
	cosine := km.distanceMeasure.Get(ps) == "cosine"
	if cosine {
		if err := unitRows(ctx, blocks); err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, km.featuresCol.Get(ps), err)
		}
	}
	var centers [][]float64
	if km.initMode.Get(ps) == "random" {
		centers = initRandom(blocks, k, seed)
	} else {
		centers, err = initParallel(ctx, blocks, k, km.initSteps.Get(ps), seed, cosine)
		if err != nil {
			return nil, err
		}
	}
	centers, iter, ll, err := lloydRun(ctx, blocks, centers, km.maxIter.Get(ps), km.tol.Get(ps), cosine)
	if err != nil {
		return nil, err
	}
	var sum *KMeansSummary
	if ll.prev != nil {
		sum, err = ll.summary(ctx, centers) // one more pass with the bounds
	} else {
		sum, err = summarize(ctx, blocks, centers)
	}
	if err != nil {
		return nil, err
	}
	if cosine {
		sum.TrainingCost /= 2 // Σw(1 − x·c) = Σw‖x − c‖²/2 for unit x and c
	}
	sum.NumIter = iter
	m := newKMeansModel(uid, centers)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	m.summary = sum
	return m, nil
}

// lloydIterations runs at most maxIter Lloyd iterations from centers and
// returns the centers and the number of iterations run. It stops after an
// iteration in which no center moved by more than tol: Euclidean distance,
// or with cosine (rows and centers of unit length) the cosine distance
// 1 − a·b = ‖a − b‖²/2, and each new center is scaled to unit length.
func lloydIterations(ctx context.Context, blocks []*optim.Block, centers [][]float64, maxIter int, tol float64, cosine bool) ([][]float64, int, error) {
	centers, iter, _, err := lloydRun(ctx, blocks, centers, maxIter, tol, cosine)
	return centers, iter, err
}

// lloydRun is lloydIterations also returning the state of the iterations,
// for a last pass (lloyd.summary).
func lloydRun(ctx context.Context, blocks []*optim.Block, centers [][]float64, maxIter int, tol float64, cosine bool) ([][]float64, int, *lloyd, error) {
	ll := newLloyd(blocks)
	centers, iter, err := ll.run(ctx, centers, maxIter, tol, cosine)
	if err != nil {
		return nil, 0, nil, err
	}
	return centers, iter, ll, nil
}

// run is lloydIterations with l's kernels and state.
func (l *lloyd) run(ctx context.Context, centers [][]float64, maxIter int, tol float64, cosine bool) ([][]float64, int, error) {
	d := l.blocks[0].D
	iter := 0
	for ; iter < maxIter; iter++ {
		K := len(centers)
		acc, err := l.step(ctx, centers)
		if err != nil {
			return nil, 0, err
		}
		converged := true
		for c := range centers {
			w := acc[K*d+c]
			if w == 0 {
				continue // an empty cluster keeps its center, as in Spark
			}
			nc := make([]float64, d)
			for j := range nc {
				nc[j] = acc[c*d+j] / w
			}
			moved := sqDist(nc, centers[c]) > tol*tol
			if cosine {
				if !unit(nc) {
					continue // the rows cancel out: no direction, keep the center
				}
				moved = sqDist(nc, centers[c])/2 > tol
			}
			if moved {
				converged = false
			}
			centers[c] = nc
		}
		if converged {
			iter++
			break
		}
	}
	return centers, iter, nil
}

// unit scales x to unit Euclidean length in place; it reports false (and
// leaves x) when x is zero.
func unit(x []float64) bool {
	n := math.Sqrt(dotSelf(x))
	if n == 0 {
		return false
	}
	for j := range x {
		x[j] /= n
	}
	return true
}

// unitRows scales every row of the blocks to unit length in place, for the
// cosine distance; a zero row is an error, as in Spark.
func unitRows(ctx context.Context, blocks []*optim.Block) error {
	acc, err := optim.Reduce(ctx, blocks, 1, func(b *optim.Block, a []float64) {
		for i := 0; i < b.N; i++ {
			if !unit(b.Row(i)) {
				a[0]++
			}
		}
	})
	if err != nil {
		return err
	}
	if acc[0] > 0 {
		return fmt.Errorf("cosine distance is not defined for zero-length vectors (%v rows)", acc[0])
	}
	return nil
}

func summarize(ctx context.Context, blocks []*optim.Block, centers [][]float64) (*KMeansSummary, error) {
	K := len(centers)
	t := newCenterTable(centers)
	acc, err := optim.Reduce(ctx, blocks, K+1, func(b *optim.Block, a []float64) {
		var kn kernel
		best, dist := make([]int32, rowChunk), make([]float64, rowChunk)
		for lo := 0; lo < b.N; lo += rowChunk {
			hi := min(lo+rowChunk, b.N)
			kn.nearest(t, b, lo, hi, best, dist)
			for r, c := range best[:hi-lo] {
				w := b.W[lo+r]
				a[c] += w
				a[K] += w * dist[r]
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return &KMeansSummary{TrainingCost: acc[K], ClusterSizes: acc[:K]}, nil
}

// closest returns the index of the center nearest x and the squared distance.
func closest(centers [][]float64, x []float64) (int, float64) {
	best, bd := 0, math.Inf(1)
	for c, ctr := range centers {
		if d := sqDist(ctr, x); d < bd {
			best, bd = c, d
		}
	}
	return best, bd
}

// sqDist returns the squared Euclidean distance between a and b (len(b) ≥
// len(a)), with four independent partial sums so that the additions do not
// wait on each other.
func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	j := 0
	for ; j+4 <= len(a); j += 4 {
		d0, d1, d2, d3 := a[j]-b[j], a[j+1]-b[j+1], a[j+2]-b[j+2], a[j+3]-b[j+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; j < len(a); j++ {
		d := a[j] - b[j]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}

// rowAt returns global row i (in block order) of the blocks.
func rowAt(blocks []*optim.Block, i int) []float64 {
	for _, b := range blocks {
		if i < b.N {
			return b.Row(i)
		}
		i -= b.N
	}
	return nil
}

func totalRows(blocks []*optim.Block) int {
	n := 0
	for _, b := range blocks {
		n += b.N
	}
	return n
}

// initRandom picks k distinct rows uniformly (fewer when there are fewer rows).
func initRandom(blocks []*optim.Block, k int, seed int64) [][]float64 {
	n := totalRows(blocks)
	r := rand.New(rand.NewPCG(uint64(seed), 0x6b6d65616e73))
	perm := r.Perm(n)
	var out [][]float64
	for _, i := range perm[:min(k, n)] {
		out = append(out, append([]float64(nil), rowAt(blocks, i)...))
	}
	return out
}

// initParallel is k-means||.
// With cosine the rows have unit length and the centers of the local
// k-means++ iterations are scaled to unit length.
func initParallel(ctx context.Context, blocks []*optim.Block, k, steps int, seed int64, cosine bool) ([][]float64, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6b6d65616e73))
	centers, weights, err := parallelCandidates(ctx, blocks, k, steps, seed, r)
	if err != nil || weights == nil {
		return centers, err
	}
	return localKMeansPP(centers, weights, k, 30, r, cosine), nil
}

// parallelCandidates runs the sampling steps of k-means|| and returns the
// distinct candidates with, for each, the weight of the rows nearest to it;
// the weights are nil when there are at most k candidates.
func parallelCandidates(ctx context.Context, blocks []*optim.Block, k, steps int, seed int64, r *rand.Rand) ([][]float64, []float64, error) {
	n := totalRows(blocks)
	centers := [][]float64{append([]float64(nil), rowAt(blocks, r.IntN(n))...)}
	// costs[p][i] is the squared distance from row i of block p to its
	// nearest center among those whose costs have been taken in, and
	// owner[p][i] the index of that center in centers.
	costs := make([][]float64, len(blocks))
	owner := make([][]int32, len(blocks))
	for p, b := range blocks {
		costs[p] = make([]float64, b.N)
		owner[p] = make([]int32, b.N)
		for i := range costs[p] {
			costs[p][i] = math.Inf(1)
		}
	}
	offsets := make([]int, len(blocks))
	for p := 1; p < len(blocks); p++ {
		offsets[p] = offsets[p-1] + blocks[p-1].N
	}
	newFrom := 0
	index := map[*optim.Block]int{}
	for p, b := range blocks {
		index[b] = p
	}
	for step := 0; step < steps; step++ {
		// Update each point's cost with the centers added last step, and sum.
		fresh := newCenterTable(centers[newFrom:])
		from := int32(newFrom)
		acc, err := optim.Reduce(ctx, blocks, 1, func(b *optim.Block, a []float64) {
			cs, own := costs[index[b]], owner[index[b]]
			var kn kernel
			best, dist := make([]int32, rowChunk), make([]float64, rowChunk)
			for lo := 0; lo < b.N; lo += rowChunk {
				hi := min(lo+rowChunk, b.N)
				kn.nearest(fresh, b, lo, hi, best, dist)
				for r := range hi - lo {
					i := lo + r
					if dist[r] < cs[i] {
						cs[i], own[i] = dist[r], from+best[r]
					}
					a[0] += b.W[i] * cs[i]
				}
			}
		})
		if err != nil {
			return nil, nil, err
		}
		total := acc[0]
		newFrom = len(centers)
		if total == 0 {
			break
		}
		picked := make([][][]float64, len(blocks))
		if _, err := optim.Reduce(ctx, blocks, 0, func(b *optim.Block, _ []float64) {
			p := index[b]
			for i := 0; i < b.N; i++ {
				// The draw depends on the seed, the step and the row's global
				// position only, so the result does not depend on the partitioning.
				u := uniform(uint64(seed), uint64(step), uint64(offsets[p]+i))
				if u < 2*b.W[i]*costs[p][i]*float64(k)/total {
					picked[p] = append(picked[p], append([]float64(nil), b.Row(i)...))
				}
			}
		}); err != nil {
			return nil, nil, err
		}
		for _, ps := range picked {
			centers = append(centers, ps...)
		}
	}
	last := newCenterTable(centers[newFrom:])
	from := int32(newFrom)
	centers, first := distinct(centers)
	if len(centers) <= k {
		return centers, nil, nil
	}
	// Weight every candidate by the points closest to it. The nearest
	// candidate of a row is its owner, unless one picked in the last step
	// (whose distances have not been taken yet) is nearer.
	weights, err := optim.Reduce(ctx, blocks, len(centers), func(b *optim.Block, a []float64) {
		cs, own := costs[index[b]], owner[index[b]]
		var kn kernel
		best, dist := make([]int32, rowChunk), make([]float64, rowChunk)
		for lo := 0; lo < b.N; lo += rowChunk {
			hi := min(lo+rowChunk, b.N)
			c := own[lo:hi]
			if last.k > 0 {
				kn.nearest(last, b, lo, hi, best, dist)
			}
			for r := range hi - lo {
				o := c[r]
				if last.k > 0 && dist[r] < cs[lo+r] {
					o = from + best[r]
				}
				a[first[o]] += b.W[lo+r]
			}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	return centers, weights, nil
}

// uniform returns a number in [0, 1) determined by its arguments
// (splitmix64 finalization of their mix).
func uniform(seed, step, row uint64) float64 {
	z := seed ^ (step+1)*0x9e3779b97f4a7c15 ^ (row+1)*0xbf58476d1ce4e5b9
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// distinct returns the points of pts without repeats, in order of first
// appearance, and for each point of pts the index of its copy in the result.
func distinct(pts [][]float64) ([][]float64, []int32) {
	var out [][]float64
	at := make([]int32, len(pts))
outer:
	for i, p := range pts {
		for j, q := range out {
			if sqDist(p, q) == 0 {
				at[i] = int32(j)
				continue outer
			}
		}
		at[i] = int32(len(out))
		out = append(out, p)
	}
	return out, at
}

// localKMeansPP runs weighted k-means++ seeding and Lloyd iterations on a
// small set of weighted points; with unitCenters each new center is scaled
// to unit length (the cosine distance on unit points).
func localKMeansPP(pts [][]float64, w []float64, k, iters int, r *rand.Rand, unitCenters bool) [][]float64 {
	d := len(pts[0])
	pick := func(weights []float64) int {
		total := 0.0
		for _, v := range weights {
			total += v
		}
		t := r.Float64() * total
		for i, v := range weights {
			t -= v
			if t < 0 {
				return i
			}
		}
		return len(weights) - 1
	}
	centers := [][]float64{append([]float64(nil), pts[pick(w)]...)}
	dist := make([]float64, len(pts))
	for i, p := range pts {
		dist[i] = sqDist(p, centers[0])
	}
	probs := make([]float64, len(pts))
	for len(centers) < k {
		for i := range probs {
			probs[i] = w[i] * dist[i]
		}
		c := append([]float64(nil), pts[pick(probs)]...)
		centers = append(centers, c)
		for i, p := range pts {
			dist[i] = math.Min(dist[i], sqDist(p, c))
		}
	}
	for it := 0; it < iters; it++ {
		sums := make([]float64, k*d)
		cnt := make([]float64, k)
		for i, p := range pts {
			c, _ := closest(centers, p)
			for j, v := range p {
				sums[c*d+j] += w[i] * v
			}
			cnt[c] += w[i]
		}
		moved := false
		for c := range centers {
			if cnt[c] == 0 {
				// An empty cluster takes a random point, as Spark's local k-means does.
				centers[c] = append([]float64(nil), pts[r.IntN(len(pts))]...)
				moved = true
				continue
			}
			mean := sums[c*d : c*d+d]
			for j := range mean {
				mean[j] /= cnt[c]
			}
			if unitCenters && !unit(mean) {
				continue
			}
			for j, v := range mean {
				if v != centers[c][j] {
					moved = true
				}
				centers[c][j] = v
			}
		}
		if !moved {
			break
		}
	}
	return centers
}

// KMeansModel assigns each vector to its nearest cluster center.
type KMeansModel struct {
	ml.StageBase
	kmParams
	centers [][]float64
	summary *KMeansSummary
}

func newKMeansModel(uid string, centers [][]float64) *KMeansModel {
	m := &KMeansModel{StageBase: ml.NewStageBase(uid), centers: centers}
	m.kmParams = defineKM(m.Params())
	return m
}

// ClusterCenters returns the centers.
func (m *KMeansModel) ClusterCenters() []linalg.Vector {
	out := make([]linalg.Vector, len(m.centers))
	for i, c := range m.centers {
		out[i] = linalg.Dense(append([]float64(nil), c...)...)
	}
	return out
}

// Summary returns the training summary, nil for a loaded model.
func (m *KMeansModel) Summary() *KMeansSummary { return m.summary }

// HasSummary reports whether the model has a training summary.
func (m *KMeansModel) HasSummary() bool { return m.summary != nil }

// Predict returns the index of the center nearest x.
func (m *KMeansModel) Predict(x linalg.Vector) (int, error) {
	if x.Size() != len(m.centers[0]) {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), len(m.centers[0]))
	}
	return m.assigner()(x.ToArray())
}

// assigner returns the function giving the index of the center nearest a
// vector under the model's distance measure. With cosine it is the largest
// x·c/‖c‖ (the smallest 1 − x·c/(‖x‖‖c‖)), and a zero x or center is an
// error, as in Spark.
func (m *KMeansModel) assigner() func(x []float64) (int, error) {
	centers := m.centers
	if m.distanceMeasure.Get(m.Params()) != "cosine" {
		return func(x []float64) (int, error) {
			c, _ := closest(centers, x)
			return c, nil
		}
	}
	inv := make([]float64, len(centers))
	for c, ctr := range centers {
		inv[c] = 1 / math.Sqrt(dotSelf(ctr))
	}
	uid := m.UID()
	return func(x []float64) (int, error) {
		if dotSelf(x) == 0 {
			return 0, fmt.Errorf("%s: cosine distance is not defined for zero-length vectors", uid)
		}
		best, bv := 0, math.Inf(-1)
		for c, ctr := range centers {
			if math.IsInf(inv[c], 1) {
				return 0, fmt.Errorf("%s: cosine distance is not defined for zero-length vectors (center %d)", uid, c)
			}
			s := 0.0
			for j, v := range x {
				s += v * ctr[j]
			}
			if s *= inv[c]; s > bv {
				best, bv = c, s
			}
		}
		return best, nil
	}
}

// SetFeaturesCol sets the features column.
func (m *KMeansModel) SetFeaturesCol(c string) *KMeansModel {
	m.featuresCol.Set(m.Params(), c)
	return m
}

// SetPredictionCol sets the cluster index column.
func (m *KMeansModel) SetPredictionCol(c string) *KMeansModel {
	m.predictionCol.Set(m.Params(), c)
	return m
}

// ClassName implements ml.Stage.
func (m *KMeansModel) ClassName() string { return classPrefix + "KMeansModel" }

// TransformSchema implements ml.Stage.
func (m *KMeansModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in, false)
}

// Transform adds the cluster index column (int32; null for a null vector).
func (m *KMeansModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	uid, fc := m.UID(), m.featuresCol.Get(m.Params())
	d := len(m.centers[0])
	assign := m.assigner()
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
		}
		b := array.NewInt32Builder(mem)
		defer b.Release()
		b.Reserve(vc.Len())
		buf := make([]float64, d)
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			if vc.Size(i) != d {
				return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), d)
			}
			x := vc.DenseValues(i)
			if x == nil {
				clear(buf)
				vc.AddTo(i, 1, buf)
				x = buf
			}
			c, err := assign(x)
			if err != nil {
				return nil, fmt.Errorf("column %q: %w", fc, err)
			}
			b.Append(int32(c))
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(m.predictionCol.Get(m.Params()), frame.UDF("kmeansPredict", arrow.PrimitiveTypes.Int32, fn, frame.Col(fc)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *KMeansModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: one Parquet row per cluster center.
func (m *KMeansModel) WriteData(dir string) error {
	return ml.WriteVectorRows(dir, "clusterCenter", m.centers, "", nil)
}

// Save implements ml.Stage.
func (m *KMeansModel) Save(path string) error { return ml.Save(m, path) }

func loadKMeansModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	centers, _, err := ml.ReadVectorRows(ctx, dir, "clusterCenter", "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(centers) == 0 {
		return nil, fmt.Errorf("%s: model has no centers", md.UID)
	}
	for _, c := range centers {
		if len(c) != len(centers[0]) {
			return nil, fmt.Errorf("%s: centers of different sizes", md.UID)
		}
	}
	m := newKMeansModel(md.UID, centers)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (km *KMeans) FitModel(ctx context.Context, df *frame.DataFrame) (*KMeansModel, error) {
	return km.FitKMeans(ctx, df)
}

var _ ml.TypedEstimator[*KMeansModel] = (*KMeans)(nil)
