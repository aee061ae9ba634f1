package classification

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

type mlpRef struct {
	Layers          []int
	Rows            [][]float64
	InitialWeights  []float64
	InitialLoss     float64
	InitialGradient []float64
	Loss            float64
	Probabilities   [][]float64
	GdStepSize      float64
	GdIterations    int
	GdWeights       []float64
	Weights         []float64
	Softmax         *mlpRef
}

func mlpRefFrame(t *testing.T, ref *mlpRef, parts int) *frame.DataFrame {
	t.Helper()
	s, mem := newSession(t)
	return optimtest.Frame(t, s, mem, ref.Rows, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}, {Name: "label", Src: []int{2}}}, parts)
}

func mlpBlock(rows [][]float64) *optim.Block {
	b := &optim.Block{N: len(rows), D: len(rows[0]) - 1}
	for _, r := range rows {
		b.X = append(b.X, r[:b.D]...)
		b.Y = append(b.Y, r[b.D])
		b.W = append(b.W, 1)
	}
	return b
}

// TestMLPLossGradient checks the loss and gradient at the reference's
// initial weights against numpy's (testdata/ml/make_mlp_reference.py) and
// the gradient against central differences of the loss, for a deeper
// topology too.
func TestMLPLossGradient(t *testing.T) {
	var ref mlpRef
	readJSONFile(t, "mlp_reference.json", &ref)
	b := mlpBlock(ref.Rows)
	n := float64(b.N)
	acc := make([]float64, len(ref.InitialWeights)+1)
	mlpLoss(b, ref.Layers, ref.InitialWeights, newMLPScratch(ref.Layers), acc)
	if got := acc[0] / n; math.Abs(got-ref.InitialLoss) > 1e-12 {
		t.Fatalf("loss %v, numpy %v", got, ref.InitialLoss)
	}
	for i, g := range ref.InitialGradient {
		if math.Abs(acc[1+i]/n-g) > 1e-12 {
			t.Fatalf("gradient %d: %v, numpy %v", i, acc[1+i]/n, g)
		}
	}
	layers := []int{2, 4, 3, 3}
	w := mlpRandomWeights(layers, 7)
	rows := ref.Rows[:40]
	small := mlpBlock(rows)
	f := func(w []float64) float64 {
		a := make([]float64, len(w)+1)
		mlpLoss(small, layers, w, newMLPScratch(layers), a)
		return a[0]
	}
	g := make([]float64, len(w)+1)
	mlpLoss(small, layers, w, newMLPScratch(layers), g)
	for i := range w {
		h := 1e-5
		wp, wm := append([]float64(nil), w...), append([]float64(nil), w...)
		wp[i] += h
		wm[i] -= h
		fd := (f(wp) - f(wm)) / (2 * h)
		if math.Abs(g[1+i]-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
			t.Errorf("weight %d: gradient %v, finite difference %v", i, g[1+i], fd)
		}
	}
}

