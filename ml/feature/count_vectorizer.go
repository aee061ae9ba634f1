package feature

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"gonum.org/v1/gonum/mat"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// ---- CountVectorizer ----

// CountVectorizer learns a vocabulary from arrays of terms (the vocabSize
// most frequent terms over the corpus, ties broken alphabetically, keeping
// terms in at least minDF and at most maxDF documents) and maps documents to
// sparse term-count vectors (Spark's CountVectorizer).
type CountVectorizer struct {
	ml.StageBase
	cvParams
}

// NewCountVectorizer makes a CountVectorizer with a new UID.
func NewCountVectorizer() *CountVectorizer { return newCountVectorizer(param.UID("CountVectorizer")) }

type cvParams struct {
	colParams
	vocabSize    param.Param[int]
	minDF, maxDF param.Param[float64]
	minTF        param.Param[float64]
	binary       param.Param[bool]
}

func defineCV(ps *param.Params, uid string) cvParams {
	return cvParams{
		colParams: defineCols(ps, uid),
		vocabSize: param.Define(ps, "vocabSize", "max size of the vocabulary", param.WithDefault(1<<18), param.WithValidator(param.Gt(0))),
		minDF: param.Define(ps, "minDF", "Specifies the minimum number of different documents a term must appear in to be included in the vocabulary. If this is an integer >= 1, this specifies the number of documents the term must appear in; if this is a double in [0,1), then this specifies the fraction of documents.",
			param.WithDefault(1.0), param.WithValidator(param.GtEq(0.0))),
		maxDF: param.Define(ps, "maxDF", "Specifies the maximum number of different documents a term could appear in to be included in the vocabulary. A term that appears more than the threshold will be ignored. If this is an integer >= 1, this specifies the maximum number of documents the term could appear in; if this is a double in [0,1), then this specifies the maximum fraction of documents the term could appear in.",
			param.WithDefault(float64(math.MaxInt64)), param.WithValidator(param.GtEq(0.0))),
		minTF: param.Define(ps, "minTF", "Filter to ignore rare words in a document. For each document, terms with frequency/count less than the given threshold are ignored. If this is an integer >= 1, then this specifies a count (of times the term must appear in the document); if this is a double in [0,1), then this specifies a fraction (out of the document's token count).",
			param.WithDefault(1.0), param.WithValidator(param.GtEq(0.0))),
		binary: param.Define(ps, "binary", "If True, all non zero counts are set to 1.", param.WithDefault(false)),
	}
}

func newCountVectorizer(uid string) *CountVectorizer {
	s := &CountVectorizer{StageBase: ml.NewStageBase(uid)}
	s.cvParams = defineCV(s.Params(), uid)
	return s
}

