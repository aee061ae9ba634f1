package optim

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/gspark/gspark/ml/progress"
)

// Func evaluates a smooth objective at x, writing its gradient into grad
// (same length as x) and returning its value.
type Func func(x, grad []float64) (float64, error)

// Config sets Minimize's limits: MaxIter iterations (default 100), Tol the
// convergence tolerance (default 1e-6), M the number of corrections kept
// (default 10) and FvalMemory the length of the window of objective values
// the function-value test looks at (default 20). These are the values Spark
// ML passes to Breeze (LBFGS/OWLQN(maxIter, 10, tol)) and Breeze's default
// history length (FirstOrderMinimizer.defaultConvergenceCheck, fvalMemory
// = 20).
//
// Minimize stops, as Breeze's FirstOrderMinimizer does, at the first state
// (the starting point included) where one of these holds, tested in order:
//
//  1. the number of iterations has reached MaxIter;
//  2. the window, which starts as {+∞} and gets each new objective value
//     appended (keeping the last FvalMemory), has at least two values and
//     |f_k − max(window)| ≤ Tol·|f_0|, f_0 the objective at the starting
//     point. Because of the +∞ this cannot hold before FvalMemory
//     iterations; after that it asks the improvement over the last
//     FvalMemory values to be at most Tol·|f_0|;
//  3. the Euclidean norm of the gradient (the pseudo-gradient under an L1
//     penalty) is ≤ max(Tol·f_k, 1e-8) (f_k itself, not |f_k|, as in
//     Breeze's gradientConverged: a negative objective leaves the 1e-8 floor);
//  4. the line search failed twice in a row (after the first failure the
//     correction memory is dropped and the step retried, as Breeze does).
//
// The objective f_k includes the L1 penalty (Breeze's adjustedValue).
type Config struct {
	MaxIter    int
	Tol        float64
	M          int
	FvalMemory int
	// Precond, when set, is a positive diagonal guess of the inverse
	// Hessian (e.g. 1/(curvature + penalty) per coordinate), used as the
	// initial matrix of the L-BFGS recursion (scaled by sᵀy/yᵀ·Precond·y).
	// It speeds up badly scaled problems and does not change the minimizer.
	Precond []float64
}

// Result is the outcome of Minimize: the minimizer X, the objective value
// (smooth part plus L1 penalty), the objective at the starting point and
// after each iteration (len(History) = Iterations+1, as Spark's
// objectiveHistory), the number of iterations, whether a convergence test
// (rather than the iteration limit) stopped it, and which test did.
type Result struct {
	X          []float64
	Value      float64
	History    []float64
	Iterations int
	Converged  bool
	// Reason is "max iterations", "function values converged", "gradient
	// converged" or "line search failed".
	Reason string
}

