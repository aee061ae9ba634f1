package classification

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// readJSONFile decodes testdata/ml/name into v.
func readJSONFile(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// collectOVR returns the rawPrediction vectors and predictions of out.
func collectOVR(t *testing.T, out *frame.DataFrame) ([][]float64, []float64) {
	t.Helper()
	rows, err := out.Select(frame.Col("rawPrediction"), frame.Col("prediction")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw := make([][]float64, len(rows))
	pred := make([]float64, len(rows))
	for i, r := range rows {
		raw[i] = r[0].(linalg.Vector).ToArray()
		pred[i] = r[1].(float64)
	}
	return raw, pred
}

// TestOneVsRestVsSklearn: OneVsRest over binary LogisticRegression on iris
// against scikit-learn's OneVsRestClassifier(LogisticRegression) with the
// objective mapped to Spark's (testdata/ml/make_onevsrest_reference.py):
// per-class coefficients, rawPrediction (each class's margin) and
// predictions, on 1 and 4 partitions and with parallelism 1 and 3.
func TestOneVsRestVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	var ref struct {
		RegParam      float64
		Coefficients  [][]float64
		Intercepts    []float64
		RawPrediction [][]float64
		Prediction    []float64
	}
	readJSONFile(t, "onevsrest_reference.json", &ref)
	for _, parts := range []int{1, 4} {
		df := optimtest.Labeled(t, s, mem, "iris.csv", parts)
		lr := NewLogisticRegression().SetRegParam(ref.RegParam).SetTol(1e-12).SetMaxIter(1000)
		m, err := NewOneVsRest(lr).SetParallelism(1+2*(parts/4)).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		if m.NumClasses() != 3 {
			t.Fatalf("numClasses %d", m.NumClasses())
		}
		coef := make([][]float64, 3)
		icpt := make([]float64, 3)
		for k, bm := range m.Models() {
			lm := bm.(*LogisticRegressionModel)
			coef[k], icpt[k] = lm.Coefficients().ToArray(), lm.Intercept()
		}
		checkMatrix(t, "ovr iris", coef, icpt, ref.Coefficients, ref.Intercepts)
		out, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(out.Schema().Fields()), len(df.Schema().Fields())+2; got != want {
			t.Fatalf("output has %d columns, want %d: %v", got, want, out.Schema())
		}
		raw, pred := collectOVR(t, out)
		for i := range raw {
			for k := range raw[i] {
				if math.Abs(raw[i][k]-ref.RawPrediction[i][k]) > 1e-4*math.Max(1, math.Abs(ref.RawPrediction[i][k])) {
					t.Fatalf("parts=%d row %d: rawPrediction %v, sklearn %v", parts, i, raw[i], ref.RawPrediction[i])
				}
			}
			if pred[i] != ref.Prediction[i] {
				t.Errorf("parts=%d row %d: prediction %v, sklearn %v", parts, i, pred[i], ref.Prediction[i])
			}
		}
	}
}

// TestOneVsRestWeightsPersist: rows of weight 0 weigh as if absent (so
// weightCol reaches the base classifier), and the estimator and model
// survive a save and load.
func TestOneVsRestWeightsPersist(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "iris.csv")
	wrows := make([][]float64, len(rows))
	var kept [][]float64
	for i, r := range rows {
		w := 1.0
		if i%7 == 0 {
			w = 0
		} else {
			kept = append(kept, r)
		}
		wrows[i] = append(append([]float64(nil), r...), w)
	}
	feat := optimtest.Col{Name: "features", Src: []int{0, 1, 2, 3}, Vec: true}
	wdf := optimtest.Frame(t, s, mem, wrows, []optimtest.Col{feat, {Name: "label", Src: []int{4}}, {Name: "w", Src: []int{5}}}, 3)
	kdf := optimtest.Frame(t, s, mem, kept, []optimtest.Col{feat, {Name: "label", Src: []int{4}}}, 2)
	lr := NewLogisticRegression().SetRegParam(0.05).SetTol(1e-12).SetMaxIter(1000)
	wm, err := NewOneVsRest(lr).SetWeightCol("w").FitModel(ctx, wdf)
	if err != nil {
		t.Fatal(err)
	}
	km, err := NewOneVsRest(lr).FitModel(ctx, kdf)
	if err != nil {
		t.Fatal(err)
	}
	for k := range wm.Models() {
		a := wm.Models()[k].(*LogisticRegressionModel).Coefficients().ToArray()
		b := km.Models()[k].(*LogisticRegressionModel).Coefficients().ToArray()
		for j := range a {
			if math.Abs(a[j]-b[j]) > 1e-6*math.Max(1, math.Abs(b[j])) {
				t.Fatalf("class %d: weighted %v, subset %v", k, a, b)
			}
		}
	}
	dir := filepath.Join(t.TempDir(), "m")
	if err := wm.Save(dir); err != nil {
		t.Fatal(err)
	}
	reg := Register(ml.NewRegistry())
	back, err := ml.LoadAs[*OneVsRestModel](ctx, dir, reg)
	if err != nil {
		t.Fatal(err)
	}
	o1, err := wm.Transform(kdf)
	if err != nil {
		t.Fatal(err)
	}
	o2, err := back.Transform(kdf)
	if err != nil {
		t.Fatal(err)
	}
	r1, p1 := collectOVR(t, o1)
	r2, p2 := collectOVR(t, o2)
	for i := range r1 {
		if p1[i] != p2[i] || !linalg.Equal(linalg.Dense(r1[i]...), linalg.Dense(r2[i]...)) {
			t.Fatalf("row %d: loaded model gives %v %v, saved %v %v", i, r2[i], p2[i], r1[i], p1[i])
		}
	}
	est := NewOneVsRest(NewLogisticRegression().SetRegParam(0.3)).SetParallelism(2)
	edir := filepath.Join(t.TempDir(), "e")
	if err := est.Save(edir); err != nil {
		t.Fatal(err)
	}
	eb, err := ml.LoadAs[*OneVsRest](ctx, edir, reg)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := eb.Classifier().Params().Get("regParam"); r != 0.3 {
		t.Fatalf("loaded classifier regParam %v", r)
	}
	if p, _ := eb.Params().Get("parallelism"); p != 2 {
		t.Fatalf("loaded parallelism %v", p)
	}
	bad := optimtest.Frame(t, s, mem, [][]float64{{1, 2, 0.5}, {2, 1, 1}}, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}, {Name: "label", Src: []int{2}}}, 1)
	if _, err := NewOneVsRest(lr).FitModel(ctx, bad); err == nil || !strings.Contains(err.Error(), "class indices") {
		t.Fatalf("fractional label: %v", err)
	}
	if _, err := NewOneVsRest(nil).FitModel(ctx, bad); err == nil || !strings.Contains(err.Error(), "base classifier is not set") {
		t.Fatalf("no classifier: %v", err)
	}
}
