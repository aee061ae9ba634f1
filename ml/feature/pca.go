package feature

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"gonum.org/v1/gonum/mat"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// PCA learns the top k principal components of vectors (eigenvectors of
// their covariance matrix) and projects vectors onto them; as in Spark, the
// projection does not center the data. Component signs are normalized so
// that the largest-magnitude element of each is positive (Spark's come from
// LAPACK and may differ in sign).
type PCA struct {
	ml.StageBase
	colParams
	k param.Param[int]
}

// NewPCA makes a PCA with a new UID.
func NewPCA() *PCA { return newPCA(param.UID("PCA")) }

func definePCA(ps *param.Params, uid string) (colParams, param.Param[int]) {
	return defineCols(ps, uid), param.Define[int](ps, "k", "the number of principal components (> 0)", param.WithValidator(param.Gt(0)))
}

func newPCA(uid string) *PCA {
	s := &PCA{StageBase: ml.NewStageBase(uid)}
	s.colParams, s.k = definePCA(s.Params(), uid)
	return s
}

// SetInputCol sets the input vector column.
func (s *PCA) SetInputCol(c string) *PCA { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *PCA) SetOutputCol(c string) *PCA { s.outputCol.Set(s.Params(), c); return s }

// SetK sets the number of components.
func (s *PCA) SetK(k int) *PCA { s.k.Set(s.Params(), k); return s }

// ClassName implements ml.Stage.
func (s *PCA) ClassName() string { return classPrefix + "PCA" }

// TransformSchema implements ml.Stage.
func (s *PCA) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if _, ok := s.k.GetOK(s.Params()); !ok {
		return nil, fmt.Errorf("%s: k must be set", s.UID())
	}
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

type gram struct {
	n   int64
	d   int
	sum []float64
	g   []float64 // d×d, row-major
}

// Fit implements ml.Estimator.
func (s *PCA) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid, k := s.inputCol.Get(ps), s.UID(), s.k.Get(ps)
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(in)), func(int) *gram { return &gram{d: -1} },
		func(acc *gram, b arrow.RecordBatch) (*gram, error) {
			vc, err := linalg.Vectors(b.Column(0))
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, in, err)
			}
			var row []float64
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					continue
				}
				n := vc.Size(i)
				if acc.d < 0 {
					acc.d, acc.sum, acc.g = n, make([]float64, n), make([]float64, n*n)
				} else if n != acc.d {
					return acc, sizeMismatch(uid, in, acc.d, n)
				}
				acc.n++
				row = denseRow(vc, i, row)
				for a, x := range row {
					if x == 0 {
						continue
					}
					acc.sum[a] += x
					ga := acc.g[a*n : (a+1)*n]
					for c, y := range row {
						ga[c] += x * y
					}
				}
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	tot := &gram{d: -1}
	for _, a := range accs {
		if a.d < 0 {
			continue
		}
		if tot.d < 0 {
			tot.d, tot.sum, tot.g = a.d, make([]float64, a.d), make([]float64, a.d*a.d)
		} else if a.d != tot.d {
			return nil, sizeMismatch(uid, in, tot.d, a.d)
		}
		tot.n += a.n
		for j := range a.sum {
			tot.sum[j] += a.sum[j]
		}
		for j := range a.g {
			tot.g[j] += a.g[j]
		}
	}
	if tot.d < 0 {
		return nil, fmt.Errorf("%s: column %q has no non-null rows to fit on", uid, in)
	}
	d := tot.d
	if k > d {
		return nil, fmt.Errorf("%s: k (%d) must be at most the number of features (%d)", uid, k, d)
	}
	if tot.n < 2 {
		return nil, fmt.Errorf("%s: PCA needs at least 2 rows, got %d", uid, tot.n)
	}
	n := float64(tot.n)
	cov := mat.NewSymDense(d, nil)
	for a := 0; a < d; a++ {
		for c := a; c < d; c++ {
			cov.SetSym(a, c, (tot.g[a*d+c]-tot.sum[a]*tot.sum[c]/n)/(n-1))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		return nil, fmt.Errorf("%s: eigendecomposition of the covariance matrix failed", uid)
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case vals[a] > vals[b]:
			return -1
		case vals[a] < vals[b]:
			return 1
		}
		return 0
	})
	total := 0.0
	for _, v := range vals {
		total += math.Max(v, 0)
	}
	pc := make([]float64, d*k) // column-major d×k
	explained := make([]float64, k)
	for c := 0; c < k; c++ {
		src := order[c]
		col := pc[c*d : (c+1)*d]
		big := 0
		for r := 0; r < d; r++ {
			col[r] = vecs.At(r, src)
			if math.Abs(col[r]) > math.Abs(col[big]) {
				big = r
			}
		}
		if col[big] < 0 {
			for r := range col {
				col[r] = -col[r]
			}
		}
		if total > 0 {
			explained[c] = math.Max(vals[src], 0) / total
		}
	}
	m := newPCAModel(uid, d, k, pc, explained)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *PCA) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *PCA, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *PCA) Save(path string) error { return ml.Save(s, path) }

