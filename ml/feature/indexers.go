package feature

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/attribute"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// String orders of StringIndexer.
const (
	frequencyDesc = "frequencyDesc"
	frequencyAsc  = "frequencyAsc"
	alphabetDesc  = "alphabetDesc"
	alphabetAsc   = "alphabetAsc"
)

// ---- StringIndexer ----

// StringIndexer maps the strings (or numbers, as strings) of one or more
// columns to label indices in [0, numLabels), ordered by stringOrderType
// (frequencyDesc by default; ties broken alphabetically, as Spark does).
// Nulls are ignored when fitting. The output is double.
type StringIndexer struct {
	ml.StageBase
	multiColParams
	handleInvalid, stringOrderType param.Param[string]
}

// NewStringIndexer makes a StringIndexer with a new UID.
func NewStringIndexer() *StringIndexer { return newStringIndexer(param.UID("StringIndexer")) }

func defineStringIndexer(ps *param.Params, uid string) (multiColParams, param.Param[string], param.Param[string]) {
	return defineMultiCols(ps, uid),
		param.Define(ps, "handleInvalid", "How to handle invalid data (unseen labels or NULL values). Options are 'skip' (filter out rows with invalid data), 'error' (throw an error), or 'keep' (put invalid data in a special additional bucket, at index numLabels).",
			param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidSkip, invalidKeep))),
		param.Define(ps, "stringOrderType", "How to order labels of string column. The first label after ordering is assigned an index of 0. Supported options: frequencyDesc, frequencyAsc, alphabetDesc, alphabetAsc.",
			param.WithDefault(frequencyDesc), param.WithValidator(param.OneOf(frequencyDesc, frequencyAsc, alphabetDesc, alphabetAsc)))
}

func newStringIndexer(uid string) *StringIndexer {
	s := &StringIndexer{StageBase: ml.NewStageBase(uid)}
	s.multiColParams, s.handleInvalid, s.stringOrderType = defineStringIndexer(s.Params(), uid)
	return s
}

