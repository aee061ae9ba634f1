package regression

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/progress"
)

func glrReference(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), "glr_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// glrLabels maps the reference's families to the label columns of
// glr_data.csv (x0, x1, x2, y_gauss, y_bin, y_pois, y_gamma, w, off).
var glrLabelOf = map[string]int{"y_gauss": 3, "y_bin": 4, "y_pois": 5, "y_gamma": 6}

func glrLabelCol(family, link string) int {
	switch {
	case family == "binomial":
		return glrLabelOf["y_bin"]
	case family == "poisson":
		return glrLabelOf["y_pois"]
	case family == "gaussian" && link == "identity":
		return glrLabelOf["y_gauss"]
	}
	return glrLabelOf["y_gamma"]
}

// glrCaseLabel is the label column of a reference case: its label_column,
// else the family's.
func glrCaseLabel(c map[string]any) int {
	if l, ok := c["label_column"].(float64); ok {
		return int(l)
	}
	link, _ := c["link"].(string)
	return glrLabelCol(c["family"].(string), link)
}

func glrFrame(t *testing.T, s *frame.Session, mem memory.Allocator, label, parts int) *frame.DataFrame {
	t.Helper()
	return glrFrameOf(t, s, mem, []int{0, 1, 2}, label, parts)
}

// glrFrameOf is glrFrame with the features the given columns.
func glrFrameOf(t *testing.T, s *frame.Session, mem memory.Allocator, feat []int, label, parts int) *frame.DataFrame {
	t.Helper()
	_, rows := optimtest.ReadCSV(t, "glr_data.csv")
	return optimtest.Frame(t, s, mem, rows, []optimtest.Col{
		{Name: "features", Src: feat, Vec: true},
		{Name: "label", Src: []int{label}},
		{Name: "w", Src: []int{7}},
		{Name: "off", Src: []int{8}},
	}, parts)
}

// glrFromRef makes the estimator a reference case describes.
func glrFromRef(c map[string]any) *GeneralizedLinearRegression {
	g := NewGeneralizedLinearRegression().SetFamily(c["family"].(string))
	if c["family"] == "tweedie" {
		g.SetVariancePower(c["variancePower"].(float64))
		if lp, ok := c["linkPower"].(float64); ok {
			g.SetLinkPower(lp)
		}
	} else if l, ok := c["link"].(string); ok {
		g.SetLink(l)
	}
	if w, ok := c["weighted"].(bool); ok && w {
		g.SetWeightCol("w")
	}
	if o, ok := c["offset"].(bool); ok && o {
		g.SetOffsetCol("off")
	}
	if fi, ok := c["fitIntercept"].(bool); ok {
		g.SetFitIntercept(fi)
	}
	if r, ok := c["regParam"].(float64); ok {
		g.SetRegParam(r)
	}
	return g
}

func featureColumns(c map[string]any) []int {
	var out []int
	for _, v := range optimtest.Floats(c["feature_columns"]) {
		out = append(out, int(v))
	}
	return out
}

func closeAll(t *testing.T, what string, got, want []float64, rel float64) {
	t.Helper()
	if len(got) < len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	for i := range want {
		if !optimtest.RelClose(got[i], want[i], rel, 1e-6) {
			t.Errorf("%s[%d] = %.12g, want %.12g", what, i, got[i], want[i])
		}
	}
}

// glrRel is the agreement asked of the fits run to tol 1e-10 against
// statsmodels run to 1e-13 (relative, or absolute below 1e-6).
const glrRel = 1e-7

