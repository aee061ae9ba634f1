package evaluation

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

var ctx = context.Background()

func newSession(t *testing.T) (*frame.Session, memory.Allocator) {
	mem := exectest.Alloc(t)
	return frame.NewSession(frame.WithAllocator(mem)), mem
}

func ref(t *testing.T, key string) map[string]any {
	return optimtest.Reference(t)[key].(map[string]any)
}

// Evaluator metrics must match the reference (scikit-learn, or numpy
// following Spark's definitions; see testdata/ml/make_reference.py) to 1e-9
// relative, with 1 and 4 partitions.
const metricTol = 1e-9

func checkMetric(t *testing.T, name string, got, want float64) {
	t.Helper()
	if !optimtest.RelClose(got, want, metricTol, 1e-12) {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}

func TestRegressionEvaluatorVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "eval_regression.csv")
	want := ref(t, "eval_regression")
	for _, parts := range []int{1, 4} {
		df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "prediction", Src: []int{1}}}, parts)
		for _, m := range []string{"rmse", "mse", "mae", "r2", "var"} {
			e := NewRegressionEvaluator().SetMetricName(m)
			got, err := e.Evaluate(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			checkMetric(t, fmt.Sprintf("%s/parts=%d", m, parts), got, want[m].(float64))
			if e.IsLargerBetter() != (m == "r2" || m == "var") {
				t.Errorf("%s: IsLargerBetter wrong", m)
			}
		}
	}
}

func TestBinaryEvaluatorVsSpark(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "eval_binary.csv")
	want := ref(t, "eval_binary")
	// areaUnderROC equals sklearn's roc_auc_score; areaUnderPR follows
	// Spark's trapezoidal PR curve (not sklearn's average_precision).
	checkMetric(t, "reference consistency", want["areaUnderROC"].(float64), want["sklearn_roc_auc"].(float64))
	for _, parts := range []int{1, 4} {
		df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "rawPrediction", Src: []int{1}}}, parts)
		for _, m := range []string{"areaUnderROC", "areaUnderPR"} {
			got, err := NewBinaryClassificationEvaluator().SetMetricName(m).Evaluate(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			checkMetric(t, fmt.Sprintf("%s/parts=%d", m, parts), got, want[m].(float64))
		}
		// The same scores as element 1 of a vector column.
		vdf := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "raw", Src: []int{1, 1}, Vec: true}}, parts)
		got, err := NewBinaryClassificationEvaluator().SetRawPredictionCol("raw").Evaluate(ctx, vdf)
		if err != nil {
			t.Fatal(err)
		}
		checkMetric(t, "vector areaUnderROC", got, want["areaUnderROC"].(float64))
	}
}

// TestBinaryHandComputed: scores 0.9(+) 0.8(−) 0.8(+) 0.3(−): ROC points
// (0,0) (0,.5) (.5,1) (1,1) → 0.875; PR points (0,1) (.5,1) (1,2/3) (1,.5)
// → 0.5·1 + 0.5·(1+2/3)/2 = 0.9166….
func TestBinaryHandComputed(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]float64{{1, 0.9}, {0, 0.8}, {1, 0.8}, {0, 0.3}, {math.NaN(), 0.5}}
	df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "rawPrediction", Src: []int{1}}}, 2)
	roc, pr, err := NewBinaryClassificationEvaluator().Areas(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	checkMetric(t, "roc", roc, 0.875)
	checkMetric(t, "pr", pr, 0.5+0.5*(1+2.0/3)/2)
}

