package feature

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// activeIndices returns the indices of the nonzero entries of row i.
func activeIndices(vc *linalg.VectorColumn, i int) []int {
	var out []int
	vc.ForEachActive(i, func(j int, v float64) {
		if v != 0 {
			out = append(out, j)
		}
	})
	return out
}

// MinHashLSH is Spark's org.apache.spark.ml.feature.MinHashLSH: locality
// sensitive hashing for Jaccard distance on the sets of nonzero indices of
// vectors. Each hash table t has a function h(x) = min over the nonzero
// indices j of x of ((1 + j)·aₜ + bₜ) mod 2038074743, with aₜ and bₜ drawn
// from the seed at Fit (which reads no data). A vector with no nonzero
// entry is an error, as in Spark.
type MinHashLSH struct {
	ml.StageBase
	lshParams
	seed param.Param[int64]
}

// NewMinHashLSH returns an estimator with Spark's defaults (one hash table).
func NewMinHashLSH() *MinHashLSH { return newMinHashLSH(param.UID("MinHashLSH")) }

func newMinHashLSH(uid string) *MinHashLSH {
	m := &MinHashLSH{StageBase: ml.NewStageBase(uid)}
	m.lshParams = defineLSH(m.Params(), uid)
	m.seed = param.Define(m.Params(), "seed", "random seed", param.WithDefault(int64(328749633)))
	return m
}

// SetInputCol sets the vector column.
func (m *MinHashLSH) SetInputCol(c string) *MinHashLSH { m.inputCol.Set(m.Params(), c); return m }

// SetOutputCol sets the hash column.
func (m *MinHashLSH) SetOutputCol(c string) *MinHashLSH { m.outputCol.Set(m.Params(), c); return m }

// SetNumHashTables sets the number of hash tables.
func (m *MinHashLSH) SetNumHashTables(n int) *MinHashLSH {
	m.numHashTables.Set(m.Params(), n)
	return m
}

// SetSeed sets the random seed.
func (m *MinHashLSH) SetSeed(s int64) *MinHashLSH { m.seed.Set(m.Params(), s); return m }

// ClassName implements ml.Stage.
func (m *MinHashLSH) ClassName() string { return classPrefix + "MinHashLSH" }

// TransformSchema implements ml.Stage.
func (m *MinHashLSH) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in)
}

// Copy implements ml.Stage.
func (m *MinHashLSH) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *MinHashLSH, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (m *MinHashLSH) Save(path string) error { return ml.Save(m, path) }

// Fit implements ml.Estimator.
func (m *MinHashLSH) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return m.FitModel(ctx, df)
}

// FitModel draws the hash functions and returns the concrete model.
func (m *MinHashLSH) FitModel(ctx context.Context, df *frame.DataFrame) (*MinHashLSHModel, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	r := rand.New(rand.NewPCG(uint64(m.seed.Get(ps)), 0x6d696e68617368))
	coef := make([][2]int64, m.numHashTables.Get(ps))
	for t := range coef {
		coef[t] = [2]int64{1 + r.Int64N(minHashPrime-1), r.Int64N(minHashPrime - 1)}
	}
	md := newMinHashLSHModel(m.UID(), coef)
	if err := ps.CopyValuesTo(md.Params()); err != nil {
		return nil, err
	}
	return md, nil
}

// MinHashLSHModel hashes vectors with the MinHash functions drawn at Fit.
type MinHashLSHModel struct {
	lshModel
	coef [][2]int64
}

type minHasher struct{ coef [][2]int64 }

func (h minHasher) hash(vc *linalg.VectorColumn, i int) ([]float64, error) {
	idx := activeIndices(vc, i)
	if len(idx) == 0 {
		return nil, fmt.Errorf("MinHashLSH: a vector must have at least 1 non zero entry")
	}
	out := make([]float64, len(h.coef))
	for t, c := range h.coef {
		best := int64(math.MaxInt64)
		for _, j := range idx {
			best = min(best, ((1+int64(j))*c[0]+c[1])%minHashPrime)
		}
		out[t] = float64(best)
	}
	return out, nil
}

