package clustering

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// naiveLogLikelihood evaluates Σ log Σ_k w_k N(x | μ_k, Σ_k) with gonum's
// distmv, row at a time.
func naiveLogLikelihood(t *testing.T, rows [][]float64, m *GaussianMixtureModel) float64 {
	var dists []*distmv.Normal
	for k, mu := range m.Means() {
		d := len(mu)
		n, ok := distmv.NewNormal(mu, mat.NewSymDense(d, m.Covariances()[k]), nil)
		if !ok {
			t.Fatalf("component %d covariance is not positive definite", k)
		}
		dists = append(dists, n)
	}
	ll := 0.0
	for _, r := range rows {
		s := 0.0
		for k, n := range dists {
			s += m.Weights()[k] * math.Exp(n.LogProb(r[:4]))
		}
		ll += math.Log(s)
	}
	return ll
}

// TestGaussianMixtureIrisVsSklearn: EM from Spark's initialization reaches
// a local optimum that depends on the seed (on iris: −180.19, −186.57,
// −189.50, …; a run whose component collapses onto too few points fails
// with a "singular" error), so each of seeds 1..10 is run to tol 1e-9; the
// summary's log-likelihood must equal a naive evaluation (gonum's distmv)
// to 1e-9, and the best seed must reach scikit-learn's best of 20 runs
// (−180.185) within 1e-6 relative, with 1 and 4 partitions.
func TestGaussianMixtureIrisVsSklearn(t *testing.T) {
	s, mem := newSession(t)
	ref := optimtest.Reference(t)["gmm_iris"].(map[string]any)
	want := ref["logLikelihood"].(float64)
	for _, parts := range []int{1, 4} {
		df, rows := irisFeatures(t, s, mem, parts)
		best := math.Inf(-1)
		var bestM *GaussianMixtureModel
		failed := 0
		for seed := int64(1); seed <= 10; seed++ {
			m, err := NewGaussianMixture().SetK(3).SetSeed(seed).SetTol(1e-9).SetMaxIter(2000).FitGMM(ctx, df)
			if err != nil && strings.Contains(err.Error(), "singular") {
				failed++
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			ll := m.Summary().LogLikelihood
			if naive := naiveLogLikelihood(t, rows, m); math.Abs(naive-ll) > 1e-9*math.Abs(ll) {
				t.Fatalf("seed %d: summary log-likelihood %v, naive %v", seed, ll, naive)
			}
			if ll > best {
				best, bestM = ll, m
			}
		}
		if failed > 3 {
			t.Errorf("parts=%d: %d of 10 seeds collapsed", parts, failed)
		}
		if !optimtest.RelClose(best, want, 1e-6, 1) {
			t.Errorf("parts=%d: best log-likelihood %v, sklearn %v", parts, best, want)
		}
		w := bestM.Weights()
		slices.Sort(w)
		for k, v := range optimtest.Floats(ref["weights"]) {
			if math.Abs(w[k]-v) > 1e-3 {
				t.Errorf("parts=%d: weights %v, sklearn %v", parts, w, ref["weights"])
				break
			}
		}
	}
	df, _ := irisFeatures(t, s, mem, 2)
	m, err := NewGaussianMixture().SetK(3).SetSeed(2).FitGMM(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	again, err := NewGaussianMixture().SetK(3).SetSeed(2).FitGMM(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if m.Summary().LogLikelihood != again.Summary().LogLikelihood {
		t.Fatal("the same seed must give the same mixture")
	}
	out, err := m.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := out.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		p := r[2].(linalg.Vector).ToArray()
		best := 0
		sum := 0.0
		for k, v := range p {
			sum += v
			if v > p[best] {
				best = k
			}
		}
		if math.Abs(sum-1) > 1e-12 || int32(best) != r[1].(int32) {
			t.Fatalf("probabilities %v, prediction %v", p, r[1])
		}
	}
	dir := filepath.Join(t.TempDir(), "gmm")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*GaussianMixtureModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Weights(), m.Weights()) {
		t.Fatal("loaded weights differ")
	}
	if _, err := NewGaussianMixture().SetK(1).Fit(ctx, df); err == nil || !strings.Contains(err.Error(), "param k") {
		t.Fatalf("got %v", err)
	}
}