// TestGLRVsStatsmodels fits every family and link of the reference
// (testdata/ml/make_glr_reference.py) with weights, offsets and without an
// intercept, on 1 and 4 partitions, and checks the coefficients and the
// whole training summary against statsmodels GLM (and Spark's formulas
// where they differ: p-values, AIC, null deviance without an intercept).
func TestGLRVsStatsmodels(t *testing.T) {
	s, mem := newSession(t)
	cases := glrReference(t)["cases"].(map[string]any)
	if len(cases) < 15 {
		t.Fatalf("%d reference cases", len(cases))
	}
	for name, v := range cases {
		c := v.(map[string]any)
		label := glrCaseLabel(c)
		for _, parts := range []int{1, 4} {
			what := fmt.Sprintf("%s/parts=%d", name, parts)
			df := glrFrameOf(t, s, mem, featureColumns(c), label, parts)
			m, err := glrFromRef(c).SetTol(1e-10).SetMaxIter(100).FitModel(ctx, df)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			checkGLR(t, what, m, c)
		}
	}
}

func checkGLR(t *testing.T, what string, m *GeneralizedLinearRegressionModel, c map[string]any) {
	t.Helper()
	closeAll(t, what+": coefficients", append(m.Coefficients().ToArray(), m.Intercept()), append(optimtest.Floats(c["coefficients"]), c["intercept"].(float64)), glrRel)
	sum := m.Summary()
	se, err := sum.CoefficientStandardErrors()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	tv, err := sum.TValues()
	if err != nil {
		t.Fatal(err)
	}
	pv, err := sum.PValues()
	if err != nil {
		t.Fatal(err)
	}
	closeAll(t, what+": coefficientStandardErrors", se, optimtest.Floats(c["coefficientStandardErrors"]), glrRel)
	closeAll(t, what+": tValues", tv, optimtest.Floats(c["tValues"]), glrRel)
	closeAll(t, what+": pValues", pv, optimtest.Floats(c["spark_pValues"]), 1e-6)
	for _, kind := range []string{"deviance", "pearson", "working", "response"} {
		r, err := sum.Residuals(kind)
		if err != nil {
			t.Fatal(err)
		}
		closeAll(t, what+": residuals "+kind, r, optimtest.Floats(c["residuals_"+kind+"_head"]), glrRel)
	}
	scalars := map[string]float64{"deviance": sum.Deviance, "nullDeviance": sum.NullDeviance, "dispersion": sum.Dispersion}
	if _, ok := c["spark_aic"].(float64); ok {
		aic, err := sum.AIC()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		scalars["spark_aic"] = aic
	} else if _, err := sum.AIC(); !errors.Is(err, ErrNoTweedieAIC) {
		t.Errorf("%s: AIC error %v, want ErrNoTweedieAIC", what, err)
	}
	for k, got := range scalars {
		if want := c[k].(float64); !optimtest.RelClose(got, want, glrRel, 1e-9) {
			t.Errorf("%s: %s = %.12g, want %.12g", what, k, got, want)
		}
	}
	ints := map[string]int64{"residualDegreeOfFreedom": sum.ResidualDegreeOfFreedom, "residualDegreeOfFreedomNull": sum.ResidualDegreeOfFreedomNull, "rank": sum.Rank}
	for k, got := range ints {
		if want := int64(c[k].(float64)); got != want {
			t.Errorf("%s: %s = %d, want %d", what, k, got, want)
		}
	}
	if sum.Solver != "irls" || sum.NumInstances != 60 || sum.DegreesOfFreedom != sum.ResidualDegreeOfFreedom {
		t.Errorf("%s: solver %q, %d instances, dof %d", what, sum.Solver, sum.NumInstances, sum.DegreesOfFreedom)
	}
}

