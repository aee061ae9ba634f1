package clustering

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/progress"
)

// emChunk is the number of documents an EM worker takes at a time; the
// chunks, and the order their term counts are added in, do not depend on
// the partitioning or the number of cores, so neither changes the model.
const emChunk = 256

// emCounts is the state of the EM optimizer: the topic counts of each
// document (N_kj), of each term (N_wk) and of each topic (N_k).
type emCounts struct {
	doc    [][]float64 // [doc][topic]
	term   [][]float64 // [term][topic]
	totals []float64   // [topic]
}

// emInitialGammas is the random start of Spark's EMLDAOptimizer: every
// (document, term) token gets a topic distribution of k uniform draws
// normalized to sum 1, drawn from the seed in the documents' fixed order.
// The result holds, per document, len(ids) × k values (row-major by term).
func emInitialGammas(docs []ldaDoc, k int, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 0x656d))
	out := make([][]float64, len(docs))
	for i, d := range docs {
		g := make([]float64, len(d.ids)*k)
		for j := range d.ids {
			row := g[j*k : (j+1)*k]
			s := 0.0
			for t := range row {
				row[t] = r.Float64()
				s += row[t]
			}
			for t := range row {
				row[t] /= s
			}
		}
		out[i] = g
	}
	return out
}

// emCountsOf sums the tokens' topic distributions gammas (as
// emInitialGammas lays them out) times the token counts into the counts.
func emCountsOf(docs []ldaDoc, gammas [][]float64, k, vocab int) emCounts {
	c := emCounts{doc: make([][]float64, len(docs)), term: make([][]float64, vocab), totals: make([]float64, k)}
	for w := range c.term {
		c.term[w] = make([]float64, k)
	}
	for i, d := range docs {
		c.doc[i] = make([]float64, k)
		for j, id := range d.ids {
			for t := 0; t < k; t++ {
				v := gammas[i][j*k+t] * d.cts[j]
				c.doc[i][t] += v
				c.term[id][t] += v
			}
		}
	}
	for _, row := range c.term {
		for t, v := range row {
			c.totals[t] += v
		}
	}
	return c
}

// emTokenTopics is Spark's computePTopic: the MAP topic distribution of a
// token of a document with topic counts nj for a term with counts nw,
// γ_wjk ∝ (N_wk + η − 1)(N_kj + α − 1)/(N_k + W(η − 1)), into out.
func emTokenTopics(out, nj, nw, n []float64, vocab int, alpha, eta float64) {
	eta1, alpha1 := eta-1, alpha-1
	weta1 := float64(vocab) * eta1
	s := 0.0
	for t := range out {
		out[t] = (nw[t] + eta1) * (nj[t] + alpha1) / (n[t] + weta1)
		s += out[t]
	}
	for t := range out {
		out[t] /= s
	}
}

// emStep is one iteration of Asuncion et al.'s MAP EM as Spark's
// EMLDAOptimizer.next runs it: from the counts c (all read before any is
// replaced), each token's γ_wj (E-step) scaled by its count is summed into
// new document, term and topic counts (M-step). Chunks of documents run in
// parallel.
func emStep(ctx context.Context, docs []ldaDoc, c emCounts, alpha, eta float64) (emCounts, error) {
	k, vocab := len(c.totals), len(c.term)
	nChunks := (len(docs) + emChunk - 1) / emChunk
	next := emCounts{doc: make([][]float64, len(docs)), term: make([][]float64, vocab), totals: make([]float64, k)}
	partial := make([][][]float64, nChunks) // per chunk: touched terms' counts
	workers := min(nChunks, 4)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := make([]float64, k)
			for ch := range jobs {
				terms := make([][]float64, vocab)
				for i := ch * emChunk; i < min(len(docs), (ch+1)*emChunk); i++ {
					d := docs[i]
					nj := make([]float64, k)
					for j, id := range d.ids {
						emTokenTopics(g, c.doc[i], c.term[id], c.totals, vocab, alpha, eta)
						if terms[id] == nil {
							terms[id] = make([]float64, k)
						}
						for t, v := range g {
							v *= d.cts[j]
							nj[t] += v
							terms[id][t] += v
						}
					}
					next.doc[i] = nj
				}
				partial[ch] = terms
			}
		}()
	}
	var err error
	for ch := 0; ch < nChunks; ch++ {
		if err = ctx.Err(); err != nil {
			break
		}
		jobs <- ch
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return emCounts{}, err
	}
	for w := range next.term {
		next.term[w] = make([]float64, k)
	}
	for _, terms := range partial {
		for w, row := range terms {
			if row == nil {
				continue
			}
			for t, v := range row {
				next.term[w][t] += v
			}
		}
	}
	for _, row := range next.term {
		for t, v := range row {
			next.totals[t] += v
		}
	}
	return next, nil
}