// keyDistance is the Jaccard distance of the nonzero index sets.
func (minHasher) keyDistance(a *linalg.VectorColumn, i int, b *linalg.VectorColumn, j int) float64 {
	x, y := activeIndices(a, i), activeIndices(b, j)
	set := make(map[int]bool, len(x))
	for _, k := range x {
		set[k] = true
	}
	inter := 0
	for _, k := range y {
		if set[k] {
			inter++
		}
	}
	union := len(x) + len(y) - inter
	if union == 0 {
		return 0
	}
	return 1 - float64(inter)/float64(union)
}

// hashDistance is the least, over tables, of 0 for equal hashes and 1 otherwise.
func (minHasher) hashDistance(x, y []float64) float64 {
	d := math.Inf(1)
	for t := range x {
		v := 1.0
		if x[t] == y[t] {
			v = 0
		}
		d = math.Min(d, v)
	}
	return d
}

func newMinHashLSHModel(uid string, coef [][2]int64) *MinHashLSHModel {
	m := &MinHashLSHModel{coef: coef}
	m.StageBase = ml.NewStageBase(uid)
	m.lshParams = defineLSH(m.Params(), uid)
	param.Define(m.Params(), "seed", "random seed", param.WithDefault(int64(328749633)))
	m.h = minHasher{coef: coef}
	return m
}

// ClassName implements ml.Stage.
func (m *MinHashLSHModel) ClassName() string { return classPrefix + "MinHashLSHModel" }

// SetInputCol sets the vector column.
func (m *MinHashLSHModel) SetInputCol(c string) *MinHashLSHModel {
	m.inputCol.Set(m.Params(), c)
	return m
}

// SetOutputCol sets the hash column.
func (m *MinHashLSHModel) SetOutputCol(c string) *MinHashLSHModel {
	m.outputCol.Set(m.Params(), c)
	return m
}

// Transform adds the hash column: an array of one-element vectors, one per
// hash table, as Spark's.
func (m *MinHashLSHModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	return m.transform(df)
}

