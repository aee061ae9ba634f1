package optim

import (
	"context"
	"math"
	"testing"
)

func TestMinimizeRosenbrock(t *testing.T) {
	f := func(x, g []float64) (float64, error) {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		g[0] = -2*a - 400*x[0]*b
		g[1] = 200 * b
		return a*a + 100*b*b, nil
	}
	r, err := Minimize(context.Background(), f, []float64{-1.2, 1}, nil, Config{MaxIter: 1000, Tol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.X[0]-1) > 1e-6 || math.Abs(r.X[1]-1) > 1e-6 {
		t.Fatalf("got %v after %d iterations", r.X, r.Iterations)
	}
}

// TestOWLQNSoftThreshold: minimizing Σ ½ h_i (x_i − a_i)² + c_i|x_i| has the
// closed form x_i = sign(a_i)·max(|a_i| − c_i/h_i, 0); a coupling term is
// added in a second case checked by the subgradient optimality conditions.
func TestOWLQNSoftThreshold(t *testing.T) {
	a := []float64{3, -2, 0.5, -0.1, 0, 4}
	h := []float64{1, 2, 1, 3, 1, 0.5}
	c := []float64{1, 1, 1, 1, 1, 0}
	f := func(x, g []float64) (float64, error) {
		s := 0.0
		for i := range x {
			d := x[i] - a[i]
			s += 0.5 * h[i] * d * d
			g[i] = h[i] * d
		}
		return s, nil
	}
	r, err := Minimize(context.Background(), f, make([]float64, len(a)), c, Config{MaxIter: 500, Tol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		want := math.Copysign(math.Max(math.Abs(a[i])-c[i]/h[i], 0), a[i])
		if math.Abs(r.X[i]-want) > 1e-8 {
			t.Fatalf("x[%d] = %v, want %v (all %v)", i, r.X[i], want, r.X)
		}
	}
	// Coupled: ½‖Ax − b‖² + λ‖x‖₁; check the KKT conditions.
	A := [][]float64{{1, 0.5, 0.2}, {0.3, 1, 0.1}, {0.2, 0.4, 1}, {1, 1, 1}}
	b := []float64{1, -1, 0.5, 0.2}
	lam := 0.3
	fq := func(x, g []float64) (float64, error) {
		clear(g)
		s := 0.0
		for r, row := range A {
			res := dot(row, x) - b[r]
			s += 0.5 * res * res
			axpy(res, row, g)
		}
		return s, nil
	}
	r, err = Minimize(context.Background(), fq, []float64{0, 0, 0}, []float64{lam, lam, lam}, Config{MaxIter: 1000, Tol: 1e-15})
	if err != nil {
		t.Fatal(err)
	}
	g := make([]float64, 3)
	fq(r.X, g)
	for i, x := range r.X {
		if x != 0 && math.Abs(g[i]+math.Copysign(lam, x)) > 1e-7 {
			t.Fatalf("KKT fails at %d: x=%v g=%v", i, r.X, g)
		}
		if x == 0 && math.Abs(g[i]) > lam+1e-9 {
			t.Fatalf("KKT fails at zero %d: x=%v g=%v", i, r.X, g)
		}
	}
}

func TestMinimizeErrors(t *testing.T) {
	f := func(x, g []float64) (float64, error) { return math.NaN(), nil }
	if _, err := Minimize(context.Background(), f, []float64{1}, nil, Config{}); err == nil {
		t.Fatal("want an error for a non-finite objective")
	}
	if _, err := Minimize(context.Background(), f, []float64{1}, []float64{1, 2}, Config{}); err == nil {
		t.Fatal("want an error for a wrong-length l1")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	q := func(x, g []float64) (float64, error) { g[0] = 2 * x[0]; return x[0] * x[0], nil }
	if _, err := Minimize(ctx, q, []float64{1}, nil, Config{}); err == nil {
		t.Fatal("want the context's error")
	}
}

// TestMinimizePrecond: a badly scaled quadratic Σ h_i(x_i − 1)²/2 with h
// from 1e-4 to 1e4 is solved to 1e-8 with the exact diagonal
// preconditioner, and a bad Precond is refused.
func TestMinimizePrecond(t *testing.T) {
	h := []float64{1e-4, 1e-2, 1, 1e2, 1e4}
	f := func(x, g []float64) (float64, error) {
		s := 0.0
		for i := range x {
			d := x[i] - 1
			s += 0.5 * h[i] * d * d
			g[i] = h[i] * d
		}
		return s, nil
	}
	pre := make([]float64, len(h))
	for i := range h {
		pre[i] = 1 / h[i]
	}
	r, err := Minimize(context.Background(), f, make([]float64, len(h)), nil, Config{MaxIter: 50, Tol: 1e-15, Precond: pre})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range r.X {
		if math.Abs(v-1) > 1e-8 {
			t.Fatalf("x[%d] = %v after %d iterations", i, v, r.Iterations)
		}
	}
	if _, err := Minimize(context.Background(), f, make([]float64, len(h)), nil, Config{Precond: []float64{1, 0, 1, 1, 1}}); err == nil {
		t.Fatal("want an error for a zero Precond")
	}
}
