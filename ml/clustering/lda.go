package clustering

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"gonum.org/v1/gonum/mathext"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/progress"
)

// ldaGammaShape is the shape of the Gamma draws that start the variational
// parameters, as Spark's (100, with scale 1/100).
const ldaGammaShape = 100

type ldaParams struct {
	featuresCol, topicDistributionCol, optimizer param.Param[string]
	k, maxIter, checkpointInterval               param.Param[int]
	learningOffset, learningDecay, subsampling   param.Param[float64]
	optimizeDocConcentration, keepLastCheckpoint param.Param[bool]
	docConcentration                             param.Param[[]float64]
	topicConcentration                           param.Param[float64]
	seed                                         param.Param[int64]
}

func defineLDA(ps *param.Params) ldaParams {
	return ldaParams{
		featuresCol:          param.Define(ps, "featuresCol", "features column name (term count vectors)", param.WithDefault("features")),
		topicDistributionCol: param.Define(ps, "topicDistributionCol", "output column of each document's topic mixture", param.WithDefault("topicDistribution")),
		optimizer: param.Define(ps, "optimizer", "optimizer: online (Hoffman et al.'s online variational Bayes) or em (Asuncion et al.'s MAP EM)",
			param.WithDefault("online"), param.WithValidator(param.OneOf("online", "em"))),
		k:       param.Define(ps, "k", "number of topics (> 1)", param.WithDefault(10), param.WithValidator(param.Gt(1))),
		maxIter: param.Define(ps, "maxIter", "number of mini-batch iterations (>= 0)", param.WithDefault(20), param.WithValidator(param.GtEq(0))),
		learningOffset: param.Define(ps, "learningOffset", "tau0 of the learning rate (tau0 + t)^-kappa (> 0)", param.WithDefault(1024.0),
			param.WithValidator(param.Gt(0.0))),
		learningDecay: param.Define(ps, "learningDecay", "kappa of the learning rate, in (0.5, 1]", param.WithDefault(0.51),
			param.WithValidator(param.InRange(0.5, 1.0))),
		subsampling: param.Define(ps, "subsamplingRate", "fraction of the documents in each mini-batch, in (0, 1]", param.WithDefault(0.05),
			param.WithValidator(param.InRange(math.SmallestNonzeroFloat64, 1.0))),
		optimizeDocConcentration: param.Define(ps, "optimizeDocConcentration", "whether to learn the document concentration (alpha)", param.WithDefault(true)),
		docConcentration:         param.Define[[]float64](ps, "docConcentration", "Dirichlet prior of the topic mixtures (alpha): one value, or k values; unset: 1/k"),
		topicConcentration:       param.Define[float64](ps, "topicConcentration", "Dirichlet prior of the topics' term distributions (eta); unset: 1/k"),
		seed:                     param.Define(ps, "seed", "random seed", param.WithDefault(int64(1435876747))),
		checkpointInterval: param.Define(ps, "checkpointInterval", "checkpoint interval of em (accepted as Spark's; a fit in one process keeps no checkpoints)",
			param.WithDefault(10), param.WithValidator(param.GtEq(-1))),
		keepLastCheckpoint: param.Define(ps, "keepLastCheckpoint", "whether em keeps its last checkpoint (accepted as Spark's; there are no checkpoints)",
			param.WithDefault(true)),
	}
}

// LDA fits a Latent Dirichlet Allocation topic model to term count vectors
// with Spark's online optimizer (org.apache.spark.ml.clustering.LDA with
// optimizer "online"; Hoffman, Blei and Bach's online variational Bayes):
// each iteration t samples a mini-batch (subsamplingRate of the documents),
// infers each document's variational topic mixture γ (from Gamma(100,
// 1/100) draws, until the mean change of γ is below 1e-3), and moves the
// topics' variational parameters λ towards η + (D/|batch|)·E[sufficient
// statistics] with weight (learningOffset + t)^−learningDecay; with
// optimizeDocConcentration alpha takes one Newton step, as Spark's. The
// documents are put in a fixed order and the random draws depend on the
// seed, the iteration and that order, so a fit does not depend on the
// partitioning. With optimizer "em" Fit returns a DistributedLDAModel (see
// FitDistributed).
type LDA struct {
	ml.StageBase
	ldaParams
}

// NewLDA returns an estimator with Spark's defaults (k 10, maxIter 20, online).
func NewLDA() *LDA { return newLDA(param.UID("LDA")) }

