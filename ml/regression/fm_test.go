package regression

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// fmPairwise is the factorization machine written with the explicit
// pairwise sum: b + Σ wᵢxᵢ + Σ_{i<j} ⟨vᵢ, vⱼ⟩ xᵢxⱼ.
func fmPairwise(x []float64, b float64, w []float64, v [][]float64) float64 {
	p := b
	for i := range x {
		p += w[i] * x[i]
		for j := i + 1; j < len(x); j++ {
			dot := 0.0
			for f := range v[i] {
				dot += v[i][f] * v[j][f]
			}
			p += dot * x[i] * x[j]
		}
	}
	return p
}

// TestFMRegressor fits the rows of testdata/ml/fm_reference.json (label
// 1 + linear + 0.8·x0·x1 + noise) on 1 and 4 partitions: the models agree,
// the interaction is learned (training MSE below a third of the label
// variance), predictions equal the pairwise formula, Spark's defaults hold
// and the model survives save and load.
func TestFMRegressor(t *testing.T) {
	s, mem := newSession(t)
	var ref struct{ Rows [][]float64 }
	readJSON(t, "fm_reference.json", &ref)
	cols := []optimtest.Col{{Name: "features", Src: []int{0, 1, 2, 3}, Vec: true}, {Name: "label", Src: []int{4}}}
	est := NewFMRegressor().SetFactorSize(2).SetStepSize(0.05).SetMaxIter(300).SetSeed(3)
	var models []*FMRegressionModel
	for _, parts := range []int{1, 4} {
		m, err := est.FitModel(ctx, optimtest.Frame(t, s, mem, ref.Rows, cols, parts))
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	a, b := models[0], models[1]
	if math.Abs(a.Intercept()-b.Intercept()) > 1e-9 || !closeSlices(a.Linear().ToArray(), b.Linear().ToArray(), 1e-9) {
		t.Fatalf("1 and 4 partitions: %v %v vs %v %v", a.Intercept(), a.Linear(), b.Intercept(), b.Linear())
	}
	mean, varY, mse := 0.0, 0.0, 0.0
	for _, r := range ref.Rows {
		mean += r[4] / float64(len(ref.Rows))
	}
	for _, r := range ref.Rows {
		p, err := a.Predict(linalg.Dense(r[:4]...))
		if err != nil {
			t.Fatal(err)
		}
		if want := fmPairwise(r[:4], a.Intercept(), a.Linear().ToArray(), a.Factors()); math.Abs(p-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Fatalf("Predict %v, pairwise formula %v", p, want)
		}
		varY += (r[4] - mean) * (r[4] - mean)
		mse += (p - r[4]) * (p - r[4])
	}
	if mse > varY/3 {
		t.Errorf("training MSE %v, label variance %v", mse/float64(len(ref.Rows)), varY/float64(len(ref.Rows)))
	}
	df := optimtest.Frame(t, s, mem, ref.Rows[:5], cols, 2)
	out, err := a.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range floatColumn(t, out, "prediction") {
		if want, _ := a.Predict(linalg.Dense(ref.Rows[i][:4]...)); p != want {
			t.Fatalf("row %d: Transform %v, Predict %v", i, p, want)
		}
	}
	for name, want := range map[string]any{"factorSize": 8, "stepSize": 1.0, "solver": "adamW", "initStd": 0.01, "maxIter": 100, "tol": 1e-6, "miniBatchFraction": 1.0, "regParam": 0.0, "fitLinear": true} {
		if got, _ := NewFMRegressor().Params().Get(name); got != want {
			t.Errorf("default %s = %v, Spark's %v", name, got, want)
		}
	}
	dir := filepath.Join(t.TempDir(), "m")
	if err := a.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*FMRegressionModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	x := linalg.Dense(0.3, -1, 2, 0.5)
	p1, _ := a.Predict(x)
	p2, err := back.Predict(x)
	if err != nil || p1 != p2 || back.Params().UID() != a.UID() {
		t.Fatalf("loaded model predicts %v, saved %v (%v)", p2, p1, err)
	}
	edir := filepath.Join(t.TempDir(), "e")
	if err := est.Save(edir); err != nil {
		t.Fatal(err)
	}
	if e, err := ml.LoadAs[*FMRegressor](ctx, edir, Register(ml.NewRegistry())); err != nil {
		t.Fatal(err)
	} else if k, _ := e.Params().Get("factorSize"); k != 2 {
		t.Fatalf("loaded factorSize %v", k)
	}
}
