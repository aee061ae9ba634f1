package regression

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// readJSON decodes testdata/ml/name into v.
func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// floatColumn collects the float column col of df in row order.
func floatColumn(t *testing.T, df *frame.DataFrame, col string) []float64 {
	t.Helper()
	rows, err := df.Select(frame.Col(col)).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(rows))
	for i, r := range rows {
		if r[0] == nil {
			out[i] = math.NaN()
			continue
		}
		out[i] = r[0].(float64)
	}
	return out
}

type isoCase struct {
	X, Y, W                 []float64
	Isotonic                bool
	Boundaries, Predictions []float64
	Test, TestPredictions   []float64
}

func closeSlices(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
			return false
		}
	}
	return true
}

// TestIsotonicVsSklearn compares boundaries, predictions and interpolated
// predictions with scikit-learn's IsotonicRegression (out_of_bounds="clip"),
// made by testdata/ml/make_isotonic_reference.py: increasing, decreasing,
// weighted and with tied features, the features as a double column and as
// the second entry of a vector, on 1 and 4 partitions.
func TestIsotonicVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	var cases map[string]isoCase
	readJSON(t, "isotonic_reference.json", &cases)
	if len(cases) != 5 {
		t.Fatalf("reference has %d cases", len(cases))
	}
	for name, c := range cases {
		rows := make([][]float64, len(c.X))
		for i := range rows {
			w := 1.0
			if c.W != nil {
				w = c.W[i]
			}
			rows[i] = []float64{c.X[i], c.Y[i], w, -7}
		}
		cols := []optimtest.Col{{Name: "x", Src: []int{0}}, {Name: "label", Src: []int{1}}, {Name: "w", Src: []int{2}}, {Name: "features", Src: []int{3, 0}, Vec: true}}
		for _, parts := range []int{1, 4} {
			df := optimtest.Frame(t, s, mem, rows, cols, parts)
			for _, vec := range []bool{false, true} {
				est := NewIsotonicRegression().SetIsotonic(c.Isotonic)
				if vec {
					est.SetFeatureIndex(1)
				} else {
					est.SetFeaturesCol("x")
				}
				if c.W != nil {
					est.SetWeightCol("w")
				}
				m, err := est.FitModel(ctx, df)
				if err != nil {
					t.Fatal(err)
				}
				what := name + map[bool]string{false: " double", true: " vector"}[vec]
				if got := m.Boundaries().ToArray(); !closeSlices(got, c.Boundaries, 0) {
					t.Errorf("%s parts=%d: boundaries %v, sklearn %v", what, parts, got, c.Boundaries)
				}
				if got := m.Predictions().ToArray(); !closeSlices(got, c.Predictions, 1e-12) {
					t.Errorf("%s parts=%d: predictions %v, sklearn %v", what, parts, got, c.Predictions)
				}
				for i, x := range c.Test {
					if got := m.Predict(x); math.Abs(got-c.TestPredictions[i]) > 1e-12*math.Max(1, math.Abs(got)) {
						t.Errorf("%s parts=%d: predict(%v) = %v, sklearn %v", what, parts, x, got, c.TestPredictions[i])
					}
				}
				if vec && parts == 4 {
					test := make([][]float64, len(c.Test))
					for i, x := range c.Test {
						test[i] = []float64{x, 0, 0, 0}
					}
					tf := optimtest.Frame(t, s, mem, test, []optimtest.Col{{Name: "features", Src: []int{1, 0}, Vec: true}}, 2)
					out, err := m.Transform(tf)
					if err != nil {
						t.Fatal(err)
					}
					if got := floatColumn(t, out, "prediction"); !closeSlices(got, c.TestPredictions, 1e-12) {
						t.Errorf("%s: Transform %v, sklearn %v", what, got, c.TestPredictions)
					}
				}
			}
		}
	}
}

