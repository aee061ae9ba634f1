package clustering

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

type ldaRow struct {
	Group    int64         `gspark:"group"`
	Features linalg.Vector `gspark:"features"`
}

// corpus returns 60 documents over 10 terms: group 0 uses terms 0–4 only,
// group 1 terms 5–9 only.
func corpus() []ldaRow {
	r := rand.New(rand.NewPCG(11, 12))
	var rows []ldaRow
	for i := 0; i < 60; i++ {
		g := i % 2
		v := make([]float64, 10)
		for n := 0; n < 20; n++ {
			v[5*g+r.IntN(5)]++
		}
		rows = append(rows, ldaRow{int64(g), linalg.Dense(v...)})
	}
	return rows
}

func TestLDAHelpersAgainstClosedForms(t *testing.T) {
	// ψ(1) = −γ (Euler–Mascheroni), ψ′(1) = π²/6, ψ′(2) = π²/6 − 1: the
	// trigamma of Spark's alpha update is Hurwitz ζ(2, x).
	if d := dirichletExpectation([]float64{1, 1}); math.Abs(d[0]-(-0.5772156649015329-(1-0.5772156649015329))) > 1e-12 {
		t.Errorf("E[log θ] of Dirichlet(1,1) = %v, want ψ(1) − ψ(2) = −1", d[0])
	}
	if v := mathext.Zeta(2, 1); math.Abs(v-math.Pi*math.Pi/6) > 1e-12 {
		t.Errorf("trigamma(1) = %v", v)
	}
	if v := mathext.Zeta(2, 2); math.Abs(v-(math.Pi*math.Pi/6-1)) > 1e-12 {
		t.Errorf("trigamma(2) = %v", v)
	}
	// Gamma(100, 1/100) draws: mean 1, variance 1/100.
	r := rand.New(rand.NewPCG(1, 1))
	n, s, s2 := 200000.0, 0.0, 0.0
	for i := 0; i < int(n); i++ {
		x := gammaDraw(r, ldaGammaShape)
		s += x
		s2 += x * x
	}
	mean, variance := s/n, s2/n-(s/n)*(s/n)
	if math.Abs(mean-1) > 1e-3 || math.Abs(variance-0.01) > 5e-4 {
		t.Errorf("Gamma(100, 1/100) draws: mean %v, variance %v", mean, variance)
	}
}

