package classification

import (
	"math"
	"testing"

	"github.com/gspark/gspark/ml/optim/optimtest"
)

// TestLogisticDefaultTolerance: with Spark's defaults (tol 1e-6, maxIter
// 100) the fits land on scikit-learn's Newton-polished optimum to coefTol
// (1e-4 relative), where stopping after one step of small relative change
// left the binomial breast cancer fit (regParam 0.01) 0.8% away and the
// multinomial wine fit 0.35%. The objective history starts at Spark's
// initial point, zero coefficients and intercepts at the log-odds of the
// class frequencies, where the averaged log loss is the entropy of the
// label: −Σ p_k·ln p_k with breast cancer 212/569 and 357/569, iris ⅓
// each (ln 3), wine 59/178, 71/178, 48/178; the penalty is zero there.
func TestLogisticDefaultTolerance(t *testing.T) {
	s, mem := newSession(t)
	ref := optimtest.Reference(t)
	entropy := func(counts ...float64) float64 {
		n, h := 0.0, 0.0
		for _, c := range counts {
			n += c
		}
		for _, c := range counts {
			h -= c / n * math.Log(c/n)
		}
		return h
	}
	for _, c := range []struct {
		key, file string
		h0        float64
	}{
		{"logistic_breast_cancer", "breast_cancer.csv", entropy(212, 357)},
		{"logistic_iris", "iris.csv", math.Log(3)},
		{"logistic_wine", "wine.csv", entropy(59, 71, 48)},
	} {
		want := ref[c.key].(map[string]any)
		df := optimtest.Labeled(t, s, mem, c.file, 2)
		m, err := NewLogisticRegression().SetRegParam(want["regParam"].(float64)).FitLogistic(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		what := c.key + "/default tol"
		checkMatrix(t, what, m.CoefficientMatrix(), m.InterceptVector(), matrixOf(want["coefficients"]), optimtest.Floats(want["intercepts"]))
		sum := m.Summary()
		if sum.TotalIterations != len(sum.ObjectiveHistory)-1 || sum.TotalIterations < 1 || sum.TotalIterations >= 100 {
			t.Errorf("%s: %d iterations, history of %d", what, sum.TotalIterations, len(sum.ObjectiveHistory))
		}
		if h0 := sum.ObjectiveHistory[0]; math.Abs(h0-c.h0) > 1e-12 {
			t.Errorf("%s: objective at the start = %.15g, want %.15g", what, h0, c.h0)
		}
	}
}

// TestLogisticZeroTol: tol = 0 is valid in Spark and leaves only the
// iteration limit (short of an exactly flat window or a gradient norm
// below 1e-8): 30 iterations run where the default tol stops earlier.
func TestLogisticZeroTol(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "breast_cancer.csv", 1)
	m, err := NewLogisticRegression().SetRegParam(0.01).SetTol(0).SetMaxIter(30).FitLogistic(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Summary().TotalIterations; n != 30 {
		t.Errorf("%d iterations with tol 0 and maxIter 30, want 30", n)
	}
}