// SetInputCol sets the input column.
func (s *StringIndexer) SetInputCol(c string) *StringIndexer { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output column.
func (s *StringIndexer) SetOutputCol(c string) *StringIndexer {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetInputCols sets several input columns.
func (s *StringIndexer) SetInputCols(c ...string) *StringIndexer {
	s.inputCols.Set(s.Params(), c)
	return s
}

// SetOutputCols sets the output columns, one per input column.
func (s *StringIndexer) SetOutputCols(c ...string) *StringIndexer {
	s.outputCols.Set(s.Params(), c)
	return s
}

// SetHandleInvalid sets "error", "skip" or "keep".
func (s *StringIndexer) SetHandleInvalid(v string) *StringIndexer {
	s.handleInvalid.Set(s.Params(), v)
	return s
}

// SetStringOrderType sets frequencyDesc, frequencyAsc, alphabetDesc or alphabetAsc.
func (s *StringIndexer) SetStringOrderType(v string) *StringIndexer {
	s.stringOrderType.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *StringIndexer) ClassName() string { return classPrefix + "StringIndexer" }

func indexerSchema(b ml.StageBase, m multiColParams, in *arrow.Schema) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	ins, outs, err := m.pairs(b.Params())
	if err != nil {
		return nil, err
	}
	s := in
	for k, c := range ins {
		if _, err := ml.CheckColumn(in, b.UID(), c, ml.String, ml.Numeric, ml.Boolean); err != nil {
			return nil, err
		}
		if s, err = ml.AppendColumn(s, b.UID(), arrow.Field{Name: outs[k], Type: arrow.PrimitiveTypes.Float64}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// TransformSchema implements ml.Stage.
func (s *StringIndexer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return indexerSchema(s.StageBase, s.multiColParams, in)
}

// Fit implements ml.Estimator: it counts the labels of every input column
// in parallel over the partitions.
func (s *StringIndexer) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	ins, _, _ := s.pairs(ps)
	// Spark sizes a column from its nominal or binary attribute (the
	// indexer's labels, with its "__unknown" slot under keep) and scans the
	// data only for columns without one.
	fromMeta, err := oneHotSizesFromSchema(s.UID(), df.Schema(), ins)
	if err != nil {
		return nil, err
	}
	if len(fromMeta) == len(ins) {
		sizes := make([]int, len(ins))
		for c := range ins {
			sizes[c] = fromMeta[c]
		}
		m := newOneHotEncoderModel(s.UID(), sizes)
		return m, ps.CopyValuesTo(m.Params())
	}
	cols := make([]frame.Column, len(ins))
	for i, c := range ins {
		cols[i] = frame.Col(c)
	}
	uid := s.UID()
	// A label is copied before it becomes a key: Arrow strings alias the
	// batch's buffer, which the query recycles once the batch is released,
	// and a map assignment would replace an existing key by the aliasing
	// string, so counts are updated through pointers.
	accs, err := frame.AggregatePartitions(ctx, df.Select(cols...), func(int) []map[string]*int64 {
		m := make([]map[string]*int64, len(ins))
		for i := range m {
			m[i] = map[string]*int64{}
		}
		return m
	}, func(acc []map[string]*int64, b arrow.RecordBatch) ([]map[string]*int64, error) {
		for c := range ins {
			r, err := newStringReader(b.Column(c))
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, ins[c], err)
			}
			for i := 0; i < int(b.NumRows()); i++ {
				if v, ok := r.At(i); ok {
					if n := acc[c][v]; n != nil {
						*n++
					} else {
						one := int64(1)
						acc[c][strings.Clone(v)] = &one
					}
				}
			}
		}
		return acc, nil
	})
	if err != nil {
		return nil, err
	}
	order := s.stringOrderType.Get(ps)
	labels := make([][]string, len(ins))
	for c := range ins {
		counts := map[string]int64{}
		for _, a := range accs {
			for k, v := range a[c] {
				counts[k] += *v
			}
		}
		labels[c] = sortLabels(counts, order)
	}
	m := newStringIndexerModel(uid, labels)
	return m, ps.CopyValuesTo(m.Params())
}

// sortLabels orders the labels as stringOrderType says, ties alphabetically.
func sortLabels(counts map[string]int64, order string) []string {
	out := make([]string, 0, len(counts))
	for k := range counts {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b string) int {
		switch order {
		case frequencyDesc:
			if counts[a] != counts[b] {
				if counts[a] > counts[b] {
					return -1
				}
				return 1
			}
		case frequencyAsc:
			if counts[a] != counts[b] {
				if counts[a] < counts[b] {
					return -1
				}
				return 1
			}
		case alphabetDesc:
			if a > b {
				return -1
			} else if a < b {
				return 1
			}
			return 0
		}
		if a < b {
			return -1
		} else if a > b {
			return 1
		}
		return 0
	})
	return out
}

// Copy implements ml.Stage.
func (s *StringIndexer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *StringIndexer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *StringIndexer) Save(path string) error { return ml.Save(s, path) }

// StringIndexerModel maps labels to their indices.
type StringIndexerModel struct {
	ml.StageBase
	multiColParams
	handleInvalid, stringOrderType param.Param[string]
	labels                         [][]string
}

// NewStringIndexerModel makes a model from known labels (one list per input column).
func NewStringIndexerModel(labels ...[]string) *StringIndexerModel {
	return newStringIndexerModel(param.UID("StringIndexerModel"), labels)
}

func newStringIndexerModel(uid string, labels [][]string) *StringIndexerModel {
	m := &StringIndexerModel{StageBase: ml.NewStageBase(uid), labels: labels}
	m.multiColParams, m.handleInvalid, m.stringOrderType = defineStringIndexer(m.Params(), uid)
	return m
}

// Labels returns the labels of the first input column, in index order.
func (m *StringIndexerModel) Labels() []string {
	if len(m.labels) == 0 {
		return nil
	}
	return append([]string(nil), m.labels[0]...)
}

// LabelsArray returns the labels of every input column.
func (m *StringIndexerModel) LabelsArray() [][]string {
	out := make([][]string, len(m.labels))
	for i, l := range m.labels {
		out[i] = append([]string(nil), l...)
	}
	return out
}