// Minimize minimizes f(x) + Σ l1[i]·|x[i]| from x0 with L-BFGS; when any
// l1[i] > 0 it runs OWL-QN (orthant-wise limited-memory quasi-Newton), which
// steps within the orthant of the current point and projects back onto it.
// l1 may be nil. ctx is checked every iteration.
func Minimize(ctx context.Context, f Func, x0, l1 []float64, cfg Config) (*Result, error) {
	n := len(x0)
	if l1 != nil && len(l1) != n {
		return nil, fmt.Errorf("optim: l1 has length %d, want %d", len(l1), n)
	}
	if cfg.MaxIter <= 0 {
		cfg.MaxIter = 100
	}
	if cfg.Tol <= 0 {
		cfg.Tol = 1e-6
	}
	if cfg.M <= 0 {
		cfg.M = 10
	}
	if cfg.FvalMemory <= 1 {
		cfg.FvalMemory = 20
	}
	if cfg.Precond != nil {
		if len(cfg.Precond) != n {
			return nil, fmt.Errorf("optim: Precond has length %d, want %d", len(cfg.Precond), n)
		}
		for _, v := range cfg.Precond {
			if !(v > 0) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("optim: invalid Precond value %v", v)
			}
		}
	}
	hasL1 := false
	for _, v := range l1 {
		if v < 0 || math.IsNaN(v) {
			return nil, fmt.Errorf("optim: invalid L1 weight %v", v)
		}
		hasL1 = hasL1 || v > 0
	}
	penalty := func(x []float64) float64 {
		if !hasL1 {
			return 0
		}
		s := 0.0
		for i, v := range x {
			s += l1[i] * math.Abs(v)
		}
		return s
	}
	x := append([]float64(nil), x0...)
	g := make([]float64, n)
	fx, err := f(x, g)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(fx) || math.IsInf(fx, 0) {
		return nil, errors.New("optim: the objective is not finite at the starting point")
	}
	fx += penalty(x)
	res := &Result{History: []float64{fx}}
	pg := make([]float64, n)
	d := make([]float64, n)
	xn := make([]float64, n)
	gn := make([]float64, n)
	var ss, ys [][]float64
	var rhos []float64
	alpha := make([]float64, cfg.M)
	pseudo := func(x, g, pg []float64) {
		copy(pg, g)
		if !hasL1 {
			return
		}
		for i := range x {
			c := l1[i]
			if c == 0 {
				continue
			}
			switch {
			case x[i] < 0:
				pg[i] = g[i] - c
			case x[i] > 0:
				pg[i] = g[i] + c
			case g[i]+c < 0:
				pg[i] = g[i] + c
			case g[i]-c > 0:
				pg[i] = g[i] - c
			default:
				pg[i] = 0
			}
		}
	}
	f0 := fx
	window := []float64{math.Inf(1)}
	failedOnce := false
	for iter := 0; ; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pseudo(x, g, pg)
		if stop := converged(cfg, iter, window, fx, f0, pg); stop != "" {
			res.Reason = stop
			res.Converged = stop != "max iterations"
			break
		}
		// Two-loop recursion: d = −H·pg.
		for i := range d {
			d[i] = -pg[i]
		}
		k := len(ss)
		for j := k - 1; j >= 0; j-- {
			alpha[j] = rhos[j] * dot(ss[j], d)
			axpy(-alpha[j], ys[j], d)
		}
		switch {
		case cfg.Precond != nil && k > 0:
			yDy := 0.0
			for i, v := range ys[k-1] {
				yDy += v * v * cfg.Precond[i]
			}
			gamma := dot(ss[k-1], ys[k-1]) / yDy
			for i := range d {
				d[i] *= gamma * cfg.Precond[i]
			}
		case cfg.Precond != nil:
			for i := range d {
				d[i] *= cfg.Precond[i]
			}
		case k > 0:
			gamma := dot(ss[k-1], ys[k-1]) / dot(ys[k-1], ys[k-1])
			for i := range d {
				d[i] *= gamma
			}
		}
		for j := 0; j < k; j++ {
			beta := rhos[j] * dot(ys[j], d)
			axpy(alpha[j]-beta, ss[j], d)
		}
		if hasL1 {
			for i := range d {
				if d[i]*pg[i] >= 0 {
					d[i] = 0
				}
			}
		}
		dg := dot(d, pg)
		if dg >= 0 { // not a descent direction: restart from steepest descent
			for i := range d {
				d[i] = -pg[i]
			}
			ss, ys, rhos = ss[:0], ys[:0], rhos[:0]
			dg = dot(d, pg)
		}
		// The first step is 1/‖d‖, as Breeze's LBFGS.determineStepSize
		// (at iteration 0 d = −pg); later ones start at 1.
		step := 1.0
		if res.Iterations == 0 && k == 0 && cfg.Precond == nil {
			step = 1 / math.Max(norm2(d), 1e-300)
		}
		var fn float64
		accepted := false
		if hasL1 {
			fn, accepted, err = backtrack(f, x, d, pg, fx, step, l1, penalty, xn, gn)
		} else {
			fn, accepted, err = wolfe(f, x, d, fx, dg, step, xn, gn)
		}
		if err != nil {
			return nil, err
		}
		if !accepted {
			// No decrease along d: drop the corrections and retry from
			// steepest descent once; a second failure ends the search.
			if failedOnce || len(ss) == 0 {
				res.Reason = "line search failed"
				res.Converged = true
				break
			}
			failedOnce = true
			ss, ys, rhos = ss[:0], ys[:0], rhos[:0]
			continue
		}
		failedOnce = false
		iter++
		res.Iterations = iter
		progress.Report(ctx, "iteration", iter, cfg.MaxIter)
		s := make([]float64, n)
		y := make([]float64, n)
		for i := range s {
			s[i] = xn[i] - x[i]
			y[i] = gn[i] - g[i]
		}
		if sy := dot(s, y); sy > 1e-12*norm2(s)*norm2(y) && sy > 0 {
			if len(ss) == cfg.M {
				ss, ys, rhos = ss[1:], ys[1:], rhos[1:]
			}
			ss, ys, rhos = append(ss, s), append(ys, y), append(rhos, 1/sy)
		}
		copy(x, xn)
		copy(g, gn)
		fx = fn
		res.History = append(res.History, fx)
		window = append(window, fx)
		if len(window) > cfg.FvalMemory {
			window = window[len(window)-cfg.FvalMemory:]
		}
	}
	res.X, res.Value = x, fx
	return res, nil
}