// TestIsotonicHand checks a case worked by hand: y = 1, 3, 2, 4 at
// x = 1..4 pools (3, 2) into 2.5; boundaries 1, 2, 3, 4 with values 1, 2.5,
// 2.5, 4; ties at x = 5 with labels 6 and 8 (weights 1 and 3) pool to 7.5.
func TestIsotonicHand(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]float64{{1, 1, 1}, {2, 3, 1}, {3, 2, 1}, {4, 4, 1}, {5, 6, 1}, {5, 8, 3}, {6, 0, 0}}
	df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "features", Src: []int{0}}, {Name: "label", Src: []int{1}}, {Name: "w", Src: []int{2}}}, 3)
	m, err := NewIsotonicRegression().SetWeightCol("w").FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if b, p := m.Boundaries().ToArray(), m.Predictions().ToArray(); !closeSlices(b, []float64{1, 2, 3, 4, 5}, 0) || !closeSlices(p, []float64{1, 2.5, 2.5, 4, 7.5}, 1e-15) {
		t.Fatalf("boundaries %v predictions %v", b, p)
	}
	for x, want := range map[float64]float64{0: 1, 1.5: 1.75, 2.7: 2.5, 4.5: 5.75, 9: 7.5} {
		if got := m.Predict(x); math.Abs(got-want) > 1e-12 {
			t.Errorf("predict(%v) = %v, want %v", x, got, want)
		}
	}
	// Equal adjacent values form one block (Spark 3 merges on >=, sklearn
	// drops the middle points): boundaries 1, 2, 4, 5.
	flat := optimtest.Frame(t, s, mem, [][]float64{{1, 1}, {2, 2}, {3, 2}, {4, 2}, {5, 3}}, []optimtest.Col{{Name: "features", Src: []int{0}}, {Name: "label", Src: []int{1}}}, 2)
	fm, err := NewIsotonicRegression().FitModel(ctx, flat)
	if err != nil {
		t.Fatal(err)
	}
	if b := fm.Boundaries().ToArray(); !closeSlices(b, []float64{1, 2, 4, 5}, 0) {
		t.Fatalf("flat run: boundaries %v, want [1 2 4 5]", b)
	}
	dir := filepath.Join(t.TempDir(), "m")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*IsotonicRegressionModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if back.UID() != m.UID() || !closeSlices(back.Boundaries().ToArray(), m.Boundaries().ToArray(), 0) ||
		!closeSlices(back.Predictions().ToArray(), m.Predictions().ToArray(), 0) || back.Params().UID() != m.UID() {
		t.Fatalf("loaded %v %v", back.Boundaries(), back.Predictions())
	}
	if w, _ := back.Params().Get("weightCol"); w != "w" {
		t.Fatalf("loaded weightCol %v", w)
	}
	est := NewIsotonicRegression().SetIsotonic(false).SetFeatureIndex(2)
	edir := filepath.Join(t.TempDir(), "e")
	if err := est.Save(edir); err != nil {
		t.Fatal(err)
	}
	eb, err := ml.LoadAs[*IsotonicRegression](ctx, edir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if iso, _ := eb.Params().Get("isotonic"); iso != false {
		t.Fatalf("loaded isotonic %v", iso)
	}
	if _, err := NewIsotonicRegression().SetLabelCol("y").FitModel(ctx, df); err == nil || !strings.Contains(err.Error(), `"y" does not exist`) {
		t.Fatalf("missing label: %v", err)
	}
}

// TestIsotonicSparkGuide fits Spark's ML guide example: IsotonicRegression
// with defaults on data/mllib/sample_isotonic_regression_libsvm_data.txt
// (copied to testdata/ml), and compares the boundaries and predictions with
// the ones the example prints when run with Spark.
func TestIsotonicSparkGuide(t *testing.T) {
	s, _ := newSession(t)
	wantB := []float64{0.01, 0.17, 0.18, 0.27, 0.28, 0.29, 0.3, 0.31, 0.34, 0.35, 0.36, 0.41, 0.42, 0.71, 0.72, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 1.0}
	wantP := []float64{0.15715271294117644, 0.15715271294117644, 0.189138196, 0.189138196, 0.20040796, 0.29576747, 0.43396226, 0.5081591025000001, 0.5081591025000001, 0.54156043, 0.5504844466666667, 0.5504844466666667, 0.563929967, 0.563929967, 0.5660377366666667, 0.5660377366666667, 0.56603774, 0.57929628, 0.64762876, 0.66241713, 0.67210607, 0.67210607, 0.674655785, 0.674655785, 0.73890872, 0.73992861, 0.84242733, 0.89673636, 0.89673636, 0.90719021, 0.9272055075, 0.9272055075}
	for _, parts := range []int{1, 4} {
		df := s.Read().Format("libsvm").Load(filepath.Join(optimtest.Dir(), "sample_isotonic_regression_libsvm_data.txt")).Repartition(parts)
		m, err := NewIsotonicRegression().FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Boundaries().ToArray(); !closeSlices(got, wantB, 1e-15) {
			t.Errorf("parts=%d: boundaries %v, Spark %v", parts, got, wantB)
		}
		if got := m.Predictions().ToArray(); !closeSlices(got, wantP, 1e-12) {
			t.Errorf("parts=%d: predictions %v, Spark %v", parts, got, wantP)
		}
	}
}