// SetInputCol sets the input array<string> column.
func (s *CountVectorizer) SetInputCol(c string) *CountVectorizer {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *CountVectorizer) SetOutputCol(c string) *CountVectorizer {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetVocabSize sets the maximum vocabulary size.
func (s *CountVectorizer) SetVocabSize(n int) *CountVectorizer {
	s.vocabSize.Set(s.Params(), n)
	return s
}

// SetMinDF sets the minimum document frequency (a count if ≥ 1, else a fraction).
func (s *CountVectorizer) SetMinDF(v float64) *CountVectorizer { s.minDF.Set(s.Params(), v); return s }

// SetMaxDF sets the maximum document frequency (a count if ≥ 1, else a fraction).
func (s *CountVectorizer) SetMaxDF(v float64) *CountVectorizer { s.maxDF.Set(s.Params(), v); return s }

// SetMinTF sets the minimum term frequency in a document.
func (s *CountVectorizer) SetMinTF(v float64) *CountVectorizer { s.minTF.Set(s.Params(), v); return s }

// SetBinary sets whether to record presence instead of counts.
func (s *CountVectorizer) SetBinary(v bool) *CountVectorizer { s.binary.Set(s.Params(), v); return s }

// ClassName implements ml.Stage.
func (s *CountVectorizer) ClassName() string { return classPrefix + "CountVectorizer" }

// TransformSchema implements ml.Stage.
func (s *CountVectorizer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return listInSchema(s.StageBase, s.colParams, in, linalg.VectorType())
}

type termStats struct {
	docs   int64
	count  map[string]int64
	docCnt map[string]int64
}

// Fit implements ml.Estimator.
func (s *CountVectorizer) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(in)), func(int) *termStats {
		return &termStats{count: map[string]int64{}, docCnt: map[string]int64{}}
	}, func(acc *termStats, b arrow.RecordBatch) (*termStats, error) {
		r, err := newStringListReader(b.Column(0))
		if err != nil {
			return acc, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		seen := map[string]bool{}
		for i := 0; i < int(b.NumRows()); i++ {
			if b.Column(0).IsNull(i) {
				continue
			}
			acc.docs++
			clear(seen)
			lo, hi := r.Row(i)
			for k := lo; k < hi; k++ {
				if r.vals.IsNull(k) {
					continue
				}
				w := r.vals.Value(k)
				acc.count[w]++
				if !seen[w] {
					seen[w] = true
					acc.docCnt[w]++
				}
			}
		}
		return acc, nil
	})
	if err != nil {
		return nil, err
	}
	tot := &termStats{count: map[string]int64{}, docCnt: map[string]int64{}}
	for _, a := range accs {
		tot.docs += a.docs
		for w, c := range a.count {
			tot.count[w] += c
		}
		for w, c := range a.docCnt {
			tot.docCnt[w] += c
		}
	}
	minDF, maxDF := s.minDF.Get(ps), s.maxDF.Get(ps)
	if minDF < 1 {
		minDF *= float64(tot.docs)
	}
	if maxDF < 1 {
		maxDF *= float64(tot.docs)
	}
	if maxDF < minDF {
		return nil, fmt.Errorf("%s: maxDF (%v) must be >= minDF (%v)", uid, maxDF, minDF)
	}
	var vocab []string
	for w, d := range tot.docCnt {
		if float64(d) >= minDF && float64(d) <= maxDF {
			vocab = append(vocab, w)
		}
	}
	slices.SortFunc(vocab, func(a, b string) int {
		if ca, cb := tot.count[a], tot.count[b]; ca != cb {
			if ca > cb {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	if n := s.vocabSize.Get(ps); len(vocab) > n {
		vocab = vocab[:n]
	}
	if len(vocab) == 0 {
		return nil, fmt.Errorf("%s: the vocabulary is empty; check minDF, maxDF and the input", uid)
	}
	m := newCountVectorizerModel(uid, vocab)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *CountVectorizer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *CountVectorizer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *CountVectorizer) Save(path string) error { return ml.Save(s, path) }

// CountVectorizerModel maps documents to counts over its vocabulary.
type CountVectorizerModel struct {
	ml.StageBase
	cvParams
	vocab []string
}

// NewCountVectorizerModel makes a model from a known vocabulary.
func NewCountVectorizerModel(vocab ...string) *CountVectorizerModel {
	return newCountVectorizerModel(param.UID("CountVectorizerModel"), vocab)
}

func newCountVectorizerModel(uid string, vocab []string) *CountVectorizerModel {
	m := &CountVectorizerModel{StageBase: ml.NewStageBase(uid), vocab: vocab}
	m.cvParams = defineCV(m.Params(), uid)
	return m
}

// Vocabulary returns the terms, in feature-index order.
func (m *CountVectorizerModel) Vocabulary() []string { return append([]string(nil), m.vocab...) }

// SetInputCol sets the input array<string> column.
func (m *CountVectorizerModel) SetInputCol(c string) *CountVectorizerModel {
	m.inputCol.Set(m.Params(), c)
	return m
}

// SetOutputCol sets the output vector column.
func (m *CountVectorizerModel) SetOutputCol(c string) *CountVectorizerModel {
	m.outputCol.Set(m.Params(), c)
	return m
}

// SetMinTF sets the minimum term frequency in a document.
func (m *CountVectorizerModel) SetMinTF(v float64) *CountVectorizerModel {
	m.minTF.Set(m.Params(), v)
	return m
}

// SetBinary sets whether to record presence instead of counts.
func (m *CountVectorizerModel) SetBinary(v bool) *CountVectorizerModel {
	m.binary.Set(m.Params(), v)
	return m
}

// ClassName implements ml.Stage.
func (m *CountVectorizerModel) ClassName() string { return classPrefix + "CountVectorizerModel" }

// TransformSchema implements ml.Stage.
func (m *CountVectorizerModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return listInSchema(m.StageBase, m.colParams, in, linalg.VectorType())
}

// Transform implements ml.Transformer.
func (m *CountVectorizerModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, uid := m.inputCol.Get(ps), m.UID()
	minTF, bin := m.minTF.Get(ps), m.binary.Get(ps)
	index := make(map[string]int32, len(m.vocab))
	for i, w := range m.vocab {
		index[w] = int32(i)
	}
	size := len(m.vocab)
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		r, err := newStringListReader(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		var tc termCounter
		for i := 0; i < args[0].Len(); i++ {
			if args[0].IsNull(i) {
				b.AppendNull()
				continue
			}
			lo, hi := r.Row(i)
			tc.idx = tc.idx[:0]
			for k := lo; k < hi; k++ {
				if r.vals.IsNull(k) {
					continue
				}
				if j, ok := index[r.vals.Value(k)]; ok {
					tc.idx = append(tc.idx, j)
				}
			}
			idx, vals := tc.counts(false)
			threshold := minTF
			if minTF < 1 {
				threshold = minTF * float64(hi-lo)
			}
			keep := 0
			for k := range idx {
				if vals[k] >= threshold {
					idx[keep] = idx[k]
					vals[keep] = vals[k]
					if bin {
						vals[keep] = 1
					}
					keep++
				}
			}
			b.AppendSparse(size, idx[:keep], vals[:keep])
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(m.outputCol.Get(ps), frame.UDF("countVectorizer", linalg.VectorType(), fn, frame.Col(in)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *CountVectorizerModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *CountVectorizerModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *CountVectorizerModel) WriteData(dir string) error {
	return ml.WriteStrings(dir, []string{"vocabulary"}, m.vocab)
}

// Save implements ml.Stage.
func (m *CountVectorizerModel) Save(path string) error { return ml.Save(m, path) }

func loadCountVectorizerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadStrings(ctx, dir, "vocabulary")
	if err != nil {
		return nil, err
	}
	m := newCountVectorizerModel(md.UID, v[0])
	return m, md.ApplyParams(m.Params())
}

// ---- PCA ----

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

// ---- PolynomialExpansion ----

// PolynomialExpansion expands vectors into all monomials of their elements
// up to degree (default 2), in Spark's order: for (x, y) and degree 2,
// (x, x², y, xy, y²).
type PolynomialExpansion struct {
	ml.StageBase
	colParams
	degree param.Param[int]
}

// NewPolynomialExpansion makes a PolynomialExpansion with a new UID.
func NewPolynomialExpansion() *PolynomialExpansion {
	return newPolynomialExpansion(param.UID("PolynomialExpansion"))
}

func newPolynomialExpansion(uid string) *PolynomialExpansion {
	s := &PolynomialExpansion{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.degree = param.Define(s.Params(), "degree", "the polynomial degree to expand (>= 1)", param.WithDefault(2), param.WithValidator(param.GtEq(1)))
	return s
}

// SetInputCol sets the input vector column.
func (s *PolynomialExpansion) SetInputCol(c string) *PolynomialExpansion {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *PolynomialExpansion) SetOutputCol(c string) *PolynomialExpansion {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetDegree sets the degree.
func (s *PolynomialExpansion) SetDegree(d int) *PolynomialExpansion {
	s.degree.Set(s.Params(), d)
	return s
}

// ClassName implements ml.Stage.
func (s *PolynomialExpansion) ClassName() string { return classPrefix + "PolynomialExpansion" }

// TransformSchema implements ml.Stage.
func (s *PolynomialExpansion) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// polySize is the number of monomials of n variables up to degree d, the
// constant included: C(n+d, d).
func polySize(n, d int) int {
	r := 1.0
	for i := 1; i <= d; i++ {
		r = r * float64(n+i) / float64(i)
	}
	return int(math.Round(r))
}

// expand writes the monomials of vals[0..last] of degree ≤ deg, times mult,
// starting after position cur (as Spark's expandDense); it returns the
// position after them.
func expand(vals []float64, last, deg int, mult float64, out []float64, cur int) int {
	if mult == 0 {
		// all monomials here are zero
	} else if deg == 0 || last < 0 {
		if cur >= 0 {
			out[cur] = mult
		}
	} else {
		v := vals[last]
		alpha := mult
		start := cur
		for i := 0; i <= deg && alpha != 0; i++ {
			start = expand(vals, last-1, deg-i, alpha, out, start)
			alpha *= v
		}
	}
	return cur + polySize(last+1, deg)
}

// Transform implements ml.Transformer: dense input gives dense output,
// sparse input sparse output.
func (s *PolynomialExpansion) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid, deg := s.inputCol.Get(ps), s.UID(), s.degree.Get(ps)
	res := vectorUDF(df, "polynomialExpansion", uid, in, s.outputCol.Get(ps), func() rowFn {
		var row, out []float64
		var idx []int32
		var sv []float64
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			n := vc.Size(i)
			size := polySize(n, deg) - 1
			if cap(out) < size {
				out = make([]float64, size)
			}
			out = out[:size]
			clear(out)
			row = denseRow(vc, i, row)
			expand(row, n-1, deg, 1, out, -1)
			if vc.IsDense(i) {
				b.AppendDense(out)
				return nil
			}
			idx, sv = idx[:0], sv[:0]
			for j, v := range out {
				if v != 0 {
					idx = append(idx, int32(j))
					sv = append(sv, v)
				}
			}
			b.AppendSparse(size, idx, sv)
			return nil
		}
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *PolynomialExpansion) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *PolynomialExpansion, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *PolynomialExpansion) Save(path string) error { return ml.Save(s, path) }

// ---- SQLTransformer ----

// SQLTransformer transforms a DataFrame with a SQL statement in which the
// table __THIS__ stands for the input (Spark's SQLTransformer), e.g.
// "SELECT *, a + b AS c FROM __THIS__".
type SQLTransformer struct {
	ml.StageBase
	statement param.Param[string]
}

// NewSQLTransformer makes a SQLTransformer with a new UID.
func NewSQLTransformer() *SQLTransformer { return newSQLTransformer(param.UID("SQLTransformer")) }

func newSQLTransformer(uid string) *SQLTransformer {
	s := &SQLTransformer{StageBase: ml.NewStageBase(uid)}
	s.statement = param.Define[string](s.Params(), "statement", "SQL statement")
	return s
}

// SetStatement sets the SQL statement.
func (s *SQLTransformer) SetStatement(q string) *SQLTransformer {
	s.statement.Set(s.Params(), q)
	return s
}

// ClassName implements ml.Stage.
func (s *SQLTransformer) ClassName() string { return classPrefix + "SQLTransformer" }

// run registers df under a fresh view name, runs the statement on it and drops the view.
func (s *SQLTransformer) run(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	stmt, ok := s.statement.GetOK(s.Params())
	if !ok || strings.TrimSpace(stmt) == "" {
		return nil, fmt.Errorf("%s: statement must be set", s.UID())
	}
	view := strings.ReplaceAll(param.UID("__THIS__"+s.UID()), "-", "_")
	if err := df.CreateOrReplaceTempView(view); err != nil {
		return nil, err
	}
	sess := df.Session()
	res := sess.SQL(strings.ReplaceAll(stmt, "__THIS__", view))
	if drop := sess.SQL("DROP VIEW IF EXISTS " + view); drop.Err() != nil {
		return nil, fmt.Errorf("%s: %w", s.UID(), drop.Err())
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("%s: statement %q: %w", s.UID(), stmt, err)
	}
	return res, nil
}

// TransformSchema implements ml.Stage: it plans the statement over an empty
// table of the input schema.
func (s *SQLTransformer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	sess := frame.NewSession()
	empty, err := sess.FromBatches(in, nil)
	if err != nil {
		return nil, err
	}
	res, err := s.run(empty)
	if err != nil {
		return nil, err
	}
	return res.Schema(), nil
}

// Transform implements ml.Transformer.
func (s *SQLTransformer) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	return s.run(df)
}

// Copy implements ml.Stage.
func (s *SQLTransformer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *SQLTransformer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *SQLTransformer) Save(path string) error { return ml.Save(s, path) }