// fitEM runs maxIter EM iterations from the counts c.
func fitEM(ctx context.Context, docs []ldaDoc, c emCounts, alpha, eta float64, maxIter int) (emCounts, error) {
	for it := 1; it <= maxIter; it++ {
		var err error
		if c, err = emStep(ctx, docs, c, alpha, eta); err != nil {
			return emCounts{}, err
		}
		progress.Report(ctx, "iterations", it, maxIter)
	}
	return c, nil
}

// FitDistributed fits the estimator to df with the "em" optimizer, as
// Spark's EMLDAOptimizer: each token (document j, term w) starts with a
// random topic distribution from the seed; each iteration replaces it by
// γ_wjk ∝ (N_wk + η − 1)(N_kj + α − 1)/(N_k + W(η − 1)) and the counts
// N_kj, N_wk and N_k by the sums of the count-weighted γ. α (one value,
// default 50/k + 1) and η (default 1.1) must exceed 1. The documents are in
// a fixed order and the work is split into fixed chunks, so the model does
// not depend on the partitioning.
func (l *LDA) FitDistributed(ctx context.Context, df *frame.DataFrame) (*DistributedLDAModel, error) {
	ps := l.Params()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if o := l.optimizer.Get(ps); o != "em" {
		return nil, fmt.Errorf("%s: FitDistributed needs optimizer em, not %q", l.UID(), o)
	}
	f, err := l.resolve(ps)
	if err != nil {
		return nil, err
	}
	docs, vocab, err := l.read(ctx, df)
	if err != nil {
		return nil, err
	}
	c := emCountsOf(docs, emInitialGammas(docs, f.k, f.seed), f.k, vocab)
	if c, err = fitEM(ctx, docs, c, f.alpha[0], f.eta, f.maxIter); err != nil {
		return nil, err
	}
	m := newDistributedLDAModel(l.UID(), docs, c, f.alpha[0], f.eta)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// DistributedLDAModel is an LDA model fitted by the "em" optimizer (Spark's
// DistributedLDAModel): the topic counts of the terms, and the training
// documents with their topic counts. Transform, TopicDistribution,
// LogLikelihood and LogPerplexity go through ToLocal, as Spark's.
type DistributedLDAModel struct {
	ml.StageBase
	ldaParams
	docs   []ldaDoc
	counts emCounts
	alpha  float64
	eta    float64
}

func newDistributedLDAModel(uid string, docs []ldaDoc, c emCounts, alpha, eta float64) *DistributedLDAModel {
	m := &DistributedLDAModel{StageBase: ml.NewStageBase(uid), docs: docs, counts: c, alpha: alpha, eta: eta}
	m.ldaParams = defineLDA(m.Params())
	return m
}

// ClassName implements ml.Stage.
func (m *DistributedLDAModel) ClassName() string { return classPrefix + "DistributedLDAModel" }

// SparkClassName is the class of the same stage in Apache Spark.
func (m *DistributedLDAModel) SparkClassName() string {
	return sparkClusteringPrefix + "DistributedLDAModel"
}

// K is the number of topics.
func (m *DistributedLDAModel) K() int { return len(m.counts.totals) }

// VocabSize is the number of terms.
func (m *DistributedLDAModel) VocabSize() int { return len(m.counts.term) }

// EstimatedDocConcentration is alpha (k equal values; em does not learn it).
func (m *DistributedLDAModel) EstimatedDocConcentration() []float64 {
	out := make([]float64, m.K())
	for t := range out {
		out[t] = m.alpha
	}
	return out
}

// TopicConcentration is eta.
func (m *DistributedLDAModel) TopicConcentration() float64 { return m.eta }

// TopicsMatrix returns the terms' topic counts N_wk, a vocabulary × k
// matrix (zeros for a term no training document has), as Spark's
// topicsMatrix.
func (m *DistributedLDAModel) TopicsMatrix() [][]float64 {
	out := make([][]float64, len(m.counts.term))
	for w, row := range m.counts.term {
		out[w] = slices.Clone(row)
	}
	return out
}

// GlobalTopicTotals returns N_k, the topics' token counts.
func (m *DistributedLDAModel) GlobalTopicTotals() []float64 { return slices.Clone(m.counts.totals) }

// DescribeTopics returns each topic's maxTermsPerTopic heaviest terms by
// N_wk/N_k, heaviest first (ties by term index), over the terms the
// training documents have, as Spark's DistributedLDAModel.describeTopics.
func (m *DistributedLDAModel) DescribeTopics(maxTermsPerTopic int) []Topic {
	present := m.presentTerms()
	out := make([]Topic, m.K())
	for t := range out {
		idx := slices.Clone(present)
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(m.counts.term[b][t], m.counts.term[a][t]) })
		idx = idx[:min(maxTermsPerTopic, len(idx))]
		ws := make([]float64, len(idx))
		for j, w := range idx {
			ws[j] = m.counts.term[w][t] / m.counts.totals[t]
		}
		out[t] = Topic{Topic: t, TermIndices: idx, TermWeights: ws}
	}
	return out
}