func newLDA(uid string) *LDA {
	l := &LDA{StageBase: ml.NewStageBase(uid)}
	l.ldaParams = defineLDA(l.Params())
	return l
}

// SetK sets the number of topics.
func (l *LDA) SetK(k int) *LDA { l.k.Set(l.Params(), k); return l }

// SetMaxIter sets the number of iterations.
func (l *LDA) SetMaxIter(n int) *LDA { l.maxIter.Set(l.Params(), n); return l }

// SetSeed sets the random seed.
func (l *LDA) SetSeed(s int64) *LDA { l.seed.Set(l.Params(), s); return l }

// SetSubsamplingRate sets the mini-batch fraction.
func (l *LDA) SetSubsamplingRate(v float64) *LDA { l.subsampling.Set(l.Params(), v); return l }

// SetLearningOffset sets tau0.
func (l *LDA) SetLearningOffset(v float64) *LDA { l.learningOffset.Set(l.Params(), v); return l }

// SetLearningDecay sets kappa.
func (l *LDA) SetLearningDecay(v float64) *LDA { l.learningDecay.Set(l.Params(), v); return l }

// SetOptimizeDocConcentration chooses whether alpha is learned.
func (l *LDA) SetOptimizeDocConcentration(b bool) *LDA {
	l.optimizeDocConcentration.Set(l.Params(), b)
	return l
}

// SetDocConcentration sets alpha (one value or k values).
func (l *LDA) SetDocConcentration(a ...float64) *LDA { l.docConcentration.Set(l.Params(), a); return l }

// SetTopicConcentration sets eta.
func (l *LDA) SetTopicConcentration(v float64) *LDA {
	l.topicConcentration.Set(l.Params(), v)
	return l
}

// SetOptimizer sets the optimizer: "online" or "em".
func (l *LDA) SetOptimizer(o string) *LDA { l.optimizer.Set(l.Params(), o); return l }

// SetKeepLastCheckpoint is accepted as Spark's (em keeps no checkpoints here).
func (l *LDA) SetKeepLastCheckpoint(b bool) *LDA { l.keepLastCheckpoint.Set(l.Params(), b); return l }

// SetFeaturesCol sets the term count column.
func (l *LDA) SetFeaturesCol(c string) *LDA { l.featuresCol.Set(l.Params(), c); return l }

// ClassName implements ml.Stage.
func (l *LDA) ClassName() string { return classPrefix + "LDA" }

// SparkClassName is the class of the same stage in Apache Spark.
func (l *LDA) SparkClassName() string { return "org.apache.spark.ml.clustering.LDA" }

func (p ldaParams) schema(ps *param.Params, in *arrow.Schema) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, ps.UID(), p.featuresCol.Get(ps), ml.Vector); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.topicDistributionCol.Get(ps), Type: linalg.VectorType(), Nullable: true})
}

// TransformSchema implements ml.Stage.
func (l *LDA) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return l.schema(l.Params(), in)
}

// Copy implements ml.Stage.
func (l *LDA) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := l.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *l
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (l *LDA) Save(path string) error { return ml.Save(l, path) }

// Fit implements ml.Estimator.
// With optimizer "em" the model is a *DistributedLDAModel, otherwise an
// *LDAModel.
func (l *LDA) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if l.optimizer.Get(l.Params()) == "em" {
		return l.FitDistributed(ctx, df)
	}
	return l.FitModel(ctx, df)
}

// ldaDoc is a document's term ids and counts, and its row number in the
// input (partitions in order).
type ldaDoc struct {
	ids []int
	cts []float64
	row int64
}

func (d ldaDoc) seed() uint64 {
	h := fnv.New64a()
	var b [8]byte
	for j, id := range d.ids {
		binary.LittleEndian.PutUint64(b[:], uint64(id))
		h.Write(b[:])
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(d.cts[j]))
		h.Write(b[:])
	}
	return h.Sum64()
}

func cmpDocs(a, b ldaDoc) int {
	if c := slices.Compare(a.ids, b.ids); c != 0 {
		return c
	}
	if c := slices.Compare(a.cts, b.cts); c != 0 {
		return c
	}
	return cmp.Compare(a.row, b.row)
}