// SetInputCol sets the input column.
func (m *StringIndexerModel) SetInputCol(c string) *StringIndexerModel {
	m.inputCol.Set(m.Params(), c)
	return m
}

// SetOutputCol sets the output column.
func (m *StringIndexerModel) SetOutputCol(c string) *StringIndexerModel {
	m.outputCol.Set(m.Params(), c)
	return m
}

// SetInputCols sets several input columns.
func (m *StringIndexerModel) SetInputCols(c ...string) *StringIndexerModel {
	m.inputCols.Set(m.Params(), c)
	return m
}

// SetOutputCols sets the output columns.
func (m *StringIndexerModel) SetOutputCols(c ...string) *StringIndexerModel {
	m.outputCols.Set(m.Params(), c)
	return m
}

// SetHandleInvalid sets "error", "skip" or "keep".
func (m *StringIndexerModel) SetHandleInvalid(v string) *StringIndexerModel {
	m.handleInvalid.Set(m.Params(), v)
	return m
}

// ClassName implements ml.Stage.
func (m *StringIndexerModel) ClassName() string { return classPrefix + "StringIndexerModel" }

// TransformSchema implements ml.Stage.
//
// An input column missing from in is skipped with its output, as Spark's
// StringIndexerModel does: a pipeline whose first stage indexes the label
// then scores data that has no label column.
func (m *StringIndexerModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := m.CheckParams(); err != nil {
		return nil, err
	}
	ins, outs, err := m.pairs(m.Params())
	if err != nil {
		return nil, err
	}
	if len(ins) != len(m.labels) {
		return nil, fmt.Errorf("%s: the model has labels for %d columns but %d input columns are set", m.UID(), len(m.labels), len(ins))
	}
	s := in
	for k, c := range ins {
		if ml.FieldIndex(in, c) < 0 {
			continue
		}
		if _, err := ml.CheckColumn(in, m.UID(), c, ml.String, ml.Numeric, ml.Boolean); err != nil {
			return nil, err
		}
		f := arrow.Field{Name: outs[k], Type: arrow.PrimitiveTypes.Float64, Metadata: m.outputAttribute(k, outs[k]).Metadata(arrow.Metadata{})}
		if s, err = ml.AppendColumn(s, m.UID(), f); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// outputAttribute is the nominal attribute Spark writes on output column k:
// the labels in index order, and "__unknown" last with handleInvalid=keep.
func (m *StringIndexerModel) outputAttribute(k int, name string) attribute.Attribute {
	vals := m.labels[k]
	if m.handleInvalid.Get(m.Params()) == invalidKeep {
		vals = append(append([]string(nil), vals...), "__unknown")
	}
	return attribute.NewNominal(name, vals)
}

// Transform implements ml.Transformer.
func (m *StringIndexerModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	ins, outs, _ := m.pairs(ps)
	mode := m.handleInvalid.Get(ps)
	res := df
	var indexed []string
	for c, in := range ins {
		if ml.FieldIndex(df.Schema(), in) < 0 {
			continue // skipped, as TransformSchema says
		}
		indexed = append(indexed, outs[c])
		index := make(map[string]int, len(m.labels[c]))
		for i, l := range m.labels[c] {
			index[l] = i
		}
		fn := indexFn(m.UID(), in, index, mode)
		res = res.WithColumn(outs[c], frame.UDF("stringIndexer", arrow.PrimitiveTypes.Float64, fn, frame.Col(in))).
			WithMetadata(outs[c], m.outputAttribute(c, outs[c]).Metadata(arrow.Metadata{}))
	}
	if mode == invalidSkip {
		for _, o := range indexed {
			res = res.Filter(frame.Col(o).IsNotNull())
		}
	}
	return res, res.Err()
}

func indexFn(uid, col string, index map[string]int, mode string) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
	n := float64(len(index))
	return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		r, err := newStringReader(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.Reserve(args[0].Len())
		for i := 0; i < args[0].Len(); i++ {
			v, ok := r.At(i)
			if ok {
				if k, found := index[v]; found {
					b.UnsafeAppend(float64(k))
					continue
				}
			}
			switch mode {
			case invalidKeep:
				b.UnsafeAppend(n)
			case invalidSkip:
				b.UnsafeAppendBoolToBitmap(false)
			default:
				if !ok {
					return nil, fmt.Errorf("%s: StringIndexer encountered NULL value in column %q. To handle or skip NULLS, try setting StringIndexer.handleInvalid", uid, col)
				}
				return nil, fmt.Errorf("%s: unseen label %q in column %q. To handle unseen labels, set Param handleInvalid to keep", uid, v, col)
			}
		}
		return b.NewArray(), nil
	}
}

// Copy implements ml.Stage.
func (m *StringIndexerModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *StringIndexerModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter: one list of labels per input column.
func (m *StringIndexerModel) WriteData(dir string) error {
	names := make([]string, len(m.labels))
	for i := range names {
		names[i] = fmt.Sprintf("labels_%d", i)
	}
	return ml.WriteStrings(dir, names, m.labels...)
}

// ExtraMetadata implements ml.ExtraMetadata.
func (m *StringIndexerModel) ExtraMetadata() map[string]any {
	return map[string]any{"numColumns": len(m.labels)}
}

// Save implements ml.Stage.
func (m *StringIndexerModel) Save(path string) error { return ml.Save(m, path) }

func loadStringIndexerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var n int
	if err := md.GetExtra("numColumns", &n); err != nil {
		return nil, err
	}
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("labels_%d", i)
	}
	labels, err := ml.ReadStrings(ctx, dir, names...)
	if err != nil {
		return nil, err
	}
	m := newStringIndexerModel(md.UID, labels)
	return m, md.ApplyParams(m.Params())
}

