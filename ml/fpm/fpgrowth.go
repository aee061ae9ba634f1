package fpm

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
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/values"
)

type fpParams struct {
	itemsCol, predictionCol   param.Param[string]
	minSupport, minConfidence param.Param[float64]
	numPartitions             param.Param[int]
}

func defineFP(ps *param.Params) fpParams {
	return fpParams{
		itemsCol:      param.Define(ps, "itemsCol", "items column name", param.WithDefault("items")),
		predictionCol: param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		minSupport: param.Define(ps, "minSupport", "minimal support level of a frequent pattern, in [0, 1]: an itemset in at least ceil(minSupport × transactions) transactions is frequent",
			param.WithDefault(0.3), param.WithValidator(param.InRange(0.0, 1.0))),
		minConfidence: param.Define(ps, "minConfidence", "minimal confidence of an association rule, in [0, 1]",
			param.WithDefault(0.8), param.WithValidator(param.InRange(0.0, 1.0))),
		numPartitions: param.Define(ps, "numPartitions", "number of partitions used by parallel FP-growth (at least 1; unset: the input's); gspark mines in memory and accepts it for compatibility",
			param.WithValidator(param.GtEq(1))),
	}
}

func (p fpParams) schema(ps *param.Params, in *arrow.Schema, withPrediction bool) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	f, err := ml.CheckColumn(in, ps.UID(), p.itemsCol.Get(ps))
	if err != nil {
		return nil, err
	}
	if _, ok := itemType(f.Type); !ok {
		return nil, fmt.Errorf("%s: input column %q must be an array of scalar items, got %s", ps.UID(), f.Name, ml.TypeName(f.Type))
	}
	if !withPrediction {
		return in, nil
	}
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.predictionCol.Get(ps), Type: f.Type, Nullable: true})
}

// FPGrowth finds the frequent itemsets of a column of transactions (arrays
// of distinct items) and the association rules between them, as Spark's
// org.apache.spark.ml.fpm.FPGrowth: an itemset is frequent when it is in at
// least ceil(minSupport × n) of the n non-null transactions; the rules have
// one consequent item, and are kept when their confidence is at least
// minConfidence. The itemsets are grown as in FP-growth, from the least
// frequent item towards the most frequent, over conditional pattern bases
// (kept as weighted transaction lists rather than a tree). A transaction
// with a repeated item is an error, as in Spark.
type FPGrowth struct {
	ml.StageBase
	fpParams
}

// NewFPGrowth returns an estimator with Spark's defaults (minSupport 0.3,
// minConfidence 0.8).
func NewFPGrowth() *FPGrowth { return newFPGrowth(param.UID("FPGrowth")) }

func newFPGrowth(uid string) *FPGrowth {
	f := &FPGrowth{StageBase: ml.NewStageBase(uid)}
	f.fpParams = defineFP(f.Params())
	return f
}

// SetItemsCol sets the items column.
func (f *FPGrowth) SetItemsCol(c string) *FPGrowth { f.itemsCol.Set(f.Params(), c); return f }

// SetPredictionCol sets the prediction column.
func (f *FPGrowth) SetPredictionCol(c string) *FPGrowth { f.predictionCol.Set(f.Params(), c); return f }

// SetMinSupport sets the minimal support of a frequent itemset.
func (f *FPGrowth) SetMinSupport(v float64) *FPGrowth { f.minSupport.Set(f.Params(), v); return f }

// SetMinConfidence sets the minimal confidence of an association rule.
func (f *FPGrowth) SetMinConfidence(v float64) *FPGrowth {
	f.minConfidence.Set(f.Params(), v)
	return f
}

// SetNumPartitions sets Spark's numPartitions param (recorded; the mining
// runs in memory).
func (f *FPGrowth) SetNumPartitions(n int) *FPGrowth { f.numPartitions.Set(f.Params(), n); return f }

// ClassName implements ml.Stage.
func (f *FPGrowth) ClassName() string { return classPrefix + "FPGrowth" }

// SparkClassName is the class of the same stage in Apache Spark.
func (f *FPGrowth) SparkClassName() string { return sparkPrefix + "FPGrowth" }