// presentTerms returns the terms of the training documents, ascending.
func (m *DistributedLDAModel) presentTerms() []int {
	seen := make([]bool, m.VocabSize())
	for _, d := range m.docs {
		for _, id := range d.ids {
			seen[id] = true
		}
	}
	var out []int
	for w, s := range seen {
		if s {
			out = append(out, w)
		}
	}
	return out
}

// DocTopics is a training document's topic distribution.
type DocTopics struct {
	// DocID is the document's row number in the training DataFrame
	// (partitions in order), Spark's document id.
	DocID int64
	// Topics is N_kj normalized to sum 1.
	Topics []float64
}

// TopicDistributions returns the topic distribution of each non-empty
// training document (Spark's topicDistributions), by DocID.
func (m *DistributedLDAModel) TopicDistributions() []DocTopics {
	out := make([]DocTopics, len(m.docs))
	for i, d := range m.docs {
		s := 0.0
		for _, v := range m.counts.doc[i] {
			s += v
		}
		td := make([]float64, len(m.counts.doc[i]))
		for t, v := range m.counts.doc[i] {
			td[t] = v / s
		}
		out[i] = DocTopics{DocID: d.row, Topics: td}
	}
	slices.SortFunc(out, func(a, b DocTopics) int { return cmp.Compare(a.DocID, b.DocID) })
	return out
}

// TrainingLogLikelihood is Spark's logLikelihood of the training tokens
// given the MAP estimates: Σ over tokens of N_wj·log Σ_k φ_wk θ_kj, with
// φ_wk = (N_wk + η − 1)/(N_k + W(η − 1)) and θ_kj = (N_kj + α − 1)
// normalized.
func (m *DistributedLDAModel) TrainingLogLikelihood() float64 {
	k := m.K()
	w := float64(m.VocabSize())
	ll := 0.0
	for i, d := range m.docs {
		nj := m.counts.doc[i]
		sj := 0.0
		for _, v := range nj {
			sj += v + m.alpha - 1
		}
		for j, id := range d.ids {
			p := 0.0
			for t := 0; t < k; t++ {
				phi := (m.counts.term[id][t] + m.eta - 1) / (m.counts.totals[t] + w*(m.eta-1))
				p += phi * (nj[t] + m.alpha - 1) / sj
			}
			ll += d.cts[j] * math.Log(p)
		}
	}
	return ll
}

