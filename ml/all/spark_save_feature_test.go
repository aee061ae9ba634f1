package all

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/feature"
)

// Feature models and params-only transformers saved in Spark's layout
// have Spark's class, metadata keys (defaultParamMap as Spark's classes
// define defaults) and data fields (each model's writer in Spark's
// mllib/src/main/scala/org/apache/spark/ml/feature/*.scala), and load back
// transforming the same, for fits on 1 and 4 partitions.
func TestSaveFeatureModelsInSparkLayout(t *testing.T) {
	ctx := context.Background()
	type textRow struct {
		Words []string `gspark:"words"`
		Text  string   `gspark:"text"`
	}
	type numRow struct {
		A *float64 `gspark:"a"`
		B *float64 `gspark:"b"`
	}
	f := func(v float64) *float64 { return &v }
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		vecs, tf := libsvm(s, "sample_multiclass_classification_data.txt"), libsvm(s, "sample_libsvm_data.txt")
		text := s.CreateDataFrame([]textRow{{[]string{"a", "b", "c"}, "Hi I heard"}, {[]string{"a", "b", "b", "c", "a"}, "about Spark"},
			{[]string{"d", "a"}, "Logistic regression models are neat"}}).Repartition(parts)
		nums := s.CreateDataFrame([]numRow{{f(0), f(1)}, {f(2), nil}, {f(1), f(math.NaN())}, {nil, f(2)}, {f(2), f(0)}}).Repartition(parts)
		cats := s.CreateDataFrame([]numRow{{f(0), f(1)}, {f(2), f(0)}, {f(1), f(1)}, {f(2), f(2)}}).Repartition(parts)

		fit := func(m ml.Model, err error) ml.Transformer {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		cls := func(n string) string { return "org.apache.spark.ml.feature." + n }
		vec := func(names ...string) *arrow.Schema {
			fs := make([]arrow.Field, len(names))
			for i, n := range names {
				fs[i] = fVec(n)
			}
			return arrow.NewSchema(fs, nil)
		}
		cases := []sparkSaveCase{
			{name: "std", model: fit(feature.NewStandardScaler().SetInputCol("features").SetWithMean(true).Fit(ctx, vecs)),
				class: cls("StandardScalerModel"), version: "2.4.7", defaults: []string{"outputCol", "withMean", "withStd"}, df: vecs, data: vec("std", "mean")},
			{name: "minmax", model: fit(feature.NewMinMaxScaler().SetInputCol("features").SetMin(-1).Fit(ctx, vecs)),
				class: cls("MinMaxScalerModel"), version: "2.4.7", defaults: []string{"outputCol", "min", "max"}, df: vecs, data: vec("originalMin", "originalMax")},
			{name: "maxabs", model: fit(feature.NewMaxAbsScaler().SetInputCol("features").Fit(ctx, vecs)),
				class: cls("MaxAbsScalerModel"), version: "2.4.7", defaults: []string{"outputCol"}, df: vecs, data: vec("maxAbs")},
			{name: "robust", model: fit(feature.NewRobustScaler().SetInputCol("features").SetWithCentering(true).Fit(ctx, vecs)),
				class: cls("RobustScalerModel"), version: "3.0.0", defaults: []string{"outputCol", "lower", "upper", "withCentering", "withScaling", "relativeError"},
				df: vecs, data: vec("range", "median")},
			{name: "idf", model: fit(feature.NewIDF().SetInputCol("features").SetMinDocFreq(2).Fit(ctx, tf)),
				class: cls("IDFModel"), version: "3.0.0", defaults: []string{"outputCol", "minDocFreq"}, df: tf,
				data: arrow.NewSchema([]arrow.Field{fVec("idf"),
					{Name: "docFreq", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int64}), Nullable: true},
					{Name: "numDocs", Type: arrow.PrimitiveTypes.Int64}}, nil)},
			{name: "pca", model: fit(feature.NewPCA().SetInputCol("features").SetK(2).Fit(ctx, vecs)),
				class: cls("PCAModel"), version: "2.4.7", defaults: []string{"outputCol"}, df: vecs, data: arrow.NewSchema([]arrow.Field{fMat("pc"), fVec("explainedVariance")}, nil)},
			{name: "cv", model: fit(feature.NewCountVectorizer().SetInputCol("words").SetMinDF(2).Fit(ctx, text)),
				class: cls("CountVectorizerModel"), version: "2.4.7", defaults: []string{"outputCol", "vocabSize", "minDF", "maxDF", "minTF", "binary"}, df: text,
				data: arrow.NewSchema([]arrow.Field{{Name: "vocabulary", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.BinaryTypes.String, Nullable: true}), Nullable: true}}, nil)},
			{name: "ohe", model: fit(feature.NewOneHotEncoder().SetInputCols("a", "b").SetOutputCols("av", "bv").Fit(ctx, cats)),
				class: cls("OneHotEncoderModel"), version: "3.0.0", defaults: []string{"outputCol", "dropLast", "handleInvalid"}, df: cats,
				data: arrow.NewSchema([]arrow.Field{{Name: "categorySizes", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true}}, nil)},
			{name: "imputer", model: fit(feature.NewImputer().SetInputCols("a", "b").SetOutputCols("ai", "bi").SetStrategy("median").Fit(ctx, nums)),
				class: cls("ImputerModel"), version: "3.0.0", defaults: []string{"outputCol", "strategy", "missingValue", "relativeError"}, df: nums,
				data: arrow.NewSchema([]arrow.Field{fDouble("a"), fDouble("b")}, nil)},
			{name: "bucketizer", model: feature.NewBucketizer().SetInputCol("a").SetSplits(math.Inf(-1), 0.5, 1.5, math.Inf(1)).SetHandleInvalid("keep"),
				class: cls("Bucketizer"), version: "2.4.7", defaults: []string{"outputCol", "handleInvalid"}, df: nums},
			{name: "assembler", model: feature.NewVectorAssembler().SetInputCols("a", "b").SetOutputCol("v").SetHandleInvalid("keep"),
				class: cls("VectorAssembler"), version: "2.4.7", defaults: []string{"outputCol", "handleInvalid"}, df: nums},
			{name: "tokenizer", model: feature.NewTokenizer().SetInputCol("text"), class: cls("Tokenizer"), version: "2.4.7", defaults: []string{"outputCol"}, df: text},
			{name: "regex", model: feature.NewRegexTokenizer().SetInputCol("text").SetPattern(`\w+`).SetGaps(false), class: cls("RegexTokenizer"), version: "2.4.7",
				defaults: []string{"outputCol", "pattern", "gaps", "minTokenLength", "toLowercase"}, df: text},
			{name: "stopwords", model: feature.NewStopWordsRemover().SetInputCol("words").SetCaseSensitive(true), class: cls("StopWordsRemover"), version: "2.4.7",
				defaults: []string{"outputCol", "stopWords", "caseSensitive", "locale"}, df: text},
			{name: "ngram", model: feature.NewNGram().SetInputCol("words").SetN(3), class: cls("NGram"), version: "2.4.7", defaults: []string{"outputCol", "n"}, df: text},
			{name: "binarizer", model: feature.NewBinarizer().SetInputCol("a").SetThreshold(1), class: cls("Binarizer"), version: "2.4.7", defaults: []string{"outputCol", "threshold"}, df: cats},
			{name: "normalizer", model: feature.NewNormalizer().SetInputCol("features").SetP(1), class: cls("Normalizer"), version: "2.4.7", defaults: []string{"outputCol", "p"}, df: vecs},
			{name: "sql", model: feature.NewSQLTransformer().SetStatement("SELECT a + 1 AS c FROM __THIS__"), class: cls("SQLTransformer"), version: "2.4.7", df: cats},
			{name: "product", model: feature.NewElementwiseProduct().SetInputCol("features").SetScalingVec(1, 2, 3, 4), class: cls("ElementwiseProduct"), version: "2.4.7",
				defaults: []string{"outputCol"}, df: vecs},
			{name: "poly", model: feature.NewPolynomialExpansion().SetInputCol("features").SetDegree(3), class: cls("PolynomialExpansion"), version: "2.4.7",
				defaults: []string{"outputCol", "degree"}, df: vecs},
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

// Non-finite doubles in params are written as Spark's DoubleParam writes
// them ("NaN", "Inf", "-Inf": the only strings its decoder accepts).
func TestSparkParamsNonFinite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "b")
	b := feature.NewBucketizer().SetInputCol("a").SetSplits(math.Inf(-1), 0.5, math.Inf(1))
	if err := b.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "metadata", "part-00000"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"splits":["-Inf",0.5,"Inf"]`) {
		t.Errorf("metadata %s", raw)
	}
	back, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := back.Params().ExplainParams(), b.Params().ExplainParams(); g != w {
		t.Errorf("loaded back\n%s\nsaved\n%s", g, w)
	}
	m := feature.NewImputer().SetInputCols("a").SetOutputCols("b")
	st, err := m.Fit(context.Background(), frame.NewSession().CreateDataFrame([]struct {
		A float64 `gspark:"a"`
	}{{1}, {math.NaN()}}))
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(t.TempDir(), "i")
	if err := st.(*feature.ImputerModel).SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	if md := readJSON(t, filepath.Join(dir, "metadata", "part-00000")); md["defaultParamMap"].(map[string]any)["missingValue"] != "NaN" {
		t.Errorf("defaultParamMap %v", md["defaultParamMap"])
	}
}