// readDocs reads the non-empty documents of column col and the vocabulary
// size; the documents are in a fixed order (by content), whatever the
// partitioning.
func readDocs(ctx context.Context, df *frame.DataFrame, uid, col string) ([]ldaDoc, int, error) {
	type acc struct {
		docs []ldaDoc
		v    int
		rows int64
	}
	parts, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(col)), func(int) *acc { return &acc{} },
		func(a *acc, b arrow.RecordBatch) (*acc, error) {
			vc, err := linalg.Vectors(b.Column(0))
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
			}
			for i := 0; i < vc.Len(); i++ {
				row := a.rows
				a.rows++
				if vc.IsNull(i) {
					continue
				}
				a.v = max(a.v, vc.Size(i))
				d := ldaDoc{row: row}
				var bad error
				vc.ForEachActive(i, func(j int, v float64) {
					if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
						bad = fmt.Errorf("%s: column %q: term counts must be nonnegative, got %v", uid, col, v)
					}
					if v > 0 {
						d.ids, d.cts = append(d.ids, j), append(d.cts, v)
					}
				})
				if bad != nil {
					return nil, bad
				}
				if len(d.ids) > 0 {
					a.docs = append(a.docs, d)
				}
			}
			return a, nil
		})
	if err != nil {
		return nil, 0, err
	}
	var docs []ldaDoc
	v := 0
	var offset int64
	for _, p := range parts {
		for _, d := range p.docs {
			d.row += offset
			docs = append(docs, d)
		}
		offset += p.rows
		v = max(v, p.v)
	}
	slices.SortFunc(docs, cmpDocs)
	return docs, v, nil
}

// gammaDraw draws from Gamma(shape, 1/shape) (Marsaglia and Tsang).
func gammaDraw(r *rand.Rand, shape float64) float64 {
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v / shape
		}
	}
}

// dirichletExpectation returns E[log θ] for θ ~ Dirichlet(a): ψ(aᵢ) − ψ(Σa).
func dirichletExpectation(a []float64) []float64 {
	s := 0.0
	for _, v := range a {
		s += v
	}
	ds := mathext.Digamma(s)
	out := make([]float64, len(a))
	for i, v := range a {
		out[i] = mathext.Digamma(v) - ds
	}
	return out
}

// drawGammas returns k draws from Gamma(100, 1/100), the start of a
// document's variational inference.
func drawGammas(r *rand.Rand, k int) []float64 {
	g := make([]float64, k)
	for t := range g {
		g[t] = gammaDraw(r, ldaGammaShape)
	}
	return g
}

// inferDoc is Spark's variationalTopicInference: the document's γ and its
// sufficient statistics (k × len(ids), row-major) given exp(E[log β]) for
// its terms (expElogbeta[term][topic]), starting from gamma0 (not
// modified).
func inferDoc(d ldaDoc, expElogbeta [][]float64, alpha []float64, gamma0 []float64) ([]float64, []float64) {
	k := len(alpha)
	n := len(d.ids)
	gamma := slices.Clone(gamma0)
	expTheta := expVec(dirichletExpectation(gamma))
	phiNorm := make([]float64, n)
	norm := func() {
		for j, id := range d.ids {
			s := 0.0
			for t := 0; t < k; t++ {
				s += expElogbeta[id][t] * expTheta[t]
			}
			phiNorm[j] = s + 1e-100
		}
	}
	norm()
	for change := 1.0; change > 1e-3; {
		last := slices.Clone(gamma)
		for t := 0; t < k; t++ {
			s := 0.0
			for j, id := range d.ids {
				s += expElogbeta[id][t] * d.cts[j] / phiNorm[j]
			}
			gamma[t] = expTheta[t]*s + alpha[t]
		}
		expTheta = expVec(dirichletExpectation(gamma))
		norm()
		change = 0
		for t := range gamma {
			change += math.Abs(gamma[t] - last[t])
		}
		change /= float64(k)
	}
	sstats := make([]float64, k*n)
	for t := 0; t < k; t++ {
		for j := range d.ids {
			sstats[t*n+j] = expTheta[t] * d.cts[j] / phiNorm[j]
		}
	}
	return gamma, sstats
}

func expVec(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Exp(x)
	}
	return out
}

// expElogbetaOf returns exp(E[log β]) of lambda (k × V) as [term][topic].
func expElogbetaOf(lambda [][]float64) [][]float64 {
	k, v := len(lambda), len(lambda[0])
	out := make([][]float64, v)
	for w := range out {
		out[w] = make([]float64, k)
	}
	for t, row := range lambda {
		e := dirichletExpectation(row)
		for w := 0; w < v; w++ {
			out[w][t] = math.Exp(e[w])
		}
	}
	return out
}

