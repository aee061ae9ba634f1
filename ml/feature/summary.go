// Package feature holds gspark's feature transformers and estimators, with
// Spark ML's names, defaults and semantics: VectorAssembler, StandardScaler,
// MinMaxScaler, MaxAbsScaler, Normalizer, StringIndexer, IndexToString,
// OneHotEncoder, Imputer, Bucketizer, QuantileDiscretizer, Tokenizer,
// RegexTokenizer, StopWordsRemover, HashingTF, IDF, CountVectorizer, PCA,
// PolynomialExpansion and SQLTransformer, plus RobustScaler, Binarizer,
// NGram, ElementwiseProduct, VectorSlicer and VarianceThresholdSelector.
// Register adds their loaders to an ml.Registry.
package feature

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

const classPrefix = "gspark.ml.feature."

// Register adds the loaders of every stage of this package to r and returns r.
func Register(r *ml.Registry) *ml.Registry {
	for class, l := range loaders() {
		r.Register(classPrefix+class, l)
	}
	return r
}

func loaders() map[string]ml.Loader {
	return map[string]ml.Loader{
		"VectorAssembler":                loadParamsOnly(func(uid string) ml.Stage { return newVectorAssembler(uid) }),
		"StandardScaler":                 loadParamsOnly(func(uid string) ml.Stage { return newStandardScaler(uid) }),
		"StandardScalerModel":            loadStandardScalerModel,
		"MinMaxScaler":                   loadParamsOnly(func(uid string) ml.Stage { return newMinMaxScaler(uid) }),
		"MinMaxScalerModel":              loadMinMaxScalerModel,
		"MaxAbsScaler":                   loadParamsOnly(func(uid string) ml.Stage { return newMaxAbsScaler(uid) }),
		"MaxAbsScalerModel":              loadMaxAbsScalerModel,
		"Normalizer":                     loadParamsOnly(func(uid string) ml.Stage { return newNormalizer(uid) }),
		"StringIndexer":                  loadParamsOnly(func(uid string) ml.Stage { return newStringIndexer(uid) }),
		"StringIndexerModel":             loadStringIndexerModel,
		"IndexToString":                  loadParamsOnly(func(uid string) ml.Stage { return newIndexToString(uid) }),
		"OneHotEncoder":                  loadParamsOnly(func(uid string) ml.Stage { return newOneHotEncoder(uid) }),
		"OneHotEncoderModel":             loadOneHotEncoderModel,
		"Imputer":                        loadParamsOnly(func(uid string) ml.Stage { return newImputer(uid) }),
		"ImputerModel":                   loadImputerModel,
		"Bucketizer":                     loadParamsOnly(func(uid string) ml.Stage { return newBucketizer(uid) }),
		"QuantileDiscretizer":            loadParamsOnly(func(uid string) ml.Stage { return newQuantileDiscretizer(uid) }),
		"Tokenizer":                      loadParamsOnly(func(uid string) ml.Stage { return newTokenizer(uid) }),
		"RegexTokenizer":                 loadParamsOnly(func(uid string) ml.Stage { return newRegexTokenizer(uid) }),
		"StopWordsRemover":               loadParamsOnly(func(uid string) ml.Stage { return newStopWordsRemover(uid) }),
		"HashingTF":                      loadParamsOnly(func(uid string) ml.Stage { return newHashingTF(uid) }),
		"IDF":                            loadParamsOnly(func(uid string) ml.Stage { return newIDF(uid) }),
		"IDFModel":                       loadIDFModel,
		"CountVectorizer":                loadParamsOnly(func(uid string) ml.Stage { return newCountVectorizer(uid) }),
		"CountVectorizerModel":           loadCountVectorizerModel,
		"PCA":                            loadParamsOnly(func(uid string) ml.Stage { return newPCA(uid) }),
		"PCAModel":                       loadPCAModel,
		"PolynomialExpansion":            loadParamsOnly(func(uid string) ml.Stage { return newPolynomialExpansion(uid) }),
		"SQLTransformer":                 loadParamsOnly(func(uid string) ml.Stage { return newSQLTransformer(uid) }),
		"Binarizer":                      loadParamsOnly(func(uid string) ml.Stage { return newBinarizer(uid) }),
		"NGram":                          loadParamsOnly(func(uid string) ml.Stage { return newNGram(uid) }),
		"ElementwiseProduct":             loadParamsOnly(func(uid string) ml.Stage { return newElementwiseProduct(uid) }),
		"VectorSlicer":                   loadParamsOnly(func(uid string) ml.Stage { return newVectorSlicer(uid) }),
		"RobustScaler":                   loadParamsOnly(func(uid string) ml.Stage { return newRobustScaler(uid) }),
		"RobustScalerModel":              loadRobustScalerModel,
		"VarianceThresholdSelector":      loadParamsOnly(func(uid string) ml.Stage { return newVarianceThresholdSelector(uid) }),
		"VarianceThresholdSelectorModel": loadVarianceThresholdSelectorModel,
	}
}

