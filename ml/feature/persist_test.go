package feature

import (
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// TestEveryStageRoundTrips saves and loads every stage with some params set,
// and checks that the registry knows every class and Copy keeps the UID.
func TestEveryStageRoundTrips(t *testing.T) {
	stages := []ml.Stage{
		NewVectorAssembler().SetInputCols("a", "b").SetHandleInvalid("skip"),
		NewStandardScaler().SetInputCol("f").SetWithMean(true),
		NewMinMaxScaler().SetInputCol("f").SetMin(-1),
		NewMaxAbsScaler().SetInputCol("f"),
		NewNormalizer().SetInputCol("f").SetP(1),
		NewStringIndexer().SetInputCols("a", "b").SetOutputCols("c", "d").SetStringOrderType("alphabetAsc"),
		NewIndexToString().SetInputCol("i").SetLabels("x", "y"),
		NewOneHotEncoder().SetInputCol("i").SetDropLast(false),
		NewImputer().SetInputCols("a").SetOutputCols("b").SetStrategy("median").SetMissingValue(-1),
		NewBucketizer().SetInputCol("x").SetSplits(-1, 0, 1),
		NewQuantileDiscretizer().SetInputCol("x").SetNumBuckets(4),
		NewTokenizer().SetInputCol("t"),
		NewRegexTokenizer().SetInputCol("t").SetPattern(`\W`),
		NewStopWordsRemover().SetInputCol("t").SetStopWords("a", "the"),
		NewHashingTF().SetInputCol("t").SetNumFeatures(16),
		NewIDF().SetInputCol("f").SetMinDocFreq(2),
		NewCountVectorizer().SetInputCol("t").SetMinDF(0.5),
		NewPCA().SetInputCol("f").SetK(3),
		NewPolynomialExpansion().SetInputCol("f").SetDegree(3),
		NewSQLTransformer().SetStatement("SELECT * FROM __THIS__"),
		NewStringIndexerModel([]string{"a", "b"}).SetInputCol("s"),
		NewCountVectorizerModel("x", "y").SetInputCol("t"),
		NewBinarizer().SetInputCol("x").SetThreshold(0.5),
		NewNGram().SetInputCol("t").SetN(3),
		NewElementwiseProduct().SetInputCol("f").SetScalingVec(1, 2),
		NewVectorSlicer().SetInputCol("f").SetIndices(0, 2),
		NewVarianceThresholdSelector().SetFeaturesCol("f").SetVarianceThreshold(1),
		NewRobustScaler().SetInputCol("f").SetLower(0.1).SetWithCentering(true),
		NewMinHashLSH().SetInputCol("f").SetNumHashTables(3),
		NewBucketedRandomProjectionLSH().SetInputCol("f").SetBucketLength(2),
		NewFeatureHasher().SetInputCols("a", "b").SetCategoricalCols("b").SetNumFeatures(8),
		NewDCT().SetInputCol("f").SetInverse(true),
		NewInteraction().SetInputCols("a", "f"),
		NewVectorSizeHint().SetInputCol("f").SetSize(3).SetHandleInvalid("skip"),
		NewChiSqSelector().SetFeaturesCol("f").SetSelectorType("fdr").SetFdr(0.1),
		NewVectorIndexer().SetInputCol("f").SetMaxCategories(3).SetHandleInvalid("keep"),
		NewRFormula().SetFormula("y ~ a + b:c - 1").SetStringIndexerOrderType("alphabetAsc"),
		NewWord2Vec().SetInputCol("t").SetVectorSize(8).SetSeed(7),
		NewUnivariateFeatureSelector().SetFeatureType("continuous").SetLabelType("categorical").SetSelectionThreshold(3),
		NewTargetEncoder().SetInputCols("a").SetOutputCols("b").SetTargetType("continuous").SetSmoothing(2),
	}
	reg := Register(ml.NewRegistry())
	classes := reg.Classes()
	for _, st := range stages {
		if err := st.Params().Err(); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(classes, st.ClassName()) {
			t.Errorf("registry lacks %s", st.ClassName())
		}
		if !strings.HasPrefix(st.UID(), strings.TrimPrefix(st.ClassName(), classPrefix)+"_") {
			t.Errorf("uid %s of %s", st.UID(), st.ClassName())
		}
		got := roundTrip(t, st)
		if got.ClassName() != st.ClassName() {
			t.Errorf("loaded %s as %s", st.ClassName(), got.ClassName())
		}
		cp, err := st.Copy(param.ParamMap{"inputCol": "copied"})
		if err != nil {
			t.Fatal(err)
		}
		if cp.UID() != st.UID() {
			t.Errorf("copy of %s has uid %s", st.UID(), cp.UID())
		}
		if st.Params().IsDefined("inputCol") {
			if v, _ := cp.Params().Get("inputCol"); v != "copied" {
				t.Errorf("copy of %s: inputCol %v", st.UID(), v)
			}
			if v, _ := st.Params().Get("inputCol"); v == "copied" {
				t.Errorf("copy of %s changed the original", st.UID())
			}
		}
	}
	// Every registered class appears in the list above or is a fitted model tested elsewhere.
	// 59 feature classes (the LSH estimators and models included), Pipeline
	// and PipelineModel, and the loaders of Spark's HashingTF and
	// StringIndexerModel files; the loaders of the 20 Spark-layout classes
	// of spark_models.go and spark_params_only.go and of Spark's
	// PipelineModel; the loaders of spark_w2v_lsh.go and spark_selectors.go
	// (7 models) and of spark_estimators.go (19 estimators, IndexToString
	// and VectorSlicer); TargetEncoder, its model and Spark's
	// TargetEncoderModel; Spark's RFormulaModel, ColumnPruner and
	// VectorAttributeRewriter (rformula_spark.go) and Spark's TargetEncoder;
	// Spark's Pipeline.
	if len(classes) != 63+21+7+21+3+4+1 {
		t.Errorf("registry has %d classes: %v", len(classes), classes)
	}
}
