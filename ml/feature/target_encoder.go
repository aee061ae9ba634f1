package feature

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
	"github.com/gspark/gspark/ml/param"
)

// Target types and the categories Spark's TargetEncoder keeps besides the
// input values: the null category and the unseen one, whose statistics
// are the whole column's (the global mean).
const (
	targetBinary     = "binary"
	targetContinuous = "continuous"
	teNullCategory   = -1.0
	teUnseenCategory = float64(math.MaxInt32)
)

// teStat is a category's statistics: rows, and the positive labels
// (binary) or the mean label (continuous).
type teStat struct{ count, stat float64 }

type targetEncoderParams struct {
	multiColParams
	labelCol, targetType, handleInvalid param.Param[string]
	smoothing                           param.Param[float64]
}

func defineTargetEncoder(ps *param.Params, uid string) targetEncoderParams {
	return targetEncoderParams{
		multiColParams: defineMultiCols(ps, uid),
		labelCol:       param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		targetType: param.Define(ps, "targetType", "type of label considered during fit: binary (0 or 1) or continuous",
			param.WithDefault(targetBinary), param.WithValidator(param.OneOf(targetBinary, targetContinuous))),
		handleInvalid: param.Define(ps, "handleInvalid", "how to handle values unseen during fit (and nulls when none was seen): error or keep (the global mean)",
			param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidKeep))),
		smoothing: param.Define(ps, "smoothing", "weight of the global mean against a category's: count/(count+smoothing) for the category (>= 0)",
			param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
	}
}

// TargetEncoder encodes categorical columns (non-negative integer indices,
// as StringIndexer makes) by the label, as Spark 4.0's TargetEncoder: per
// input column and category it learns the rows and the positive count
// (targetType binary, labels 0 or 1) or mean label (continuous); rows with
// a null label are ignored, a null input is its own category. A category
// is encoded as w·(its mean) + (1 − w)·(the column's mean), with w =
// count/(count + smoothing); values unseen in fit (and a null when no null
// was seen) get the column's mean with handleInvalid keep, an error
// otherwise. Statistics are gathered per partition in parallel.
type TargetEncoder struct {
	ml.StageBase
	targetEncoderParams
}

// NewTargetEncoder makes a TargetEncoder with a new UID.
func NewTargetEncoder() *TargetEncoder { return newTargetEncoder(param.UID("TargetEncoder")) }

func newTargetEncoder(uid string) *TargetEncoder {
	s := &TargetEncoder{StageBase: ml.NewStageBase(uid)}
	s.targetEncoderParams = defineTargetEncoder(s.Params(), uid)
	return s
}

