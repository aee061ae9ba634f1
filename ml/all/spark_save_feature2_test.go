package all

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/linalg"
)

// Expected data schemas, each from the writer of the class in Spark's
// mllib/src/main/scala/org/apache/spark/ml/feature/:
//   - MinHashLSH.scala, MinHashLSHModelWriter: Data(randCoefficients:
//     Array[Int]), the (a, b) pairs flattened;
//   - BucketedRandomProjectionLSH.scala, BucketedRandomProjectionLSHModelWriter:
//     Data(randUnitVectors: Matrix);
//   - VectorIndexer.scala, VectorIndexerModelWriter: Data(numFeatures: Int,
//     categoryMaps: Map[Int, Map[Double, Int]]);
//   - ChiSqSelector.scala, UnivariateFeatureSelector.scala,
//     VarianceThresholdSelector.scala: Data(selectedFeatures: Seq[Int]);
//   - Word2Vec.scala, Word2VecModelWriter: Data(word: String, vector:
//     Array[Float]), one row per word.
//
// Scala's Int, Float and Double are non-null (array elements included:
// containsNull false), objects nullable.
var (
	wantInts     = arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32})
	wantSelected = arrow.NewSchema([]arrow.Field{{Name: "selectedFeatures", Type: wantInts, Nullable: true}}, nil)
)

// wantCategoryMaps is map<int, map<double, int>>: the inner map's values
// are Ints (valueContainsNull false), the outer map's values Maps
// (valueContainsNull true).
func wantCategoryMaps() arrow.DataType {
	inner := arrow.MapOf(arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Int32)
	inner.SetItemNullable(false)
	return arrow.MapOf(arrow.PrimitiveTypes.Int32, inner)
}

// Word2Vec, LSH, VectorIndexer and selector models, IndexToString and
// VectorSlicer saved in Spark's layout have Spark's class, metadata keys
// and data fields, and load back by Spark class name transforming the
// same, for fits on 1 and 4 partitions.
func TestSaveFeatureModels2InSparkLayout(t *testing.T) {
	ctx := context.Background()
	type textRow struct {
		Words []string `gspark:"words"`
	}
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		multi, bin := libsvm(s, "sample_multiclass_classification_data.txt"), libsvm(s, "sample_libsvm_data.txt")
		text := s.CreateDataFrame([]textRow{{strings.Fields("a b c d a b")}, {strings.Fields("a b b c a e")},
			{strings.Fields("d a c b e f")}, {strings.Fields("b a c")}}).Repartition(parts)
		fit := func(m ml.Model, err error) ml.Transformer {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		cls := func(n string) string { return "org.apache.spark.ml.feature." + n }
		// The LSH models are fitted with the default seed: Spark's models have
		// no seed param (the estimator's seed is spent drawing the
		// functions), so a seed set on gspark's model is not saved.
		chiDefaults := []string{"featuresCol", "outputCol", "labelCol", "selectorType", "numTopFeatures", "percentile", "fpr", "fdr", "fwe"}
		// Word2VecModel keeps floats: the model to compare is the fitted one
		// loaded back once (its vectors rounded to floats).
		w2v := fit(feature.NewWord2Vec().SetInputCol("words").SetVectorSize(3).SetMinCount(1).SetSeed(42).Fit(ctx, text))
		w2vBack := saveLoadSpark(t, w2v)
		checkW2VRounded(t, w2v.(*feature.Word2VecModel), w2vBack.(*feature.Word2VecModel))
		cases := []sparkSaveCase{
			{name: "minhash", model: fit(feature.NewMinHashLSH().SetInputCol("features").SetNumHashTables(3).Fit(ctx, bin)),
				class: cls("MinHashLSHModel"), version: "2.4.7", defaults: []string{"outputCol", "numHashTables"}, df: bin,
				data: arrow.NewSchema([]arrow.Field{{Name: "randCoefficients", Type: wantInts, Nullable: true}}, nil)},
			{name: "brp", model: fit(feature.NewBucketedRandomProjectionLSH().SetInputCol("features").SetNumHashTables(3).SetBucketLength(0.5).Fit(ctx, multi)),
				class: cls("BucketedRandomProjectionLSHModel"), version: "2.4.7", defaults: []string{"outputCol", "numHashTables"}, df: multi,
				data: arrow.NewSchema([]arrow.Field{fMat("randUnitVectors")}, nil)},
			{name: "vindexer", model: fit(feature.NewVectorIndexer().SetInputCol("features").SetMaxCategories(10).Fit(ctx, bin)),
				class: cls("VectorIndexerModel"), version: "2.4.7", defaults: []string{"outputCol", "maxCategories", "handleInvalid"}, df: bin,
				data: arrow.NewSchema([]arrow.Field{fInt("numFeatures"), {Name: "categoryMaps", Type: wantCategoryMaps(), Nullable: true}}, nil)},
			{name: "chisq", model: fit(feature.NewChiSqSelector().SetNumTopFeatures(5).Fit(ctx, bin)),
				class: cls("ChiSqSelectorModel"), version: "2.4.7", defaults: chiDefaults, df: bin, data: wantSelected},
			{name: "univariate", model: fit(feature.NewUnivariateFeatureSelector().SetFeatureType("continuous").SetLabelType("categorical").
				SetSelectionThreshold(2).Fit(ctx, multi)),
				class: cls("UnivariateFeatureSelectorModel"), version: "3.1.1", defaults: []string{"featuresCol", "outputCol", "labelCol", "selectionMode"},
				df: multi, data: wantSelected},
			{name: "variance", model: fit(feature.NewVarianceThresholdSelector().SetVarianceThreshold(0.3).Fit(ctx, multi)),
				class: cls("VarianceThresholdSelectorModel"), version: "3.1.0", defaults: []string{"featuresCol", "outputCol", "varianceThreshold"},
				df: multi, data: wantSelected},
			{name: "w2v", model: w2vBack.(ml.Transformer), class: cls("Word2VecModel"), version: "2.4.7",
				defaults: []string{"outputCol", "vectorSize", "windowSize", "numPartitions", "minCount", "maxSentenceLength", "stepSize", "maxIter", "seed"},
				df:       text, data: arrow.NewSchema([]arrow.Field{{Name: "word", Type: arrow.BinaryTypes.String, Nullable: true},
					{Name: "vector", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float32}), Nullable: true}}, nil)},
			{name: "i2s", model: feature.NewIndexToString().SetInputCol("label").SetLabels("zero", "one"), class: cls("IndexToString"), version: "2.4.7",
				defaults: []string{"outputCol"}, df: bin},
			{name: "slicer", model: feature.NewVectorSlicer().SetInputCol("features").SetIndices(2, 0), class: cls("VectorSlicer"), version: "2.4.7",
				defaults: []string{"outputCol", "indices", "names"}, df: multi},
		}
		for _, c := range cases {
			out, err := c.model.Transform(c.df)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			c.cols = out.Columns()
			checkSparkSave(t, c)
		}
	}
}

