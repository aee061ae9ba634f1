package optim

import (
	"context"
	"math"
	"testing"
)

// TestConvergedRule checks the stopping rule against Breeze's default
// check (FirstOrderMinimizer.defaultConvergenceCheck with Spark's tol 1e-6
// and fvalMemory 20), case by case with hand-made states.
func TestConvergedRule(t *testing.T) {
	cfg := Config{MaxIter: 100, Tol: 1e-6, FvalMemory: 20}
	flat := func(n int, v float64, withInf bool) []float64 {
		var w []float64
		if withInf {
			w = append(w, math.Inf(1))
		}
		for i := 0; i < n; i++ {
			w = append(w, v)
		}
		return w
	}
	big := []float64{1, 1} // gradient norm √2: never small enough here
	for _, c := range []struct {
		name   string
		iter   int
		window []float64
		fx, f0 float64
		pg     []float64
		want   string
	}{
		{"iteration limit", 100, flat(1, 0, true), 5, 10, big, "max iterations"},
		{"the starting point only", 0, flat(0, 0, true), 10, 10, big, ""},
		// 19 iterations: the +∞ is still in the window, whatever the values.
		{"flat but +inf still in the window", 19, flat(19, 5, true), 5, 10, big, ""},
		{"flat over 20 values", 20, flat(20, 5, false), 5, 10, big, "function values converged"},
		// Improvement over the window against Tol·|f0| = 1e-5 (f0 = 10).
		{"improvement 0.9·tol·|f0|", 25, append([]float64{5 + 0.9e-5}, flat(19, 5, false)...), 5, 10, big, "function values converged"},
		{"improvement 1.1·tol·|f0|", 25, append([]float64{5 + 1.1e-5}, flat(19, 5, false)...), 5, 10, big, ""},
		// Gradient: ‖(3e-7, 4e-7)‖ = 5e-7 against max(Tol·|f|, 1e-8).
		{"gradient below tol·|f|", 3, flat(3, 1, true), 1, 10, []float64{3e-7, 4e-7}, "gradient converged"},
		{"gradient above tol·|f|", 3, flat(3, 0.1, true), 0.1, 10, []float64{3e-7, 4e-7}, ""},
		{"gradient below the 1e-8 floor", 3, flat(3, 0, true), 0, 10, []float64{6e-9, 8e-9}, "gradient converged"},
		// Breeze's gradientConverged scales Tol by f itself: at f = −1 the
		// bound is max(−1e-6, 1e-8) = 1e-8, so ‖g‖ = 5e-7 does not stop.
		{"negative objective: only the 1e-8 floor", 3, flat(3, -1, true), -1, 10, []float64{3e-7, 4e-7}, ""},
		{"negative objective below the floor", 3, flat(3, -1, true), -1, 10, []float64{6e-9, 8e-9}, "gradient converged"},
	} {
		if got := converged(cfg, c.iter, c.window, c.fx, c.f0, c.pg); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestMinimizeWindow: on an ill-conditioned quadratic the function-value
// test cannot stop the run before FvalMemory iterations, and the history
// holds the starting value plus one value per iteration.
func TestMinimizeWindow(t *testing.T) {
	h := []float64{1, 1e-2, 1e-4, 1e-6}
	f := func(x, g []float64) (float64, error) {
		s := 0.0
		for i := range x {
			d := x[i] - 1
			s += 0.5 * h[i] * d * d
			g[i] = h[i] * d
		}
		return s + 1, nil
	}
	for _, mem := range []int{5, 20, 30} {
		r, err := Minimize(context.Background(), f, make([]float64, len(h)), nil, Config{FvalMemory: mem})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.History) != r.Iterations+1 {
			t.Fatalf("memory %d: history of %d for %d iterations", mem, len(r.History), r.Iterations)
		}
		if r.Reason == "function values converged" && r.Iterations < mem {
			t.Errorf("memory %d: stopped on function values after %d iterations", mem, r.Iterations)
		}
		if r.Reason == "" || !r.Converged {
			t.Errorf("memory %d: reason %q, converged %v", mem, r.Reason, r.Converged)
		}
	}
}

// TestMinimizeNoEarlyFunctionStop: with a large constant (f ≈ 1e6, so
// Tol·|f0| ≈ 1) every improvement is below Tol·|f0| from the first step,
// while the gradient (≈ 10 against Tol·|f| ≈ 1) is not small. Breeze's
// window starts with +∞, so the function-value test cannot stop the run
// before FvalMemory iterations: it must end on the gradient test.
func TestMinimizeNoEarlyFunctionStop(t *testing.T) {
	h := []float64{1e4, 2e4}
	f := func(x, g []float64) (float64, error) {
		s := 1e6
		for i := range x {
			d := x[i] - 1e-3
			s += 0.5 * h[i] * d * d
			g[i] = h[i] * d
		}
		return s, nil
	}
	r, err := Minimize(context.Background(), f, []float64{0, 0}, nil, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Reason != "gradient converged" {
		t.Fatalf("stopped on %q after %d iterations (history %v)", r.Reason, r.Iterations, r.History)
	}
	// The gradient test's bound, recomputed: ‖∇f(x)‖ ≤ Tol·|f(x)|.
	g := make([]float64, 2)
	fx, _ := f(r.X, g)
	if n := math.Hypot(g[0], g[1]); n > 1e-6*fx || r.Iterations >= 20 {
		t.Errorf("‖∇f‖ = %v (bound %v) after %d iterations", n, 1e-6*fx, r.Iterations)
	}
}

// TestMinimizeFirstStep: Breeze's LBFGS starts the first line search at
// step 1/‖d‖ (d = −∇f at the start), a unit move, also when ‖∇f‖ < 1. For
// f(x) = ½(x − 0.25)² from 0 the gradient is −0.25, so the first trial point
// is x = 1 (step 4), not 0.25.
func TestMinimizeFirstStep(t *testing.T) {
	var trials []float64
	f := func(x, g []float64) (float64, error) {
		trials = append(trials, x[0])
		d := x[0] - 0.25
		g[0] = d
		return 0.5 * d * d, nil
	}
	if _, err := Minimize(context.Background(), f, []float64{0}, nil, Config{MaxIter: 1}); err != nil {
		t.Fatal(err)
	}
	if len(trials) < 2 || math.Abs(trials[1]-1) > 1e-15 {
		t.Fatalf("trial points %v, want the first after the start at 1", trials)
	}
}