// ---- IndexToString ----

// IndexToString maps label indices back to the labels (the labels param,
// e.g. StringIndexerModel.Labels()); an index out of range is an error and
// a null index gives null.
type IndexToString struct {
	ml.StageBase
	colParams
	labels param.Param[[]string]
}

// NewIndexToString makes an IndexToString with a new UID.
func NewIndexToString() *IndexToString { return newIndexToString(param.UID("IndexToString")) }

func newIndexToString(uid string) *IndexToString {
	s := &IndexToString{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.labels = param.Define[[]string](s.Params(), "labels", "Optional array of labels specifying index-string mapping. If not provided or if empty, then metadata from inputCol is used instead.")
	return s
}

// SetInputCol sets the input index column.
func (s *IndexToString) SetInputCol(c string) *IndexToString { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output string column.
func (s *IndexToString) SetOutputCol(c string) *IndexToString {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetLabels sets the labels, in index order.
func (s *IndexToString) SetLabels(l ...string) *IndexToString { s.labels.Set(s.Params(), l); return s }

// ClassName implements ml.Stage.
func (s *IndexToString) ClassName() string { return classPrefix + "IndexToString" }

// TransformSchema implements ml.Stage.
func (s *IndexToString) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, s.UID(), s.inputCol.Get(s.Params()), ml.Numeric); err != nil {
		return nil, err
	}
	if _, err := s.resolveLabels(in); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, s.UID(), arrow.Field{Name: s.outputCol.Get(s.Params()), Type: arrow.BinaryTypes.String, Nullable: true})
}

// Transform implements ml.Transformer.
func (s *IndexToString) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	labels, err := s.resolveLabels(df.Schema())
	if err != nil {
		return nil, err
	}
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		x, err := ml.Float64Column(args[0], nil)
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := array.NewStringBuilder(mem)
		defer b.Release()
		for i, v := range x {
			if args[0].IsNull(i) {
				b.AppendNull()
				continue
			}
			k := int(v)
			if !(v >= 0 && k < len(labels)) {
				return nil, fmt.Errorf("%s: unseen index %v in column %q (there are %d labels)", uid, v, in, len(labels))
			}
			b.Append(labels[k])
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(s.outputCol.Get(ps), frame.UDF("indexToString", arrow.BinaryTypes.String, fn, frame.Col(in)))
	return res, res.Err()
}