// TestGLRDefaultTolIterations: at Spark's defaults (tol 1e-6, maxIter 25)
// the number of IRLS iterations is the one Spark's loop takes (computed by
// the reference script's numpy IRLS; binomial_probit_1feature stops early
// through Spark's signed change of a single coefficient) and the
// coefficients are within what that loop leaves from the optimum.
func TestGLRDefaultTolIterations(t *testing.T) {
	s, mem := newSession(t)
	cases := glrReference(t)["cases"].(map[string]any)
	for name, v := range cases {
		c := v.(map[string]any)
		df := glrFrameOf(t, s, mem, featureColumns(c), glrCaseLabel(c), 2)
		m, err := glrFromRef(c).FitModel(ctx, df)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := int(c["spark_numIterations_tol1e-6"].(float64)); m.Summary().NumIterations != want {
			t.Errorf("%s: numIterations %d, want %d", name, m.Summary().NumIterations, want)
		}
		gap := c["spark_irls_tol1e-6_max_abs_diff"].(float64)
		got := append(m.Coefficients().ToArray(), m.Intercept())
		want := append(optimtest.Floats(c["coefficients"]), c["intercept"].(float64))
		for i := range want {
			if math.Abs(got[i]-want[i]) > 2*gap+1e-12 {
				t.Errorf("%s: coefficient %d = %.12g, want %.12g within %.3g", name, i, got[i], want[i], 2*gap)
			}
		}
	}
}

// TestGLRRegularized: regParam applied as Spark's WeightedLeastSquares
// (standardized in the single gaussian/identity solve, plain L2 in IRLS
// steps), against the reference's numpy solution of those objectives.
func TestGLRRegularized(t *testing.T) {
	s, mem := newSession(t)
	ref := glrReference(t)["regularized"].(map[string]any)
	for name, v := range ref {
		if strings.HasPrefix(name, "sample_") {
			continue
		}
		c := v.(map[string]any)
		c["weighted"], c["offset"] = true, c["family"] != "binomial"
		df := glrFrame(t, s, mem, glrLabelCol(c["family"].(string), c["link"].(string)), 3)
		m, err := glrFromRef(c).SetTol(1e-12).SetMaxIter(200).FitModel(ctx, df)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		closeAll(t, name, append(m.Coefficients().ToArray(), m.Intercept()), append(optimtest.Floats(c["coefficients"]), c["intercept"].(float64)), 1e-8)
	}
}

// TestGLRPredictionsAndEvaluate: the predictions and link predictions
// (with the offset) match statsmodels' fitted values and linear
// predictor; Evaluate on the training data reproduces the training
// summary and on other data (the first 30 rows) its own deviance.
func TestGLRPredictionsAndEvaluate(t *testing.T) {
	s, mem := newSession(t)
	cases := glrReference(t)["cases"].(map[string]any)
	for _, name := range []string{"poisson_log_w_off", "binomial_probit_off", "gamma_inverse_w", "tweedie_p1.5_log_off", "gaussian_identity_w_off"} {
		c := cases[name].(map[string]any)
		link, _ := c["link"].(string)
		label := glrLabelCol(c["family"].(string), link)
		df := glrFrame(t, s, mem, label, 1)
		m, err := glrFromRef(c).SetTol(1e-10).SetMaxIter(100).SetLinkPredictionCol("eta").FitModel(ctx, df)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := collectCols(t, m, df, "prediction", "eta")
		closeAll(t, name+": prediction", got[0], optimtest.Floats(c["prediction_head"]), glrRel)
		closeAll(t, name+": link prediction", got[1], optimtest.Floats(c["link_prediction_head"]), glrRel)
		pred := selectCols(t, m.Summary().Predictions(), "prediction")
		closeAll(t, name+": summary predictions", pred[0], optimtest.Floats(c["prediction_head"]), glrRel)

		ev, err := m.Evaluate(ctx, glrFrame(t, s, mem, label, 3))
		if err != nil {
			t.Fatal(err)
		}
		ts := m.Summary().GeneralizedLinearRegressionSummary
		for k, v := range map[string][2]float64{"deviance": {ev.Deviance, ts.Deviance}, "nullDeviance": {ev.NullDeviance, ts.NullDeviance}, "dispersion": {ev.Dispersion, ts.Dispersion}} {
			if !optimtest.RelClose(v[0], v[1], 1e-12, 1e-12) {
				t.Errorf("%s: evaluate %s = %v, training %v", name, k, v[0], v[1])
			}
		}
		// On the first 30 rows: the deviance is the sum of the squared
		// deviance residuals of those rows.
		_, rows := optimtest.ReadCSV(t, "glr_data.csv")
		half := optimtest.Frame(t, s, mem, rows[:30], []optimtest.Col{
			{Name: "features", Src: []int{0, 1, 2}, Vec: true}, {Name: "label", Src: []int{label}}, {Name: "w", Src: []int{7}}, {Name: "off", Src: []int{8}},
		}, 2)
		eh, err := m.Evaluate(ctx, half)
		if err != nil {
			t.Fatal(err)
		}
		dr, _ := ts.Residuals("deviance")
		want := 0.0
		for _, r := range dr[:30] {
			want += r * r
		}
		if eh.NumInstances != 30 || eh.ResidualDegreeOfFreedom != 30-4 || !optimtest.RelClose(eh.Deviance, want, 1e-12, 1e-12) {
			t.Errorf("%s: evaluate on 30 rows: %d rows, dof %d, deviance %v want %v", name, eh.NumInstances, eh.ResidualDegreeOfFreedom, eh.Deviance, want)
		}
	}
}

