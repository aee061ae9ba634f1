package classification

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// TestNaiveBayesVsSklearn compares pi, theta and sigma with scikit-learn's
// MultinomialNB / BernoulliNB / GaussianNB (alpha = smoothing = 1,
// var_smoothing = 1e-9) to 1e-9 relative, with 1 and 4 partitions. Spark
// smooths the discrete models' prior where sklearn does not, so the
// reference pi is computed in numpy as log((n_c+λ)/(n+Kλ)) (see
// testdata/ml/make_reference.py); the probabilities use that prior.
func TestNaiveBayesVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	ref := optimtest.Reference(t)
	for _, c := range []struct{ key, file, kind string }{
		{"nb_multinomial_iris", "iris.csv", "multinomial"},
		{"nb_bernoulli_breast_cancer", "breast_cancer_binary.csv", "bernoulli"},
		{"nb_gaussian_wine", "wine.csv", "gaussian"},
	} {
		want := ref[c.key].(map[string]any)
		for _, parts := range []int{1, 4} {
			what := fmt.Sprintf("%s/parts=%d", c.key, parts)
			df := optimtest.Labeled(t, s, mem, c.file, parts)
			m, err := NewNaiveBayes().SetModelType(c.kind).FitNB(ctx, df)
			if err != nil {
				t.Fatal(err)
			}
			close := func(name string, got, want []float64) {
				t.Helper()
				for j := range want {
					if !optimtest.RelClose(got[j], want[j], 1e-9, 1e-12) {
						t.Errorf("%s: %s[%d] = %.15g, want %.15g", what, name, j, got[j], want[j])
					}
				}
			}
			close("pi", m.Pi(), optimtest.Floats(want["pi"]))
			for k, row := range matrixOf(want["theta"]) {
				close("theta", m.Theta()[k], row)
			}
			if c.kind == "gaussian" {
				for k, row := range matrixOf(want["sigma"]) {
					close("sigma", m.Sigma()[k], row)
				}
			}
			out, err := m.Transform(df)
			if err != nil {
				t.Fatal(err)
			}
			acc, err := evaluation.NewMulticlassClassificationEvaluator().SetMetricName("accuracy").Evaluate(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(acc-want["accuracy"].(float64)) > 1e-12 {
				t.Errorf("%s: accuracy %v, want %v", what, acc, want["accuracy"])
			}
			rows, err := out.Collect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i, wp := range matrixOf(want["probabilities_first5"]) {
				p := rows[i][len(rows[i])-2].(linalg.Vector).ToArray()
				for k := range wp {
					if math.Abs(p[k]-wp[k]) > 1e-9 {
						t.Errorf("%s: row %d probabilities %v, want %v", what, i, p, wp)
						break
					}
				}
			}
		}
	}
}

func TestNaiveBayesSaveAndBadInput(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "wine.csv", 2)
	m, err := NewNaiveBayes().SetModelType("gaussian").FitNB(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "nb")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*NaiveBayesModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if back.NumClasses() != 3 || back.Sigma()[2][5] != m.Sigma()[2][5] || back.Theta()[1][0] != m.Theta()[1][0] {
		t.Fatal("loaded model differs")
	}
	neg := optimtest.Frame(t, s, mem, [][]float64{{-1, 0}, {2, 1}}, []optimtest.Col{{Name: "features", Src: []int{0}, Vec: true}, {Name: "label", Src: []int{1}}}, 1)
	two := optimtest.Frame(t, s, mem, [][]float64{{2, 0}, {1, 1}}, []optimtest.Col{{Name: "features", Src: []int{0}, Vec: true}, {Name: "label", Src: []int{1}}}, 1)
	for _, c := range []struct {
		df   *frame.DataFrame
		nb   *NaiveBayes
		want string
	}{
		{neg, NewNaiveBayes(), "non-negative"},
		{two, NewNaiveBayes().SetModelType("bernoulli"), "0/1"},
		{two, NewNaiveBayes().SetModelType("complement"), "modelType"},
		{two, NewNaiveBayes().SetSmoothing(-1), "smoothing"},
	} {
		if _, err := c.nb.Fit(ctx, c.df); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
}