// ldaFit is what a fit needs besides the documents: the resolved params.
type ldaFit struct {
	k, maxIter        int
	alpha             []float64
	eta               float64
	seed              uint64
	tau0, kappa, rate float64
	optAlpha          bool
	// gamma0, when set, gives the starting γ of the document at position
	// doc of the mini-batch of iteration it (tests fix it to compare with
	// another implementation); otherwise Gamma(100, 1/100) draws seeded by
	// the seed, the document and the iteration.
	gamma0 func(it, doc int) []float64
}

// resolve reads the params of ps (the estimator's) for a fit.
func (p ldaParams) resolve(ps *param.Params) (ldaFit, error) {
	uid := ps.UID()
	f := ldaFit{k: p.k.Get(ps), maxIter: p.maxIter.Get(ps), seed: uint64(p.seed.Get(ps)),
		tau0: p.learningOffset.Get(ps), kappa: p.learningDecay.Get(ps), rate: p.subsampling.Get(ps),
		optAlpha: p.optimizeDocConcentration.Get(ps)}
	em := p.optimizer.Get(ps) == "em"
	a, aSet := p.docConcentration.GetOK(ps)
	def := 1 / float64(f.k)
	if em {
		def = 50/float64(f.k) + 1 // Spark's EM default (50/k)+1
	}
	f.alpha = make([]float64, f.k)
	switch {
	case !aSet:
		for t := range f.alpha {
			f.alpha[t] = def
		}
	case len(a) == 1:
		for t := range f.alpha {
			f.alpha[t] = a[0]
		}
	case len(a) == f.k:
		copy(f.alpha, a)
	default:
		return f, fmt.Errorf("%s: docConcentration has %d values, want 1 or k = %d", uid, len(a), f.k)
	}
	f.eta = 1 / float64(f.k)
	if em {
		f.eta = 0.1 + 1 // Spark's EM default
	}
	if v, ok := p.topicConcentration.GetOK(ps); ok {
		f.eta = v
	}
	if em {
		for _, v := range f.alpha {
			if v != f.alpha[0] {
				return f, fmt.Errorf("%s: optimizer em supports only a symmetric docConcentration, got %v", uid, f.alpha)
			}
		}
		if !(f.alpha[0] > 1) {
			return f, fmt.Errorf("%s: optimizer em needs docConcentration > 1, got %v", uid, f.alpha[0])
		}
		if !(f.eta > 1) {
			return f, fmt.Errorf("%s: optimizer em needs topicConcentration > 1, got %v", uid, f.eta)
		}
	}
	return f, nil
}

// initialLambda is the start of the online optimizer: k × vocab Gamma(100,
// 1/100) draws from the seed.
func initialLambda(seed uint64, k, vocab int) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 0x6c6461))
	lambda := make([][]float64, k)
	for t := range lambda {
		lambda[t] = drawGammas(r, vocab)
	}
	return lambda
}