// TestGLRSampleLinearRegression: Spark's ML guide data
// (sample_linear_regression_data, libsvm), gaussian/identity: without a
// penalty against statsmodels, with the guide's regParam 0.3 against
// Spark's documented WeightedLeastSquares objective.
func TestGLRSampleLinearRegression(t *testing.T) {
	s, _ := newSession(t)
	ref := glrReference(t)
	path := filepath.Join(optimtest.Dir(), "sample_linear_regression_data.txt")
	for _, parts := range []int{1, 4} {
		df := s.Read().Format("libsvm").Load(path).Repartition(parts)
		m, err := NewGeneralizedLinearRegression().FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		checkGLRNoData(t, fmt.Sprintf("sample/parts=%d", parts), m, ref["sample_linear_regression"].(map[string]any))
		r := ref["regularized"].(map[string]any)["sample_linear_regression_reg0.3"].(map[string]any)
		m, err = NewGeneralizedLinearRegression().SetFamily("gaussian").SetLink("identity").SetMaxIter(10).SetRegParam(0.3).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		closeAll(t, fmt.Sprintf("sample reg0.3/parts=%d", parts), append(m.Coefficients().ToArray(), m.Intercept()), append(optimtest.Floats(r["coefficients"]), r["intercept"].(float64)), 1e-9)
		if m.Summary().NumIterations != 1 || m.Summary().NumInstances != 501 {
			t.Errorf("numIterations %d, %d rows", m.Summary().NumIterations, m.Summary().NumInstances)
		}
	}
}

// checkGLRNoData is checkGLR without the residual heads (the row order of
// a repartitioned frame is not the file's).
func checkGLRNoData(t *testing.T, what string, m *GeneralizedLinearRegressionModel, c map[string]any) {
	t.Helper()
	closeAll(t, what+": coefficients", append(m.Coefficients().ToArray(), m.Intercept()), append(optimtest.Floats(c["coefficients"]), c["intercept"].(float64)), 1e-9)
	sum := m.Summary()
	se, err := sum.CoefficientStandardErrors()
	if err != nil {
		t.Fatal(err)
	}
	pv, err := sum.PValues()
	if err != nil {
		t.Fatal(err)
	}
	aic, err := sum.AIC()
	if err != nil {
		t.Fatal(err)
	}
	closeAll(t, what+": coefficientStandardErrors", se, optimtest.Floats(c["coefficientStandardErrors"]), 1e-9)
	closeAll(t, what+": pValues", pv, optimtest.Floats(c["spark_pValues"]), 1e-6)
	for k, got := range map[string]float64{"deviance": sum.Deviance, "nullDeviance": sum.NullDeviance, "dispersion": sum.Dispersion, "spark_aic": aic} {
		if want := c[k].(float64); !optimtest.RelClose(got, want, 1e-9, 1e-9) {
			t.Errorf("%s: %s = %.12g, want %.12g", what, k, got, want)
		}
	}
}