// Copy implements ml.Stage.
func (m *MinHashLSHModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *MinHashLSHModel, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (m *MinHashLSHModel) Save(path string) error { return ml.Save(m, path) }

// WriteData implements ml.DataWriter: one row per hash table (a, b), as
// Spark's randCoefficients.
func (m *MinHashLSHModel) WriteData(dir string) error {
	as, bs := make([]float64, len(m.coef)), make([]float64, len(m.coef))
	for t, c := range m.coef {
		as[t], bs[t] = float64(c[0]), float64(c[1])
	}
	return ml.WriteColumns(dir, len(m.coef), nil, nil, []string{"a", "b"}, [][]float64{as, bs})
}

func loadMinHashLSHModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	_, nums, n, err := ml.ReadColumns(ctx, dir, nil, []string{"a", "b"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	coef := make([][2]int64, n)
	for t := range coef {
		coef[t] = [2]int64{int64(nums[0][t]), int64(nums[1][t])}
		if coef[t][0] < 1 || coef[t][0] >= minHashPrime || coef[t][1] < 0 || coef[t][1] >= minHashPrime {
			return nil, fmt.Errorf("%s: model data row %d: coefficients (%d, %d) out of range", md.UID, t+1, coef[t][0], coef[t][1])
		}
	}
	m := newMinHashLSHModel(md.UID, coef)
	return m, md.ApplyParams(m.Params())
}

// BucketedRandomProjectionLSH is Spark's
// org.apache.spark.ml.feature.BucketedRandomProjectionLSH: locality
// sensitive hashing for Euclidean distance. Each hash table t has a random
// unit vector vₜ (Gaussian entries, normalized; drawn from the seed at Fit,
// whose only read is the first vector's size) and hashes x to
// floor(x·vₜ / bucketLength).
type BucketedRandomProjectionLSH struct {
	ml.StageBase
	lshParams
	seed         param.Param[int64]
	bucketLength param.Param[float64]
}

// NewBucketedRandomProjectionLSH returns an estimator with Spark's
// defaults; bucketLength must be set.
func NewBucketedRandomProjectionLSH() *BucketedRandomProjectionLSH {
	return newBRPLSH(param.UID("BucketedRandomProjectionLSH"))
}

func defineBucketLength(ps *param.Params) param.Param[float64] {
	return param.Define(ps, "bucketLength", "the length of each hash bucket, a larger bucket lowers the false negative rate (> 0)",
		param.WithValidator(param.Gt(0.0)))
}

func newBRPLSH(uid string) *BucketedRandomProjectionLSH {
	m := &BucketedRandomProjectionLSH{StageBase: ml.NewStageBase(uid)}
	m.lshParams = defineLSH(m.Params(), uid)
	m.seed = param.Define(m.Params(), "seed", "random seed", param.WithDefault(int64(772209414)))
	m.bucketLength = defineBucketLength(m.Params())
	return m
}

// SetInputCol sets the vector column.
func (m *BucketedRandomProjectionLSH) SetInputCol(c string) *BucketedRandomProjectionLSH {
	m.inputCol.Set(m.Params(), c)
	return m
}

// SetOutputCol sets the hash column.
func (m *BucketedRandomProjectionLSH) SetOutputCol(c string) *BucketedRandomProjectionLSH {
	m.outputCol.Set(m.Params(), c)
	return m
}

// SetNumHashTables sets the number of hash tables.
func (m *BucketedRandomProjectionLSH) SetNumHashTables(n int) *BucketedRandomProjectionLSH {
	m.numHashTables.Set(m.Params(), n)
	return m
}

// SetBucketLength sets the bucket length.
func (m *BucketedRandomProjectionLSH) SetBucketLength(v float64) *BucketedRandomProjectionLSH {
	m.bucketLength.Set(m.Params(), v)
	return m
}

// SetSeed sets the random seed.
func (m *BucketedRandomProjectionLSH) SetSeed(s int64) *BucketedRandomProjectionLSH {
	m.seed.Set(m.Params(), s)
	return m
}

// ClassName implements ml.Stage.
func (m *BucketedRandomProjectionLSH) ClassName() string {
	return classPrefix + "BucketedRandomProjectionLSH"
}

// TransformSchema implements ml.Stage.
func (m *BucketedRandomProjectionLSH) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if !m.bucketLength.IsSet(m.Params()) {
		return nil, fmt.Errorf("%s: bucketLength must be set", m.UID())
	}
	return m.schema(m.Params(), in)
}

// Copy implements ml.Stage.
func (m *BucketedRandomProjectionLSH) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *BucketedRandomProjectionLSH, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (m *BucketedRandomProjectionLSH) Save(path string) error { return ml.Save(m, path) }

// Fit implements ml.Estimator.
func (m *BucketedRandomProjectionLSH) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return m.FitModel(ctx, df)
}

// FitModel draws the projections and returns the concrete model.
func (m *BucketedRandomProjectionLSH) FitModel(ctx context.Context, df *frame.DataFrame) (*BucketedRandomProjectionLSHModel, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in := m.inputCol.Get(ps)
	rows, err := df.Select(frame.Col(in)).Filter(frame.Col(in).IsNotNull()).Limit(1).Collect(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.UID(), err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: column %q has no vectors to size the projections", m.UID(), in)
	}
	dim := rows[0][0].(linalg.Vector).Size()
	r := rand.New(rand.NewPCG(uint64(m.seed.Get(ps)), 0x627270))
	vecs := make([][]float64, m.numHashTables.Get(ps))
	for t := range vecs {
		v := make([]float64, dim)
		norm := 0.0
		for j := range v {
			v[j] = r.NormFloat64()
			norm += v[j] * v[j]
		}
		norm = math.Sqrt(norm)
		for j := range v {
			v[j] /= norm
		}
		vecs[t] = v
	}
	md := newBRPLSHModel(m.UID(), vecs)
	if err := ps.CopyValuesTo(md.Params()); err != nil {
		return nil, err
	}
	return md, nil
}