// resolveLabels is the labels param when set and not empty, else (as
// Spark) the values of the input column's nominal or binary attribute.
func (s *IndexToString) resolveLabels(schema *arrow.Schema) ([]string, error) {
	if l := s.labels.Get(s.Params()); len(l) > 0 {
		return l, nil
	}
	in := s.inputCol.Get(s.Params())
	i := ml.FieldIndex(schema, in)
	if i < 0 {
		return nil, fmt.Errorf("%s: input column %q not found", s.UID(), in)
	}
	a, ok, err := attribute.FromField(schema.Field(i))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.UID(), err)
	}
	if !ok || (a.Type != attribute.Nominal && a.Type != attribute.Binary) || len(a.Values) == 0 {
		return nil, fmt.Errorf("%s: input column %q has no nominal attribute with values and the labels param is not set", s.UID(), in)
	}
	return a.Values, nil
}

// Copy implements ml.Stage.
func (s *IndexToString) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *IndexToString, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *IndexToString) Save(path string) error { return ml.Save(s, path) }

// ---- OneHotEncoder ----

// OneHotEncoder maps category indices (non-negative integers) to sparse
// one-hot vectors (Spark 3's estimator): dropLast (default true) drops the
// last category; handleInvalid "error" (default) or "keep" (an extra
// category for invalid values).
type OneHotEncoder struct {
	ml.StageBase
	multiColParams
	dropLast      param.Param[bool]
	handleInvalid param.Param[string]
}

// NewOneHotEncoder makes a OneHotEncoder with a new UID.
func NewOneHotEncoder() *OneHotEncoder { return newOneHotEncoder(param.UID("OneHotEncoder")) }

func defineOneHot(ps *param.Params, uid string) (multiColParams, param.Param[bool], param.Param[string]) {
	return defineMultiCols(ps, uid),
		param.Define(ps, "dropLast", "whether to drop the last category", param.WithDefault(true)),
		param.Define(ps, "handleInvalid", "How to handle invalid data during transform(). Options are 'keep' (invalid data presented as an extra categorical feature) or error (throw an error).",
			param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidKeep)))
}

func newOneHotEncoder(uid string) *OneHotEncoder {
	s := &OneHotEncoder{StageBase: ml.NewStageBase(uid)}
	s.multiColParams, s.dropLast, s.handleInvalid = defineOneHot(s.Params(), uid)
	return s
}

