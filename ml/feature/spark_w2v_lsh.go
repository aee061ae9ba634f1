package feature

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/ml"
)

// registerSparkFeature2 adds the loaders, by Spark class name, of
// Word2VecModel, the LSH models, VectorIndexerModel, the selector models,
// and of every estimator with IndexToString and VectorSlicer (saved as
// metadata alone).
func registerSparkFeature2(r *ml.Registry) {
	for class, l := range map[string]ml.Loader{
		"Word2VecModel":                    loadSparkWord2VecModel,
		"MinHashLSHModel":                  loadSparkMinHashLSHModel,
		"BucketedRandomProjectionLSHModel": loadSparkBRPLSHModel,
		"VectorIndexerModel":               loadSparkVectorIndexerModel,
		"ChiSqSelectorModel":               loadSparkChiSqSelectorModel,
		"UnivariateFeatureSelectorModel":   loadSparkUnivariateFeatureSelectorModel,
		"VarianceThresholdSelectorModel":   loadSparkVarianceThresholdSelectorModel,
	} {
		r.Register(sparkPrefix+class, l)
	}
	for class, l := range sparkEstimatorLoaders() {
		r.Register(sparkPrefix+class, l)
	}
}

// sparkParamsOnly loads a stage Spark saved as metadata alone.
func sparkParamsOnly(mk func(uid string) ml.Stage) ml.Loader {
	return sparkParamsOnlyRejecting(mk)
}

// sparkParamsOnlyRejecting is sparkParamsOnly for a stage that lacks
// some of Spark's params: metadata that sets one of them (to anything
// but null or an empty array) fails rather than load a stage that would
// do something else.
func sparkParamsOnlyRejecting(mk func(uid string) ml.Stage, unsupported ...string) ml.Loader {
	return func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		if err := rejectSparkParams(md, unsupported...); err != nil {
			return nil, err
		}
		st := mk(md.UID)
		return st, md.ApplySparkParams(st.Params())
	}
}

// rejectSparkParams fails if md's paramMap sets one of names.
func rejectSparkParams(md *ml.Metadata, names ...string) error {
	for _, n := range names {
		raw, ok := md.ParamMap[n]
		if !ok {
			continue
		}
		v := bytes.TrimSpace(raw)
		if string(v) == "null" || string(v) == "[]" {
			continue
		}
		return fmt.Errorf("%s (%s): metadata paramMap field %s is %s: gspark's stage has no such param", md.UID, md.Class, n, v)
	}
	return nil
}

// Word2VecModel: since Spark 2.2, data/ holds one row per word,
// Data(word: String, vector: Array[Float]) (Word2Vec.scala,
// Word2VecModelWriter); earlier versions wrote one row
// (wordIndex: Map[String, Int], wordVectors: Array[Float]) with the
// vectors flattened in index order, which Spark's reader still reads for
// a sparkVersion before 2.2.

// SparkClassName implements ml.SparkWriter.
func (m *Word2VecModel) SparkClassName() string { return sparkPrefix + "Word2VecModel" }

// word2VecModelSeed is the default seed of Spark's Word2VecModel: HasSeed
// defaults to the hashCode of the class name,
// "org.apache.spark.ml.feature.Word2VecModel".
const word2VecModelSeed = int64(1625834845)

// SparkParams implements ml.SparkWriter: the params of Spark's
// Word2VecModel (Word2VecBase), whose default seed is its own class
// name's hash.
func (m *Word2VecModel) SparkParams() ml.SparkParamSpec {
	spec := ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "vectorSize", "windowSize", "numPartitions", "minCount",
		"maxSentenceLength", "stepSize", "maxIter"}, Defaults: map[string]any{"seed": word2VecModelSeed}}
	if ps := m.Params(); ps.IsSet("seed") {
		v, _ := ps.Get("seed")
		spec.Set = map[string]any{"seed": v}
	}
	return spec
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *Word2VecModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row per word {word,
// vector as array<float>} (Spark keeps the vectors as floats; gspark's
// doubles are rounded to the nearest float).
func (m *Word2VecModel) WriteSparkData(dir string) error {
	floats := arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float32})
	schema := arrow.NewSchema([]arrow.Field{{Name: "word", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "vector", Type: floats, Nullable: true}}, nil)
	rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	defer rb.Release()
	wb, lb := rb.Field(0).(*array.StringBuilder), rb.Field(1).(*array.ListBuilder)
	fb := lb.ValueBuilder().(*array.Float32Builder)
	for i, w := range m.words {
		wb.Append(w)
		lb.Append(true)
		for _, v := range m.vecs[i*m.dim : (i+1)*m.dim] {
			fb.Append(float32(v))
		}
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return ml.WriteSparkParquet(dir, "data", rec)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.Word2VecModel).
func (m *Word2VecModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkWord2VecModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	recs, err := ml.ReadParquetDir(ctx, dir, "data", memory.NewGoAllocator())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: model data in %s/data has no files", md.UID, dir)
	}
	var words []string
	var vecs []float64
	dim := -1
	if ml.FieldIndex(recs[0].Schema(), "wordIndex") >= 0 {
		words, vecs, dim, err = readOldWord2VecData(recs)
	} else {
		words, vecs, dim, err = readWord2VecRows(recs)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: model data in %s/data: %w", md.UID, dir, err)
	}
	m := newWord2VecModel(md.UID, words, vecs, dim)
	return m, md.ApplySparkParams(m.Params())
}