// TestGLRErrors: unsupported family/link pairs, variance powers and labels
// outside the family's range are errors naming the problem, as Spark's
// requirements.
func TestGLRErrors(t *testing.T) {
	s, mem := newSession(t)
	df := glrFrame(t, s, mem, glrLabelOf["y_gauss"], 1)
	for _, c := range []struct {
		g    *GeneralizedLinearRegression
		want string
	}{
		{NewGeneralizedLinearRegression().SetFamily("binomial").SetLink("log"), "binomial family does not support the log link"},
		{NewGeneralizedLinearRegression().SetFamily("gamma").SetLink("logit"), "gamma family does not support the logit link"},
		{NewGeneralizedLinearRegression().SetFamily("poisson").SetLink("inverse"), "poisson family does not support the inverse link"},
		{NewGeneralizedLinearRegression().SetFamily("tweedie").SetVariancePower(0.5), "variancePower"},
		{NewGeneralizedLinearRegression().SetFamily("cauchy"), "cauchy"},
		{NewGeneralizedLinearRegression().SetSolver("l-bfgs"), "l-bfgs"},
		{NewGeneralizedLinearRegression().SetFamily("poisson"), "poisson family must be non-negative"},
		{NewGeneralizedLinearRegression().SetFamily("gamma"), "gamma family must be positive"},
		{NewGeneralizedLinearRegression().SetFamily("binomial"), "binomial family must be in [0, 1]"},
		{NewGeneralizedLinearRegression().SetOffsetCol("nope"), "nope"},
	} {
		_, err := c.g.FitModel(ctx, df)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
	// The tweedie family ignores link and takes linkPower; the default
	// link of each family is Spark's.
	for fam, want := range map[string]string{"gaussian": "identity", "binomial": "logit", "poisson": "log", "gamma": "inverse"} {
		g := NewGeneralizedLinearRegression().SetFamily(fam)
		_, l, err := g.resolve(g.Params())
		if err != nil || l.name() != want {
			t.Errorf("%s: default link %q (%v), want %s", fam, l.name(), err, want)
		}
	}
	g := NewGeneralizedLinearRegression().SetFamily("tweedie").SetVariancePower(1.5).SetLink("logit")
	f, l, err := g.resolve(g.Params())
	if err != nil || l.kind != linkPower || l.p != -0.5 || f.p != 1.5 {
		t.Errorf("tweedie(1.5): link %+v family %+v (%v)", l, f, err)
	}
}

// TestGLRProgress: each IRLS iteration is reported to the context's
// progress callback (done counts up to numIterations, total maxIter).
func TestGLRProgress(t *testing.T) {
	s, mem := newSession(t)
	df := glrFrame(t, s, mem, glrLabelOf["y_pois"], 2)
	var events []progress.Event
	pctx := progress.WithFunc(ctx, func(e progress.Event) { events = append(events, e) })
	m, err := NewGeneralizedLinearRegression().SetFamily("poisson").FitModel(pctx, df)
	if err != nil {
		t.Fatal(err)
	}
	n := m.Summary().NumIterations
	if n < 2 || len(events) != n || events[n-1] != (progress.Event{Unit: "iteration", Done: n, Total: 25}) {
		t.Errorf("%d iterations, events %v", n, events)
	}
}

// TestGLRSingularFallsBackToQuasiNewton: with a collinear feature
// (x0 + x1) or a constant one the normal equations are singular; as
// Spark's WeightedLeastSquares the solve falls back to the quasi-Newton
// method, the fitted means are statsmodels' (the column space is the
// same), a constant feature gets coefficient 0, and no standard errors
// are reported.
func TestGLRSingularFallsBackToQuasiNewton(t *testing.T) {
	s, mem := newSession(t)
	c := glrReference(t)["cases"].(map[string]any)["poisson_log_w_off"].(map[string]any)
	_, rows := optimtest.ReadCSV(t, "glr_data.csv")
	for i, r := range rows {
		rows[i] = append(r, r[0]+r[1], 1)
	}
	for _, feat := range [][]int{{0, 1, 2, 9}, {0, 1, 2, 10}} {
		df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{
			{Name: "features", Src: feat, Vec: true}, {Name: "label", Src: []int{5}}, {Name: "w", Src: []int{7}}, {Name: "off", Src: []int{8}},
		}, 2)
		m, err := glrFromRef(c).FitModel(ctx, df)
		if err != nil {
			t.Fatalf("%v: %v", feat, err)
		}
		pred := selectCols(t, m.Summary().Predictions(), "prediction")
		closeAll(t, fmt.Sprintf("%v: prediction", feat), pred[0], optimtest.Floats(c["prediction_head"]), 1e-5)
		if _, err := m.Summary().PValues(); !errors.Is(err, ErrGLRNoStdErrors) {
			t.Errorf("%v: PValues error %v, want ErrGLRNoStdErrors", feat, err)
		}
		if feat[3] == 10 && m.Coefficients().ToArray()[3] != 0 {
			t.Errorf("constant feature: coefficient %v, want 0", m.Coefficients().ToArray()[3])
		}
	}
}