// saveLoadSpark saves st with SaveSpark and loads it back.
func saveLoadSpark(t *testing.T, st ml.Stage) ml.Stage {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "m")
	if err := st.(interface{ SaveSpark(string) error }).SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	back, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// checkW2VRounded checks that the loaded model holds the fitted model's
// words with each vector element rounded to a float (Spark's Array[Float]).
func checkW2VRounded(t *testing.T, fitted, back *feature.Word2VecModel) {
	t.Helper()
	fv, bv := fitted.Vectors(), back.Vectors()
	if len(fv) != len(bv) || len(fv) == 0 {
		t.Fatalf("word2vec: %d words loaded back, %d saved", len(bv), len(fv))
	}
	for w, v := range fv {
		for i := range v {
			if want := float64(float32(v[i])); bv[w][i] != want {
				t.Fatalf("word2vec: %q[%d] loaded back %v, want float32(%v) = %v", w, i, bv[w][i], v[i], want)
			}
		}
	}
}

// The parquet file of VectorIndexerModel's data has Spark's MAP layout
// (a repeated group key_value of a required key and a value) and Spark's
// schema JSON for the map in the footer (DataType.json of
// MapType(IntegerType, MapType(DoubleType, IntegerType, false), true)).
func TestSparkVectorIndexerMapLayout(t *testing.T) {
	m := fitVectorIndexer(t)
	dir := filepath.Join(t.TempDir(), "vi")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "data", "*.parquet"))
	if len(files) != 1 {
		t.Fatalf("data files %v", files)
	}
	r, err := file.OpenParquetFile(files[0], false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sch := r.MetaData().Schema
	var paths []string
	for i := range sch.NumColumns() {
		paths = append(paths, sch.Column(i).Path())
	}
	want := []string{"numFeatures", "categoryMaps.key_value.key", "categoryMaps.key_value.value.key_value.key", "categoryMaps.key_value.value.key_value.value"}
	if !slices.Equal(paths, want) {
		t.Errorf("parquet columns %v, Spark's %v", paths, want)
	}
	foot := footerSchema(t, dir, "data")
	var got any
	if err := json.Unmarshal(foot["categoryMaps"], &got); err != nil {
		t.Fatal(err)
	}
	var sparkJSON any
	_ = json.Unmarshal([]byte(`{"type":"map","keyType":"integer","valueType":{"type":"map","keyType":"double","valueType":"integer","valueContainsNull":false},"valueContainsNull":true}`), &sparkJSON)
	if !reflect.DeepEqual(got, sparkJSON) {
		t.Errorf("footer type of categoryMaps %s", foot["categoryMaps"])
	}
	if string(foot["numFeatures"]) != `"integer"` {
		t.Errorf("footer type of numFeatures %s", foot["numFeatures"])
	}
	back, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if g := back.(*feature.VectorIndexerModel).CategoryMaps(); !reflect.DeepEqual(g, m.CategoryMaps()) {
		t.Errorf("category maps loaded back %v, saved %v", g, m.CategoryMaps())
	}
}

