package clustering

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os/exec"
	"slices"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// runPython runs script with python3 (the system one first: it has numpy,
// scipy and scikit-learn), in as JSON on its stdin, and decodes its stdout
// into out. The test is skipped when no python3 imports the modules.
func runPython(t *testing.T, modules, script string, in, out any) {
	t.Helper()
	var py string
	for _, c := range []string{"/usr/bin/python3", "python3"} {
		p, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if exec.Command(p, "-c", "import "+modules).Run() == nil {
			py = p
			break
		}
	}
	if py == "" {
		t.Skipf("no python3 with %s: reference check skipped", modules)
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("python3 output %q: %v", res, err)
	}
}

// jsonDoc is a document as the reference scripts read it.
type jsonDoc struct {
	IDs []int     `json:"ids"`
	Cts []float64 `json:"cts"`
}

func jsonDocs(docs []ldaDoc) []jsonDoc {
	out := make([]jsonDoc, len(docs))
	for i, d := range docs {
		out[i] = jsonDoc{d.ids, d.cts}
	}
	return out
}

// relClose reports whether got is within rel of want, relative to
// max(|want|, 1).
func relClose(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1)
}

func matClose(t *testing.T, what string, got, want [][]float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("%s row %d: %d values, want %d", what, i, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			if !relClose(got[i][j], want[i][j], rel) {
				t.Errorf("%s[%d][%d] = %.15g, want %.15g", what, i, j, got[i][j], want[i][j])
			}
		}
	}
}

// emScript is Asuncion et al.'s MAP EM for LDA, written from the paper's
// update (their eq. for the MAP estimate, with the N_wk, N_kj, N_k counts
// Spark documents): γ_wjk ∝ (N_wk + η − 1)(N_kj + α − 1)/(N_k + W(η − 1)),
// counts re-summed from the count-weighted γ each iteration; then Spark's
// documented logLikelihood (Σ N_wj log Σ_k φ_wk θ_kj) and logPrior ((η−1)
// Σ log φ_wk over the training terms + (α−1) Σ log θ_kj).
const emScript = `
import json, sys
import numpy as np
inp = json.load(sys.stdin)
k, V, a, e = inp["k"], inp["vocab"], inp["alpha"], inp["eta"]
docs = inp["docs"]
D = len(docs)
X = np.zeros((D, V))
G = np.zeros((D, V, k))
for j, d in enumerate(docs):
    for i, (w, c) in enumerate(zip(d["ids"], d["cts"])):
        X[j, w] = c
        G[j, w] = inp["gammas"][j][i * k:(i + 1) * k]
def counts(G):
    S = G * X[:, :, None]
    return S.sum(axis=1), S.sum(axis=0)
Ndk, Nwk = counts(G)
for _ in range(inp["iters"]):
    Nk = Nwk.sum(axis=0)
    G = (Nwk[None, :, :] + e - 1) * (Ndk[:, None, :] + a - 1) / (Nk + V * (e - 1))
    G /= G.sum(axis=2, keepdims=True)
    Ndk, Nwk = counts(G)
Nk = Nwk.sum(axis=0)
phi = (Nwk + e - 1) / (Nk + V * (e - 1))
theta = Ndk + a - 1
theta /= theta.sum(axis=1, keepdims=True)
P = theta @ phi.T
mask = X > 0
ll = float((X[mask] * np.log(P[mask])).sum())
present = X.sum(axis=0) > 0
lp = float((e - 1) * np.log(phi[present]).sum() + (a - 1) * np.log(theta).sum())
json.dump({"nwk": Nwk.tolist(), "ndk": (Ndk / Ndk.sum(axis=1, keepdims=True)).tolist(),
           "nk": Nk.tolist(), "ll": ll, "lp": lp}, sys.stdout)
`

// The em optimizer against a numpy implementation of the MAP EM updates
// from the same initial token topic distributions (gspark's, from the
// seed): after 15 iterations the term topic counts, the training documents'
// topic distributions, N_k, the training log likelihood and the log prior
// agree to 1e-9 relative. 1 and 4 partitions give the same model.
func TestLDAEMVsNumpy(t *testing.T) {
	// 60 documents, and 700 (three chunks of the parallel E/M step).
	t.Run("60", func(t *testing.T) { testEMVsNumpy(t, corpus()) })
	big := corpus()
	for len(big) < 700 {
		big = append(big, corpus()...)
	}
	for i := range big { // make the copies differ
		big[i].Features.(*linalg.DenseVector).Values[i%10]++
	}
	t.Run("700", func(t *testing.T) { testEMVsNumpy(t, big[:700]) })
}