// TestMLPTrainVsScipy, on 1 and 4 partitions: with no hidden layer (a
// convex problem) L-BFGS from the reference's initial weights reaches
// scipy's minimizer; with a hidden layer, whose minimum has flat valleys
// where optimizers stall at different points (see the script), the loss
// ends within 1% of scipy's and the class probabilities within 0.2; gd
// reproduces 40 steps of Spark's gradient descent rule computed in numpy.
func TestMLPTrainVsScipy(t *testing.T) {
	var ref mlpRef
	readJSONFile(t, "mlp_reference.json", &ref)
	b := mlpBlock(ref.Rows)
	for _, parts := range []int{1, 4} {
		df := mlpRefFrame(t, &ref, parts)
		m, err := NewMultilayerPerceptronClassifier().SetLayers(ref.Layers...).SetInitialWeights(ref.InitialWeights).
			SetMaxIter(5000).SetTol(1e-12).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		w := m.Weights().ToArray()
		acc := make([]float64, len(w)+1)
		mlpLoss(b, ref.Layers, w, newMLPScratch(ref.Layers), acc)
		loss := acc[0] / float64(b.N)
		if math.Abs(loss-ref.Loss) > 0.01*ref.Loss {
			t.Errorf("parts=%d: loss %.10g, scipy %.10g", parts, loss, ref.Loss)
		}
		out, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := out.Select(frame.Col("probability")).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for i, r := range rows {
			p := r[0].(linalg.Vector).ToArray()
			for k := range p {
				worst = math.Max(worst, math.Abs(p[k]-ref.Probabilities[i][k]))
			}
		}
		if worst > 0.2 {
			t.Errorf("parts=%d: probabilities differ from scipy's by up to %v", parts, worst)
		}

		sm := ref.Softmax
		smm, err := NewMultilayerPerceptronClassifier().SetLayers(sm.Layers...).SetInitialWeights(sm.InitialWeights).
			SetMaxIter(1000).SetTol(1e-12).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range smm.Weights().ToArray() {
			if math.Abs(v-sm.Weights[i]) > 1e-6*math.Max(1, math.Abs(v)) {
				t.Fatalf("parts=%d: softmax weights %v, scipy %v", parts, smm.Weights(), sm.Weights)
			}
		}

		gm, err := NewMultilayerPerceptronClassifier().SetLayers(ref.Layers...).SetInitialWeights(ref.InitialWeights).
			SetSolver("gd").SetStepSize(ref.GdStepSize).SetMaxIter(ref.GdIterations).SetTol(0).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range gm.Weights().ToArray() {
			if math.Abs(v-ref.GdWeights[i]) > 1e-9*math.Max(1, math.Abs(v)) {
				t.Fatalf("parts=%d: gd weight %d = %v, numpy %v", parts, i, v, ref.GdWeights[i])
			}
		}
	}
}

func TestMLPTrainSeedPersistBadInput(t *testing.T) {
	var ref mlpRef
	readJSONFile(t, "mlp_reference.json", &ref)
	ref.Rows = ref.Rows[:200]
	df := mlpRefFrame(t, &ref, 2)
	est := NewMultilayerPerceptronClassifier().SetLayers(2, 5, 3).SetSeed(42).SetMaxIter(50)
	m1, err := est.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := est.FitModel(ctx, mlpRefFrame(t, &ref, 3))
	if err != nil {
		t.Fatal(err)
	}
	m1b, err := est.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if !linalg.Equal(m1.Weights(), m1b.Weights()) {
		t.Fatal("the same seed gave different weights")
	}
	for i, v := range m2.Weights().ToArray() {
		if math.Abs(v-m1.Weights().ToArray()[i]) > 1e-6*math.Max(1, math.Abs(v)) {
			t.Fatalf("2 and 3 partitions: %v vs %v", m1.Weights(), m2.Weights())
		}
	}
	m3, err := NewMultilayerPerceptronClassifier().SetLayers(2, 5, 3).SetSeed(43).SetMaxIter(50).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if linalg.Equal(m1.Weights(), m3.Weights()) {
		t.Fatal("different seeds gave the same weights")
	}
	dir := filepath.Join(t.TempDir(), "e")
	if err := est.SetSolver("gd").SetStepSize(0.1).Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*MultilayerPerceptronClassifier](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := back.Params().Get("layers"); len(l.([]int)) != 3 {
		t.Fatalf("loaded layers %v", l)
	}
	if s, _ := back.Params().Get("seed"); s != int64(42) {
		t.Fatalf("loaded seed %v (%T)", s, s)
	}
	mdir := filepath.Join(t.TempDir(), "m")
	if err := m1.Save(mdir); err != nil {
		t.Fatal(err)
	}
	mb, err := ml.LoadAs[*MultilayerPerceptronClassificationModel](ctx, mdir, Register(ml.NewRegistry()))
	if err != nil || !linalg.Equal(mb.Weights(), m1.Weights()) {
		t.Fatalf("loaded model: %v", err)
	}
	for _, c := range []struct {
		est  *MultilayerPerceptronClassifier
		want string
	}{
		{NewMultilayerPerceptronClassifier(), "layers is not set"},
		{NewMultilayerPerceptronClassifier().SetLayers(3, 3), "layers[0] is 3"},
		{NewMultilayerPerceptronClassifier().SetLayers(2, 2), "class index in [0, 2)"},
		{NewMultilayerPerceptronClassifier().SetLayers(2, 3).SetInitialWeights([]float64{1}), "initialWeights has 1"},
		{NewMultilayerPerceptronClassifier().SetLayers(2, 3).SetSolver("adam"), "solver"},
	} {
		if _, err := c.est.FitModel(ctx, df); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
	}
}
