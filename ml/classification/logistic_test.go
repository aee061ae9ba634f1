package classification

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

var ctx = context.Background()

func newSession(t testing.TB) (*frame.Session, memory.Allocator) {
	mem := exectest.Alloc(t)
	return frame.NewSession(frame.WithAllocator(mem)), mem
}

// coefTol: convex models match the reference coefficients to 1e-4 relative
// (coefficients below 1e-3·max|β| are compared against that floor).
const coefTol = 1e-4

func checkMatrix(t *testing.T, what string, got [][]float64, gotB []float64, want [][]float64, wantB []float64) {
	t.Helper()
	scale := 0.0
	for _, r := range want {
		for _, v := range r {
			scale = math.Max(scale, math.Abs(v))
		}
	}
	for k := range want {
		for j := range want[k] {
			if !optimtest.RelClose(got[k][j], want[k][j], coefTol, 1e-3*scale) {
				t.Errorf("%s: coefficient [%d][%d] = %.10g, want %.10g", what, k, j, got[k][j], want[k][j])
			}
		}
		if !optimtest.RelClose(gotB[k], wantB[k], coefTol, 1e-3*scale) {
			t.Errorf("%s: intercept %d = %.10g, want %.10g", what, k, gotB[k], wantB[k])
		}
	}
}

func matrixOf(v any) [][]float64 {
	var out [][]float64
	for _, r := range v.([]any) {
		out = append(out, optimtest.Floats(r))
	}
	return out
}