// float32List returns the float32 values and the [s, e) range of row i of
// the named list column of rec.
func float32List(rec arrow.RecordBatch, name string, i int) (*array.Float32, int, int, error) {
	c := ml.FieldIndex(rec.Schema(), name)
	if c < 0 {
		return nil, 0, 0, fmt.Errorf("no column %s: %v", name, rec.Schema())
	}
	l, ok := rec.Column(c).(*array.List)
	if !ok {
		return nil, 0, 0, fmt.Errorf("column %s is %s, want array<float>", name, rec.Column(c).DataType())
	}
	f, ok := l.ListValues().(*array.Float32)
	if !ok {
		return nil, 0, 0, fmt.Errorf("column %s is %s, want array<float>", name, l.DataType())
	}
	if l.IsNull(i) {
		return nil, 0, 0, fmt.Errorf("column %s row %d is null", name, i)
	}
	s, e := l.ValueOffsets(i)
	for k := s; k < e; k++ {
		if f.IsNull(int(k)) {
			return nil, 0, 0, fmt.Errorf("column %s row %d: null element", name, i)
		}
	}
	return f, int(s), int(e), nil
}

// readWord2VecRows reads Spark 2.2+'s rows {word, vector}.
func readWord2VecRows(recs []arrow.RecordBatch) ([]string, []float64, int, error) {
	var words []string
	var vecs []float64
	dim := -1
	seen := map[string]bool{}
	for _, rec := range recs {
		c := ml.FieldIndex(rec.Schema(), "word")
		if c < 0 {
			return nil, nil, 0, fmt.Errorf("no column word: %v", rec.Schema())
		}
		ws, ok := rec.Column(c).(*array.String)
		if !ok {
			return nil, nil, 0, fmt.Errorf("column word is %s, want string", rec.Column(c).DataType())
		}
		for i := range int(rec.NumRows()) {
			if ws.IsNull(i) {
				return nil, nil, 0, fmt.Errorf("column word row %d is null", i)
			}
			w := ws.Value(i)
			if seen[w] {
				return nil, nil, 0, fmt.Errorf("word %q appears twice", w)
			}
			seen[w] = true
			f, s, e, err := float32List(rec, "vector", i)
			if err != nil {
				return nil, nil, 0, err
			}
			if dim < 0 {
				dim = e - s
			}
			if e-s != dim {
				return nil, nil, 0, fmt.Errorf("column vector row %d (word %q) has %d values, earlier rows %d", i, w, e-s, dim)
			}
			words = append(words, w)
			for k := s; k < e; k++ {
				vecs = append(vecs, float64(f.Value(k)))
			}
		}
	}
	if dim < 0 {
		return nil, nil, 0, fmt.Errorf("no words")
	}
	return words, vecs, dim, nil
}