// TransformSchema implements ml.Stage.
func (f *FPGrowth) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return f.schema(f.Params(), in, true)
}

// Copy implements ml.Stage.
func (f *FPGrowth) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := f.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *f
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (f *FPGrowth) Save(path string) error { return ml.Save(f, path) }

// Fit implements ml.Estimator.
func (f *FPGrowth) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return f.FitModel(ctx, df)
}

// itemset is a frequent itemset: its items (normalized, least frequent
// first) and the number of transactions holding them.
type itemset struct {
	items []any
	freq  int64
}

// FitModel fits the estimator to df and returns the concrete model.
func (f *FPGrowth) FitModel(ctx context.Context, df *frame.DataFrame) (*FPGrowthModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := f.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := f.Params()
	uid, col := f.UID(), f.itemsCol.Get(ps)
	elem, _ := itemType(df.Schema().Field(ml.FieldIndex(df.Schema(), col)).Type)
	rows, err := df.Select(frame.Col(col)).Collect(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	var txs [][]any
	for r, row := range rows {
		if row[0] == nil {
			continue // null transactions are ignored, as in Spark
		}
		raw := row[0].([]any)
		tx := make([]any, 0, len(raw))
		seen := map[any]bool{}
		for _, v := range raw {
			if v == nil {
				return nil, fmt.Errorf("%s: column %q, row %d: a transaction holds a null item", uid, col, r+1)
			}
			k, err := itemKey(v)
			if err != nil {
				return nil, fmt.Errorf("%s: column %q, row %d: %w", uid, col, r+1, err)
			}
			if seen[k] {
				return nil, fmt.Errorf("%s: column %q, row %d: items in a transaction must be unique but got %v", uid, col, r+1, raw)
			}
			seen[k] = true
			tx = append(tx, k)
		}
		txs = append(txs, tx)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := int64(len(txs))
	minCount := int64(math.Ceil(f.minSupport.Get(ps) * float64(n)))
	sets, err := mineItemsets(ctx, txs, minCount)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newFPGrowthModel(uid, elem, sets, n)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// wtx is a transaction of item ranks (most frequent first) with the number
// of transactions it stands for.
type wtx struct {
	items []int
	n     int64
}

// mineItemsets returns the itemsets of txs held by at least minCount of
// them (minCount ≥ 1).
func mineItemsets(ctx context.Context, txs [][]any, minCount int64) ([]itemset, error) {
	minCount = max(minCount, 1)
	counts := map[any]int64{}
	for _, tx := range txs {
		for _, it := range tx {
			counts[it]++
		}
	}
	var freq []any
	for it, c := range counts {
		if c >= minCount {
			freq = append(freq, it)
		}
	}
	// Rank items by frequency, most frequent first; ties by value.
	slices.SortFunc(freq, func(a, b any) int {
		if counts[a] != counts[b] {
			if counts[a] > counts[b] {
				return -1
			}
			return 1
		}
		return cmpItems(a, b)
	})
	rank := make(map[any]int, len(freq))
	for i, it := range freq {
		rank[it] = i
	}
	var db []wtx
	for _, tx := range txs {
		var r []int
		for _, it := range tx {
			if k, ok := rank[it]; ok {
				r = append(r, k)
			}
		}
		if len(r) > 0 {
			slices.Sort(r)
			db = append(db, wtx{items: r, n: 1})
		}
	}
	db = mergeTx(db)
	var out []itemset
	var grow func(prefix []int, db []wtx) error
	grow = func(prefix []int, db []wtx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		cnt := map[int]int64{}
		for _, t := range db {
			for _, it := range t.items {
				cnt[it] += t.n
			}
		}
		// Least frequent (highest rank) first, as FP-growth mines its header table.
		items := make([]int, 0, len(cnt))
		for it, c := range cnt {
			if c >= minCount {
				items = append(items, it)
			}
		}
		slices.Sort(items)
		slices.Reverse(items)
		for _, it := range items {
			p := append(slices.Clip(prefix), it)
			set := make([]any, len(p))
			for i, r := range p {
				set[i] = freq[r]
			}
			out = append(out, itemset{items: set, freq: cnt[it]})
			// The conditional pattern base of it: the more frequent items
			// of each transaction holding it.
			var cond []wtx
			for _, t := range db {
				if k, ok := slices.BinarySearch(t.items, it); ok && k > 0 {
					cond = append(cond, wtx{items: t.items[:k], n: t.n})
				}
			}
			if len(cond) > 0 {
				if err := grow(p, mergeTx(cond)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := grow(nil, db); err != nil {
		return nil, err
	}
	return out, nil
}

// mergeTx merges identical transactions, summing their counts.
func mergeTx(db []wtx) []wtx {
	idx := map[string]int{}
	var out []wtx
	var sb strings.Builder
	for _, t := range db {
		sb.Reset()
		for _, it := range t.items {
			sb.WriteString(strconv.Itoa(it))
			sb.WriteByte(',')
		}
		k := sb.String()
		if i, ok := idx[k]; ok {
			out[i].n += t.n
			continue
		}
		idx[k] = len(out)
		out = append(out, t)
	}
	return out
}

// Rule is an association rule antecedent ⇒ consequent, as Spark's
// associationRules rows: confidence = freq(antecedent ∪ consequent) /
// freq(antecedent), lift = confidence / support(consequent), support =
// freq(antecedent ∪ consequent) / transactions.
type Rule struct {
	Antecedent, Consequent []any
	Confidence, Lift       float64
	Support                float64
}

// FPGrowthModel holds the frequent itemsets; its rules follow from them and
// its minConfidence.
type FPGrowthModel struct {
	ml.StageBase
	fpParams
	elem    arrow.DataType
	sets    []itemset
	records int64
}

func newFPGrowthModel(uid string, elem arrow.DataType, sets []itemset, records int64) *FPGrowthModel {
	m := &FPGrowthModel{StageBase: ml.NewStageBase(uid), elem: elem, sets: sets, records: records}
	m.fpParams = defineFP(m.Params())
	return m
}

// ClassName implements ml.Stage.
func (m *FPGrowthModel) ClassName() string { return classPrefix + "FPGrowthModel" }

// SparkClassName is the class of the same stage in Apache Spark.
func (m *FPGrowthModel) SparkClassName() string { return sparkPrefix + "FPGrowthModel" }

// SetItemsCol sets the items column read by Transform.
func (m *FPGrowthModel) SetItemsCol(c string) *FPGrowthModel { m.itemsCol.Set(m.Params(), c); return m }

// SetPredictionCol sets the prediction column.
func (m *FPGrowthModel) SetPredictionCol(c string) *FPGrowthModel {
	m.predictionCol.Set(m.Params(), c)
	return m
}

// SetMinConfidence sets the minimal confidence of the rules (the model's
// rules are derived again).
func (m *FPGrowthModel) SetMinConfidence(v float64) *FPGrowthModel {
	m.minConfidence.Set(m.Params(), v)
	return m
}

// NumTrainingRecords is the number of non-null transactions fitted.
func (m *FPGrowthModel) NumTrainingRecords() int64 { return m.records }

// Rules returns the association rules with confidence ≥ minConfidence, in
// the order of the itemsets they come from.
func (m *FPGrowthModel) Rules() []Rule {
	minConf := m.minConfidence.Get(m.Params())
	freq := make(map[string]int64, len(m.sets))
	for _, s := range m.sets {
		freq[setKey(s.items)] = s.freq
	}
	n := float64(m.records)
	var out []Rule
	for _, s := range m.sets {
		if len(s.items) < 2 {
			continue
		}
		for i, c := range s.items {
			ante := slices.Concat(s.items[:i:i], s.items[i+1:])
			af, ok1 := freq[setKey(ante)]
			cf, ok2 := freq[setKey([]any{c})]
			if !ok1 || !ok2 {
				continue
			}
			conf := float64(s.freq) / float64(af)
			if conf < minConf {
				continue
			}
			lift, support := conf/(float64(cf)/n), float64(s.freq)/n
			if m.records == 0 { // a Spark 2.4 model does not record its transactions
				lift, support = math.NaN(), math.NaN()
			}
			out = append(out, Rule{Antecedent: ante, Consequent: []any{c}, Confidence: conf, Lift: lift, Support: support})
		}
	}
	return out
}

// setKey is an order-independent key of a set of normalized items.
func setKey(items []any) string {
	ks := make([]string, len(items))
	for i, it := range items {
		ks[i] = fmt.Sprintf("%T:%v", it, it)
	}
	slices.Sort(ks)
	return strings.Join(ks, "\x00")
}

// FreqItemsets returns the frequent itemsets as Spark's freqItemsets:
// columns items (an array of the items column's element type) and freq
// (bigint).
func (m *FPGrowthModel) FreqItemsets(s *frame.Session) *frame.DataFrame {
	rows := make([][]any, len(m.sets))
	for i, set := range m.sets {
		rows[i] = []any{set.items, set.freq}
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "items", Type: arrow.ListOf(m.elem), Nullable: true},
		{Name: "freq", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	return s.CreateDataFrameArrow(rows, schema)
}

// AssociationRules returns the rules as Spark's associationRules: columns
// antecedent, consequent (arrays of the items' type), confidence, lift and
// support (double).
func (m *FPGrowthModel) AssociationRules(s *frame.Session) *frame.DataFrame {
	rules := m.Rules()
	rows := make([][]any, len(rules))
	for i, r := range rules {
		rows[i] = []any{r.Antecedent, r.Consequent, r.Confidence, r.Lift, r.Support}
	}
	lt := arrow.ListOf(m.elem)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "antecedent", Type: lt, Nullable: true},
		{Name: "consequent", Type: lt, Nullable: true},
		{Name: "confidence", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "lift", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "support", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	return s.CreateDataFrameArrow(rows, schema)
}

// TransformSchema implements ml.Stage.
func (m *FPGrowthModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in, true)
}

// Transform adds the prediction column: for each transaction, the distinct
// consequents of the rules whose antecedent it holds, less the items it
// already has (an empty array for a null transaction), as Spark does.
func (m *FPGrowthModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	out, err := m.TransformSchema(df.Schema())
	if err != nil {
		return nil, err
	}
	uid, col := m.UID(), m.itemsCol.Get(m.Params())
	rules := m.Rules()
	typ := out.Field(out.NumFields() - 1).Type
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		b := array.NewBuilder(mem, typ)
		defer b.Release()
		for i := 0; i < args[0].Len(); i++ {
			pred := []any{}
			if v := values.Value(args[0], i); v != nil {
				have := map[any]bool{}
				for _, it := range v.([]any) {
					if it == nil {
						continue
					}
					k, err := itemKey(it)
					if err != nil {
						return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
					}
					have[k] = true
				}
				added := map[any]bool{}
				for _, r := range rules {
					holds := true
					for _, a := range r.Antecedent {
						if !have[a] {
							holds = false
							break
						}
					}
					if !holds {
						continue
					}
					for _, c := range r.Consequent {
						if !have[c] && !added[c] {
							added[c] = true
							pred = append(pred, c)
						}
					}
				}
			}
			if err := values.Append(b, pred); err != nil {
				return nil, fmt.Errorf("%s: %w", uid, err)
			}
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(m.predictionCol.Get(m.Params()), frame.UDF("fpgrowthPredict", typ, fn, frame.Col(col)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *FPGrowthModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (m *FPGrowthModel) Save(path string) error { return ml.Save(m, path) }

// ExtraMetadata implements ml.ExtraMetadata: numTrainingRecords, as Spark
// records it.
func (m *FPGrowthModel) ExtraMetadata() map[string]any {
	return map[string]any{"numTrainingRecords": m.records}
}

// WriteData implements ml.DataWriter: the frequent itemsets as Spark's
// data (columns items and freq).
func (m *FPGrowthModel) WriteData(dir string) error {
	rec, err := m.itemsetsRecord()
	if err != nil {
		return err
	}
	defer rec.Release()
	return ml.WriteData(dir, rec)
}

// itemsetsRecord is the frequent itemsets table (items, freq).
func (m *FPGrowthModel) itemsetsRecord() (arrow.RecordBatch, error) {
	mem := memory.DefaultAllocator
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "items", Type: arrow.ListOf(m.elem), Nullable: true},
		{Name: "freq", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	rb := array.NewRecordBuilder(mem, schema)
	defer rb.Release()
	for _, s := range m.sets {
		if err := values.Append(rb.Field(0), s.items); err != nil {
			return nil, err
		}
		rb.Field(1).(*array.Int64Builder).Append(s.freq)
	}
	return rb.NewRecordBatch(), nil
}

func loadFPGrowthModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var records int64
	if err := md.GetExtra("numTrainingRecords", &records); err != nil {
		return nil, err
	}
	rec, err := ml.ReadData(ctx, dir, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer rec.Release()
	m, err := modelFromItemsets(md.UID, []arrow.RecordBatch{rec}, records)
	if err != nil {
		return nil, err
	}
	return m, md.ApplyParams(m.Params())
}

// loadSparkFPGrowthModel reads an FPGrowthModel directory saved by Apache
// Spark: the itemsets under data/ and, from Spark 3.0 on,
// numTrainingRecords in the metadata (without it, as Spark 2.4 saves, the
// rules' lift and support are NaN).
func loadSparkFPGrowthModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var records int64
	if _, ok := md.Extra["numTrainingRecords"]; ok {
		if err := md.GetExtra("numTrainingRecords", &records); err != nil {
			return nil, err
		}
	}
	bs, err := ml.ReadParquetDir(ctx, dir, "data", memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	m, err := modelFromItemsets(md.UID, bs, records)
	if err != nil {
		return nil, err
	}
	return m, md.ApplySparkParams(m.Params())
}

// modelFromItemsets builds a model from tables of (items, freq).
func modelFromItemsets(uid string, bs []arrow.RecordBatch, records int64) (*FPGrowthModel, error) {
	var elem arrow.DataType
	var sets []itemset
	for _, rec := range bs {
		ii, fi := ml.FieldIndex(rec.Schema(), "items"), ml.FieldIndex(rec.Schema(), "freq")
		if ii < 0 || fi < 0 {
			return nil, fmt.Errorf("%s: model data needs columns items and freq", uid)
		}
		t, ok := itemType(rec.Column(ii).DataType())
		if !ok {
			return nil, fmt.Errorf("%s: model data column items is %s, not an array of items", uid, ml.TypeName(rec.Column(ii).DataType()))
		}
		elem = t
		freqs, err := ml.Float64Column(rec.Column(fi), nil)
		if err != nil {
			return nil, fmt.Errorf("%s: model data column freq: %w", uid, err)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			v, _ := values.Value(rec.Column(ii), i).([]any)
			items := make([]any, len(v))
			for j, it := range v {
				if items[j], err = itemKey(it); err != nil {
					return nil, fmt.Errorf("%s: model data row %d: %w", uid, len(sets)+1, err)
				}
			}
			sets = append(sets, itemset{items: items, freq: int64(freqs[i])})
		}
	}
	if elem == nil {
		return nil, fmt.Errorf("%s: model data has no itemsets table", uid)
	}
	return newFPGrowthModel(uid, elem, sets, records), nil
}

// SparkParams implements ml.SparkWriter: the params of Spark's FPGrowthModel.
func (m *FPGrowthModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"itemsCol", "predictionCol", "minSupport", "minConfidence", "numPartitions"}}
}

// SparkExtra implements ml.SparkWriter: numTrainingRecords, as Spark 3 records it.
func (m *FPGrowthModel) SparkExtra() map[string]any {
	return map[string]any{"numTrainingRecords": m.records}
}

// WriteSparkData implements ml.SparkWriter: the frequent itemsets under
// data/ (items, freq), Spark's layout.
func (m *FPGrowthModel) WriteSparkData(dir string) error {
	rec, err := m.itemsetsRecord()
	if err != nil {
		return err
	}
	defer rec.Release()
	return ml.WriteSparkParquet(dir, "data", rec)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.fpm.FPGrowthModel).
func (m *FPGrowthModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.TypedEstimator[*FPGrowthModel] = (*FPGrowth)(nil)