// TestLogisticRegressionVsSklearn compares with scikit-learn's
// LogisticRegression(C = 1/(λn)) fitted on features divided by their sample
// standard deviation (Spark's standardization; the penalty is λ/2·Σ(σⱼβⱼ)²
// and the loss is averaged, where sklearn sums it), coefficients mapped
// back by 1/σⱼ. Multinomial intercepts are centered in both. Breast cancer
// is binomial, iris and wine multinomial; partitions 1 and 4.
func TestLogisticRegressionVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	ref := optimtest.Reference(t)
	for _, c := range []struct {
		key, file string
		multi     bool
	}{{"logistic_breast_cancer", "breast_cancer.csv", false}, {"logistic_breast_cancer_nostd", "breast_cancer.csv", false},
		{"logistic_iris", "iris.csv", true}, {"logistic_wine", "wine.csv", true}} {
		want := ref[c.key].(map[string]any)
		wantCoef, wantB := matrixOf(want["coefficients"]), optimtest.Floats(want["intercepts"])
		for _, parts := range []int{1, 4} {
			df := optimtest.Labeled(t, s, mem, c.file, parts)
			lr := NewLogisticRegression().SetRegParam(want["regParam"].(float64)).SetTol(1e-14).SetMaxIter(5000)
			if strings.HasSuffix(c.key, "_nostd") {
				lr.SetStandardization(false)
			}
			m, err := lr.FitLogistic(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			what := fmt.Sprintf("%s/parts=%d", c.key, parts)
			if m.IsMultinomial() != c.multi {
				t.Fatalf("%s: multinomial = %v", what, m.IsMultinomial())
			}
			checkMatrix(t, what, m.CoefficientMatrix(), m.InterceptVector(), wantCoef, wantB)
			// Probabilities and accuracy of the transformed frame.
			out, err := m.Transform(df)
			if err != nil {
				t.Fatal(err)
			}
			acc, err := evaluation.NewMulticlassClassificationEvaluator().SetMetricName("accuracy").Evaluate(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(acc-want["accuracy"].(float64)) > 1e-12 {
				t.Errorf("%s: accuracy %v, want %v", what, acc, want["accuracy"])
			}
			rows, err := out.Collect(ctx) // in partition order; the first 5 rows are the CSV's first 5
			if err != nil {
				t.Fatal(err)
			}
			wantP := matrixOf(want["probabilities_first5"])
			pi := len(rows[0]) - 2
			for i, r := range rows[:5] {
				p := r[pi].(linalg.Vector).ToArray()
				for k := range p {
					if math.Abs(p[k]-wantP[i][k]) > 1e-5 {
						t.Errorf("%s: row %d probability %v, want %v", what, i, p, wantP[i])
						break
					}
				}
			}
		}
	}
}

// logLoss is a naive row-at-a-time objective of a binomial model.
func logObjective(rows [][]float64, beta []float64, b, lambda, alpha float64, std []float64) float64 {
	loss := 0.0
	for _, r := range rows {
		m := b
		for j := range beta {
			m += beta[j] * r[j]
		}
		y := r[len(r)-1]
		loss += math.Log1p(math.Exp(m)) - y*m
	}
	loss /= float64(len(rows))
	for j := range beta {
		v := beta[j] * std[j]
		loss += lambda * ((1-alpha)/2*v*v + alpha*math.Abs(v))
	}
	return loss
}

// TestLogisticElasticNetOptimality checks the OWL-QN solution against the
// subgradient optimality conditions of the objective, computed naively, and
// that small perturbations never lower it.
func TestLogisticElasticNetOptimality(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "breast_cancer.csv")
	rows = rows[:300]
	cols := []int{0, 1, 2, 3, 4, 5, 6, 7}
	sub := make([][]float64, len(rows))
	for i, r := range rows {
		for _, j := range cols {
			sub[i] = append(sub[i], r[j])
		}
		sub[i] = append(sub[i], r[len(r)-1])
	}
	d := len(cols)
	std := make([]float64, d)
	for j := 0; j < d; j++ {
		var m, m2 float64
		for _, r := range sub {
			m += r[j]
		}
		m /= float64(len(sub))
		for _, r := range sub {
			m2 += (r[j] - m) * (r[j] - m)
		}
		std[j] = math.Sqrt(m2 / float64(len(sub)-1))
	}
	const lambda, alpha = 0.02, 0.7
	var first []float64
	for _, parts := range []int{1, 4} {
		df := optimtest.Frame(t, s, mem, sub, []optimtest.Col{{Name: "features", Src: []int{0, 1, 2, 3, 4, 5, 6, 7}, Vec: true}, {Name: "label", Src: []int{8}}}, parts)
		m, err := NewLogisticRegression().SetRegParam(lambda).SetElasticNetParam(alpha).SetTol(1e-14).SetMaxIter(5000).FitLogistic(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		beta, b := m.Coefficients().ToArray(), m.Intercept()
		zeros := 0
		for _, v := range beta {
			if v == 0 {
				zeros++
			}
		}
		if zeros == 0 || zeros == d {
			t.Fatalf("expected a sparse, nonzero solution, got %v", beta)
		}
		f0 := logObjective(sub, beta, b, lambda, alpha, std)
		for j := 0; j <= d; j++ {
			for _, eps := range []float64{1e-4, -1e-4} {
				bb, b2 := append([]float64(nil), beta...), b
				if j < d {
					bb[j] += eps / std[j]
				} else {
					b2 += eps
				}
				if f := logObjective(sub, bb, b2, lambda, alpha, std); f < f0-1e-12 {
					t.Fatalf("parts=%d: moving coordinate %d by %g lowers the objective %v → %v", parts, j, eps, f0, f)
				}
			}
		}
		if first == nil {
			first = beta
		} else {
			for j := range beta {
				if math.Abs(beta[j]-first[j]) > 1e-6*math.Max(1, math.Abs(first[j])) {
					t.Fatalf("parts=4 gave %v, parts=1 %v", beta, first)
				}
			}
		}
	}
}

func TestLogisticTransformThresholdsAndSave(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "iris.csv", 2)
	m, err := NewLogisticRegression().SetRegParam(0.05).FitLogistic(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	// A zero threshold always wins.
	tm := m.Copy2().SetThresholds([]float64{1, 0, 1})
	out, err := tm.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := out.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r[len(r)-1].(float64) != 1 {
			t.Fatalf("with threshold 0 for class 1, got prediction %v", r[len(r)-1])
		}
	}
	dir := filepath.Join(t.TempDir(), "lr")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*LogisticRegressionModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	a, b := m.CoefficientMatrix(), back.CoefficientMatrix()
	for k := range a {
		for j := range a[k] {
			if a[k][j] != b[k][j] {
				t.Fatalf("loaded coefficients differ: %v vs %v", b, a)
			}
		}
	}
	if !back.IsMultinomial() || back.NumClasses() != 3 || back.NumFeatures() != 4 {
		t.Fatalf("loaded model: %d classes, %d features", back.NumClasses(), back.NumFeatures())
	}
	// Binomial with only the prediction column, and a threshold of 1.
	bdf := optimtest.Labeled(t, s, mem, "breast_cancer.csv", 1)
	bm, err := NewLogisticRegression().SetRegParam(0.1).SetRawPredictionCol("").SetProbabilityCol("").FitLogistic(ctx, bdf)
	if err != nil {
		t.Fatal(err)
	}
	bout, err := bm.SetThreshold(1).Transform(bdf)
	if err != nil {
		t.Fatal(err)
	}
	if got := bout.Columns(); len(got) != 3 || got[2] != "prediction" {
		t.Fatalf("columns %v", got)
	}
	brows, err := bout.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range brows {
		if r[2].(float64) != 0 {
			t.Fatal("threshold 1 must predict 0 everywhere")
		}
	}
}