// BucketedRandomProjectionLSHModel hashes vectors by their bucketed
// projections on the random unit vectors drawn at Fit.
type BucketedRandomProjectionLSHModel struct {
	lshModel
	bucketLength param.Param[float64]
	vecs         [][]float64
}

type brpHasher struct {
	m *BucketedRandomProjectionLSHModel
}

func (h brpHasher) hash(vc *linalg.VectorColumn, i int) ([]float64, error) {
	m := h.m
	out := make([]float64, len(m.vecs))
	if vc.Size(i) != len(m.vecs[0]) {
		return nil, fmt.Errorf("vector of size %d, the projections have size %d", vc.Size(i), len(m.vecs[0]))
	}
	bl := m.bucketLength.Get(m.Params())
	for t, v := range m.vecs {
		out[t] = math.Floor(vc.DotDense(i, v) / bl)
	}
	return out, nil
}

// keyDistance is the Euclidean distance.
func (brpHasher) keyDistance(a *linalg.VectorColumn, i int, b *linalg.VectorColumn, j int) float64 {
	x := make([]float64, max(a.Size(i), b.Size(j)))
	a.AddTo(i, 1, x)
	b.AddTo(j, -1, x)
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// hashDistance is the least, over tables, of the squared hash difference.
func (brpHasher) hashDistance(x, y []float64) float64 {
	d := math.Inf(1)
	for t := range x {
		d = math.Min(d, (x[t]-y[t])*(x[t]-y[t]))
	}
	return d
}

func newBRPLSHModel(uid string, vecs [][]float64) *BucketedRandomProjectionLSHModel {
	m := &BucketedRandomProjectionLSHModel{vecs: vecs}
	m.StageBase = ml.NewStageBase(uid)
	m.lshParams = defineLSH(m.Params(), uid)
	param.Define(m.Params(), "seed", "random seed", param.WithDefault(int64(772209414)))
	m.bucketLength = defineBucketLength(m.Params())
	m.h = brpHasher{m: m}
	return m
}

// ClassName implements ml.Stage.
func (m *BucketedRandomProjectionLSHModel) ClassName() string {
	return classPrefix + "BucketedRandomProjectionLSHModel"
}

// SetInputCol sets the vector column.
func (m *BucketedRandomProjectionLSHModel) SetInputCol(c string) *BucketedRandomProjectionLSHModel {
	m.inputCol.Set(m.Params(), c)
	return m
}

// SetOutputCol sets the hash column.
func (m *BucketedRandomProjectionLSHModel) SetOutputCol(c string) *BucketedRandomProjectionLSHModel {
	m.outputCol.Set(m.Params(), c)
	return m
}

// Transform adds the hash column: an array of one-element vectors, one per
// hash table, as Spark's.
func (m *BucketedRandomProjectionLSHModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	return m.transform(df)
}

// Copy implements ml.Stage.
func (m *BucketedRandomProjectionLSHModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := newBRPLSHModel(m.UID(), m.vecs)
	c.StageBase = b
	c.h = brpHasher{m: c}
	return c, nil
}

// Save implements ml.Stage.
func (m *BucketedRandomProjectionLSHModel) Save(path string) error { return ml.Save(m, path) }

// WriteData implements ml.DataWriter: one row per random unit vector, as
// Spark's randUnitVectors.
func (m *BucketedRandomProjectionLSHModel) WriteData(dir string) error {
	return ml.WriteVectorRows(dir, "randUnitVectors", m.vecs, "", nil)
}

func loadBRPLSHModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	vecs, _, err := ml.ReadVectorRows(ctx, dir, "randUnitVectors", "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(vecs) == 0 {
		return nil, fmt.Errorf("%s: model has no projections", md.UID)
	}
	m := newBRPLSHModel(md.UID, vecs)
	return m, md.ApplyParams(m.Params())
}

var (
	_ ml.TypedEstimator[*MinHashLSHModel]                  = (*MinHashLSH)(nil)
	_ ml.TypedEstimator[*BucketedRandomProjectionLSHModel] = (*BucketedRandomProjectionLSH)(nil)
)