// PCAModel projects vectors onto principal components.
type PCAModel struct {
	ml.StageBase
	colParams
	k         param.Param[int]
	d         int
	pc        []float64 // column-major d×k
	explained []float64
}

func newPCAModel(uid string, d, k int, pc, explained []float64) *PCAModel {
	m := &PCAModel{StageBase: ml.NewStageBase(uid), d: d, pc: pc, explained: explained}
	m.colParams, m.k = definePCA(m.Params(), uid)
	m.k.Set(m.Params(), k)
	return m
}

// PC returns the principal components as a d×k matrix (one component per column).
func (m *PCAModel) PC() *mat.Dense {
	k := len(m.explained)
	out := mat.NewDense(m.d, k, nil)
	for c := 0; c < k; c++ {
		for r := 0; r < m.d; r++ {
			out.Set(r, c, m.pc[c*m.d+r])
		}
	}
	return out
}

// ExplainedVariance returns the proportion of variance each component explains.
func (m *PCAModel) ExplainedVariance() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.explained...)...)
}

// ClassName implements ml.Stage.
func (m *PCAModel) ClassName() string { return classPrefix + "PCAModel" }

// TransformSchema implements ml.Stage.
func (m *PCAModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(m.StageBase, m.colParams, in)
}

// Transform implements ml.Transformer.
func (m *PCAModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, uid, d, pc := m.inputCol.Get(ps), m.UID(), m.d, m.pc
	k := len(m.explained)
	res := vectorUDF(df, "pca", uid, in, m.outputCol.Get(ps), func() rowFn {
		out := make([]float64, k)
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			if vc.Size(i) != d {
				return sizeMismatch(uid, in, d, vc.Size(i))
			}
			for c := range out {
				out[c] = vc.DotDense(i, pc[c*d:(c+1)*d])
			}
			b.AppendDense(out)
			return nil
		}
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *PCAModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *PCAModel, b ml.StageBase) { c.StageBase = b })
}

// ExtraMetadata implements ml.ExtraMetadata.
func (m *PCAModel) ExtraMetadata() map[string]any { return map[string]any{"numFeatures": m.d} }

// WriteData implements ml.DataWriter: the components column-major, and the explained variance.
func (m *PCAModel) WriteData(dir string) error {
	return ml.WriteVectors(dir, []string{"pc", "explainedVariance"}, m.pc, m.explained)
}

// Save implements ml.Stage.
func (m *PCAModel) Save(path string) error { return ml.Save(m, path) }

func loadPCAModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "pc", "explainedVariance")
	if err != nil {
		return nil, err
	}
	var d int
	if err := md.GetExtra("numFeatures", &d); err != nil {
		return nil, err
	}
	if len(v[0]) != d*len(v[1]) {
		return nil, fmt.Errorf("PCA model data has %d values, want %d×%d", len(v[0]), d, len(v[1]))
	}
	m := newPCAModel(md.UID, d, len(v[1]), v[0], v[1])
	return m, md.ApplyParams(m.Params())
}
