package evaluation

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml/optim/optimtest"
)

func summaryRef(t *testing.T, key string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), "summary_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m[key].(map[string]any)
}

// TestMulticlassEvaluatorAllMetrics checks every metric name Spark's
// MulticlassClassificationEvaluator accepts, with metricLabel and beta,
// unweighted and weighted ((i mod 3)+1), against scikit-learn
// (testdata/ml/make_summary_reference.py); 1 and 4 partitions.
func TestMulticlassEvaluatorAllMetrics(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "eval_multiclass.csv")
	var wrows [][]float64
	for i, r := range rows {
		wrows = append(wrows, append(append([]float64(nil), r...), float64(i%3+1)))
	}
	refs := summaryRef(t, "eval_multiclass_metrics")
	for _, weighted := range []bool{false, true} {
		want := refs["unweighted"].(map[string]any)
		if weighted {
			want = refs["weighted"].(map[string]any)
		}
		beta := want["beta"].(float64)
		for _, parts := range []int{1, 4} {
			df := optimtest.Frame(t, s, mem, wrows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "prediction", Src: []int{1}},
				{Name: "probability", Src: []int{2, 3, 4}, Vec: true}, {Name: "w", Src: []int{5}}}, parts)
			mk := func() *MulticlassClassificationEvaluator {
				e := NewMulticlassClassificationEvaluator().SetBeta(beta)
				if weighted {
					e.SetWeightCol("w")
				}
				return e
			}
			what := fmt.Sprintf("weighted=%v/parts=%d", weighted, parts)
			names := []string{"f1", "accuracy", "hammingLoss", "weightedPrecision", "weightedRecall", "weightedTruePositiveRate", "weightedFalsePositiveRate", "weightedFMeasure"}
			if weighted {
				names = append(names, "logLoss")
			}
			for _, m := range names {
				got, err := mk().SetMetricName(m).Evaluate(ctx, df)
				if err != nil {
					t.Fatal(err)
				}
				checkMetric(t, what+"/"+m, got, want[m].(float64))
			}
			for _, m := range []string{"truePositiveRateByLabel", "falsePositiveRateByLabel", "precisionByLabel", "recallByLabel", "fMeasureByLabel"} {
				exp := optimtest.Floats(want[m])
				for i, l := range optimtest.Floats(want["labels"]) {
					e := mk().SetMetricName(m).SetMetricLabel(l)
					got, err := e.Evaluate(ctx, df)
					if err != nil {
						t.Fatal(err)
					}
					checkMetric(t, fmt.Sprintf("%s/%s(%v)", what, m, l), got, exp[i])
					if e.IsLargerBetter() == (m == "falsePositiveRateByLabel") {
						t.Errorf("%s: IsLargerBetter wrong", m)
					}
				}
			}
			// The same numbers through Metrics.
			mm, err := mk().Metrics(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			for name, got := range map[string][]float64{"labels": mm.Labels(), "precisionByLabel": mm.PrecisionByLabel(), "recallByLabel": mm.RecallByLabel(),
				"falsePositiveRateByLabel": mm.FalsePositiveRateByLabel(), "fMeasureByLabel": mm.FMeasureByLabel(beta), "f1ByLabel": mm.FMeasureByLabel(1),
				"truePositiveRateByLabel": mm.TruePositiveRateByLabel()} {
				exp := optimtest.Floats(want[name])
				for i := range exp {
					checkMetric(t, fmt.Sprintf("%s/Metrics %s[%d]", what, name, i), got[i], exp[i])
				}
			}
			if _, err := mk().SetMetricName("precisionByLabel").SetMetricLabel(7).Evaluate(ctx, df); err == nil || !strings.Contains(err.Error(), "label 7 does not occur") {
				t.Errorf("unknown metricLabel: %v", err)
			}
		}
	}
	if err := NewMulticlassClassificationEvaluator().SetMetricName("areaUnderROC").CheckParams(); err == nil {
		t.Error("metricName areaUnderROC accepted")
	}
}

// TestClusteringCosineAndWeightedRegression: the cosine silhouette against
// scikit-learn's silhouette_score(metric="cosine"), and the regression
// metrics with a weight column against scikit-learn's sample_weight
// versions; 1 and 4 partitions.
func TestClusteringCosineAndWeightedRegression(t *testing.T) {
	s, mem := newSession(t)
	want := summaryRef(t, "eval_other")
	_, crows := optimtest.ReadCSV(t, "eval_clustering.csv")
	_, rrows := optimtest.ReadCSV(t, "eval_regression.csv")
	var wrows [][]float64
	for i, r := range rrows {
		wrows = append(wrows, append(append([]float64(nil), r...), float64(i%3+1)))
	}
	rw := want["regression_weighted"].(map[string]any)
	for _, parts := range []int{1, 4} {
		cdf := optimtest.Frame(t, s, mem, crows, []optimtest.Col{{Name: "features", Src: []int{0, 1, 2, 3}, Vec: true}, {Name: "prediction", Src: []int{4}}}, parts)
		got, err := NewClusteringEvaluator().SetDistanceMeasure("cosine").Evaluate(ctx, cdf)
		if err != nil {
			t.Fatal(err)
		}
		checkMetric(t, fmt.Sprintf("silhouette cosine/parts=%d", parts), got, want["silhouette_cosine"].(float64))
		rdf := optimtest.Frame(t, s, mem, wrows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "prediction", Src: []int{1}}, {Name: "w", Src: []int{2}}}, parts)
		for _, m := range []string{"rmse", "mse", "mae", "r2", "var"} {
			got, err := NewRegressionEvaluator().SetWeightCol("w").SetMetricName(m).Evaluate(ctx, rdf)
			if err != nil {
				t.Fatal(err)
			}
			checkMetric(t, fmt.Sprintf("weighted %s/parts=%d", m, parts), got, rw[m].(float64))
		}
	}
	zero := optimtest.Frame(t, s, mem, [][]float64{{0, 0, 0}, {1, 0, 1}, {0, 1, 1}}, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}, {Name: "prediction", Src: []int{2}}}, 1)
	if _, err := NewClusteringEvaluator().SetDistanceMeasure("cosine").Evaluate(ctx, zero); err == nil || !strings.Contains(err.Error(), "nonzero") {
		t.Errorf("zero vector with cosine: %v", err)
	}
}