// FitModel fits the estimator to df with the online optimizer and returns
// the concrete model; with optimizer "em" use FitDistributed (or Fit),
// which returns Spark's DistributedLDAModel.
func (l *LDA) FitModel(ctx context.Context, df *frame.DataFrame) (*LDAModel, error) {
	ps := l.Params()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if l.optimizer.Get(ps) == "em" {
		return nil, fmt.Errorf("%s: optimizer em fits a DistributedLDAModel: use FitDistributed or Fit", l.UID())
	}
	docs, vocab, err := l.read(ctx, df)
	if err != nil {
		return nil, err
	}
	f, err := l.resolve(ps)
	if err != nil {
		return nil, err
	}
	lambda, alpha, err := fitOnline(ctx, docs, initialLambda(f.seed, f.k, vocab), f)
	if err != nil {
		return nil, err
	}
	m := newLDAModel(l.UID(), lambda, alpha, f.eta)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// read checks df and reads its documents and vocabulary size.
func (l *LDA) read(ctx context.Context, df *frame.DataFrame) ([]ldaDoc, int, error) {
	if err := df.Err(); err != nil {
		return nil, 0, err
	}
	if _, err := l.TransformSchema(df.Schema()); err != nil {
		return nil, 0, err
	}
	docs, vocab, err := readDocs(ctx, df, l.UID(), l.featuresCol.Get(l.Params()))
	if err != nil {
		return nil, 0, err
	}
	if vocab == 0 {
		return nil, 0, fmt.Errorf("%s: no term count vectors to fit", l.UID())
	}
	return docs, vocab, nil
}

// fitOnline runs the online optimizer from lambda (k × vocab, updated in
// place) and returns the topics and alpha.
func fitOnline(ctx context.Context, docs []ldaDoc, lambda [][]float64, f ldaFit) ([][]float64, []float64, error) {
	k, vocab := len(lambda), len(lambda[0])
	alpha := slices.Clone(f.alpha)
	for it := 1; it <= f.maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		br := rand.New(rand.NewPCG(f.seed, uint64(it)))
		var batch []ldaDoc
		for _, d := range docs {
			if br.Float64() < f.rate {
				batch = append(batch, d)
			}
		}
		progress.Report(ctx, "iterations", it, f.maxIter)
		if len(batch) == 0 {
			continue
		}
		expElogbeta := expElogbetaOf(lambda)
		stat := make([][]float64, k)
		for t := range stat {
			stat[t] = make([]float64, vocab)
		}
		logphat := make([]float64, k)
		for i, d := range batch {
			var g0 []float64
			if f.gamma0 != nil {
				g0 = f.gamma0(it, i)
			} else {
				g0 = drawGammas(rand.New(rand.NewPCG(f.seed^d.seed(), uint64(it))), k)
			}
			gamma, ss := inferDoc(d, expElogbeta, alpha, g0)
			n := len(d.ids)
			for t := 0; t < k; t++ {
				for j, id := range d.ids {
					stat[t][id] += ss[t*n+j]
				}
			}
			for t, v := range dirichletExpectation(gamma) {
				logphat[t] += v
			}
		}
		rho := math.Pow(f.tau0+float64(it), -f.kappa)
		scale := float64(len(docs)) / float64(len(batch))
		for t := 0; t < k; t++ {
			for w := 0; w < vocab; w++ {
				lambda[t][w] = (1-rho)*lambda[t][w] + rho*(f.eta+scale*stat[t][w]*expElogbeta[w][t])
			}
		}
		if f.optAlpha {
			nDocs := float64(len(batch))
			for t := range logphat {
				logphat[t] /= nDocs
			}
			alpha = updateAlpha(alpha, logphat, nDocs, rho)
		}
	}
	return lambda, alpha, nil
}

// updateAlpha takes Spark's Newton step on alpha (Huang's fixed-point for
// the Dirichlet), kept only when every component stays positive.
func updateAlpha(alpha, logphat []float64, n, rho float64) []float64 {
	k := len(alpha)
	de := dirichletExpectation(alpha)
	sum := 0.0
	for _, a := range alpha {
		sum += a
	}
	c := n * mathext.Zeta(2, sum)
	gradf, q := make([]float64, k), make([]float64, k)
	num, den := 0.0, 1/c
	for t := range alpha {
		gradf[t] = n * (-de[t] + logphat[t])
		q[t] = -n * mathext.Zeta(2, alpha[t])
		num += gradf[t] / q[t]
		den += 1 / q[t]
	}
	b := num / den
	out := make([]float64, k)
	for t := range alpha {
		out[t] = alpha[t] + rho*(-(gradf[t]-b)/q[t])
		if !(out[t] > 0) {
			return alpha
		}
	}
	return out
}

// LDAModel is a fitted online LDA model (Spark's LocalLDAModel).
type LDAModel struct {
	ml.StageBase
	ldaParams
	lambda [][]float64 // k × vocabulary
	alpha  []float64
	eta    float64
}

func newLDAModel(uid string, lambda [][]float64, alpha []float64, eta float64) *LDAModel {
	m := &LDAModel{StageBase: ml.NewStageBase(uid), lambda: lambda, alpha: alpha, eta: eta}
	m.ldaParams = defineLDA(m.Params())
	return m
}

// ClassName implements ml.Stage.
func (m *LDAModel) ClassName() string { return classPrefix + "LDAModel" }

// SparkClassName is the class of the same stage in Apache Spark.
func (m *LDAModel) SparkClassName() string { return "org.apache.spark.ml.clustering.LocalLDAModel" }

// VocabSize is the number of terms.
func (m *LDAModel) VocabSize() int { return len(m.lambda[0]) }

