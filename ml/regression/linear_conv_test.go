package regression

import (
	"math"
	"testing"

	"github.com/gspark/gspark/ml/optim/optimtest"
)

// TestLinearRegressionLBFGSDefaultTolerance: ridge through l-bfgs with
// Spark's defaults (tol 1e-6, maxIter 100) lands on the optimum found with
// tol 1e-15 to 1e-5 relative (Breeze's convergence rule; the former
// one-step relative-change test stopped 1.7% away). Its objective history
// starts at Spark's loss at zero coefficients: with an intercept the
// centered label over its sample standard deviation gives
// ½·Σ(y−ȳ)²/n / (Σ(y−ȳ)²/(n−1)) = ½·(n−1)/n, n = 442.
func TestLinearRegressionLBFGSDefaultTolerance(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)
	def, err := NewLinearRegression().SetSolver("l-bfgs").SetRegParam(0.5).FitLinear(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	tight, err := NewLinearRegression().SetSolver("l-bfgs").SetRegParam(0.5).SetTol(1e-15).SetMaxIter(10000).FitLinear(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	want := tight.Coefficients().ToArray()
	scale := 0.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	got := def.Coefficients().ToArray()
	for j := range got {
		if !optimtest.RelClose(got[j], want[j], 1e-5, 1e-3*scale) {
			t.Errorf("coefficient %d = %.10g, tight fit %.10g", j, got[j], want[j])
		}
	}
	if !optimtest.RelClose(def.Intercept(), tight.Intercept(), 1e-5, 1) {
		t.Errorf("intercept %.10g, tight fit %.10g", def.Intercept(), tight.Intercept())
	}
	sum := def.Summary()
	if sum.Solver != "l-bfgs" || sum.TotalIterations != len(sum.ObjectiveHistory)-1 || sum.TotalIterations < 1 {
		t.Fatalf("summary: solver %s, %d iterations, history %v", sum.Solver, sum.TotalIterations, sum.ObjectiveHistory)
	}
	if h0 := sum.ObjectiveHistory[0]; math.Abs(h0-0.5*441.0/442.0) > 1e-12 {
		t.Errorf("objective at the start = %.15g, want ½·441/442 = %.15g", h0, 0.5*441.0/442.0)
	}
}

// TestLinearRegressionAutoElasticNet: with an L1 part, "auto" solves the
// normal equations by OWL-QN (Spark's WeightedLeastSquares), so the
// objective uses population standard deviations:
//
//	F(w, b) = 1/(2n)‖y − Xw − b‖² + λ(1−α)/(2σ_y)·Σ(σⱼwⱼ)² + λα·Σσⱼ|wⱼ|
//
// The fit must satisfy F's subgradient conditions, computed naively here
// (with sample σ, the l-bfgs objective, they fail), and its objective
// history starts at ½ (the centered label over its population standard
// deviation, zero penalty).
func TestLinearRegressionAutoElasticNet(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 3)
	_, rows := optimtest.ReadCSV(t, "diabetes.csv")
	const lambda, alpha = 0.3, 0.5
	m, err := NewLinearRegression().SetRegParam(lambda).SetElasticNetParam(alpha).SetTol(1e-12).SetMaxIter(1000).FitLinear(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	sum := m.Summary()
	if sum.Solver != "normal" || sum.TotalIterations < 1 || len(sum.ObjectiveHistory) != sum.TotalIterations+1 {
		t.Fatalf("summary: solver %s, %d iterations, history length %d", sum.Solver, sum.TotalIterations, len(sum.ObjectiveHistory))
	}
	if h0 := sum.ObjectiveHistory[0]; math.Abs(h0-0.5) > 1e-12 {
		t.Errorf("objective at the start = %.15g, want 0.5", h0)
	}
	w, b := m.Coefficients().ToArray(), m.Intercept()
	n, d := float64(len(rows)), len(w)
	mean := make([]float64, d+1)
	for _, r := range rows {
		for j, v := range r {
			mean[j] += v / n
		}
	}
	sd := make([]float64, d+1) // population
	for _, r := range rows {
		for j, v := range r {
			sd[j] += (v - mean[j]) * (v - mean[j]) / n
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j])
	}
	sy := sd[d]
	grad := make([]float64, d)
	resSum := 0.0
	for _, r := range rows {
		res := r[d] - b
		for j := range w {
			res -= w[j] * r[j]
		}
		resSum += res
		for j := range w {
			grad[j] -= r[j] * res / n
		}
	}
	if math.Abs(resSum/n) > 1e-6*sy {
		t.Errorf("mean residual %v, want 0 (intercept optimality)", resSum/n)
	}
	for j := range w {
		g := grad[j] + lambda*(1-alpha)/sy*sd[j]*sd[j]*w[j]
		l1 := lambda * alpha * sd[j]
		switch {
		case w[j] != 0 && math.Abs(g+l1*math.Copysign(1, w[j])) > 1e-4*l1:
			t.Errorf("coefficient %d = %v: gradient %v, want %v", j, w[j], g, -l1*math.Copysign(1, w[j]))
		case w[j] == 0 && math.Abs(g) > l1*(1+1e-4):
			t.Errorf("coefficient %d = 0 but |gradient| %v > %v", j, math.Abs(g), l1)
		}
	}
}