// ParamTol maps an estimator's tol param to Config.Tol: Spark accepts
// tol = 0 (stop only on the iteration limit, an exactly flat window or a
// gradient norm ≤ 1e-8), which Config's zero value would read as the
// default; it becomes the smallest positive float, which behaves the same.
func ParamTol(tol float64) float64 {
	if tol == 0 {
		return math.SmallestNonzeroFloat64
	}
	return tol
}

// converged applies Breeze's default convergence check (see Config) to the
// state after iter iterations with objective fx and (pseudo-)gradient pg;
// it returns the reason to stop, or "".
func converged(cfg Config, iter int, window []float64, fx, f0 float64, pg []float64) string {
	if iter >= cfg.MaxIter {
		return "max iterations"
	}
	if len(window) >= 2 {
		hi := math.Inf(-1)
		for _, v := range window {
			hi = math.Max(hi, v)
		}
		if math.Abs(fx-hi) <= cfg.Tol*math.Abs(f0) {
			return "function values converged"
		}
	}
	// Breeze scales by the objective itself, not its absolute value: a
	// negative objective leaves only the 1e-8 floor.
	if norm2(pg) <= math.Max(cfg.Tol*fx, 1e-8) {
		return "gradient converged"
	}
	return ""
}

// backtrack is OWL-QN's line search: halve the step until the point,
// projected onto the orthant of x, decreases the objective enough
// (Armijo along the pseudo-gradient). It leaves the point in xn and the
// smooth gradient in gn.
func backtrack(f Func, x, d, pg []float64, fx, step float64, l1 []float64, penalty func([]float64) float64, xn, gn []float64) (float64, bool, error) {
	for ls := 0; ls < 60; ls++ {
		for i := range x {
			xn[i] = x[i] + step*d[i]
			if l1[i] == 0 {
				continue
			}
			orth := x[i]
			if orth == 0 {
				orth = -pg[i]
			}
			if xn[i]*orth <= 0 {
				xn[i] = 0
			}
		}
		v, err := f(xn, gn)
		if err != nil {
			return 0, false, err
		}
		fn := v + penalty(xn)
		decrease := 0.0
		for i := range xn {
			decrease += pg[i] * (xn[i] - x[i])
		}
		if !math.IsNaN(fn) && fn <= fx+1e-4*decrease {
			return fn, true, nil
		}
		step *= 0.5
	}
	return 0, false, nil
}

// wolfe finds a step satisfying the weak Wolfe conditions (sufficient
// decrease, and curvature so the L-BFGS update stays positive definite) by
// bracketing and bisection; it leaves the point in xn and its gradient in
// gn. When no such step is found it falls back to the best step with
// sufficient decrease, if any.
func wolfe(f Func, x, d []float64, fx, dg, step float64, xn, gn []float64) (float64, bool, error) {
	const c1, c2 = 1e-4, 0.9
	lo, hi := 0.0, math.Inf(1)
	bestStep, bestF := 0.0, fx
	for ls := 0; ls < 60; ls++ {
		for i := range x {
			xn[i] = x[i] + step*d[i]
		}
		fn, err := f(xn, gn)
		if err != nil {
			return 0, false, err
		}
		switch {
		case math.IsNaN(fn) || fn > fx+c1*step*dg:
			hi = step
		case dot(gn, d) < c2*dg:
			if fn < bestF {
				bestStep, bestF = step, fn
			}
			lo = step
		default:
			return fn, true, nil
		}
		if math.IsInf(hi, 1) {
			step = 2 * lo
		} else {
			step = (lo + hi) / 2
		}
	}
	if bestStep == 0 {
		return 0, false, nil
	}
	for i := range x {
		xn[i] = x[i] + bestStep*d[i]
	}
	fn, err := f(xn, gn)
	return fn, err == nil, err
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}

func norm2(a []float64) float64 { return math.Sqrt(dot(a, a)) }
