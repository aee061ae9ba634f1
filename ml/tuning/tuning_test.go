package tuning

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/regression"
)

var ctx = context.Background()

func newSession(t *testing.T) (*frame.Session, memory.Allocator) {
	mem := exectest.Alloc(t)
	return frame.NewSession(frame.WithAllocator(mem)), mem
}

func TestParamGridBuilder(t *testing.T) {
	g := NewParamGridBuilder().AddGrid("regParam", 0.1, 1.0).AddGrid("fitIntercept", true, false, true).
		BaseOn(param.ParamMap{"maxIter": 5}).Build()
	if len(g) != 6 {
		t.Fatalf("got %d maps", len(g))
	}
	if g[0]["regParam"] != 0.1 || g[2]["regParam"] != 0.1 || g[3]["regParam"] != 1.0 || g[1]["fitIntercept"] != false || g[5]["maxIter"] != 5 {
		t.Fatalf("grid %v", g)
	}
	if e := NewParamGridBuilder().Build(); len(e) != 1 || len(e[0]) != 0 {
		t.Fatalf("empty grid %v", e)
	}
}

// TestCrossValidator checks the average metrics against folds recomputed
// by hand from the same seeded split, the choice of the best map, that
// parallelism does not change the result, and that the folds partition the
// rows.
func TestCrossValidator(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)
	grid := NewParamGridBuilder().AddGrid("regParam", 0.0, 1.0, 50.0).Build()
	ev := evaluation.NewRegressionEvaluator()
	cv := NewCrossValidator().SetEstimator(regression.NewLinearRegression()).SetEstimatorParamMaps(grid).
		SetEvaluator(ev).SetNumFolds(3).SetSeed(42)
	m, err := cv.FitCV(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	folds, err := df.RandomSplit([]float64{1, 1, 1}, 42)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, f := range folds {
		n, err := f.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if total != 442 {
		t.Fatalf("folds hold %d rows, want 442", total)
	}
	want := make([]float64, len(grid))
	for i := range folds {
		train := folds[(i+1)%3].Union(folds[(i+2)%3])
		for j, pm := range grid {
			lm, err := regression.NewLinearRegression().SetRegParam(pm["regParam"].(float64)).Fit(ctx, train)
			if err != nil {
				t.Fatal(err)
			}
			out, err := lm.Transform(folds[i])
			if err != nil {
				t.Fatal(err)
			}
			v, err := ev.Evaluate(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			want[j] += v / 3
		}
	}
	got := m.AvgMetrics()
	best := 0
	for j := range want {
		if math.Abs(got[j]-want[j]) > 1e-9*want[j] {
			t.Errorf("avgMetrics[%d] = %v, want %v", j, got[j], want[j])
		}
		if want[j] < want[best] {
			best = j
		}
	}
	if m.BestIndex() != best {
		t.Errorf("best index %d, want %d (metrics %v)", m.BestIndex(), best, got)
	}
	if len(m.FoldMetrics()) != 3 {
		t.Errorf("fold metrics %v", m.FoldMetrics())
	}
	lm := m.BestModel().(*regression.LinearRegressionModel)
	if lm.NumFeatures() != 10 {
		t.Fatalf("best model has %d features", lm.NumFeatures())
	}
	m2, err := cv.Copy(nil)
	if err != nil {
		t.Fatal(err)
	}
	par, err := m2.(*CrossValidator).SetParallelism(3).FitCV(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range par.AvgMetrics() {
		if v != got[j] {
			t.Fatalf("parallelism 3 gave %v, 1 gave %v", par.AvgMetrics(), got)
		}
	}
	if _, err := m.Transform(df); err != nil {
		t.Fatal(err)
	}
}

func TestTrainValidationSplitLogistic(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "iris.csv", 3)
	grid := NewParamGridBuilder().AddGrid("regParam", 0.01, 0.5, 5.0).Build()
	ev := evaluation.NewMulticlassClassificationEvaluator().SetMetricName("logLoss")
	tvs := NewTrainValidationSplit().SetEstimator(classification.NewLogisticRegression()).SetEstimatorParamMaps(grid).
		SetEvaluator(ev).SetSeed(7).SetParallelism(2)
	m, err := tvs.FitTVS(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	met := m.ValidationMetrics()
	for j := range met {
		if met[j] < met[m.BestIndex()] {
			t.Fatalf("best index %d is not the lowest logLoss of %v", m.BestIndex(), met)
		}
	}
	// Strong regularization must be worse than mild on iris.
	if !(met[2] > met[0]) {
		t.Fatalf("validation logLoss %v", met)
	}
	again, err := tvs.FitTVS(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	for j := range met {
		if again.ValidationMetrics()[j] != met[j] {
			t.Fatal("the same seed must give the same metrics")
		}
	}
	// Tuning a pipeline: the grid reaches the stage inside.
	p := ml.NewPipeline(classification.NewLogisticRegression())
	pm, err := NewTrainValidationSplit().SetEstimator(p).SetEstimatorParamMaps(grid).SetEvaluator(ev).SetSeed(7).FitTVS(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range pm.ValidationMetrics() {
		if math.Abs(v-met[j]) > 1e-12 {
			t.Fatalf("pipeline metrics %v, direct %v", pm.ValidationMetrics(), met)
		}
	}
}

func TestTuningErrors(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "iris.csv", 1)
	if _, err := NewCrossValidator().SetEvaluator(evaluation.NewRegressionEvaluator()).Fit(ctx, df); err == nil || !strings.Contains(err.Error(), "no estimator") {
		t.Errorf("got %v", err)
	}
	if _, err := NewTrainValidationSplit().SetEstimator(regression.NewLinearRegression()).Fit(ctx, df); err == nil || !strings.Contains(err.Error(), "no evaluator") {
		t.Errorf("got %v", err)
	}
	if _, err := NewCrossValidator().SetNumFolds(1).SetEstimator(regression.NewLinearRegression()).SetEvaluator(evaluation.NewRegressionEvaluator()).Fit(ctx, df); err == nil || !strings.Contains(err.Error(), "numFolds") {
		t.Errorf("got %v", err)
	}
	bad := NewParamGridBuilder().AddGrid("regParam", -1.0).Build()
	_, err := NewCrossValidator().SetEstimator(regression.NewLinearRegression()).SetEstimatorParamMaps(bad).SetEvaluator(evaluation.NewRegressionEvaluator()).Fit(ctx, df)
	if err == nil || !strings.Contains(err.Error(), "regParam") {
		t.Errorf("got %v", err)
	}
}