// SetInputCol sets the input column.
func (s *OneHotEncoder) SetInputCol(c string) *OneHotEncoder { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output column.
func (s *OneHotEncoder) SetOutputCol(c string) *OneHotEncoder {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetInputCols sets several input columns.
func (s *OneHotEncoder) SetInputCols(c ...string) *OneHotEncoder {
	s.inputCols.Set(s.Params(), c)
	return s
}

// SetOutputCols sets the output columns.
func (s *OneHotEncoder) SetOutputCols(c ...string) *OneHotEncoder {
	s.outputCols.Set(s.Params(), c)
	return s
}

// SetDropLast sets whether to drop the last category.
func (s *OneHotEncoder) SetDropLast(v bool) *OneHotEncoder { s.dropLast.Set(s.Params(), v); return s }

// SetHandleInvalid sets "error" or "keep".
func (s *OneHotEncoder) SetHandleInvalid(v string) *OneHotEncoder {
	s.handleInvalid.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *OneHotEncoder) ClassName() string { return classPrefix + "OneHotEncoder" }

func oneHotSchema(b ml.StageBase, m multiColParams, in *arrow.Schema) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	ins, outs, err := m.pairs(b.Params())
	if err != nil {
		return nil, err
	}
	s := in
	for k, c := range ins {
		if _, err := ml.CheckColumn(in, b.UID(), c, ml.Numeric); err != nil {
			return nil, err
		}
		if s, err = ml.AppendColumn(s, b.UID(), vectorField(outs[k])); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// TransformSchema implements ml.Stage.
func (s *OneHotEncoder) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return oneHotSchema(s.StageBase, s.multiColParams, in)
}

// Fit implements ml.Estimator: the number of categories of a column is its
// maximum value plus one; values must be non-negative integers.
func (s *OneHotEncoder) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	ins, _, _ := s.pairs(ps)
	// Spark sizes a column from its nominal or binary attribute (the
	// indexer's labels, with its "__unknown" slot under keep) and scans the
	// data only for columns without one.
	fromMeta, err := oneHotSizesFromSchema(s.UID(), df.Schema(), ins)
	if err != nil {
		return nil, err
	}
	if len(fromMeta) == len(ins) {
		sizes := make([]int, len(ins))
		for c := range ins {
			sizes[c] = fromMeta[c]
		}
		m := newOneHotEncoderModel(s.UID(), sizes)
		return m, ps.CopyValuesTo(m.Params())
	}
	cols := make([]frame.Column, len(ins))
	for i, c := range ins {
		cols[i] = frame.Col(c)
	}
	uid := s.UID()
	accs, err := frame.AggregatePartitions(ctx, df.Select(cols...), func(int) []float64 {
		m := make([]float64, len(ins))
		for i := range m {
			m[i] = -1
		}
		return m
	}, func(acc []float64, b arrow.RecordBatch) ([]float64, error) {
		var buf []float64
		for c := range ins {
			x, err := ml.Float64Column(b.Column(c), buf)
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, ins[c], err)
			}
			for i, v := range x {
				if b.Column(c).IsNull(i) {
					continue
				}
				if !(v >= 0) || v != math.Trunc(v) || v > math.MaxInt32 {
					return acc, fmt.Errorf("%s: OneHotEncoder only supports non-negative integer values in column %q, got %v", uid, ins[c], v)
				}
				acc[c] = math.Max(acc[c], v)
			}
			buf = x
		}
		return acc, nil
	})
	if err != nil {
		return nil, err
	}
	sizes := make([]int, len(ins))
	for c := range ins {
		mx := -1.0
		for _, a := range accs {
			mx = math.Max(mx, a[c])
		}
		sizes[c] = int(mx) + 1
		if n, ok := fromMeta[c]; ok {
			sizes[c] = n
		}
	}
	m := newOneHotEncoderModel(uid, sizes)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *OneHotEncoder) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *OneHotEncoder, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *OneHotEncoder) Save(path string) error { return ml.Save(s, path) }

// OneHotEncoderModel encodes indices with the learned numbers of categories.
type OneHotEncoderModel struct {
	ml.StageBase
	multiColParams
	dropLast      param.Param[bool]
	handleInvalid param.Param[string]
	sizes         []int
}

func newOneHotEncoderModel(uid string, sizes []int) *OneHotEncoderModel {
	m := &OneHotEncoderModel{StageBase: ml.NewStageBase(uid), sizes: sizes}
	m.multiColParams, m.dropLast, m.handleInvalid = defineOneHot(m.Params(), uid)
	return m
}

// CategorySizes returns the number of categories of each input column.
func (m *OneHotEncoderModel) CategorySizes() []int { return append([]int(nil), m.sizes...) }

// SetDropLast sets whether to drop the last category.
func (m *OneHotEncoderModel) SetDropLast(v bool) *OneHotEncoderModel {
	m.dropLast.Set(m.Params(), v)
	return m
}

// SetHandleInvalid sets "error" or "keep".
func (m *OneHotEncoderModel) SetHandleInvalid(v string) *OneHotEncoderModel {
	m.handleInvalid.Set(m.Params(), v)
	return m
}

// ClassName implements ml.Stage.
func (m *OneHotEncoderModel) ClassName() string { return classPrefix + "OneHotEncoderModel" }

// TransformSchema implements ml.Stage.
func (m *OneHotEncoderModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	out, err := oneHotSchema(m.StageBase, m.multiColParams, in)
	if err != nil {
		return nil, err
	}
	ins, _, _ := m.pairs(m.Params())
	if len(ins) != len(m.sizes) {
		return nil, fmt.Errorf("%s: the model was fitted on %d columns but %d input columns are set", m.UID(), len(m.sizes), len(ins))
	}
	return out, nil
}