// Invariants of an online fit on a corpus of two disjoint vocabularies:
// each topic's five heaviest terms are one group's, every document's topic
// mixture sums to 1 and puts most weight on its group's topic, and the fit
// is the same for 1 and 4 partitions.
func TestLDAOnlineInvariants(t *testing.T) {
	s, _ := newSession(t)
	rows := corpus()
	var models []*LDAModel
	for _, parts := range []int{1, 4} {
		df := s.CreateDataFrame(rows).Repartition(parts)
		m, err := NewLDA().SetK(2).SetMaxIter(40).SetSubsamplingRate(0.5).SetLearningOffset(1).SetSeed(5).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
		topics := m.DescribeTopics(5)
		groupOf := make([]int, 2)
		for ti, tp := range topics {
			g := tp.TermIndices[0] / 5
			for j, w := range tp.TermIndices {
				if w/5 != g {
					t.Errorf("parts=%d: topic %d mixes groups: %v", parts, ti, tp.TermIndices)
				}
				if j > 0 && tp.TermWeights[j] > tp.TermWeights[j-1] {
					t.Errorf("topic %d weights not descending: %v", ti, tp.TermWeights)
				}
			}
			groupOf[ti] = g
		}
		if groupOf[0] == groupOf[1] {
			t.Fatalf("parts=%d: both topics describe group %d", parts, groupOf[0])
		}
		out, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		res, err := out.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			td := r[2].(linalg.Vector).ToArray()
			if math.Abs(td[0]+td[1]-1) > 1e-12 || td[0] < 0 || td[1] < 0 {
				t.Errorf("topic distribution %v", td)
			}
			g := int(r[0].(int64))
			mine := slices.Index(groupOf, g)
			if td[mine] < 0.9 {
				t.Errorf("parts=%d: a group-%d document has %v", parts, g, td)
			}
		}
		if a := m.EstimatedDocConcentration(); len(a) != 2 || a[0] <= 0 || a[0] == 0.5 {
			t.Errorf("alpha %v: not learned", a)
		}
	}
	if !slices.EqualFunc(models[0].lambda, models[1].lambda, slices.Equal[[]float64]) {
		t.Errorf("1 and 4 partitions give different topics")
	}

	dir := filepath.Join(t.TempDir(), "lda")
	m := models[0]
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*LDAModel](ctx, dir, Register(ml.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	x := linalg.Dense(3, 0, 1, 0, 0, 0, 2, 0, 0, 0)
	a, _ := m.TopicDistribution(x)
	b, err := back.TopicDistribution(x)
	if err != nil || !slices.Equal(a, b) || len(m.TopicsMatrix()) != 10 {
		t.Errorf("loaded model: %v vs %v (%v)", b, a, err)
	}
	est := NewLDA().SetK(4).SetDocConcentration(0.3).SetTopicConcentration(0.2).SetOptimizeDocConcentration(false)
	edir := filepath.Join(t.TempDir(), "est")
	if err := est.Save(edir); err != nil {
		t.Fatal(err)
	}
	e2, err := ml.LoadAs[*LDA](ctx, edir, Register(ml.NewRegistry()))
	if err != nil || e2.Params().ExplainParams() != est.Params().ExplainParams() {
		t.Errorf("loaded estimator differs (%v)", err)
	}
	bad := s.CreateDataFrame([]ldaRow{{0, linalg.Dense(1, -1)}})
	if _, err := NewLDA().Fit(ctx, bad); err == nil || !strings.Contains(err.Error(), "nonnegative") {
		t.Errorf("negative count: err = %v", err)
	}
	if _, err := NewLDA().SetK(3).SetDocConcentration(1, 2).Fit(ctx, s.CreateDataFrame(rows)); err == nil || !strings.Contains(err.Error(), "docConcentration") {
		t.Errorf("2 alphas for k = 3: err = %v", err)
	}
}

// Spark's variational bound matches scipy on fixed inputs
// (testdata/ml/make_lda_bound_reference.py) to 1e-10 relative (gonum's
// and scipy's digamma differ in the last digits); the
// model's logPerplexity is −logLikelihood over the number of tokens, and a
// fitted model explains its corpus better than the initial random topics.
func TestLDABoundVsScipy(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(optimtest.Dir(), "lda_bound_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Lambda [][]float64 `json:"lambda"`
		Alpha  []float64   `json:"alpha"`
		Eta    float64     `json:"eta"`
		Docs   []struct {
			IDs []int     `json:"ids"`
			Cts []float64 `json:"cts"`
		} `json:"docs"`
		Gammas [][]float64 `json:"gammas"`
		Bound  float64     `json:"bound"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	docs := make([]ldaDoc, len(ref.Docs))
	for i, d := range ref.Docs {
		docs[i] = ldaDoc{ids: d.IDs, cts: d.Cts}
	}
	got := ldaBound(docs, ref.Gammas, ref.Lambda, ref.Alpha, ref.Eta)
	if math.Abs(got-ref.Bound) > 1e-10*math.Abs(ref.Bound) {
		t.Errorf("bound %.15g, want %.15g", got, ref.Bound)
	}

	s, _ := newSession(t)
	df := s.CreateDataFrame(corpus())
	fitted, err := NewLDA().SetK(2).SetMaxIter(40).SetSubsamplingRate(0.5).SetLearningOffset(1).SetSeed(5).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	initial, err := NewLDA().SetK(2).SetMaxIter(0).SetSeed(5).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	ll, err := fitted.LogLikelihood(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	lp, err := fitted.LogPerplexity(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(lp-(-ll/1200)) > 1e-12*math.Abs(lp) { // 60 documents of 20 tokens
		t.Errorf("logPerplexity %v, logLikelihood %v", lp, ll)
	}
	if l0, _ := initial.LogLikelihood(ctx, df); !(ll > l0) {
		t.Errorf("fitted bound %v not above the initial topics' %v", ll, l0)
	}
}