// EstimatedDocConcentration is alpha as fitted.
func (m *LDAModel) EstimatedDocConcentration() []float64 { return slices.Clone(m.alpha) }

// TopicsMatrix returns the topics' variational parameters λ as a
// vocabulary × k matrix (rows of terms), unnormalized, as Spark's
// topicsMatrix.
func (m *LDAModel) TopicsMatrix() [][]float64 {
	out := make([][]float64, m.VocabSize())
	for w := range out {
		out[w] = make([]float64, len(m.lambda))
		for t := range m.lambda {
			out[w][t] = m.lambda[t][w]
		}
	}
	return out
}

// Topic is one topic's heaviest terms, as a row of Spark's describeTopics.
type Topic struct {
	Topic       int
	TermIndices []int
	TermWeights []float64
}

// DescribeTopics returns each topic's maxTermsPerTopic heaviest terms, by
// the topic's normalized λ, heaviest first (ties by term index).
func (m *LDAModel) DescribeTopics(maxTermsPerTopic int) []Topic {
	out := make([]Topic, len(m.lambda))
	for t, row := range m.lambda {
		s := 0.0
		for _, v := range row {
			s += v
		}
		idx := make([]int, len(row))
		for w := range idx {
			idx[w] = w
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(row[b], row[a]) })
		idx = idx[:min(maxTermsPerTopic, len(idx))]
		ws := make([]float64, len(idx))
		for j, w := range idx {
			ws[j] = row[w] / s
		}
		out[t] = Topic{Topic: t, TermIndices: idx, TermWeights: ws}
	}
	return out
}

// TopicDistribution infers a document's topic mixture (γ normalized to sum
// 1; zeros for an empty document). The Gamma draws that start the inference
// are seeded by the seed and the document, so a document always gets the
// same mixture.
func (m *LDAModel) TopicDistribution(counts linalg.Vector) ([]float64, error) {
	b := linalg.NewVectorBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.Append(counts)
	arr := b.NewArray()
	defer arr.Release()
	vc, err := linalg.Vectors(arr)
	if err != nil {
		return nil, err
	}
	return m.topicDistribution(vc, 0, expElogbetaOf(m.lambda))
}

func (m *LDAModel) topicDistribution(vc *linalg.VectorColumn, i int, expElogbeta [][]float64) ([]float64, error) {
	k := len(m.lambda)
	if vc.Size(i) != m.VocabSize() {
		return nil, fmt.Errorf("vector of size %d, the vocabulary has %d terms", vc.Size(i), m.VocabSize())
	}
	var d ldaDoc
	vc.ForEachActive(i, func(j int, v float64) {
		if v != 0 {
			d.ids, d.cts = append(d.ids, j), append(d.cts, v)
		}
	})
	out := make([]float64, k)
	if len(d.ids) == 0 {
		return out, nil
	}
	gamma, _ := inferDoc(d, expElogbeta, m.alpha, drawGammas(rand.New(rand.NewPCG(uint64(m.seed.Get(m.Params()))^d.seed(), 0)), k))
	s := 0.0
	for _, g := range gamma {
		s += g
	}
	for t, g := range gamma {
		out[t] = g / s
	}
	return out, nil
}

// TransformSchema implements ml.Stage.
func (m *LDAModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in)
}

