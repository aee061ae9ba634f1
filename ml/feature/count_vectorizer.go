package feature

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

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

// termStats are a partition's document count and term counts. A term is
// copied before it becomes a key: Arrow strings alias the batch's buffer,
// which the query recycles once the batch is released, and a map
// assignment would replace an existing key by the aliasing string, so
// counts are updated through pointers.
type termStats struct {
	docs  int64
	terms map[string]*termCount
}

// termCount is a term's occurrences and the documents holding it; doc is
// the last document (1-based) counted.
type termCount struct{ count, docs, doc int64 }

// Fit implements ml.Estimator.
func (s *CountVectorizer) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(in)), func(int) *termStats {
		return &termStats{terms: map[string]*termCount{}}
	}, func(acc *termStats, b arrow.RecordBatch) (*termStats, error) {
		r, err := newStringListReader(b.Column(0))
		if err != nil {
			return acc, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		for i := 0; i < int(b.NumRows()); i++ {
			if b.Column(0).IsNull(i) {
				continue
			}
			acc.docs++
			lo, hi := r.Row(i)
			for k := lo; k < hi; k++ {
				if r.vals.IsNull(k) {
					continue
				}
				w := r.vals.Value(k)
				tc := acc.terms[w]
				if tc == nil {
					tc = &termCount{}
					acc.terms[strings.Clone(w)] = tc
				}
				tc.count++
				if tc.doc != acc.docs {
					tc.doc = acc.docs
					tc.docs++
				}
			}
		}
		return acc, nil
	})
	if err != nil {
		return nil, err
	}
	var docs int64
	count, docCnt := map[string]int64{}, map[string]int64{}
	for _, a := range accs {
		docs += a.docs
		for w, tc := range a.terms {
			count[w] += tc.count
			docCnt[w] += tc.docs
		}
	}
	minDF, maxDF := s.minDF.Get(ps), s.maxDF.Get(ps)
	if minDF < 1 {
		minDF *= float64(docs)
	}
	if maxDF < 1 {
		maxDF *= float64(docs)
	}
	if maxDF < minDF {
		return nil, fmt.Errorf("%s: maxDF (%v) must be >= minDF (%v)", uid, maxDF, minDF)
	}
	var vocab []string
	for w, d := range docCnt {
		if float64(d) >= minDF && float64(d) <= maxDF {
			vocab = append(vocab, w)
		}
	}
	slices.SortFunc(vocab, func(a, b string) int {
		if ca, cb := count[a], count[b]; ca != cb {
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