// loadParamsOnly loads a stage whose state is only its params.
func loadParamsOnly(mk func(uid string) ml.Stage) ml.Loader {
	return func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		st := mk(md.UID)
		if err := md.ApplyParams(st.Params()); err != nil {
			return nil, err
		}
		return st, nil
	}
}

// Spark's handleInvalid options.
const (
	invalidError = "error"
	invalidSkip  = "skip"
	invalidKeep  = "keep"
)

// colParams are the single-column input/output params most stages have.
type colParams struct {
	inputCol, outputCol param.Param[string]
}

// defineCols declares inputCol and outputCol (default "<uid>__output", as Spark).
func defineCols(ps *param.Params, uid string) colParams {
	return colParams{
		inputCol:  param.Define[string](ps, "inputCol", "input column name"),
		outputCol: param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
	}
}

// multiColParams are the inputCols/outputCols params of multi-column stages.
type multiColParams struct {
	colParams
	inputCols, outputCols param.Param[[]string]
}

func defineMultiCols(ps *param.Params, uid string) multiColParams {
	return multiColParams{
		colParams:  defineCols(ps, uid),
		inputCols:  param.Define[[]string](ps, "inputCols", "input column names"),
		outputCols: param.Define[[]string](ps, "outputCols", "output column names"),
	}
}

// pairs returns the input and output columns: inputCols/outputCols when set,
// else inputCol/outputCol; setting both kinds is an error, as in Spark.
func (m multiColParams) pairs(ps *param.Params) ([]string, []string, error) {
	uid := ps.UID()
	if m.inputCols.IsSet(ps) {
		if m.inputCol.IsSet(ps) {
			return nil, nil, fmt.Errorf("%s: only one of inputCol and inputCols may be set", uid)
		}
		ins, outs := m.inputCols.Get(ps), m.outputCols.Get(ps)
		if len(ins) == 0 {
			return nil, nil, fmt.Errorf("%s: inputCols is empty", uid)
		}
		if len(ins) != len(outs) {
			return nil, nil, fmt.Errorf("%s: inputCols has %d columns but outputCols has %d", uid, len(ins), len(outs))
		}
		return ins, outs, nil
	}
	in, ok := m.inputCol.GetOK(ps)
	if !ok {
		return nil, nil, fmt.Errorf("%s: inputCol or inputCols must be set", uid)
	}
	return []string{in}, []string{m.outputCol.Get(ps)}, nil
}

// vectorField is an output field holding vectors.
func vectorField(name string) arrow.Field {
	return arrow.Field{Name: name, Type: linalg.VectorType(), Nullable: true}
}

// rowFn maps row i of a vector column into the builder.
type rowFn func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error

// mapVectors returns a UDF function that maps each non-null row of a vector
// column with a row function made by mk for each batch (so that its scratch
// buffers are not shared between partitions); null rows stay null.
func mapVectors(uid, col string, mk func() rowFn) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
	return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		fn := mk()
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		b.Reserve(vc.Len())
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			if err := fn(vc, i, b); err != nil {
				return nil, err
			}
		}
		return b.NewArray(), nil
	}
}

// vectorUDF applies a vector→vector row map to column in, as column out.
func vectorUDF(df *frame.DataFrame, name, uid, in, out string, mk func() rowFn) *frame.DataFrame {
	return df.WithColumn(out, frame.UDF(name, linalg.VectorType(), mapVectors(uid, in, mk), frame.Col(in)))
}

// sizeMismatch reports a vector whose size differs from the model's.
func sizeMismatch(uid, col string, want, got int) error {
	return fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, col, got, want)
}

// vecSummary accumulates per-feature statistics of a vector column, as
// Spark's Summarizer: the mean and M2 are kept over the nonzero entries and
// combined with the implicit zeros at the end, so sparse rows cost only
// their nonzeros.
type vecSummary struct {
	n    int64 // rows
	size int   // -1 until the first row
	nnz  []int64
	mean []float64
	m2   []float64
	min  []float64
	max  []float64
}

func newVecSummary() *vecSummary { return &vecSummary{size: -1} }

func (s *vecSummary) init(n int) {
	s.size = n
	s.nnz = make([]int64, n)
	s.mean = make([]float64, n)
	s.m2 = make([]float64, n)
	s.min = make([]float64, n)
	s.max = make([]float64, n)
	for j := range s.min {
		s.min[j] = math.Inf(1)
		s.max[j] = math.Inf(-1)
	}
}