// LogPrior is Spark's logPrior, log P(topics, document topic mixtures |
// α, η) up to constants: (η − 1)·Σ log φ_wk over the training terms plus
// (α − 1)·Σ log θ_kj over the training documents.
func (m *DistributedLDAModel) LogPrior() float64 {
	w := float64(m.VocabSize())
	lp := 0.0
	for _, id := range m.presentTerms() {
		for t, v := range m.counts.term[id] {
			lp += (m.eta - 1) * math.Log((v+m.eta-1)/(m.counts.totals[t]+w*(m.eta-1)))
		}
	}
	for _, nj := range m.counts.doc {
		s := 0.0
		for _, v := range nj {
			s += v + m.alpha - 1
		}
		for _, v := range nj {
			lp += (m.alpha - 1) * math.Log((v+m.alpha-1)/s)
		}
	}
	return lp
}

// ToLocal returns the local model Spark's toLocal makes: the topics
// matrix N_wk as the topics' variational parameters, alpha and eta, with
// this model's params.
func (m *DistributedLDAModel) ToLocal() (*LDAModel, error) {
	k := m.K()
	lambda := make([][]float64, k)
	for t := range lambda {
		lambda[t] = make([]float64, m.VocabSize())
		for w, row := range m.counts.term {
			lambda[t][w] = row[t]
		}
	}
	l := newLDAModel(m.UID(), lambda, m.EstimatedDocConcentration(), m.eta)
	if err := m.Params().CopyValuesTo(l.Params()); err != nil {
		return nil, err
	}
	return l, nil
}

// TransformSchema implements ml.Stage.
func (m *DistributedLDAModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.schema(m.Params(), in)
}

// Transform adds the topicDistribution column by the local model's
// variational inference (as Spark's DistributedLDAModel.transform).
func (m *DistributedLDAModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	l, err := m.ToLocal()
	if err != nil {
		return nil, err
	}
	return l.Transform(df)
}

// TopicDistribution infers a document's topic mixture with the local model.
func (m *DistributedLDAModel) TopicDistribution(counts linalg.Vector) ([]float64, error) {
	l, err := m.ToLocal()
	if err != nil {
		return nil, err
	}
	return l.TopicDistribution(counts)
}

// LogLikelihood is the local model's variational bound on df (Spark's
// logLikelihood of a dataset).
func (m *DistributedLDAModel) LogLikelihood(ctx context.Context, df *frame.DataFrame) (float64, error) {
	l, err := m.ToLocal()
	if err != nil {
		return 0, err
	}
	return l.LogLikelihood(ctx, df)
}

// LogPerplexity is the local model's logPerplexity of df.
func (m *DistributedLDAModel) LogPerplexity(ctx context.Context, df *frame.DataFrame) (float64, error) {
	l, err := m.ToLocal()
	if err != nil {
		return 0, err
	}
	return l.LogPerplexity(ctx, df)
}