// naiveAreas is a row-at-a-time reference: for every distinct threshold,
// count the rows at or above it.
func naiveAreas(labels, scores []float64) (float64, float64) {
	th := slices.Clone(scores)
	slices.Sort(th)
	th = slices.Compact(th)
	slices.Reverse(th)
	var P, N float64
	for _, l := range labels {
		if l > 0.5 {
			P++
		} else {
			N++
		}
	}
	roc := [][2]float64{{0, 0}}
	var pr [][2]float64
	for _, t := range th {
		var tp, fp float64
		for i, s := range scores {
			if s >= t {
				if labels[i] > 0.5 {
					tp++
				} else {
					fp++
				}
			}
		}
		roc = append(roc, [2]float64{fp / N, tp / P})
		pr = append(pr, [2]float64{tp / P, tp / (tp + fp)})
	}
	roc = append(roc, [2]float64{1, 1})
	pr = append([][2]float64{{0, pr[0][1]}}, pr...)
	trap := func(c [][2]float64) float64 {
		a := 0.0
		for i := 1; i < len(c); i++ {
			a += (c[i][0] - c[i-1][0]) * (c[i][1] + c[i-1][1]) / 2
		}
		return a
	}
	return trap(roc), trap(pr)
}

func TestBinaryRandomVsNaive(t *testing.T) {
	s, mem := newSession(t)
	r := rand.New(rand.NewPCG(1, 2))
	var rows [][]float64
	var labels, scores []float64
	for i := 0; i < 300; i++ {
		l := float64(r.IntN(2))
		sc := math.Round((r.Float64()+0.3*l)*20) / 20
		rows = append(rows, []float64{l, sc})
		labels, scores = append(labels, l), append(scores, sc)
	}
	wantROC, wantPR := naiveAreas(labels, scores)
	for _, parts := range []int{1, 3} {
		df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "rawPrediction", Src: []int{1}}}, parts)
		roc, pr, err := NewBinaryClassificationEvaluator().Areas(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		checkMetric(t, "roc", roc, wantROC)
		checkMetric(t, "pr", pr, wantPR)
	}
}

func TestMulticlassEvaluatorVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "eval_multiclass.csv")
	want := ref(t, "eval_multiclass")
	for _, parts := range []int{1, 4} {
		df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "prediction", Src: []int{1}},
			{Name: "probability", Src: []int{2, 3, 4}, Vec: true}}, parts)
		for _, m := range []string{"f1", "accuracy", "weightedPrecision", "weightedRecall", "logLoss"} {
			e := NewMulticlassClassificationEvaluator().SetMetricName(m)
			got, err := e.Evaluate(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			checkMetric(t, fmt.Sprintf("%s/parts=%d", m, parts), got, want[m].(float64))
			if e.IsLargerBetter() != (m != "logLoss") {
				t.Errorf("%s: IsLargerBetter wrong", m)
			}
		}
	}
}

func TestClusteringEvaluatorVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "eval_clustering.csv")
	want := ref(t, "eval_clustering")["silhouette_squaredEuclidean"].(float64)
	for _, parts := range []int{1, 4} {
		df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "features", Src: []int{0, 1, 2, 3}, Vec: true}, {Name: "prediction", Src: []int{4}}}, parts)
		got, err := NewClusteringEvaluator().Evaluate(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		checkMetric(t, fmt.Sprintf("silhouette/parts=%d", parts), got, want)
	}
}

func TestEvaluatorErrors(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]float64{{1, 0.5, 0}, {0, 0.2, 0}}
	df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "label", Src: []int{0}}, {Name: "prediction", Src: []int{1}},
		{Name: "features", Src: []int{1, 2}, Vec: true}, {Name: "cluster", Src: []int{2}}}, 1)
	cases := []struct {
		name string
		run  func() (float64, error)
		want string
	}{
		{"missing column", func() (float64, error) { return NewRegressionEvaluator().SetLabelCol("nope").Evaluate(ctx, df) }, `"nope" does not exist`},
		{"vector label", func() (float64, error) { return NewRegressionEvaluator().SetLabelCol("features").Evaluate(ctx, df) }, "must be numeric"},
		{"bad metric", func() (float64, error) { return NewRegressionEvaluator().SetMetricName("bogus").Evaluate(ctx, df) }, "must be one of"},
		{"one cluster", func() (float64, error) { return NewClusteringEvaluator().SetPredictionCol("cluster").Evaluate(ctx, df) }, "greater than one"},
		{"logLoss without probabilities", func() (float64, error) {
			return NewMulticlassClassificationEvaluator().SetMetricName("logLoss").Evaluate(ctx, df)
		}, `"probability" does not exist`},
	}
	for _, c := range cases {
		_, err := c.run()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}