// SetInputCol sets the input column.
func (s *TargetEncoder) SetInputCol(c string) *TargetEncoder { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output column.
func (s *TargetEncoder) SetOutputCol(c string) *TargetEncoder {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetInputCols sets several input columns.
func (s *TargetEncoder) SetInputCols(c ...string) *TargetEncoder {
	s.inputCols.Set(s.Params(), c)
	return s
}

// SetOutputCols sets the output columns.
func (s *TargetEncoder) SetOutputCols(c ...string) *TargetEncoder {
	s.outputCols.Set(s.Params(), c)
	return s
}

// SetLabelCol sets the label column.
func (s *TargetEncoder) SetLabelCol(c string) *TargetEncoder { s.labelCol.Set(s.Params(), c); return s }

// SetTargetType sets "binary" or "continuous".
func (s *TargetEncoder) SetTargetType(v string) *TargetEncoder {
	s.targetType.Set(s.Params(), v)
	return s
}

// SetHandleInvalid sets "error" or "keep".
func (s *TargetEncoder) SetHandleInvalid(v string) *TargetEncoder {
	s.handleInvalid.Set(s.Params(), v)
	return s
}

// SetSmoothing sets the smoothing (>= 0).
func (s *TargetEncoder) SetSmoothing(v float64) *TargetEncoder {
	s.smoothing.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *TargetEncoder) ClassName() string { return classPrefix + "TargetEncoder" }

func (p targetEncoderParams) schema(b ml.StageBase, in *arrow.Schema, fit bool) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	ps := b.Params()
	ins, outs, err := p.pairs(ps)
	if err != nil {
		return nil, err
	}
	if fit {
		if _, err := ml.CheckColumn(in, b.UID(), p.labelCol.Get(ps), ml.Numeric); err != nil {
			return nil, err
		}
	}
	s := in
	for k, c := range ins {
		if _, err := ml.CheckColumn(in, b.UID(), c, ml.Numeric); err != nil {
			return nil, err
		}
		if s, err = ml.AppendColumn(s, b.UID(), arrow.Field{Name: outs[k], Type: arrow.PrimitiveTypes.Float64, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// TransformSchema implements ml.Stage.
func (s *TargetEncoder) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return s.schema(s.StageBase, in, true)
}

// teAcc is one partition's statistics: per input column, per category,
// rows and the sum of labels.
type teAcc []map[float64]*teStat

// Fit implements ml.Estimator.
func (s *TargetEncoder) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := s.FitModel(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitModel is Fit returning the concrete model.
func (s *TargetEncoder) FitModel(ctx context.Context, df *frame.DataFrame) (*TargetEncoderModel, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	uid := s.UID()
	ins, _, _ := s.pairs(ps)
	label, binary := s.labelCol.Get(ps), s.targetType.Get(ps) == targetBinary
	cols := make([]frame.Column, 0, len(ins)+1)
	for _, c := range ins {
		cols = append(cols, frame.Col(c))
	}
	cols = append(cols, frame.Col(label))
	accs, err := frame.AggregatePartitions(ctx, df.Select(cols...), func(int) teAcc {
		a := make(teAcc, len(ins))
		for i := range a {
			a[i] = map[float64]*teStat{}
		}
		return a
	}, func(acc teAcc, b arrow.RecordBatch) (teAcc, error) {
		lc := b.Column(len(ins))
		y, err := ml.Float64Column(lc, nil)
		if err != nil {
			return acc, fmt.Errorf("%s: column %q: %w", uid, label, err)
		}
		for c := range ins {
			col := b.Column(c)
			x, err := ml.Float64Column(col, nil)
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, ins[c], err)
			}
			for i, v := range x {
				if lc.IsNull(i) {
					continue
				}
				if binary && y[i] != 0 && y[i] != 1 {
					return acc, fmt.Errorf("%s: values of column %q must be binary (0, 1), got %v", uid, label, y[i])
				}
				cat := teNullCategory
				if !col.IsNull(i) {
					if v < 0 || v != math.Trunc(v) || v >= teUnseenCategory {
						return acc, fmt.Errorf("%s: values of column %q must be indices (non-negative integers), got %v", uid, ins[c], v)
					}
					cat = v
				}
				for _, k := range []float64{cat, teUnseenCategory} {
					st := acc[c][k]
					if st == nil {
						st = &teStat{}
						acc[c][k] = st
					}
					st.count++
					st.stat += y[i]
				}
			}
		}
		return acc, nil
	})
	if err != nil {
		return nil, err
	}
	stats := make([]map[float64]teStat, len(ins))
	for c := range ins {
		tot := map[float64]teStat{}
		for _, a := range accs {
			for k, st := range a[c] {
				t := tot[k]
				t.count += st.count
				t.stat += st.stat
				tot[k] = t
			}
		}
		if _, ok := tot[teUnseenCategory]; !ok {
			return nil, fmt.Errorf("%s: no rows with a label in column %q to fit on", uid, label)
		}
		if !binary {
			for k, t := range tot {
				tot[k] = teStat{count: t.count, stat: t.stat / t.count}
			}
		}
		stats[c] = tot
	}
	m := newTargetEncoderModel(uid, stats)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *TargetEncoder) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *TargetEncoder, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *TargetEncoder) Save(path string) error { return ml.Save(s, path) }

// TargetEncoderModel replaces categories by their target encodings.
type TargetEncoderModel struct {
	ml.StageBase
	targetEncoderParams
	// stats, per input column, maps a category (teNullCategory for
	// null, teUnseenCategory for the whole column) to its statistics.
	stats []map[float64]teStat
}

func newTargetEncoderModel(uid string, stats []map[float64]teStat) *TargetEncoderModel {
	m := &TargetEncoderModel{StageBase: ml.NewStageBase(uid), stats: stats}
	m.targetEncoderParams = defineTargetEncoder(m.Params(), uid)
	return m
}

// ClassName implements ml.Stage.
func (m *TargetEncoderModel) ClassName() string { return classPrefix + "TargetEncoderModel" }

// TransformSchema implements ml.Stage.
func (m *TargetEncoderModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	out, err := m.schema(m.StageBase, in, false)
	if err != nil {
		return nil, err
	}
	if ins, _, _ := m.pairs(m.Params()); len(ins) != len(m.stats) {
		return nil, fmt.Errorf("%s: the model was fitted on %d columns but %d input columns are set", m.UID(), len(m.stats), len(ins))
	}
	return out, nil
}

// Encodings returns, per input column, the encoding of each category seen
// in fit (-1 for null) under the current smoothing and targetType.
func (m *TargetEncoderModel) Encodings() []map[float64]float64 {
	out := make([]map[float64]float64, len(m.stats))
	for c := range m.stats {
		out[c] = m.encodings(c)
		delete(out[c], teUnseenCategory)
	}
	return out
}

// encodings blends each category's mean with the column's (the unseen
// category's).
func (m *TargetEncoderModel) encodings(c int) map[float64]float64 {
	ps := m.Params()
	smoothing, binary := m.smoothing.Get(ps), m.targetType.Get(ps) == targetBinary
	g := m.stats[c][teUnseenCategory]
	global := g.stat
	if binary {
		global = g.stat / g.count
	}
	out := make(map[float64]float64, len(m.stats[c]))
	for k, st := range m.stats[c] {
		mean := st.stat
		if binary {
			mean = st.stat / st.count
		}
		w := st.count / (st.count + smoothing)
		out[k] = w*mean + (1-w)*global
	}
	return out
}

// Transform implements ml.Transformer: an output double column per input
// column.
func (m *TargetEncoderModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	ins, outs, _ := m.pairs(ps)
	keep := m.handleInvalid.Get(ps) == invalidKeep
	res := df
	for c, in := range ins {
		enc := m.encodings(c)
		unseen := enc[teUnseenCategory]
		delete(enc, teUnseenCategory)
		uid, col := m.UID(), in
		fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			x, err := ml.Float64Column(args[0], nil)
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
			}
			b := array.NewFloat64Builder(mem)
			defer b.Release()
			b.Reserve(len(x))
			for i, v := range x {
				cat := v
				if args[0].IsNull(i) {
					cat = teNullCategory
				}
				e, ok := enc[cat]
				if !ok {
					if !keep {
						if cat == teNullCategory {
							return nil, fmt.Errorf("%s: column %q row %d: null unseen in fit (set handleInvalid to keep)", uid, col, i)
						}
						return nil, fmt.Errorf("%s: column %q row %d: value %v unseen in fit (set handleInvalid to keep)", uid, col, i, v)
					}
					e = unseen
				}
				b.UnsafeAppend(e)
			}
			return b.NewArray(), nil
		}
		res = res.WithColumn(outs[c], frame.UDF("targetEncoder", arrow.PrimitiveTypes.Float64, fn, frame.Col(in)))
	}
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *TargetEncoderModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *TargetEncoderModel, b ml.StageBase) { c.StageBase = b })
}