// Copy implements ml.Stage.
func (m *DistributedLDAModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (m *DistributedLDAModel) Save(path string) error { return ml.Save(m, path) }

// ExtraMetadata implements ml.ExtraMetadata: alpha, eta and the vocabulary
// size.
func (m *DistributedLDAModel) ExtraMetadata() map[string]any {
	return map[string]any{"docConcentration": m.alpha, "topicConcentration": m.eta, "vocabSize": m.VocabSize()}
}

// WriteData implements ml.DataWriter: data/ holds a row per term of its
// topic counts, docs/ a row per training document (row number, topic
// counts, term indices and counts).
func (m *DistributedLDAModel) WriteData(dir string) error {
	if err := ml.WriteVectorRows(dir, "termTopicCounts", m.counts.term, "", nil); err != nil {
		return err
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "docId", Type: arrow.PrimitiveTypes.Int64},
		{Name: "topicCounts", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "termIndices", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64), Nullable: true},
		{Name: "termCounts", Type: arrow.ListOf(arrow.PrimitiveTypes.Float64), Nullable: true},
	}, nil)
	rows := make([][]any, len(m.docs))
	for i, d := range m.docs {
		ids := make([]int64, len(d.ids))
		for j, id := range d.ids {
			ids[j] = int64(id)
		}
		rows[i] = []any{d.row, m.counts.doc[i], ids, d.cts}
	}
	return ml.WriteSparkRows(dir, "docs", schema, rows...)
}

func loadDistributedLDAModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var alpha, eta float64
	if err := md.GetExtra("docConcentration", &alpha); err != nil {
		return nil, err
	}
	if err := md.GetExtra("topicConcentration", &eta); err != nil {
		return nil, err
	}
	term, _, err := ml.ReadVectorRows(ctx, dir, "termTopicCounts", "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(term) == 0 {
		return nil, fmt.Errorf("%s: model data has no terms", md.UID)
	}
	d, err := ml.ReadSparkData(ctx, dir, "docs")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	k := len(term[0])
	docs := make([]ldaDoc, d.NumRows())
	docCounts := make([][]float64, d.NumRows())
	for r := range docs {
		row, err := d.Int("docId", r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		v, err := d.Vector("topicCounts", r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		ids, err := d.Ints("termIndices", r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		cts, err := d.Float64s("termCounts", r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		doc := ldaDoc{row: row, cts: cts, ids: make([]int, len(ids))}
		for j, id := range ids {
			doc.ids[j] = int(id)
		}
		docs[r], docCounts[r] = doc, v.ToArray()
	}
	c, err := emCountsLoaded(docs, docCounts, term, k)
	if err != nil {
		return nil, fmt.Errorf("%s: model data (docs): %w", md.UID, err)
	}
	m := newDistributedLDAModel(md.UID, docs, c, alpha, eta)
	return m, md.ApplyParams(m.Params())
}

// emCountsLoaded checks loaded counts (every document's and term's k
// values, term indices in the vocabulary, lengths matching) and puts the
// documents in the fit's order; N_k is recomputed from the terms.
func emCountsLoaded(docs []ldaDoc, docCounts, term [][]float64, k int) (emCounts, error) {
	for w, row := range term {
		if len(row) != k {
			return emCounts{}, fmt.Errorf("term %d has %d topic counts, want %d", w, len(row), k)
		}
	}
	for i, d := range docs {
		if len(docCounts[i]) != k {
			return emCounts{}, fmt.Errorf("document %d has %d topic counts, want %d", d.row, len(docCounts[i]), k)
		}
		if len(d.ids) != len(d.cts) {
			return emCounts{}, fmt.Errorf("document %d has %d term indices and %d counts", d.row, len(d.ids), len(d.cts))
		}
		for _, id := range d.ids {
			if id < 0 || id >= len(term) {
				return emCounts{}, fmt.Errorf("document %d has term %d, outside the vocabulary of %d", d.row, id, len(term))
			}
		}
	}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpDocs(docs[a], docs[b]) })
	sorted := make([]ldaDoc, len(docs))
	c := emCounts{doc: make([][]float64, len(docs)), term: term, totals: make([]float64, k)}
	for i, o := range order {
		sorted[i], c.doc[i] = docs[o], docCounts[o]
	}
	copy(docs, sorted)
	for _, row := range term {
		for t, v := range row {
			c.totals[t] += v
		}
	}
	return c, nil
}

var _ ml.Model = (*DistributedLDAModel)(nil)
