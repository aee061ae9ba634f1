package classification

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// TestFMClassifier fits the classification rows of
// testdata/ml/fm_reference.json on 1 and 4 partitions: the models agree,
// rawPrediction is [−raw, raw] with raw the pairwise formula
// b + Σ wᵢxᵢ + Σ_{i<j} ⟨vᵢ, vⱼ⟩ xᵢxⱼ, probability its sigmoid, prediction
// p > 0.5; the training log-loss beats the base rate's; save and load.
func TestFMClassifier(t *testing.T) {
	s, mem := newSession(t)
	var ref struct{ Rows [][]float64 }
	readJSONFile(t, "fm_reference.json", &ref)
	cols := []optimtest.Col{{Name: "features", Src: []int{0, 1, 2, 3}, Vec: true}, {Name: "label", Src: []int{5}}}
	est := NewFMClassifier().SetFactorSize(2).SetStepSize(0.05).SetMaxIter(200).SetSeed(9)
	var models []*FMClassificationModel
	for _, parts := range []int{1, 4} {
		m, err := est.FitModel(ctx, optimtest.Frame(t, s, mem, ref.Rows, cols, parts))
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	a, b := models[0], models[1]
	if math.Abs(a.Intercept()-b.Intercept()) > 1e-9 || math.Abs(a.Linear().ToArray()[2]-b.Linear().ToArray()[2]) > 1e-9 {
		t.Fatalf("1 and 4 partitions: %v %v vs %v %v", a.Intercept(), a.Linear(), b.Intercept(), b.Linear())
	}
	df := optimtest.Frame(t, s, mem, ref.Rows, cols, 3)
	out, err := a.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := out.Select(frame.Col("rawPrediction"), frame.Col("probability"), frame.Col("prediction")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base := 0.0
	for _, r := range ref.Rows {
		base += r[5] / float64(len(ref.Rows))
	}
	loss, baseLoss := 0.0, 0.0
	w, v := a.Linear().ToArray(), a.Factors()
	for i, r := range ref.Rows {
		x := r[:4]
		want := a.Intercept()
		for p := range x {
			want += w[p] * x[p]
			for q := p + 1; q < len(x); q++ {
				for f := range v[p] {
					want += v[p][f] * v[q][f] * x[p] * x[q]
				}
			}
		}
		raw := rows[i][0].(linalg.Vector).ToArray()
		prob := rows[i][1].(linalg.Vector).ToArray()
		pw := 1 / (1 + math.Exp(-want))
		if math.Abs(raw[1]-want) > 1e-12*math.Max(1, math.Abs(want)) || raw[0] != -raw[1] || math.Abs(prob[1]-pw) > 1e-12 || math.Abs(prob[0]+prob[1]-1) > 1e-15 {
			t.Fatalf("row %d: raw %v probability %v, pairwise formula %v (p %v)", i, raw, prob, want, pw)
		}
		if pred := rows[i][2].(float64); pred != map[bool]float64{false: 0, true: 1}[pw > 0.5] {
			t.Fatalf("row %d: prediction %v with p %v", i, pred, pw)
		}
		if r[5] == 1 {
			loss -= math.Log(pw)
			baseLoss -= math.Log(base)
		} else {
			loss -= math.Log(1 - pw)
			baseLoss -= math.Log(1 - base)
		}
	}
	if loss >= 0.95*baseLoss {
		t.Errorf("training log-loss %v, base rate's %v", loss, baseLoss)
	}
	dir := filepath.Join(t.TempDir(), "m")
	if err := a.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*FMClassificationModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	x := linalg.Dense(0.3, -1, 2, 0.5)
	r1, _ := a.Raw(x)
	r2, err := back.Raw(x)
	if err != nil || r1 != r2 {
		t.Fatalf("loaded raw %v, saved %v (%v)", r2, r1, err)
	}
	edir := filepath.Join(t.TempDir(), "e")
	if err := est.Save(edir); err != nil {
		t.Fatal(err)
	}
	if e, err := ml.LoadAs[*FMClassifier](ctx, edir, Register(ml.NewRegistry())); err != nil {
		t.Fatal(err)
	} else if sd, _ := e.Params().Get("seed"); sd != int64(9) {
		t.Fatalf("loaded seed %v", sd)
	}
	bad := optimtest.Frame(t, s, mem, [][]float64{{1, 2, 2}, {2, 1, 0}}, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}, {Name: "label", Src: []int{2}}}, 1)
	if _, err := NewFMClassifier().FitModel(ctx, bad); err == nil || !strings.Contains(err.Error(), "labels must be 0 or 1") {
		t.Fatalf("label 2: %v", err)
	}
}