// rows lists the statistics as rows of (input column index, category,
// count, stat), in column then category order.
func (m *TargetEncoderModel) rows() (index, category, count, stat []float64) {
	for c, st := range m.stats {
		for _, k := range slices.Sorted(func(yield func(float64) bool) {
			for k := range st {
				if !yield(k) {
					return
				}
			}
		}) {
			index, category = append(index, float64(c)), append(category, k)
			count, stat = append(count, st[k].count), append(stat, st[k].stat)
		}
	}
	return
}

// WriteData implements ml.DataWriter: a row per input column and category.
func (m *TargetEncoderModel) WriteData(dir string) error {
	index, category, count, stat := m.rows()
	return ml.WriteColumns(dir, len(index), nil, nil, []string{"index", "category", "count", "stat"}, [][]float64{index, category, count, stat})
}

// Save implements ml.Stage.
func (m *TargetEncoderModel) Save(path string) error { return ml.Save(m, path) }

// statsFromRows rebuilds the per-column statistics, checking that every
// column has its unseen (global) category.
func statsFromRows(uid string, index, category, count, stat []float64) ([]map[float64]teStat, error) {
	var stats []map[float64]teStat
	for r := range index {
		c := int(index[r])
		if c < 0 || float64(c) != index[r] || c > len(index) {
			return nil, fmt.Errorf("%s: model data row %d: column index %v", uid, r, index[r])
		}
		for len(stats) <= c {
			stats = append(stats, map[float64]teStat{})
		}
		if _, dup := stats[c][category[r]]; dup || count[r] <= 0 {
			return nil, fmt.Errorf("%s: model data row %d: category %v of column %d repeated or with count %v", uid, r, category[r], c, count[r])
		}
		stats[c][category[r]] = teStat{count: count[r], stat: stat[r]}
	}
	if len(stats) == 0 {
		return nil, fmt.Errorf("%s: model data has no rows", uid)
	}
	for c, st := range stats {
		if _, ok := st[teUnseenCategory]; !ok {
			return nil, fmt.Errorf("%s: model data: column %d has no global statistics (category %v)", uid, c, teUnseenCategory)
		}
	}
	return stats, nil
}

func loadTargetEncoderModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	_, nums, _, err := ml.ReadColumns(ctx, dir, nil, []string{"index", "category", "count", "stat"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	stats, err := statsFromRows(md.UID, nums[0], nums[1], nums[2], nums[3])
	if err != nil {
		return nil, err
	}
	m := newTargetEncoderModel(md.UID, stats)
	return m, md.ApplyParams(m.Params())
}

// Spark's layout (TargetEncoder.scala's writer, Spark 4.0): the metadata,
// and data/ with a row of Data(index: Int, categories: Double, counts:
// Double, stats: Double) per input column and category, the unseen
// category being Int.MaxValue and null −1.

// SparkClassName implements ml.SparkWriter.
func (m *TargetEncoderModel) SparkClassName() string { return sparkPrefix + "TargetEncoderModel" }

// SparkVersion implements ml.SparkVersioner: the class came with Spark 4.0.
func (m *TargetEncoderModel) SparkVersion() string { return "4.0.0" }

// SparkParams implements ml.SparkWriter.
func (m *TargetEncoderModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "inputCols", "outputCols", "labelCol", "targetType", "handleInvalid", "smoothing"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *TargetEncoderModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter.
func (m *TargetEncoderModel) WriteSparkData(dir string) error {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "index", Type: arrow.PrimitiveTypes.Int32},
		{Name: "categories", Type: arrow.PrimitiveTypes.Float64},
		{Name: "counts", Type: arrow.PrimitiveTypes.Float64},
		{Name: "stats", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	index, category, count, stat := m.rows()
	rows := make([][]any, len(index))
	for r := range rows {
		rows[r] = []any{int(index[r]), category[r], count[r], stat[r]}
	}
	return ml.WriteSparkRows(dir, "data", schema, rows...)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.TargetEncoderModel).
func (m *TargetEncoderModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkTargetEncoderModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkData(ctx, dir, "data")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	n := d.NumRows()
	index, category, count, stat := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for r := 0; r < n; r++ {
		i, err := d.Int("index", r)
		if err == nil {
			index[r] = float64(i)
			if category[r], err = d.Float64("categories", r); err == nil {
				if count[r], err = d.Float64("counts", r); err == nil {
					stat[r], err = d.Float64("stats", r)
				}
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
	}
	stats, err := statsFromRows(md.UID, index, category, count, stat)
	if err != nil {
		return nil, err
	}
	m := newTargetEncoderModel(md.UID, stats)
	return m, md.ApplySparkParams(m.Params())
}

// targetEncoderLoaders are the loaders of TargetEncoder and its model, by
// class name without the package prefix, in gspark's and Spark's layouts.
func targetEncoderLoaders() (own, spark map[string]ml.Loader) {
	return map[string]ml.Loader{
			"TargetEncoder":      loadParamsOnly(func(uid string) ml.Stage { return newTargetEncoder(uid) }),
			"TargetEncoderModel": loadTargetEncoderModel,
		}, map[string]ml.Loader{
			"TargetEncoderModel": loadSparkTargetEncoderModel,
		}
}

var (
	_ ml.SparkWriter                         = (*TargetEncoderModel)(nil)
	_ ml.TypedEstimator[*TargetEncoderModel] = (*TargetEncoder)(nil)
)