func testEMVsNumpy(t *testing.T, rows []ldaRow) {
	s, _ := newSession(t)
	const k, iters, seed = 3, 15, 7
	var models []*DistributedLDAModel
	for _, parts := range []int{1, 4} {
		df := s.CreateDataFrame(rows).Repartition(parts)
		m, err := NewLDA().SetOptimizer("em").SetK(k).SetMaxIter(iters).SetSeed(seed).FitDistributed(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	if !slices.EqualFunc(models[0].TopicsMatrix(), models[1].TopicsMatrix(), slices.Equal[[]float64]) {
		t.Errorf("1 and 4 partitions give different topics")
	}
	m := models[0]
	if a := m.EstimatedDocConcentration(); a[0] != 50.0/k+1 || m.TopicConcentration() != 1.1 {
		t.Errorf("em defaults: alpha %v, eta %v; want 50/k+1 and 1.1", a, m.TopicConcentration())
	}
	docs, vocab, err := readDocs(ctx, s.CreateDataFrame(rows), "lda", "features")
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"k": k, "vocab": vocab, "alpha": 50.0/k + 1, "eta": 1.1, "iters": iters,
		"docs": jsonDocs(docs), "gammas": emInitialGammas(docs, k, seed)}
	var ref struct {
		Nwk, Ndk [][]float64
		Nk       []float64
		LL, LP   float64
	}
	runPython(t, "numpy", emScript, in, &ref)
	matClose(t, "topicsMatrix", m.TopicsMatrix(), ref.Nwk, 1e-9)
	matClose(t, "globalTopicTotals", [][]float64{m.GlobalTopicTotals()}, [][]float64{ref.Nk}, 1e-9)
	// numpy's documents are in readDocs' order; TopicDistributions is by
	// row number.
	byRow := map[int64][]float64{}
	for _, dt := range m.TopicDistributions() {
		byRow[dt.DocID] = dt.Topics
	}
	got := make([][]float64, len(docs))
	for i, d := range docs {
		got[i] = byRow[d.row]
	}
	matClose(t, "topicDistributions", got, ref.Ndk, 1e-9)
	if ll := m.TrainingLogLikelihood(); !relClose(ll, ref.LL, 1e-9) {
		t.Errorf("trainingLogLikelihood %.15g, want %.15g", ll, ref.LL)
	}
	if lp := m.LogPrior(); !relClose(lp, ref.LP, 1e-9) {
		t.Errorf("logPrior %.15g, want %.15g", lp, ref.LP)
	}
}

// onlineScript drives scikit-learn's LatentDirichletAllocation (the same
// Hoffman et al. online variational Bayes as Spark's online optimizer)
// from a fixed λ, with the documents' starting γ of each iteration fixed
// too, for a number of online _em_step calls over all documents
// (subsamplingRate 1); then its transform of the documents (γ starts at
// ones there).
const onlineScript = `
import json, sys
import numpy as np
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.decomposition._online_lda_fast import _dirichlet_expectation_2d
inp = json.load(sys.stdin)
k, V = inp["k"], inp["vocab"]
docs = inp["docs"]
X = np.zeros((len(docs), V))
for j, d in enumerate(docs):
    for w, c in zip(d["ids"], d["cts"]):
        X[j, w] = c
m = LatentDirichletAllocation(n_components=k, doc_topic_prior=inp["alpha"], topic_word_prior=inp["eta"],
    learning_method="online", learning_offset=inp["tau0"], learning_decay=inp["kappa"],
    total_samples=len(docs), max_doc_update_iter=100000, mean_change_tol=1e-3, n_jobs=1)
m._init_latent_vars(V)
m.components_ = np.array(inp["lambda0"])
m.exp_dirichlet_component_ = np.exp(_dirichlet_expectation_2d(m.components_))
class FixedGamma:
    def __init__(self, gs):
        self.gs = list(gs)
    def gamma(self, shape, scale, size):
        g = np.array(self.gs.pop(0))
        assert g.shape == size, (g.shape, size)
        return g
m.random_state_ = FixedGamma(inp["gamma0"])
for _ in range(inp["iters"]):
    m._em_step(X, total_samples=len(docs), batch_update=False)
td = m._unnormalized_transform(X)
td /= td.sum(axis=1)[:, np.newaxis]
json.dump({"lambda": m.components_.tolist(), "transform": td.tolist()}, sys.stdout)
`

// The online optimizer against scikit-learn 1.2's online LDA from the same
// initial λ (gspark's, from the seed) and the same starting γ of every
// document in every iteration, alpha fixed (optimizeDocConcentration
// false: scikit-learn does not learn it), subsamplingRate 1: λ after 4
// iterations agrees to 1e-9 relative, and the documents' topic
// distributions inferred from γ = 1 (scikit-learn's transform start) to
// 1e-9 absolute. The model's own TopicDistribution starts from Gamma(100,
// 1/100) draws and stops, as both do, at a mean γ change below 1e-3, so
// it agrees with scikit-learn's transform to 1e-3 only.
func TestLDAOnlineVsSklearn(t *testing.T) {
	s, _ := newSession(t)
	df := s.CreateDataFrame(corpus())
	const k, iters, seed = 2, 4, 3
	est := NewLDA().SetK(k).SetMaxIter(iters).SetSeed(seed).SetSubsamplingRate(1).SetLearningOffset(5).
		SetLearningDecay(0.7).SetDocConcentration(0.3).SetTopicConcentration(0.2).SetOptimizeDocConcentration(false)
	docs, vocab, err := est.read(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	f, err := est.resolve(est.Params())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(21, 22))
	gamma0 := make([][][]float64, iters)
	for it := range gamma0 {
		gamma0[it] = make([][]float64, len(docs))
		for i := range docs {
			gamma0[it][i] = []float64{0.5 + r.Float64(), 0.5 + r.Float64()}
		}
	}
	f.gamma0 = func(it, doc int) []float64 { return gamma0[it-1][doc] }
	lambda0 := initialLambda(f.seed, k, vocab)
	in := map[string]any{"k": k, "vocab": vocab, "alpha": 0.3, "eta": 0.2, "tau0": 5.0, "kappa": 0.7, "iters": iters,
		"docs": jsonDocs(docs), "lambda0": lambda0, "gamma0": gamma0}
	lambda, alpha, err := fitOnline(ctx, docs, cloneRows(lambda0), f)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Lambda    [][]float64 `json:"lambda"`
		Transform [][]float64 `json:"transform"`
	}
	runPython(t, "numpy, sklearn", onlineScript, in, &ref)
	matClose(t, "lambda", lambda, ref.Lambda, 1e-9)

	expElogbeta := expElogbetaOf(lambda)
	td := make([][]float64, len(docs))
	for i, d := range docs {
		g, _ := inferDoc(d, expElogbeta, alpha, []float64{1, 1})
		td[i] = []float64{g[0] / (g[0] + g[1]), g[1] / (g[0] + g[1])}
	}
	for i := range td {
		for j := range td[i] {
			if math.Abs(td[i][j]-ref.Transform[i][j]) > 1e-9 {
				t.Errorf("topic distribution of document %d = %v, scikit-learn %v", i, td[i], ref.Transform[i])
			}
		}
	}

	sameStart := newLDAModel("lda", lambda, alpha, 0.2)
	if err := est.Params().CopyValuesTo(sameStart.Params()); err != nil {
		t.Fatal(err)
	}
	checkTransform(t, df, sameStart, ref.Transform, 1e-3)
}

func cloneRows(m [][]float64) [][]float64 {
	out := make([][]float64, len(m))
	for i, r := range m {
		out[i] = slices.Clone(r)
	}
	return out
}

// checkTransform compares m's Transform of df (rows in readDocs' order
// after sorting by features) with want to tol absolute.
func checkTransform(t *testing.T, df *frame.DataFrame, m *LDAModel, want [][]float64, tol float64) {
	t.Helper()
	docs, _, err := readDocs(ctx, df, "lda", "features")
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range docs {
		v := make([]float64, m.VocabSize())
		for j, id := range d.ids {
			v[id] = d.cts[j]
		}
		td, err := m.TopicDistribution(linalg.Dense(v...))
		if err != nil {
			t.Fatal(err)
		}
		for j := range td {
			if math.Abs(td[j]-want[i][j]) > tol {
				t.Errorf("TopicDistribution of document %d = %v, scikit-learn %v", i, td, want[i])
				break
			}
		}
	}
}