// readOldWord2VecData reads the layout before Spark 2.2: one row
// {wordIndex: map<string,int>, wordVectors: array<float>}, word i's
// vector at [i·dim, (i+1)·dim).
func readOldWord2VecData(recs []arrow.RecordBatch) ([]string, []float64, int, error) {
	var rec arrow.RecordBatch
	for _, r := range recs {
		if r.NumRows() > 0 {
			if rec != nil {
				return nil, nil, 0, fmt.Errorf("the wordIndex layout must be one row")
			}
			rec = r
		}
	}
	if rec == nil || rec.NumRows() != 1 {
		return nil, nil, 0, fmt.Errorf("the wordIndex layout must be one row")
	}
	mc := rec.Column(ml.FieldIndex(rec.Schema(), "wordIndex"))
	mp, ok := mc.(*array.Map)
	if !ok {
		return nil, nil, 0, fmt.Errorf("column wordIndex is %s, want map<string,int>", mc.DataType())
	}
	keys, ok := mp.Keys().(*array.String)
	if !ok {
		return nil, nil, 0, fmt.Errorf("column wordIndex is %s, want map<string,int>", mc.DataType())
	}
	s, e := mp.ValueOffsets(0)
	n := int(e - s)
	words := make([]string, n)
	for k := int(s); k < int(e); k++ {
		if mp.Items().IsNull(k) {
			return nil, nil, 0, fmt.Errorf("column wordIndex: word %q has a null index", keys.Value(k))
		}
		idx, err := intValue(mp.Items(), k)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("column wordIndex: %w", err)
		}
		if idx < 0 || idx >= int64(n) || words[idx] != "" {
			return nil, nil, 0, fmt.Errorf("column wordIndex: word %q has index %d of %d words (or a repeated index)", keys.Value(k), idx, n)
		}
		words[idx] = keys.Value(k)
	}
	f, fs, fe, err := float32List(rec, "wordVectors", 0)
	if err != nil {
		return nil, nil, 0, err
	}
	if n == 0 || (fe-fs)%n != 0 || fe == fs {
		return nil, nil, 0, fmt.Errorf("column wordVectors has %d values for %d words", fe-fs, n)
	}
	vecs := make([]float64, 0, fe-fs)
	for k := fs; k < fe; k++ {
		vecs = append(vecs, float64(f.Value(k)))
	}
	return words, vecs, (fe - fs) / n, nil
}

// intValue reads an integer element of any width.
func intValue(a arrow.Array, i int) (int64, error) {
	switch x := a.(type) {
	case *array.Int32:
		return int64(x.Value(i)), nil
	case *array.Int64:
		return x.Value(i), nil
	case *array.Int16:
		return int64(x.Value(i)), nil
	case *array.Int8:
		return int64(x.Value(i)), nil
	}
	return 0, fmt.Errorf("%s is not an integer", a.DataType())
}

// MinHashLSHModel: one row Data(randCoefficients: Array[Int]), the
// (a, b) pairs flattened a₀, b₀, a₁, b₁, … (MinHashLSH.scala,
// MinHashLSHModelWriter).

// SparkClassName implements ml.SparkWriter.
func (m *MinHashLSHModel) SparkClassName() string { return sparkPrefix + "MinHashLSHModel" }

// SparkParams implements ml.SparkWriter: Spark's model has LSHParams
// (no seed).
func (m *MinHashLSHModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "numHashTables"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *MinHashLSHModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {randCoefficients}.
func (m *MinHashLSHModel) WriteSparkData(dir string) error {
	flat := make([]int32, 0, 2*len(m.coef))
	for _, c := range m.coef {
		flat = append(flat, int32(c[0]), int32(c[1]))
	}
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{{Name: "randCoefficients",
		Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true}}, nil),
		[]any{flat})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.MinHashLSHModel).