// Transform implements ml.Transformer.
func (m *OneHotEncoderModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	ins, outs, _ := m.pairs(ps)
	keep := m.handleInvalid.Get(ps) == invalidKeep
	dropLast := m.dropLast.Get(ps)
	res := df
	for c, in := range ins {
		cats := m.sizes[c]
		size := cats
		if keep {
			size++
		}
		if dropLast {
			size--
		}
		g := oneHotGroup(df.Schema(), in, cats, dropLast, keep)
		res = res.WithColumn(outs[c], frame.UDF("oneHotEncoder", linalg.VectorType(), oneHotFn(m.UID(), in, cats, size, keep), frame.Col(in))).
			WithMetadata(outs[c], g.Metadata(arrow.Metadata{}))
	}
	return res, res.Err()
}

// oneHotSizesFromSchema maps each input column index that carries a
// nominal attribute of known size, or a binary attribute, to that size.
func oneHotSizesFromSchema(uid string, schema *arrow.Schema, ins []string) (map[int]int, error) {
	out := map[int]int{}
	for c, in := range ins {
		i := ml.FieldIndex(schema, in)
		if i < 0 {
			continue
		}
		a, ok, err := attribute.FromField(schema.Field(i))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", uid, err)
		}
		if !ok {
			continue
		}
		if n, known := a.Cardinality(); known {
			out[c] = n
		}
	}
	return out, nil
}

// oneHotGroup is the attribute group Spark writes on a one-hot output: one
// binary attribute per slot, named by the input's values (or "0", "1", …),
// the last dropped with dropLast (and not keep), "invalidValues" added
// with keep (and not dropLast).
func oneHotGroup(schema *arrow.Schema, in string, cats int, dropLast, keep bool) attribute.Group {
	var names []string
	if i := ml.FieldIndex(schema, in); i >= 0 {
		if a, ok, err := attribute.FromField(schema.Field(i)); err == nil && ok && len(a.Values) == cats {
			names = a.Values
		}
	}
	if names == nil {
		names = make([]string, cats)
		for i := range names {
			names[i] = strconv.Itoa(i)
		}
	}
	switch {
	case dropLast && !keep && len(names) > 0:
		names = names[:len(names)-1]
	case !dropLast && keep:
		names = append(append([]string(nil), names...), "invalidValues")
	}
	attrs := make([]attribute.Attribute, len(names))
	for i, n := range names {
		attrs[i] = attribute.NewBinary(n)
	}
	return attribute.NewGroup(attrs)
}

func oneHotFn(uid, col string, cats, size int, keep bool) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
	return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		x, err := ml.Float64Column(args[0], nil)
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		b.Reserve(len(x))
		idx := []int32{0}
		one := []float64{1}
		for _, v := range x {
			k := int(v)
			if !(v >= 0 && v < float64(cats)) {
				if !keep {
					return nil, fmt.Errorf("%s: unseen value %v in column %q. To handle unseen values, set Param handleInvalid to keep", uid, v, col)
				}
				k = cats
			}
			if k < size {
				idx[0] = int32(k)
				b.AppendSparse(size, idx, one)
			} else {
				b.AppendSparse(size, nil, nil)
			}
		}
		return b.NewArray(), nil
	}
}

// Copy implements ml.Stage.
func (m *OneHotEncoderModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *OneHotEncoderModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *OneHotEncoderModel) WriteData(dir string) error {
	f := make([]float64, len(m.sizes))
	for i, s := range m.sizes {
		f[i] = float64(s)
	}
	return ml.WriteVectors(dir, []string{"categorySizes"}, f)
}

// Save implements ml.Stage.
func (m *OneHotEncoderModel) Save(path string) error { return ml.Save(m, path) }

func loadOneHotEncoderModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "categorySizes")
	if err != nil {
		return nil, err
	}
	sizes := make([]int, len(v[0]))
	for i, f := range v[0] {
		sizes[i] = int(f)
	}
	m := newOneHotEncoderModel(md.UID, sizes)
	return m, md.ApplyParams(m.Params())
}
