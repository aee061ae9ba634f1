package regression

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gspark/gspark/ml/optim/optimtest"
)

func summaryReference(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), "summary_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLinearRegressionSummaryVsStatsmodels checks the coefficient
// statistics of the normal solver against statsmodels OLS/WLS on the
// diabetes data (testdata/ml/make_summary_reference.py): standard errors,
// t and p values (intercept last, as Spark), degrees of freedom, R² and
// adjusted R², deviance residuals and the first residuals; 1 and 4
// partitions.
func TestLinearRegressionSummaryVsStatsmodels(t *testing.T) {
	s, mem := newSession(t)
	ref := summaryReference(t)["linear_summary_diabetes"].(map[string]any)
	_, rows := optimtest.ReadCSV(t, "diabetes.csv")
	var weighted [][]float64
	for i, r := range rows {
		weighted = append(weighted, append(append([]float64(nil), r...), float64(i%3+1)))
	}
	feat := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	for _, parts := range []int{1, 4} {
		plain := optimtest.Labeled(t, s, mem, "diabetes.csv", parts)
		wdf := optimtest.Frame(t, s, mem, weighted, []optimtest.Col{{Name: "features", Src: feat, Vec: true}, {Name: "label", Src: []int{10}}, {Name: "w", Src: []int{11}}}, parts)
		cases := []struct {
			key string
			lr  *LinearRegression
		}{
			{"ols", NewLinearRegression()},
			{"ols_noint", NewLinearRegression().SetFitIntercept(false)},
			{"wls", NewLinearRegression().SetWeightCol("w")},
		}
		for _, c := range cases {
			what := fmt.Sprintf("%s/parts=%d", c.key, parts)
			want := ref[c.key].(map[string]any)
			df := plain
			if c.key == "wls" {
				df = wdf
			}
			m, err := c.lr.FitLinear(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			checkCoefs(t, what, m.Coefficients().ToArray(), m.Intercept(), optimtest.Floats(want["coefficients"]), want["intercept"].(float64))
			sum := m.Summary()
			se, err := sum.CoefficientStandardErrors()
			if err != nil {
				t.Fatal(err)
			}
			tv, err := sum.TValues()
			if err != nil {
				t.Fatal(err)
			}
			pv, err := sum.PValues()
			if err != nil {
				t.Fatal(err)
			}
			for name, got := range map[string][]float64{"coefficientStandardErrors": se, "tValues": tv, "pValues": pv, "devianceResiduals": sum.DevianceResiduals[:], "residuals_head": sum.Residuals()[:5]} {
				exp := optimtest.Floats(want[name])
				if len(got) != len(exp) {
					t.Fatalf("%s: %s has %d values, want %d", what, name, len(got), len(exp))
				}
				for i := range exp {
					if !optimtest.RelClose(got[i], exp[i], 1e-7, 1e-13) {
						t.Errorf("%s: %s[%d] = %.12g, want %.12g", what, name, i, got[i], exp[i])
					}
				}
			}
			if float64(sum.DegreesOfFreedom) != want["degreesOfFreedom"].(float64) {
				t.Errorf("%s: degreesOfFreedom = %d, want %v", what, sum.DegreesOfFreedom, want["degreesOfFreedom"])
			}
			for name, got := range map[string]float64{"r2": sum.R2, "r2adj": sum.R2Adj} {
				if !optimtest.RelClose(got, want[name].(float64), 1e-9, 1e-12) {
					t.Errorf("%s: %s = %.12g, want %.12g", what, name, got, want[name])
				}
			}
			if len(sum.Residuals()) != 442 || sum.NumInstances != 442 {
				t.Errorf("%s: %d residuals, %d instances", what, len(sum.Residuals()), sum.NumInstances)
			}
		}
	}
}

// TestLinearRegressionSummaryNoStdErrors: the iterative solver and an L1
// penalty report the coefficient statistics unavailable, as Spark.
func TestLinearRegressionSummaryNoStdErrors(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)
	for _, lr := range []*LinearRegression{
		NewLinearRegression().SetSolver("l-bfgs"),
		NewLinearRegression().SetRegParam(0.3).SetElasticNetParam(0.5),
	} {
		m, err := lr.FitLinear(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Summary().PValues(); !errors.Is(err, ErrNoStdErrors) {
			t.Errorf("solver %s: PValues error %v, want ErrNoStdErrors", m.Summary().Solver, err)
		}
		if m.Summary().R2Adj == 0 || m.Summary().DegreesOfFreedom != 431 {
			t.Errorf("r2adj %v dof %d", m.Summary().R2Adj, m.Summary().DegreesOfFreedom)
		}
	}
}