// Copy2 is a typed copy for tests.
func (m *LogisticRegressionModel) Copy2() *LogisticRegressionModel {
	c, _ := m.Copy(nil)
	return c.(*LogisticRegressionModel)
}

func TestLogisticBadInput(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]float64{{1, 2, 0}, {2, 1, 1}, {3, 5, 2}, {1, 1, 0.5}}
	df3 := optimtest.Frame(t, s, mem, rows[:3], []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}, {Name: "label", Src: []int{2}}}, 1)
	dfFrac := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}, {Name: "label", Src: []int{2}}}, 1)
	dfNaN := optimtest.Frame(t, s, mem, [][]float64{{math.Inf(1), 0}, {1, 1}}, []optimtest.Col{{Name: "features", Src: []int{0}, Vec: true}, {Name: "label", Src: []int{1}}}, 1)
	cases := []struct {
		name string
		df   *frame.DataFrame
		lr   *LogisticRegression
		want string
	}{
		{"binomial with 3 classes", df3, NewLogisticRegression().SetFamily("binomial"), "binomial family supports"},
		{"fractional label", dfFrac, NewLogisticRegression(), "class indices"},
		{"infinite feature", dfNaN, NewLogisticRegression(), "non-finite"},
		{"label is a vector", df3, NewLogisticRegression().SetLabelCol("features"), "must be numeric"},
		{"bad thresholds", df3, NewLogisticRegression().SetThresholds([]float64{0.5, 0.5}), "thresholds has 2 values"},
		{"bad family", df3, NewLogisticRegression().SetFamily("poisson"), "family"},
	}
	for _, c := range cases {
		_, err := c.lr.Fit(ctx, c.df)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// BenchmarkLogisticRegressionFit fits a binomial model on 20 000 generated
// rows of 20 features, with the data in 1 or 2 partitions (the gradient is
// aggregated on one goroutine per partition).
func BenchmarkLogisticRegressionFit(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	const n, d = 20000, 20
	rows := make([][]float64, n)
	src := make([]int, d)
	for j := range src {
		src[j] = j
	}
	for i := range rows {
		row := make([]float64, d+1)
		m := 0.0
		for j := 0; j < d; j++ {
			row[j] = r.NormFloat64()
			m += row[j] * float64(j%5-2)
		}
		if r.Float64() < 1/(1+math.Exp(-m)) {
			row[d] = 1
		}
		rows[i] = row
	}
	for _, parts := range []int{1, 2} {
		b.Run(fmt.Sprintf("partitions=%d", parts), func(b *testing.B) {
			s := frame.NewSession()
			df := optimtest.Frame(b, s, memory.DefaultAllocator, rows, []optimtest.Col{{Name: "features", Src: src, Vec: true}, {Name: "label", Src: []int{d}}}, parts)
			lr := NewLogisticRegression().SetRegParam(0.01).SetMaxIter(30).SetTol(0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := lr.Fit(ctx, df); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
