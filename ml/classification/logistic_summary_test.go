package classification

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

func summaryRef(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), "summary_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m["logistic_summaries"].(map[string]any)
}

func close9(got, want float64) bool { return optimtest.RelClose(got, want, 1e-9, 1e-12) }

func checkMulticlass(t *testing.T, what string, mm *evaluation.MulticlassMetrics, want map[string]any) {
	t.Helper()
	beta := want["beta"].(float64)
	for name, got := range map[string][]float64{"labels": mm.Labels(), "precisionByLabel": mm.PrecisionByLabel(), "recallByLabel": mm.RecallByLabel(),
		"truePositiveRateByLabel": mm.TruePositiveRateByLabel(), "falsePositiveRateByLabel": mm.FalsePositiveRateByLabel(),
		"f1ByLabel": mm.FMeasureByLabel(1), "fMeasureByLabel": mm.FMeasureByLabel(beta)} {
		exp := optimtest.Floats(want[name])
		if len(got) != len(exp) {
			t.Fatalf("%s: %s = %v, want %v", what, name, got, exp)
		}
		for i := range exp {
			if !close9(got[i], exp[i]) {
				t.Errorf("%s: %s[%d] = %v, want %v", what, name, i, got[i], exp[i])
			}
		}
	}
	for name, got := range map[string]float64{"accuracy": mm.Accuracy(), "weightedPrecision": mm.WeightedPrecision(), "weightedRecall": mm.WeightedRecall(),
		"weightedTruePositiveRate": mm.WeightedTruePositiveRate(), "weightedFalsePositiveRate": mm.WeightedFalsePositiveRate(),
		"f1": mm.WeightedFMeasure(1), "weightedFMeasure": mm.WeightedFMeasure(beta)} {
		if !close9(got, want[name].(float64)) {
			t.Errorf("%s: %s = %v, want %v", what, name, got, want[name])
		}
	}
}

// TestLogisticSummaryBinaryVsSklearn: the binomial training summary of
// iris versicolor vs virginica (regParam 0.05) against scikit-learn's
// metrics on the reference fit's own probabilities
// (testdata/ml/make_summary_reference.py). Spark's ROC is sklearn's
// roc_curve(drop_intermediate=False) plus a final (1,1); Spark's PR curve
// is sklearn's precision_recall_curve by descending threshold with a first
// point (0, precision at the top threshold) where sklearn ends with (0, 1).
func TestLogisticSummaryBinaryVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	want := summaryRef(t)["binary_iris_1v2"].(map[string]any)
	_, rows := optimtest.ReadCSV(t, "iris.csv")
	var bin [][]float64
	for _, r := range rows {
		if r[4] > 0 {
			bin = append(bin, []float64{r[0], r[1], r[2], r[3], r[4] - 1})
		}
	}
	for _, parts := range []int{1, 4} {
		what := fmt.Sprintf("parts=%d", parts)
		df := optimtest.Frame(t, s, mem, bin, []optimtest.Col{{Name: "features", Src: []int{0, 1, 2, 3}, Vec: true}, {Name: "label", Src: []int{4}}}, parts)
		m, err := NewLogisticRegression().SetRegParam(0.05).SetTol(1e-12).SetMaxIter(1000).FitLogistic(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		coef := m.CoefficientMatrix()[0]
		for j, w := range optimtest.Floats(want["coefficients"]) {
			if !optimtest.RelClose(coef[j], w, 1e-6, 1e-9) {
				t.Fatalf("%s: coefficient %d = %v, want %v", what, j, coef[j], w)
			}
		}
		sum := m.Summary()
		mm, err := sum.Multiclass(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkMulticlass(t, what, mm, want)
		bm, err := sum.Binary(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !close9(bm.AreaUnderROC(), want["areaUnderROC"].(float64)) {
			t.Errorf("%s: areaUnderROC = %v, want %v", what, bm.AreaUnderROC(), want["areaUnderROC"])
		}
		thr := optimtest.Floats(want["roc_thresholds"])
		got := bm.Thresholds()
		if len(got) != len(thr) {
			t.Fatalf("%s: %d thresholds, want %d", what, len(got), len(thr))
		}
		for i := range thr {
			if !optimtest.RelClose(got[i], thr[i], 1e-6, 1e-9) {
				t.Errorf("%s: threshold %d = %v, want %v", what, i, got[i], thr[i])
			}
		}
		fpr, tpr := optimtest.Floats(want["roc_fpr"]), optimtest.Floats(want["roc_tpr"])
		roc := bm.ROC()
		if len(roc) != len(fpr)+1 || roc[len(roc)-1] != (evaluation.CurvePoint{X: 1, Y: 1}) {
			t.Fatalf("%s: ROC has %d points ending %v, want %d ending (1,1)", what, len(roc), roc[len(roc)-1], len(fpr)+1)
		}
		for i := range fpr {
			if !close9(roc[i].X, fpr[i]) || !close9(roc[i].Y, tpr[i]) {
				t.Errorf("%s: ROC[%d] = %v, want (%v, %v)", what, i, roc[i], fpr[i], tpr[i])
			}
		}
		prec, rec := optimtest.Floats(want["pr_precision"]), optimtest.Floats(want["pr_recall"])
		pr := bm.PR()
		if len(pr) != len(prec)+1 || pr[0] != (evaluation.CurvePoint{X: 0, Y: prec[0]}) {
			t.Fatalf("%s: PR has %d points starting %v, want %d starting (0, %v)", what, len(pr), pr[0], len(prec)+1, prec[0])
		}
		fm := optimtest.Floats(want["fMeasureByThreshold_beta1"])
		pbt, rbt, fbt := bm.PrecisionByThreshold(), bm.RecallByThreshold(), bm.FMeasureByThreshold(1)
		for i := range prec {
			if !close9(pr[i+1].X, rec[i]) || !close9(pr[i+1].Y, prec[i]) {
				t.Errorf("%s: PR[%d] = %v, want (%v, %v)", what, i+1, pr[i+1], rec[i], prec[i])
			}
			if pbt[i].Threshold != got[i] || !close9(pbt[i].Value, prec[i]) || !close9(rbt[i].Value, rec[i]) || !close9(fbt[i].Value, fm[i]) {
				t.Errorf("%s: by threshold %d: precision %v recall %v F %v, want %v %v %v", what, i, pbt[i], rbt[i], fbt[i], prec[i], rec[i], fm[i])
			}
		}
	}
}

// TestLogisticSummaryMultinomialVsSklearn: the multinomial training
// summary of iris (regParam 0.05) against scikit-learn's metrics on the
// reference fit's predictions; the binary summary is refused.
func TestLogisticSummaryMultinomialVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	want := summaryRef(t)["multinomial_iris"].(map[string]any)
	for _, parts := range []int{1, 4} {
		df := optimtest.Labeled(t, s, mem, "iris.csv", parts)
		m, err := NewLogisticRegression().SetRegParam(0.05).SetProbabilityCol("").FitLogistic(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		mm, err := m.Summary().Multiclass(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkMulticlass(t, fmt.Sprintf("parts=%d", parts), mm, want)
		if _, err := m.Summary().Binary(ctx); !errors.Is(err, ErrNotBinary) {
			t.Errorf("Binary on a multinomial model: %v", err)
		}
	}
}
