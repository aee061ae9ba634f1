package classification

import (
	"math"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// mlpWeightsRef is testdata/ml/mlp_weights_reference.json, written by
// testdata/ml/make_mlp_weights_reference.py (numpy, scipy, scikit-learn).
type mlpWeightsRef struct {
	Layers          []int
	Rows            [][]float64
	InitialWeights  []float64
	InitialLoss     float64
	InitialGradient []float64
	Weights         []float64
	Loss            float64
	GradientNorm    float64
	LambdaMin       float64
	Probabilities   [][]float64
}

func l2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

// TestMultilayerPerceptronWeightsVsScipy compares the fitted weights of a
// network with a hidden layer ([2, 3, 3]) with scipy's minimizer started
// from the same initialWeights, on 1 and 4 partitions, and the loss and
// gradient at the initial weights with numpy's analytic ones.
//
// The tolerance on the weights comes from the reference's Hessian: away
// from the softmax's symmetry directions (adding one vector to every
// class's output weights, along which the gradient is zero so neither
// optimizer moves) the minimum is strict with smallest eigenvalue
// lambdaMin (6.0e-5), so near it |w − w*| ≤ |∇f(w)|/lambdaMin. L-BFGS
// runs with tol 0, so it stops as Breeze does once |∇f| ≤ 1e-8; scipy's
// point was refined to |∇f| ≈ 1e-16. The test asserts gspark's gradient
// norm is at most 1e-8 (converged), that the weights (of size up to 5)
// differ from scipy's by at most twice that bound plus 1e-9 for rounding
// (about 3e-4), and that the bound stays below 1e-3 so the check is real;
// a probability moves by at most about 10·|Δw| here.
func TestMultilayerPerceptronWeightsVsScipy(t *testing.T) {
	var ref mlpWeightsRef
	readJSONFile(t, "mlp_weights_reference.json", &ref)
	b := mlpBlock(ref.Rows)
	n := float64(b.N)
	grad := func(w []float64) (float64, []float64) {
		acc := make([]float64, len(w)+1)
		mlpLoss(b, ref.Layers, w, newMLPScratch(ref.Layers), acc)
		g := make([]float64, len(w))
		for i := range g {
			g[i] = acc[1+i] / n
		}
		return acc[0] / n, g
	}
	loss0, g0 := grad(ref.InitialWeights)
	if math.Abs(loss0-ref.InitialLoss) > 1e-10 {
		t.Fatalf("initial loss %v, numpy %v", loss0, ref.InitialLoss)
	}
	for i, g := range ref.InitialGradient {
		if math.Abs(g0[i]-g) > 1e-10 {
			t.Fatalf("initial gradient %d: %v, numpy %v", i, g0[i], g)
		}
	}
	if testing.Short() {
		// The fit to convergence (10,000 iterations, half a minute under
		// the race detector) runs in the plain test run; TestMLPTrainVsScipy
		// covers the parallel fit under -short.
		return
	}
	for _, parts := range []int{1, 4} {
		df := mlpRefFrame(t, &mlpRef{Rows: ref.Rows}, parts)
		m, err := NewMultilayerPerceptronClassifier().SetLayers(ref.Layers...).SetInitialWeights(ref.InitialWeights).
			SetMaxIter(10000).SetTol(0).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		w := m.Weights().ToArray()
		loss, g := grad(w)
		gn := l2(g)
		if gn > 1e-8 {
			t.Fatalf("parts=%d: gradient norm %v at gspark's weights: not converged", parts, gn)
		}
		bound := 2*(gn+ref.GradientNorm)/ref.LambdaMin + 1e-9
		if bound > 1e-3 {
			t.Fatalf("parts=%d: tolerance %v too loose to be a check", parts, bound)
		}
		diff := make([]float64, len(w))
		for i := range w {
			diff[i] = w[i] - ref.Weights[i]
		}
		if d := l2(diff); d > bound {
			t.Fatalf("parts=%d: |w - scipy's w| = %v > %v\ngspark %v\nscipy  %v", parts, d, bound, w, ref.Weights)
		} else {
			t.Logf("parts=%d: gradient norm %.3g, |w - scipy's w| = %.3g (tolerance %.3g), loss %.15g vs %.15g", parts, gn, d, bound, loss, ref.Loss)
		}
		if math.Abs(loss-ref.Loss) > 1e-11 {
			t.Errorf("parts=%d: loss %.15g, scipy %.15g", parts, loss, ref.Loss)
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
		if worst > 10*bound {
			t.Errorf("parts=%d: probabilities differ from scipy's by up to %v", parts, worst)
		}
	}
}