// TestGLRInterceptOnly: with empty feature vectors the model is the
// intercept alone; for poisson with the log link it is log(Σwy/Σw) with
// standard error 1/√(Σwy) (the inverse Fisher information Σwμ at μ = the
// weighted mean), and the deviance equals the null deviance.
func TestGLRInterceptOnly(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "glr_data.csv")
	df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{
		{Name: "features", Src: []int{}, Vec: true}, {Name: "label", Src: []int{5}}, {Name: "w", Src: []int{7}},
	}, 2)
	m, err := NewGeneralizedLinearRegression().SetFamily("poisson").SetWeightCol("w").SetTol(1e-12).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	var sw, swy float64
	for _, r := range rows {
		sw += r[7]
		swy += r[7] * r[5]
	}
	se, err := m.Summary().CoefficientStandardErrors()
	if err != nil {
		t.Fatal(err)
	}
	sum := m.Summary()
	if m.NumFeatures() != 0 || !optimtest.RelClose(m.Intercept(), math.Log(swy/sw), 1e-12, 1e-12) || len(se) != 1 || !optimtest.RelClose(se[0], 1/math.Sqrt(swy), 1e-9, 0) ||
		!optimtest.RelClose(sum.Deviance, sum.NullDeviance, 1e-12, 1e-12) || sum.Rank != 1 {
		t.Errorf("intercept %v (want %v), se %v (want %v), deviance %v null %v", m.Intercept(), math.Log(swy/sw), se, 1/math.Sqrt(swy), sum.Deviance, sum.NullDeviance)
	}
}

// TestGLRSummaryTable: the summary text is Spark's toString layout, as the
// reference script builds it from statsmodels' numbers by Spark's rules.
func TestGLRSummaryTable(t *testing.T) {
	s, mem := newSession(t)
	cases := glrReference(t)["cases"].(map[string]any)
	n := 0
	for name, v := range cases {
		c := v.(map[string]any)
		want, ok := c["spark_summary_text"].(string)
		if !ok {
			continue
		}
		n++
		m, err := glrFromRef(c).SetTol(1e-10).SetMaxIter(100).FitModel(ctx, glrFrame(t, s, mem, glrCaseLabel(c), 1))
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Summary().String(); got != want {
			t.Errorf("%s: summary\n%s\nwant\n%s", name, got, want)
		}
	}
	if n != 4 {
		t.Fatalf("%d reference texts", n)
	}
}