func (s *vecSummary) addValue(j int, v float64) {
	if v == 0 {
		return
	}
	s.nnz[j]++
	d := v - s.mean[j]
	s.mean[j] += d / float64(s.nnz[j])
	s.m2[j] += d * (v - s.mean[j])
	if v < s.min[j] {
		s.min[j] = v
	}
	if v > s.max[j] {
		s.max[j] = v
	}
}

// add folds row i of vc (not null).
func (s *vecSummary) add(uid, col string, vc *linalg.VectorColumn, i int) error {
	n := vc.Size(i)
	if s.size < 0 {
		s.init(n)
	} else if n != s.size {
		return sizeMismatch(uid, col, s.size, n)
	}
	s.n++
	if d := vc.DenseValues(i); d != nil {
		for j, v := range d {
			s.addValue(j, v)
		}
		return nil
	}
	idx, vals := vc.Sparse(i)
	for k, j := range idx {
		s.addValue(int(j), vals[k])
	}
	return nil
}

// merge folds o into s (Chan et al.'s parallel mean and M2).
func (s *vecSummary) merge(uid, col string, o *vecSummary) error {
	if o.size < 0 {
		return nil
	}
	if s.size < 0 {
		*s = *o
		return nil
	}
	if o.size != s.size {
		return sizeMismatch(uid, col, s.size, o.size)
	}
	s.n += o.n
	for j := range s.mean {
		na, nb := float64(s.nnz[j]), float64(o.nnz[j])
		if nb == 0 {
			continue
		}
		nt := na + nb
		d := o.mean[j] - s.mean[j]
		s.mean[j] += d * nb / nt
		s.m2[j] += o.m2[j] + d*d*na*nb/nt
		s.nnz[j] += o.nnz[j]
		s.min[j] = math.Min(s.min[j], o.min[j])
		s.max[j] = math.Max(s.max[j], o.max[j])
	}
	return nil
}

// Mean returns the per-feature mean over all rows.
func (s *vecSummary) Mean() []float64 {
	out := make([]float64, s.size)
	for j := range out {
		out[j] = s.mean[j] * float64(s.nnz[j]) / float64(s.n)
	}
	return out
}

// Variance returns the per-feature sample variance (divisor n-1); 0 for one row.
func (s *vecSummary) Variance() []float64 {
	out := make([]float64, s.size)
	if s.n < 2 {
		return out
	}
	n := float64(s.n)
	for j := range out {
		k := float64(s.nnz[j])
		m2 := s.m2[j] + s.mean[j]*s.mean[j]*k*(n-k)/n
		out[j] = math.Max(m2/(n-1), 0)
	}
	return out
}

// Min returns the per-feature minimum (implicit zeros included).
func (s *vecSummary) Min() []float64 {
	out := make([]float64, s.size)
	for j := range out {
		out[j] = s.min[j]
		if s.nnz[j] < s.n {
			out[j] = math.Min(out[j], 0)
		}
	}
	return out
}

// Max returns the per-feature maximum (implicit zeros included).
func (s *vecSummary) Max() []float64 {
	out := make([]float64, s.size)
	for j := range out {
		out[j] = s.max[j]
		if s.nnz[j] < s.n {
			out[j] = math.Max(out[j], 0)
		}
	}
	return out
}

// summarize computes the statistics of vector column col of df in parallel
// over its partitions (null rows are skipped).
func summarize(ctx context.Context, df *frame.DataFrame, uid, col string) (*vecSummary, error) {
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(col)), func(int) *vecSummary { return newVecSummary() },
		func(acc *vecSummary, b arrow.RecordBatch) (*vecSummary, error) {
			vc, err := linalg.Vectors(b.Column(0))
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, col, err)
			}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					continue
				}
				if err := acc.add(uid, col, vc, i); err != nil {
					return acc, err
				}
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	tot := newVecSummary()
	for _, a := range accs {
		if err := tot.merge(uid, col, a); err != nil {
			return nil, err
		}
	}
	if tot.size < 0 {
		return nil, fmt.Errorf("%s: column %q has no non-null rows to fit on", uid, col)
	}
	return tot, nil
}

// copyStage returns a copy of *s with its base replaced by a copy with extra applied.
func copyStage[T any](s *T, base ml.StageBase, extra param.ParamMap, set func(*T, ml.StageBase)) (*T, error) {
	b, err := base.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *s
	set(&c, b)
	return &c, nil
}

// checkFrame checks df for an error and validates the stage against its schema.
func checkFrame(df *frame.DataFrame, st ml.Stage) error {
	if err := df.Err(); err != nil {
		return err
	}
	_, err := st.TransformSchema(df.Schema())
	return err
}
