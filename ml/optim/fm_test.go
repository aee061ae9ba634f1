package optim

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

type fmReference struct {
	Rows                          [][]float64
	FactorSize                    int
	Initial                       []float64
	InitialLossRegression         float64
	InitialGradientRegression     []float64
	InitialLossClassification     float64
	InitialGradientClassification []float64
	Cases                         []struct {
		Logistic     bool
		Solver       string
		StepSize     float64
		RegParam     float64
		Iterations   int
		Coefficients []float64
		LossHistory  []float64
	}
}

func readFMReference(t *testing.T) *fmReference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ml", "fm_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref fmReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}

// fmBlocks splits the reference rows into parts blocks, label column lab
// (4: regression, 5: classification).
func fmBlocks(ref *fmReference, lab, parts int) []*Block {
	d := 4
	per := (len(ref.Rows) + parts - 1) / parts
	var out []*Block
	for p := 0; p < parts; p++ {
		b := &Block{D: d}
		for _, r := range ref.Rows[p*per : min((p+1)*per, len(ref.Rows))] {
			b.X = append(b.X, r[:d]...)
			b.Y = append(b.Y, r[lab])
			b.W = append(b.W, 1)
			b.N++
		}
		out = append(out, b)
	}
	return out
}

// TestFMLossGradient: FMLoss at the reference's initial coefficients
// against numpy's loss and gradient (pairwise-sum formulation), and its
// gradient against central differences at a random point, for both losses
// and with fitLinear/fitIntercept off.
func TestFMLossGradient(t *testing.T) {
	ref := readFMReference(t)
	for _, c := range []struct {
		lab      int
		logistic bool
		loss     float64
		grad     []float64
	}{{4, false, ref.InitialLossRegression, ref.InitialGradientRegression}, {5, true, ref.InitialLossClassification, ref.InitialGradientClassification}} {
		b := fmBlocks(ref, c.lab, 1)[0]
		cfg := &FMConfig{FactorSize: ref.FactorSize, FitLinear: true, FitIntercept: true, Logistic: c.logistic}
		acc := make([]float64, len(ref.Initial)+2)
		FMLoss(b, ref.Initial, cfg, nil, acc)
		if acc[1] != float64(b.N) || math.Abs(acc[0]/acc[1]-c.loss) > 1e-12 {
			t.Fatalf("logistic=%v: loss %v over %v rows, numpy %v", c.logistic, acc[0]/acc[1], acc[1], c.loss)
		}
		for i, g := range c.grad {
			if math.Abs(acc[2+i]/acc[1]-g) > 1e-12 {
				t.Fatalf("logistic=%v: gradient %d = %v, numpy %v", c.logistic, i, acc[2+i]/acc[1], g)
			}
		}
		for _, lin := range []bool{false, true} {
			cfg := &FMConfig{FactorSize: 2, FitLinear: lin, FitIntercept: !lin, Logistic: c.logistic}
			n := FMSize(4, 2, lin, !lin)
			w := make([]float64, n)
			for i := range w {
				w[i] = math.Sin(float64(3*i + 1))
			}
			f := func(w []float64) float64 {
				a := make([]float64, n+2)
				FMLoss(b, w, cfg, nil, a)
				return a[0]
			}
			g := make([]float64, n+2)
			FMLoss(b, w, cfg, nil, g)
			for i := range w {
				h := 1e-6
				wp, wm := append([]float64(nil), w...), append([]float64(nil), w...)
				wp[i] += h
				wm[i] -= h
				fd := (f(wp) - f(wm)) / (2 * h)
				if math.Abs(g[2+i]-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
					t.Errorf("logistic=%v linear=%v: gradient %d = %v, finite difference %v", c.logistic, lin, i, g[2+i], fd)
				}
			}
		}
	}
}

// TestFMTrainVsNumpy: 30 steps of gd and adamW (regParam 0.01) from the
// reference's initial coefficients reproduce numpy's coefficients and loss
// history, on 1 and 3 blocks.
func TestFMTrainVsNumpy(t *testing.T) {
	ref := readFMReference(t)
	for _, c := range ref.Cases {
		lab := 4
		if c.Logistic {
			lab = 5
		}
		for _, parts := range []int{1, 3} {
			cfg := FMConfig{FactorSize: ref.FactorSize, FitLinear: true, FitIntercept: true, RegParam: c.RegParam, MiniBatchFraction: 1,
				MaxIter: c.Iterations, StepSize: c.StepSize, Tol: 0, Solver: c.Solver, Logistic: c.Logistic, Init: ref.Initial}
			w, hist, err := FMTrain(context.Background(), fmBlocks(ref, lab, parts), cfg)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range w {
				if math.Abs(v-c.Coefficients[i]) > 1e-9*math.Max(1, math.Abs(v)) {
					t.Fatalf("%s logistic=%v parts=%d: coefficient %d = %v, numpy %v", c.Solver, c.Logistic, parts, i, v, c.Coefficients[i])
				}
			}
			if len(hist) != len(c.LossHistory) {
				t.Fatalf("%s: %d losses, numpy %d", c.Solver, len(hist), len(c.LossHistory))
			}
			for i, v := range hist {
				if math.Abs(v-c.LossHistory[i]) > 1e-9*math.Max(1, math.Abs(v)) {
					t.Fatalf("%s logistic=%v: loss %d = %v, numpy %v", c.Solver, c.Logistic, i, v, c.LossHistory[i])
				}
			}
		}
	}
}