// Transform adds the topicDistribution column (a dense vector of k
// proportions; null for a null vector).
func (m *LDAModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	expElogbeta := expElogbetaOf(m.lambda)
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			td, err := m.topicDistribution(vc, i, expElogbeta)
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			b.AppendDense(td)
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(m.topicDistributionCol.Get(ps), frame.UDF("ldaTopics", linalg.VectorType(), fn, frame.Col(fc)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *LDAModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (m *LDAModel) Save(path string) error { return ml.Save(m, path) }

// ExtraMetadata implements ml.ExtraMetadata: alpha, eta and the vocabulary
// size.
func (m *LDAModel) ExtraMetadata() map[string]any {
	return map[string]any{"docConcentration": m.alpha, "topicConcentration": m.eta, "vocabSize": m.VocabSize()}
}

// WriteData implements ml.DataWriter: one row per topic, its λ.
func (m *LDAModel) WriteData(dir string) error {
	return ml.WriteVectorRows(dir, "lambda", m.lambda, "", nil)
}

func loadLDAModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var alpha []float64
	var eta float64
	if err := md.GetExtra("docConcentration", &alpha); err != nil {
		return nil, err
	}
	if err := md.GetExtra("topicConcentration", &eta); err != nil {
		return nil, err
	}
	lambda, _, err := ml.ReadVectorRows(ctx, dir, "lambda", "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(lambda) != len(alpha) || len(lambda) == 0 {
		return nil, fmt.Errorf("%s: %d topics but %d docConcentration values", md.UID, len(lambda), len(alpha))
	}
	m := newLDAModel(md.UID, lambda, alpha, eta)
	return m, md.ApplyParams(m.Params())
}

var _ ml.TypedEstimator[*LDAModel] = (*LDA)(nil)

// ldaBound is Spark's variational lower bound of the log likelihood of docs
// whose variational topic mixtures are gammas, under topics lambda and the
// priors alpha and eta (logLikelihoodBound of LDAModel).
func ldaBound(docs []ldaDoc, gammas [][]float64, lambda [][]float64, alpha []float64, eta float64) float64 {
	k, v := len(lambda), len(lambda[0])
	elogbeta := make([][]float64, k) // [topic][term]
	for t, row := range lambda {
		elogbeta[t] = dirichletExpectation(row)
	}
	sumAlpha := 0.0
	for _, a := range alpha {
		sumAlpha += a
	}
	lg := func(x float64) float64 { y, _ := math.Lgamma(x); return y }
	bound := 0.0
	for i, d := range docs {
		gamma := gammas[i]
		elogtheta := dirichletExpectation(gamma)
		terms := make([]float64, k)
		for j, id := range d.ids {
			mx := math.Inf(-1)
			for t := 0; t < k; t++ {
				terms[t] = elogtheta[t] + elogbeta[t][id]
				mx = math.Max(mx, terms[t])
			}
			s := 0.0
			for _, x := range terms {
				s += math.Exp(x - mx)
			}
			bound += d.cts[j] * (mx + math.Log(s))
		}
		sumGamma := 0.0
		for t := 0; t < k; t++ {
			bound += (alpha[t]-gamma[t])*elogtheta[t] + lg(gamma[t]) - lg(alpha[t])
			sumGamma += gamma[t]
		}
		bound += lg(sumAlpha) - lg(sumGamma)
	}
	for t := 0; t < k; t++ {
		sumLambda := 0.0
		for w := 0; w < v; w++ {
			bound += (eta-lambda[t][w])*elogbeta[t][w] + lg(lambda[t][w]) - lg(eta)
			sumLambda += lambda[t][w]
		}
		bound += lg(eta*float64(v)) - lg(sumLambda)
	}
	return bound
}

// LogLikelihood returns Spark's variational lower bound of the log
// likelihood of the documents of df (logLikelihood), each document's topic
// mixture inferred as TopicDistribution infers it.
func (m *LDAModel) LogLikelihood(ctx context.Context, df *frame.DataFrame) (float64, error) {
	ll, _, err := m.likelihood(ctx, df)
	return ll, err
}

// LogPerplexity returns Spark's logPerplexity of df: −LogLikelihood divided
// by the number of tokens (the sum of the term counts).
func (m *LDAModel) LogPerplexity(ctx context.Context, df *frame.DataFrame) (float64, error) {
	ll, tokens, err := m.likelihood(ctx, df)
	if err != nil {
		return 0, err
	}
	return -ll / tokens, nil
}

func (m *LDAModel) likelihood(ctx context.Context, df *frame.DataFrame) (float64, float64, error) {
	if err := df.Err(); err != nil {
		return 0, 0, err
	}
	ps := m.Params()
	docs, vocab, err := readDocs(ctx, df, m.UID(), m.featuresCol.Get(ps))
	if err != nil {
		return 0, 0, err
	}
	if vocab > m.VocabSize() {
		return 0, 0, fmt.Errorf("%s: vectors of size %d, the vocabulary has %d terms", m.UID(), vocab, m.VocabSize())
	}
	expElogbeta := expElogbetaOf(m.lambda)
	gammas := make([][]float64, len(docs))
	tokens := 0.0
	for i, d := range docs {
		gammas[i], _ = inferDoc(d, expElogbeta, m.alpha, drawGammas(rand.New(rand.NewPCG(uint64(m.seed.Get(ps))^d.seed(), 0)), len(m.alpha)))
		for _, c := range d.cts {
			tokens += c
		}
	}
	return ldaBound(docs, gammas, m.lambda, m.alpha, m.eta), tokens, nil
}