func (m *MinHashLSHModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkMinHashLSHModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, _, err := readSparkFeatureData(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	defer d.Release()
	flat, err := d.Ints("randCoefficients", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(flat) == 0 || len(flat)%2 != 0 {
		return nil, fmt.Errorf("%s: model data field randCoefficients has %d values, want (a, b) pairs", md.UID, len(flat))
	}
	coef := make([][2]int64, len(flat)/2)
	for t := range coef {
		coef[t] = [2]int64{flat[2*t], flat[2*t+1]}
		if coef[t][0] < 1 || coef[t][0] >= minHashPrime || coef[t][1] < 0 || coef[t][1] >= minHashPrime {
			return nil, fmt.Errorf("%s: model data field randCoefficients: pair %d (%d, %d) out of range", md.UID, t, coef[t][0], coef[t][1])
		}
	}
	m := newMinHashLSHModel(md.UID, coef)
	return m, md.ApplySparkParams(m.Params())
}

// BucketedRandomProjectionLSHModel: one row Data(randUnitVectors:
// Matrix), numHashTables × inputDim, one unit vector a row
// (BucketedRandomProjectionLSH.scala, BucketedRandomProjectionLSHModelWriter).
// gspark writes it row-major (isTransposed), as Spark 3 builds it; Spark
// 2.x's reader takes the matrix's rows too.

// SparkClassName implements ml.SparkWriter.
func (m *BucketedRandomProjectionLSHModel) SparkClassName() string {
	return sparkPrefix + "BucketedRandomProjectionLSHModel"
}

// SparkParams implements ml.SparkWriter: Spark's model has LSHParams and
// bucketLength (no seed).
func (m *BucketedRandomProjectionLSHModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "numHashTables", "bucketLength"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *BucketedRandomProjectionLSHModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {randUnitVectors}.
func (m *BucketedRandomProjectionLSHModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{{Name: "randUnitVectors", Type: ml.SparkMatrixType(), Nullable: true}}, nil),
		[]any{ml.SparkMatrixRows(m.vecs)})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.BucketedRandomProjectionLSHModel).
func (m *BucketedRandomProjectionLSHModel) SaveSpark(path string) error {
	return ml.SaveSpark(m, path)
}

func loadSparkBRPLSHModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, _, err := readSparkFeatureData(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	defer d.Release()
	mat, err := d.Matrix("randUnitVectors", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if mat.NumRows == 0 || mat.NumCols == 0 {
		return nil, fmt.Errorf("%s: model data field randUnitVectors is a %d×%d matrix", md.UID, mat.NumRows, mat.NumCols)
	}
	m := newBRPLSHModel(md.UID, mat.Rows())
	return m, md.ApplySparkParams(m.Params())
}

// VectorIndexerModel: one row Data(numFeatures: Int, categoryMaps:
// Map[Int, Map[Double, Int]]) (VectorIndexer.scala,
// VectorIndexerModelWriter).

// SparkClassName implements ml.SparkWriter.
func (m *VectorIndexerModel) SparkClassName() string { return sparkPrefix + "VectorIndexerModel" }

// SparkParams implements ml.SparkWriter.
func (m *VectorIndexerModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "maxCategories", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *VectorIndexerModel) SparkExtra() map[string]any { return nil }

// vectorIndexerDataSchema is the Arrow schema of Spark's data/ file:
// numFeatures int not null, categoryMaps map<int, map<double, int not
// null>> (a Scala Int cannot be null, a Map can).
func vectorIndexerDataSchema() *arrow.Schema {
	inner := arrow.MapOf(arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Int32)
	inner.SetItemNullable(false)
	outer := arrow.MapOf(arrow.PrimitiveTypes.Int32, inner)
	return arrow.NewSchema([]arrow.Field{{Name: "numFeatures", Type: arrow.PrimitiveTypes.Int32},
		{Name: "categoryMaps", Type: outer, Nullable: true}}, nil)
}

// vectorIndexerSparkSchema is the same schema as Spark's JSON, kept in
// the Parquet footer as Spark writes it.
const vectorIndexerSparkSchema = `{"type":"struct","fields":[` +
	`{"name":"numFeatures","type":"integer","nullable":false,"metadata":{}},` +
	`{"name":"categoryMaps","type":{"type":"map","keyType":"integer","valueType":` +
	`{"type":"map","keyType":"double","valueType":"integer","valueContainsNull":false},` +
	`"valueContainsNull":true},"nullable":true,"metadata":{}}]}`

// WriteSparkData implements ml.SparkWriter: one row {numFeatures,
// categoryMaps}, features and values in ascending order.
func (m *VectorIndexerModel) WriteSparkData(dir string) error {
	if m.numFeatures > math.MaxInt32 {
		return fmt.Errorf("%s: %d features do not fit Spark's Int", m.UID(), m.numFeatures)
	}
	rb := array.NewRecordBuilder(memory.NewGoAllocator(), vectorIndexerDataSchema())
	defer rb.Release()
	rb.Field(0).(*array.Int32Builder).Append(int32(m.numFeatures))
	ob := rb.Field(1).(*array.MapBuilder)
	ob.Append(true)
	ok, oi := ob.KeyBuilder().(*array.Int32Builder), ob.ItemBuilder().(*array.MapBuilder)
	for _, j := range sortedKeys(m.categories) {
		ok.Append(int32(j))
		oi.Append(true)
		ik, ii := oi.KeyBuilder().(*array.Float64Builder), oi.ItemBuilder().(*array.Int32Builder)
		for _, v := range sortedKeys(m.categories[j]) {
			ik.Append(v)
			ii.Append(int32(m.categories[j][v]))
		}
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return writeSparkParquetSchema(dir, "data", rec, vectorIndexerSparkSchema)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.VectorIndexerModel).
func (m *VectorIndexerModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkVectorIndexerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	recs, err := ml.ReadParquetDir(ctx, dir, "data", memory.NewGoAllocator())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var rec arrow.RecordBatch
	rows := 0
	for _, r := range recs {
		if r.NumRows() > 0 {
			rec = r
		}
		rows += int(r.NumRows())
	}
	if rows != 1 {
		return nil, fmt.Errorf("%s: model data in %s/data has %d rows, want 1", md.UID, dir, rows)
	}
	n, cats, err := readVectorIndexerRow(rec)
	if err != nil {
		return nil, fmt.Errorf("%s: model data in %s/data: %w", md.UID, dir, err)
	}
	m := newVectorIndexerModel(md.UID, n, cats)
	return m, md.ApplySparkParams(m.Params())
}

// readVectorIndexerRow decodes the row {numFeatures, categoryMaps}.
func readVectorIndexerRow(rec arrow.RecordBatch) (int, map[int]map[float64]int, error) {
	ni, ci := ml.FieldIndex(rec.Schema(), "numFeatures"), ml.FieldIndex(rec.Schema(), "categoryMaps")
	if ni < 0 || ci < 0 {
		return 0, nil, fmt.Errorf("want columns numFeatures and categoryMaps: %v", rec.Schema())
	}
	if rec.Column(ni).IsNull(0) {
		return 0, nil, fmt.Errorf("field numFeatures is null")
	}
	n, err := intValue(rec.Column(ni), 0)
	if err != nil {
		return 0, nil, fmt.Errorf("field numFeatures: %w", err)
	}
	if n < 0 || n > math.MaxInt32 {
		return 0, nil, fmt.Errorf("field numFeatures is %d", n)
	}
	outer, ok := rec.Column(ci).(*array.Map)
	if !ok {
		return 0, nil, fmt.Errorf("field categoryMaps is %s, want map<int,map<double,int>>", rec.Column(ci).DataType())
	}
	cats := map[int]map[float64]int{}
	if outer.IsNull(0) {
		return int(n), cats, nil
	}
	inner, ok := outer.Items().(*array.Map)
	if !ok {
		return 0, nil, fmt.Errorf("field categoryMaps is %s, want map<int,map<double,int>>", outer.DataType())
	}
	vals, ok := inner.Keys().(*array.Float64)
	if !ok {
		return 0, nil, fmt.Errorf("field categoryMaps is %s, want map<int,map<double,int>>", outer.DataType())
	}
	s, e := outer.ValueOffsets(0)
	for k := int(s); k < int(e); k++ {
		j, err := intValue(outer.Keys(), k)
		if err != nil {
			return 0, nil, fmt.Errorf("field categoryMaps key: %w", err)
		}
		if j < 0 || j >= n {
			return 0, nil, fmt.Errorf("field categoryMaps: feature %d of %d", j, n)
		}
		if inner.IsNull(k) {
			return 0, nil, fmt.Errorf("field categoryMaps: feature %d has a null map", j)
		}
		cm := map[float64]int{}
		is, ie := inner.ValueOffsets(k)
		for p := int(is); p < int(ie); p++ {
			if inner.Items().IsNull(p) {
				return 0, nil, fmt.Errorf("field categoryMaps: feature %d value %v has a null index", j, vals.Value(p))
			}
			c, err := intValue(inner.Items(), p)
			if err != nil {
				return 0, nil, fmt.Errorf("field categoryMaps: %w", err)
			}
			if c < 0 || c >= int64(ie-is) {
				return 0, nil, fmt.Errorf("field categoryMaps: feature %d value %v has index %d of %d categories", j, vals.Value(p), c, ie-is)
			}
			cm[vals.Value(p)] = int(c)
		}
		cats[int(j)] = cm
	}
	return int(n), cats, nil
}

// writeSparkParquetSchema writes rec as dir/sub/part-00000.snappy.parquet
// with the given Spark schema JSON in the footer and a _SUCCESS marker, as
// ml.WriteSparkParquet does for the types it can describe (it has no map
// types).
func writeSparkParquetSchema(dir, sub string, rec arrow.RecordBatch, schemaJSON string) (err error) {
	if !json.Valid([]byte(schemaJSON)) {
		return fmt.Errorf("model data: invalid Spark schema JSON")
	}
	d := filepath.Join(dir, sub)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(d, "part-00000.snappy.parquet"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	fw, err := pqarrow.NewFileWriter(rec.Schema(), f, parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy)),
		pqarrow.DefaultWriterProps())
	if err != nil {
		return errors.Join(fmt.Errorf("model data: %w", err), f.Close())
	}
	err = errors.Join(fw.Write(rec), fw.AppendKeyValueMetadata("org.apache.spark.version", ml.SparkFormatVersion),
		fw.AppendKeyValueMetadata("org.apache.spark.sql.parquet.row.metadata", schemaJSON))
	if err = errors.Join(err, fw.Close()); err != nil {
		return fmt.Errorf("model data: %w", err)
	}
	return os.WriteFile(filepath.Join(d, "_SUCCESS"), nil, 0o644)
}

// sortedKeys returns m's keys in ascending order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}