// writeSparkModelDir writes metadata (one JSON line) and data rec as a
// model directory Spark would have written, for the loaders to read.
func writeSparkModelDir(t *testing.T, metadata string, rec arrow.RecordBatch) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "spark")
	for _, d := range []string{"metadata", "data"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "metadata", "part-00000"), []byte(metadata+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rec == nil {
		return dir
	}
	f, err := os.Create(filepath.Join(dir, "data", "part-00000.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	fw, err := pqarrow.NewFileWriter(rec.Schema(), f, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// transformVectors transforms rows of vectors in column "features" with st
// and returns output column out of each row.
func transformVectors(t *testing.T, st ml.Stage, out string, vs ...linalg.Vector) []any {
	t.Helper()
	type row struct {
		Features linalg.Vector `gspark:"features"`
	}
	rows := make([]row, len(vs))
	for i, v := range vs {
		rows[i] = row{v}
	}
	df, err := st.(ml.Transformer).Transform(frame.NewSession().CreateDataFrame(rows))
	if err != nil {
		t.Fatal(err)
	}
	got, err := df.SelectCols(out).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res := make([]any, len(got))
	for i, r := range got {
		res[i] = r[0]
	}
	return res
}

// A MinHashLSHModel directory as Spark writes it (randCoefficients
// flattened) loads, and hashes as computed by hand: h(x) = min over the
// nonzero indices i of ((1+i)·a + b) mod 2038074743.
func TestLoadSparkMinHashLSHModel(t *testing.T) {
	mem := memory.NewGoAllocator()
	rb := array.NewRecordBuilder(mem, arrow.NewSchema([]arrow.Field{{Name: "randCoefficients", Type: wantInts, Nullable: true}}, nil))
	defer rb.Release()
	lb := rb.Field(0).(*array.ListBuilder)
	lb.Append(true)
	lb.ValueBuilder().(*array.Int32Builder).AppendValues([]int32{3, 5, 2038074742, 1}, nil)
	rec := rb.NewRecordBatch()
	defer rec.Release()
	dir := writeSparkModelDir(t, `{"class":"org.apache.spark.ml.feature.MinHashLSHModel","timestamp":1,"sparkVersion":"3.5.1","uid":"mh-lsh_1",`+
		`"paramMap":{"inputCol":"features","outputCol":"h","numHashTables":2},"defaultParamMap":{"outputCol":"mh-lsh_1__output","numHashTables":1}}`, rec)
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// x has nonzeros at 1 and 4: table 1: min(2·3+5, 5·3+5) = 11;
	// table 2: min(2·(P−1)+1, 5·(P−1)+1) mod P = min(P−1, P−4) = P−4.
	x, err := linalg.Sparse(6, []int{1, 4}, []float64{1, 1})
	if err != nil {
		t.Fatal(err)
	}
	got := transformVectors(t, st, "h", x)
	want := "[[11] [2038074739]]"
	if g := fmtVal(got[0]); g != want {
		t.Errorf("hashes %s, by hand %s", g, want)
	}
}

// fmtVal prints a collected value, vectors as their values.
func fmtVal(v any) string {
	switch x := v.(type) {
	case []linalg.Vector:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmtVal(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmtVal(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case linalg.Vector:
		parts := make([]string, x.Size())
		for i, f := range x.ToArray() {
			parts[i] = strconv.FormatFloat(f, 'f', -1, 64)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprint(v)
}

// A Word2VecModel directory in the layout before Spark 2.2 (one row:
// wordIndex map and the vectors flattened in index order), which Spark's
// reader takes for a sparkVersion before 2.2, loads; a document's vector
// is the mean of its words' vectors (out-of-vocabulary words counted),
// computed by hand.
func TestLoadSparkWord2VecOldLayout(t *testing.T) {
	mem := memory.NewGoAllocator()
	wi := arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32)
	wi.SetItemNullable(false)
	rb := array.NewRecordBuilder(mem, arrow.NewSchema([]arrow.Field{{Name: "wordIndex", Type: wi, Nullable: true},
		{Name: "wordVectors", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float32}), Nullable: true}}, nil))
	defer rb.Release()
	mb := rb.Field(0).(*array.MapBuilder)
	mb.Append(true)
	mb.KeyBuilder().(*array.StringBuilder).AppendValues([]string{"b", "a"}, nil)
	mb.ItemBuilder().(*array.Int32Builder).AppendValues([]int32{1, 0}, nil)
	lb := rb.Field(1).(*array.ListBuilder)
	lb.Append(true)
	// a = (1, 2), b = (0.5, -4).
	lb.ValueBuilder().(*array.Float32Builder).AppendValues([]float32{1, 2, 0.5, -4}, nil)
	rec := rb.NewRecordBatch()
	defer rec.Release()
	dir := writeSparkModelDir(t, `{"class":"org.apache.spark.ml.feature.Word2VecModel","timestamp":1,"sparkVersion":"2.0.2","uid":"w2v_1",`+
		`"paramMap":{"inputCol":"words","outputCol":"v","vectorSize":2},"defaultParamMap":{}}`, rec)
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Words []string `gspark:"words"`
	}
	df, err := st.(ml.Transformer).Transform(frame.NewSession().CreateDataFrame([]row{{[]string{"a", "b", "zz"}}, {[]string{"b"}}}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := df.SelectCols("v").Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// (a + b) / 3 = (0.5, -2/3); b / 1 = (0.5, -4).
	want := [][]float64{{0.5, -2.0 / 3}, {0.5, -4}}
	for i, w := range want {
		v := got[i][0].(linalg.Vector).ToArray()
		for j := range w {
			if math.Abs(v[j]-w[j]) > 1e-12 {
				t.Errorf("row %d: %v, by hand %v", i, v, w)
				break
			}
		}
	}
}

// handCategories are the category maps of fitVectorIndexer's rows by
// Spark's rule (VectorIndexer.scala: a feature with at most maxCategories
// distinct values is categorical; 0.0 gets index 0, the other values the
// next indices in ascending order).
var handCategories = map[int]map[float64]int{0: {0: 0, -1: 1}, 2: {0: 0, 5: 1, 7: 2}}

// fitVectorIndexer fits a VectorIndexer (maxCategories 3) on rows whose
// features 0 and 2 are categorical and feature 1 (4 values) continuous.
func fitVectorIndexer(t *testing.T) *feature.VectorIndexerModel {
	t.Helper()
	type row struct {
		Features linalg.Vector `gspark:"features"`
	}
	df := frame.NewSession().CreateDataFrame([]row{{linalg.Dense(-1, 3.5, 7)}, {linalg.Dense(0, -2, 5)}, {linalg.Dense(0, 1, 0)}, {linalg.Dense(-1, 9, 0)}})
	m, err := feature.NewVectorIndexer().SetInputCol("features").SetOutputCol("idx").SetMaxCategories(3).FitModel(context.Background(), df)
	if err != nil {
		t.Fatal(err)
	}
	if g := m.CategoryMaps(); !reflect.DeepEqual(g, handCategories) {
		t.Fatalf("fitted category maps %v, by hand %v", g, handCategories)
	}
	return m
}

// A VectorIndexerModel directory as Spark writes it (maps built here)
// loads, and maps the categorical features' values to their indices (by
// hand with handCategories; feature 1 continuous).
func TestLoadSparkVectorIndexerModel(t *testing.T) {
	inner := arrow.MapOf(arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Int32)
	inner.SetItemNullable(false)
	rb := array.NewRecordBuilder(memory.NewGoAllocator(), arrow.NewSchema([]arrow.Field{fInt("numFeatures"),
		{Name: "categoryMaps", Type: arrow.MapOf(arrow.PrimitiveTypes.Int32, inner), Nullable: true}}, nil))
	defer rb.Release()
	rb.Field(0).(*array.Int32Builder).Append(3)
	ob := rb.Field(1).(*array.MapBuilder)
	ob.Append(true)
	ok, oi := ob.KeyBuilder().(*array.Int32Builder), ob.ItemBuilder().(*array.MapBuilder)
	// Spark's maps are hash maps: keys in no particular order.
	ok.AppendValues([]int32{2, 0}, nil)
	oi.Append(true)
	oi.KeyBuilder().(*array.Float64Builder).AppendValues([]float64{7, 0, 5}, nil)
	oi.ItemBuilder().(*array.Int32Builder).AppendValues([]int32{2, 0, 1}, nil)
	oi.Append(true)
	oi.KeyBuilder().(*array.Float64Builder).AppendValues([]float64{-1, 0}, nil)
	oi.ItemBuilder().(*array.Int32Builder).AppendValues([]int32{1, 0}, nil)
	rec := rb.NewRecordBatch()
	defer rec.Release()
	dir := writeSparkModelDir(t, `{"class":"org.apache.spark.ml.feature.VectorIndexerModel","timestamp":1,"sparkVersion":"3.5.1","uid":"vi_1",`+
		`"paramMap":{"inputCol":"features","outputCol":"idx","maxCategories":3},"defaultParamMap":{"handleInvalid":"error","maxCategories":20}}`, rec)
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if g := st.(*feature.VectorIndexerModel).CategoryMaps(); !reflect.DeepEqual(g, handCategories) {
		t.Errorf("category maps %v, written %v", g, handCategories)
	}
	got := transformVectors(t, st, "idx", linalg.Dense(-1, 3.5, 7), linalg.Dense(0, -2, 5))
	want := [][]float64{{1, 3.5, 2}, {0, -2, 1}}
	for i := range want {
		if g := got[i].(linalg.Vector).ToArray(); !slices.Equal(g, want[i]) {
			t.Errorf("row %d: %v, by hand %v", i, g, want[i])
		}
	}
}

// Every estimator of ml/feature saves as Spark's DefaultParamsWriter
// writes it (metadata only, under its Spark class, with the
// defaultParamMap keys of the Spark class's setDefault calls) and loads
// back by Spark class name with the same params.
func TestSaveFeatureEstimatorsInSparkLayout(t *testing.T) {
	cls := func(n string) string { return "org.apache.spark.ml.feature." + n }
	type est struct {
		st       ml.Stage
		class    string
		version  string
		set      []string
		defaults []string
	}
	cases := []est{
		{feature.NewStandardScaler().SetInputCol("f").SetWithMean(true), cls("StandardScaler"), "2.4.7", []string{"inputCol", "withMean"},
			[]string{"outputCol", "withMean", "withStd"}},
		{feature.NewMinMaxScaler().SetInputCol("f").SetMin(-1), cls("MinMaxScaler"), "2.4.7", []string{"inputCol", "min"}, []string{"outputCol", "min", "max"}},
		{feature.NewMaxAbsScaler().SetInputCol("f"), cls("MaxAbsScaler"), "2.4.7", []string{"inputCol"}, []string{"outputCol"}},
		{feature.NewRobustScaler().SetInputCol("f"), cls("RobustScaler"), "3.0.0", []string{"inputCol"},
			[]string{"outputCol", "lower", "upper", "withCentering", "withScaling", "relativeError"}},
		{feature.NewStringIndexer().SetInputCols("a", "b").SetOutputCols("c", "d"), cls("StringIndexer"), "3.0.0", []string{"inputCols", "outputCols"},
			[]string{"outputCol", "handleInvalid", "stringOrderType"}},
		{feature.NewOneHotEncoder().SetInputCols("a").SetOutputCols("b"), cls("OneHotEncoder"), "3.0.0", []string{"inputCols", "outputCols"},
			[]string{"outputCol", "dropLast", "handleInvalid"}},
		{feature.NewImputer().SetInputCols("a").SetOutputCols("b").SetStrategy("median"), cls("Imputer"), "3.0.0", []string{"inputCols", "outputCols", "strategy"},
			[]string{"outputCol", "strategy", "missingValue", "relativeError"}},
		{feature.NewQuantileDiscretizer().SetInputCol("a").SetNumBuckets(4), cls("QuantileDiscretizer"), "2.4.7", []string{"inputCol", "numBuckets"},
			[]string{"outputCol", "numBuckets", "relativeError", "handleInvalid"}},
		{feature.NewIDF().SetInputCol("f").SetMinDocFreq(2), cls("IDF"), "2.4.7", []string{"inputCol", "minDocFreq"}, []string{"outputCol", "minDocFreq"}},
		{feature.NewCountVectorizer().SetInputCol("w").SetMinDF(2), cls("CountVectorizer"), "2.4.7", []string{"inputCol", "minDF"},
			[]string{"outputCol", "vocabSize", "minDF", "maxDF", "minTF", "binary"}},
		{feature.NewPCA().SetInputCol("f").SetK(2), cls("PCA"), "2.4.7", []string{"inputCol", "k"}, []string{"outputCol"}},
		{feature.NewVectorIndexer().SetInputCol("f").SetMaxCategories(4), cls("VectorIndexer"), "2.4.7", []string{"inputCol", "maxCategories"},
			[]string{"outputCol", "maxCategories", "handleInvalid"}},
		{feature.NewChiSqSelector().SetNumTopFeatures(3), cls("ChiSqSelector"), "2.4.7", []string{"numTopFeatures"},
			[]string{"featuresCol", "outputCol", "labelCol", "selectorType", "numTopFeatures", "percentile", "fpr", "fdr", "fwe"}},
		{feature.NewUnivariateFeatureSelector().SetFeatureType("continuous").SetLabelType("continuous").SetSelectionThreshold(1),
			cls("UnivariateFeatureSelector"), "3.1.1", []string{"featureType", "labelType", "selectionThreshold"},
			[]string{"featuresCol", "outputCol", "labelCol", "selectionMode"}},
		{feature.NewVarianceThresholdSelector().SetVarianceThreshold(0.5), cls("VarianceThresholdSelector"), "3.1.0", []string{"varianceThreshold"},
			[]string{"featuresCol", "outputCol", "varianceThreshold"}},
		{feature.NewRFormula().SetFormula("y ~ x"), cls("RFormula"), "2.4.7", []string{"formula"},
			[]string{"featuresCol", "labelCol", "forceIndexLabel", "handleInvalid", "stringIndexerOrderType"}},
		{feature.NewWord2Vec().SetInputCol("w").SetVectorSize(5), cls("Word2Vec"), "2.4.7", []string{"inputCol", "vectorSize"},
			[]string{"outputCol", "vectorSize", "windowSize", "numPartitions", "minCount", "maxSentenceLength", "stepSize", "maxIter", "seed"}},
		{feature.NewMinHashLSH().SetInputCol("f").SetSeed(3), cls("MinHashLSH"), "2.4.7", []string{"inputCol", "seed"}, []string{"outputCol", "numHashTables", "seed"}},
		{feature.NewBucketedRandomProjectionLSH().SetInputCol("f").SetBucketLength(2), cls("BucketedRandomProjectionLSH"), "2.4.7", []string{"inputCol", "bucketLength"},
			[]string{"outputCol", "numHashTables", "seed"}},
	}
	for _, c := range cases {
		dir := filepath.Join(t.TempDir(), "e")
		if err := c.st.(interface{ SaveSpark(string) error }).SaveSpark(dir); err != nil {
			t.Fatalf("%s: %v", c.class, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
			t.Errorf("%s: Spark saves no data/ for an estimator (%v)", c.class, err)
		}
		md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
		if md["class"] != c.class || md["sparkVersion"] != c.version || md["uid"] != c.st.UID() {
			t.Errorf("metadata class %v sparkVersion %v uid %v, want %s %s %s", md["class"], md["sparkVersion"], md["uid"], c.class, c.version, c.st.UID())
		}
		if g, w := keys(md, "paramMap"), slices.Sorted(slices.Values(c.set)); !slices.Equal(g, w) {
			t.Errorf("%s: paramMap keys %v, want %v", c.class, g, w)
		}
		if g, w := keys(md, "defaultParamMap"), slices.Sorted(slices.Values(c.defaults)); !slices.Equal(g, w) {
			t.Errorf("%s: defaultParamMap keys\n%v, Spark's\n%v", c.class, g, w)
		}
		back, err := Load(context.Background(), dir)
		if err != nil {
			t.Fatalf("%s: %v", c.class, err)
		}
		if reflect.TypeOf(back) != reflect.TypeOf(c.st) || back.UID() != c.st.UID() {
			t.Fatalf("%s: loaded %T %s", c.class, back, back.UID())
		}
		if g, w := back.Params().ExplainParams(), c.st.Params().ExplainParams(); g != w {
			t.Errorf("%s: params loaded back\n%s\nsaved\n%s", c.class, g, w)
		}
	}
}

// Param values are encoded as Spark's params encode them: seeds as
// longs, with Word2VecModel's default seed the hashCode of its class name
// (HasSeed), string arrays, and VectorSlicer's names default [].
func TestSparkFeature2ParamsJSON(t *testing.T) {
	md := func(st ml.Stage) map[string]any {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "p")
		if err := st.(interface{ SaveSpark(string) error }).SaveSpark(dir); err != nil {
			t.Fatal(err)
		}
		return readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
	}
	get := func(m map[string]any, k, p string) string {
		b, _ := json.Marshal(m[k].(map[string]any)[p])
		return string(b)
	}
	mh := md(feature.NewMinHashLSH().SetInputCol("f").SetSeed(-5))
	// "org.apache.spark.ml.feature.MinHashLSH".hashCode() = 328749633.
	if g, d := get(mh, "paramMap", "seed"), get(mh, "defaultParamMap", "seed"); g != "-5" || d != "328749633" {
		t.Errorf("MinHashLSH seed %s default %s", g, d)
	}
	sl := md(feature.NewVectorSlicer().SetInputCol("f").SetIndices(3, 1))
	if g, d := get(sl, "paramMap", "indices"), get(sl, "defaultParamMap", "names"); g != "[3,1]" || d != "[]" {
		t.Errorf("VectorSlicer indices %s names default %s", g, d)
	}
	i2s := md(feature.NewIndexToString().SetInputCol("i").SetLabels("x", "y"))
	if g := get(i2s, "paramMap", "labels"); g != `["x","y"]` {
		t.Errorf("IndexToString labels %s", g)
	}
	type row struct {
		Words []string `gspark:"words"`
	}
	w2v, err := feature.NewWord2Vec().SetInputCol("words").SetVectorSize(2).SetMinCount(1).FitModel(context.Background(),
		frame.NewSession().CreateDataFrame([]row{{[]string{"a", "b"}}}))
	if err != nil {
		t.Fatal(err)
	}
	// "org.apache.spark.ml.feature.Word2VecModel".hashCode() = 1625834845.
	wm := md(w2v)
	if d := get(wm, "defaultParamMap", "seed"); d != "1625834845" {
		t.Errorf("Word2VecModel default seed %s", d)
	}
	if _, ok := wm["paramMap"].(map[string]any)["seed"]; ok {
		t.Errorf("Word2VecModel paramMap has a seed that was not set: %v", wm["paramMap"])
	}
}

// Spark metadata setting params gspark's stage lacks (QuantileDiscretizer's
// multi-column params, VectorSlicer's names) fails to load, naming the
// field, rather than load a stage that would do something else; empty
// values load.
func TestLoadSparkUnsupportedParams(t *testing.T) {
	for _, c := range []struct {
		meta, field string
	}{
		{`{"class":"org.apache.spark.ml.feature.QuantileDiscretizer","timestamp":1,"sparkVersion":"3.5.1","uid":"q_1",` +
			`"paramMap":{"inputCols":["a","b"],"outputCols":["c","d"]},"defaultParamMap":{}}`, "inputCols"},
		{`{"class":"org.apache.spark.ml.feature.VectorSlicer","timestamp":1,"sparkVersion":"3.5.1","uid":"v_1",` +
			`"paramMap":{"inputCol":"f","names":["f1"]},"defaultParamMap":{"names":[]}}`, "names"},
		{`{"class":"org.apache.spark.ml.feature.VectorSlicer","timestamp":1,"sparkVersion":"3.5.1","uid":"v_1",` +
			`"paramMap":{"inputCol":"f","indices":[1],"names":[]},"defaultParamMap":{"names":[]}}`, ""},
	} {
		_, err := Load(context.Background(), writeSparkModelDir(t, c.meta, nil))
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.meta, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "paramMap field "+c.field) {
			t.Errorf("%s: error %v, want one naming paramMap field %s", c.meta, err, c.field)
		}
	}
}
