package feature

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/progress"
)

type word2VecParams struct {
	colParams
	vectorSize, minCount, numPartitions, maxIter, windowSize, maxSentenceLength param.Param[int]
	stepSize                                                                    param.Param[float64]
	seed                                                                        param.Param[int64]
}

func defineWord2Vec(ps *param.Params, uid string) word2VecParams {
	pos := param.WithValidator(param.Gt(0))
	return word2VecParams{
		colParams:         defineCols(ps, uid),
		vectorSize:        param.Define(ps, "vectorSize", "the dimension of codes after transforming from words (> 0)", param.WithDefault(100), pos),
		minCount:          param.Define(ps, "minCount", "the minimum number of times a token must appear to be included in the word2vec model's vocabulary (>= 0)", param.WithDefault(5), param.WithValidator(param.GtEq(0))),
		numPartitions:     param.Define(ps, "numPartitions", "number of partitions for sentences of words (> 0)", param.WithDefault(1), pos),
		maxIter:           param.Define(ps, "maxIter", "maximum number of iterations (>= 0)", param.WithDefault(1), param.WithValidator(param.GtEq(0))),
		windowSize:        param.Define(ps, "windowSize", "the window size (context words from [-window, window]) (> 0)", param.WithDefault(5), pos),
		maxSentenceLength: param.Define(ps, "maxSentenceLength", "Maximum length (in words) of each sentence in the input data. Any sentence longer than this threshold will be divided into chunks up to the size (> 0)", param.WithDefault(1000), pos),
		stepSize:          param.Define(ps, "stepSize", "Step size to be used for each iteration of optimization (> 0)", param.WithDefault(0.025), param.WithValidator(param.Gt(0.0))),
		seed:              param.Define(ps, "seed", "random seed", param.WithDefault(int64(-1961189076))),
	}
}

// Word2Vec learns a vector for every word of the vocabulary (the words
// seen at least minCount times) with the skip-gram model and hierarchical
// softmax over a Huffman tree of the word counts, as Spark's Word2Vec
// (itself word2vec.c's algorithm): vectorSize (100), windowSize (5),
// stepSize (0.025, decayed linearly), maxIter (1), maxSentenceLength
// (1000), numPartitions (1), seed. As in Spark, the logistic function comes
// from word2vec's table of 1000 values over (−6, 6), and with numPartitions
// > 1 each iteration trains the parts of the sentences in parallel from the
// same starting vectors and sets every vector some part changed to the mean
// over the parts that changed it. Sentences are read in the input's order
// and dealt round robin to the parts (Spark repartitions them), so a fit
// is deterministic for a seed whatever the input's partitioning. The
// vectors are not Spark's bit for bit: the random streams differ, and
// gspark computes in float64 where Spark uses float32.
type Word2Vec struct {
	ml.StageBase
	word2VecParams
}

// NewWord2Vec makes a Word2Vec with a new UID.
func NewWord2Vec() *Word2Vec { return newWord2Vec(param.UID("Word2Vec")) }

func newWord2Vec(uid string) *Word2Vec {
	s := &Word2Vec{StageBase: ml.NewStageBase(uid)}
	s.word2VecParams = defineWord2Vec(s.Params(), uid)
	return s
}

// SetInputCol sets the input array<string> column.
func (s *Word2Vec) SetInputCol(c string) *Word2Vec { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *Word2Vec) SetOutputCol(c string) *Word2Vec { s.outputCol.Set(s.Params(), c); return s }

// SetVectorSize sets the dimension of the word vectors.
func (s *Word2Vec) SetVectorSize(n int) *Word2Vec { s.vectorSize.Set(s.Params(), n); return s }

// SetMinCount sets the least count of a vocabulary word.
func (s *Word2Vec) SetMinCount(n int) *Word2Vec { s.minCount.Set(s.Params(), n); return s }

// SetMaxIter sets the number of passes over the data.
func (s *Word2Vec) SetMaxIter(n int) *Word2Vec { s.maxIter.Set(s.Params(), n); return s }

// SetWindowSize sets the context window.
func (s *Word2Vec) SetWindowSize(n int) *Word2Vec { s.windowSize.Set(s.Params(), n); return s }

// SetStepSize sets the initial learning rate.
func (s *Word2Vec) SetStepSize(v float64) *Word2Vec { s.stepSize.Set(s.Params(), v); return s }

// SetNumPartitions sets the number of parts trained apart and merged
// after each iteration.
func (s *Word2Vec) SetNumPartitions(n int) *Word2Vec { s.numPartitions.Set(s.Params(), n); return s }

// SetSeed sets the random seed.
func (s *Word2Vec) SetSeed(v int64) *Word2Vec { s.seed.Set(s.Params(), v); return s }

// SetMaxSentenceLength sets the length sentences are cut into.
func (s *Word2Vec) SetMaxSentenceLength(n int) *Word2Vec {
	s.maxSentenceLength.Set(s.Params(), n)
	return s
}

// ClassName implements ml.Stage.
func (s *Word2Vec) ClassName() string { return classPrefix + "Word2Vec" }

// TransformSchema implements ml.Stage.
func (s *Word2Vec) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return listInSchema(s.StageBase, s.colParams, in, linalg.VectorType())
}

// Fit implements ml.Estimator.
func (s *Word2Vec) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return s.FitModel(ctx, df)
}

// vocabWord is a vocabulary entry with its Huffman code and path.
type vocabWord struct {
	word  string
	count int64
	code  []byte
	point []int
}

// FitModel fits and returns the concrete model.
func (s *Word2Vec) FitModel(ctx context.Context, df *frame.DataFrame) (*Word2VecModel, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	parts, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(in)), func(int) [][]string { return nil },
		func(acc [][]string, b arrow.RecordBatch) ([][]string, error) {
			r, err := newStringListReader(b.Column(0))
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, in, err)
			}
			for i := 0; i < int(b.NumRows()); i++ {
				if b.Column(0).IsNull(i) {
					continue
				}
				lo, hi := r.Row(i)
				var sent []string
				for k := lo; k < hi; k++ {
					if !r.vals.IsNull(k) {
						sent = append(sent, r.vals.Value(k))
					}
				}
				acc = append(acc, sent)
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	var sentences [][]string
	for _, p := range parts {
		sentences = append(sentences, p...)
	}
	vocab := w2vVocab(sentences, s.minCount.Get(ps))
	if len(vocab) == 0 {
		return nil, fmt.Errorf("%s: the vocabulary is empty: no word of column %q appears minCount = %d times", uid, in, s.minCount.Get(ps))
	}
	buildHuffman(vocab)
	chunks, trainWords := w2vChunks(sentences, vocab, s.maxSentenceLength.Get(ps))
	vecs, err := s.train(ctx, vocab, chunks, trainWords)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	words := make([]string, len(vocab))
	for i, v := range vocab {
		words[i] = v.word
	}
	m := newWord2VecModel(uid, words, vecs, s.vectorSize.Get(ps))
	return m, ps.CopyValuesTo(m.Params())
}

// w2vVocab counts the words of the sentences and returns those seen at
// least minCount times, most frequent first (ties by word, where Spark's
// order is that of its sort's input).
func w2vVocab(sentences [][]string, minCount int) []vocabWord {
	counts := map[string]int64{}
	for _, sent := range sentences {
		for _, w := range sent {
			counts[w]++
		}
	}
	var vocab []vocabWord
	for w, c := range counts {
		if c >= int64(minCount) {
			vocab = append(vocab, vocabWord{word: w, count: c})
		}
	}
	slices.SortFunc(vocab, func(a, b vocabWord) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return cmp.Compare(a.word, b.word)
	})
	return vocab
}

// w2vChunks maps each sentence to the indexes of its vocabulary words
// (others dropped) cut into chunks of at most maxLen, as Spark's
// wordIndexes.grouped(maxSentenceLength); empty sentences give no chunk.
// It returns the chunks and the number of words in them.
func w2vChunks(sentences [][]string, vocab []vocabWord, maxLen int) ([][]int, int64) {
	index := make(map[string]int, len(vocab))
	for i, v := range vocab {
		index[v.word] = i
	}
	var chunks [][]int
	var trainWords int64
	for _, sent := range sentences {
		var cur []int
		for _, w := range sent {
			if i, ok := index[w]; ok {
				cur = append(cur, i)
				trainWords++
				if len(cur) == maxLen {
					chunks = append(chunks, cur)
					cur = nil
				}
			}
		}
		if len(cur) > 0 {
			chunks = append(chunks, cur)
		}
	}
	return chunks, trainWords
}

// buildHuffman gives each word (sorted by count, descending) its Huffman
// code and the inner nodes on its path, as word2vec.c's CreateBinaryTree.
func buildHuffman(vocab []vocabWord) {
	n := len(vocab)
	count := make([]int64, 2*n+1)
	binary := make([]byte, 2*n+1)
	parent := make([]int, 2*n+1)
	for i, v := range vocab {
		count[i] = v.count
	}
	for i := n; i < 2*n; i++ {
		count[i] = math.MaxInt64 / 4
	}
	pos1, pos2 := n-1, n
	pick := func() int {
		if pos1 >= 0 && count[pos1] < count[pos2] {
			pos1--
			return pos1 + 1
		}
		pos2++
		return pos2 - 1
	}
	for a := 0; a < n-1; a++ {
		m1 := pick()
		m2 := pick()
		count[n+a] = count[m1] + count[m2]
		parent[m1], parent[m2] = n+a, n+a
		binary[m2] = 1
	}
	for a := range vocab {
		var code []byte
		var point []int
		for b := a; b != 2*n-2; b = parent[b] {
			code = append(code, binary[b])
			point = append(point, b)
		}
		// Reverse into root-first order; points are inner-node indices.
		l := len(code)
		vocab[a].code = make([]byte, l)
		vocab[a].point = make([]int, l)
		if l > 0 {
			vocab[a].point[0] = n - 2
		}
		for k := 0; k < l; k++ {
			vocab[a].code[l-k-1] = code[k]
			if k > 0 {
				vocab[a].point[l-k] = point[k] - n
			}
		}
	}
}

// w2vMaxExp and w2vExpTableSize are Spark's (and word2vec.c's) MAX_EXP
// and EXP_TABLE_SIZE: the logistic function is read from a table of 1000
// values over (−6, 6), and a score outside that range skips the update.
const (
	w2vMaxExp       = 6
	w2vExpTableSize = 1000
)

// w2vExpTable returns Spark's table of the logistic function: entry i is
// σ((2i/1000 − 1)·6) rounded to float32, as Spark stores it.
func w2vExpTable() []float64 {
	t := make([]float64, w2vExpTableSize)
	for i := range t {
		e := math.Exp((2*float64(i)/w2vExpTableSize - 1) * w2vMaxExp)
		t[i] = float64(float32(e / (e + 1)))
	}
	return t
}

// w2vTrainer is one partition's training state: its copies of syn0 (word
// vectors) and syn1 (inner-node vectors), row-major, and which rows it
// changed.
type w2vTrainer struct {
	vocab       []vocabWord
	dim, window int
	table       []float64
	syn0, syn1  []float64
	mod0, mod1  []bool
	neu1e       []float64
}

func newW2VTrainer(vocab []vocabWord, dim, window int, table, syn0, syn1 []float64) *w2vTrainer {
	return &w2vTrainer{
		vocab: vocab, dim: dim, window: window, table: table,
		syn0: slices.Clone(syn0), syn1: slices.Clone(syn1),
		mod0: make([]bool, len(vocab)), mod1: make([]bool, len(vocab)),
		neu1e: make([]float64, dim),
	}
}

// sentence runs Spark's skip-gram update with hierarchical softmax over one
// sentence with learning rate alpha. drawB gives, for each position, the
// window shrink b in [0, window) (Spark's random.nextInt(window)): the
// context is the positions pos−window+b … pos+window−b except pos. For each
// context word c and each inner node of the center word's Huffman path,
// with f = syn0[c]·syn1[node] inside (−6, 6): σ from Spark's table at index
// ⌊(f+6)·83⌋ (Spark's EXP_TABLE_SIZE / MAX_EXP / 2.0 with integer division
// first), g = (1 − code − σ)·alpha, neu1e += g·syn1[node], syn1[node] +=
// g·syn0[c]; then syn0[c] += neu1e.
func (t *w2vTrainer) sentence(sent []int, alpha float64, drawB func() int) {
	dim, window := t.dim, t.window
	scale := float64(w2vExpTableSize / w2vMaxExp / 2)
	for pos, word := range sent {
		b := drawB()
		w := &t.vocab[word]
		for a := b; a < window*2+1-b; a++ {
			if a == window {
				continue
			}
			c := pos - window + a
			if c < 0 || c >= len(sent) {
				continue
			}
			l1 := sent[c] * dim
			clear(t.neu1e)
			for d, node := range w.point {
				l2 := node * dim
				var f float64
				for k := 0; k < dim; k++ {
					f += t.syn0[l1+k] * t.syn1[l2+k]
				}
				if f <= -w2vMaxExp || f >= w2vMaxExp {
					continue
				}
				f = t.table[int((f+w2vMaxExp)*scale)]
				g := (1 - float64(w.code[d]) - f) * alpha
				for k := 0; k < dim; k++ {
					t.neu1e[k] += g * t.syn1[l2+k]
				}
				for k := 0; k < dim; k++ {
					t.syn1[l2+k] += g * t.syn0[l1+k]
				}
				t.mod1[node] = true
			}
			for k := 0; k < dim; k++ {
				t.syn0[l1+k] += t.neu1e[k]
			}
			t.mod0[sent[c]] = true
		}
	}
}

// w2vMerge sets each row of syn0 and syn1 that some trainer changed to the
// mean of that row over the trainers that changed it, as Spark merges its
// partitions after each iteration (SPARK-24666); other rows keep their
// value.
func w2vMerge(dim int, syn0, syn1 []float64, parts []*w2vTrainer) {
	merge := func(dst []float64, row int, local func(*w2vTrainer) ([]float64, bool)) {
		n := 0
		sum := make([]float64, dim)
		for _, p := range parts {
			if v, ok := local(p); ok {
				n++
				for k := range sum {
					sum[k] += v[row*dim+k]
				}
			}
		}
		if n > 0 {
			for k := range sum {
				dst[row*dim+k] = sum[k] / float64(n)
			}
		}
	}
	for row := 0; row < len(syn0)/dim; row++ {
		merge(syn0, row, func(p *w2vTrainer) ([]float64, bool) { return p.syn0, p.mod0[row] })
		merge(syn1, row, func(p *w2vTrainer) ([]float64, bool) { return p.syn1, p.mod1[row] })
	}
}

// train runs skip-gram with hierarchical softmax and returns the word
// vectors, row-major. Each iteration deals the chunks round robin into
// numPartitions parts, trains each part from the iteration's starting
// vectors in its own goroutine with its own random stream, and merges the
// parts with w2vMerge. Within a part the learning rate follows Spark's
// schedule: it starts at stepSize every iteration and, at the first
// sentence after every 10000 words of the part, becomes
// stepSize·(1 − (numPartitions·words + (k−1)·trainWords)/(maxIter·trainWords
// + 1)) at iteration k, at least stepSize·1e-4.
func (s *Word2Vec) train(ctx context.Context, vocab []vocabWord, chunks [][]int, trainWords int64) ([]float64, error) {
	ps := s.Params()
	dim, window, iters := s.vectorSize.Get(ps), s.windowSize.Get(ps), s.maxIter.Get(ps)
	nparts := s.numPartitions.Get(ps)
	step := s.stepSize.Get(ps)
	seed := uint64(s.seed.Get(ps))
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	n := len(vocab)
	syn0 := make([]float64, n*dim)
	for i := range syn0 {
		syn0[i] = (rng.Float64() - 0.5) / float64(dim)
	}
	syn1 := make([]float64, n*dim)
	table := w2vExpTable()
	total := float64(iters)*float64(trainWords) + 1
	for k := 1; k <= iters; k++ {
		parts := make([]*w2vTrainer, nparts)
		errs := make([]error, nparts)
		var wg sync.WaitGroup
		for idx := range parts {
			parts[idx] = newW2VTrainer(vocab, dim, window, table, syn0, syn1)
			wg.Add(1)
			go func(idx int, t *w2vTrainer) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, uint64(idx+1)<<16^uint64(k)<<8))
				drawB := func() int { return r.IntN(window) }
				alpha := step
				var words, last int64
				for c := idx; c < len(chunks); c += nparts {
					if err := ctx.Err(); err != nil {
						errs[idx] = err
						return
					}
					if words-last > 10000 {
						last = words
						alpha = max(step*(1-(float64(nparts)*float64(words)+float64(k-1)*float64(trainWords))/total), step*0.0001)
					}
					words += int64(len(chunks[c]))
					t.sentence(chunks[c], alpha, drawB)
				}
			}(idx, parts[idx])
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		w2vMerge(dim, syn0, syn1, parts)
		progress.Report(ctx, "iteration", k, iters)
	}
	return syn0, nil
}

// Copy implements ml.Stage.
func (s *Word2Vec) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *Word2Vec, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *Word2Vec) Save(path string) error { return ml.Save(s, path) }

// Word2VecModel maps each document (an array of words) to the average of
// its words' vectors, as Spark's: the sum of the vocabulary words' vectors
// divided by the number of words in the document (out-of-vocabulary words
// count); an empty document gives zeros.
type Word2VecModel struct {
	ml.StageBase
	word2VecParams
	words []string
	vecs  []float64 // row-major, len(words)×dim
	dim   int
	index map[string]int
}

func newWord2VecModel(uid string, words []string, vecs []float64, dim int) *Word2VecModel {
	m := &Word2VecModel{StageBase: ml.NewStageBase(uid), words: words, vecs: vecs, dim: dim, index: map[string]int{}}
	for i, w := range words {
		m.index[w] = i
	}
	m.word2VecParams = defineWord2Vec(m.Params(), uid)
	return m
}

// SetInputCol sets the input array<string> column.
func (m *Word2VecModel) SetInputCol(c string) *Word2VecModel { m.inputCol.Set(m.Params(), c); return m }

// SetOutputCol sets the output vector column.
func (m *Word2VecModel) SetOutputCol(c string) *Word2VecModel {
	m.outputCol.Set(m.Params(), c)
	return m
}

// Vectors returns the vocabulary and each word's vector (Spark's getVectors).
func (m *Word2VecModel) Vectors() map[string][]float64 {
	out := make(map[string][]float64, len(m.words))
	for i, w := range m.words {
		out[w] = slices.Clone(m.vecs[i*m.dim : (i+1)*m.dim])
	}
	return out
}

// Synonym is a word and its cosine similarity to the query.
type Synonym struct {
	Word       string
	Similarity float64
}

// FindSynonyms returns the num words whose vectors are most similar
// (cosine) to word's, most similar first, word itself excluded.
func (m *Word2VecModel) FindSynonyms(word string, num int) ([]Synonym, error) {
	i, ok := m.index[word]
	if !ok {
		return nil, fmt.Errorf("%s: word %q is not in the vocabulary", m.UID(), word)
	}
	return m.FindSynonymsVector(m.vecs[i*m.dim:(i+1)*m.dim], num, word), nil
}

// FindSynonymsVector returns the num words most similar to vector v,
// leaving out the word exclude ("" for none).
func (m *Word2VecModel) FindSynonymsVector(v []float64, num int, exclude string) []Synonym {
	nv := linalg.NormOf(v, 2)
	var out []Synonym
	for i, w := range m.words {
		if w == exclude {
			continue
		}
		row := m.vecs[i*m.dim : (i+1)*m.dim]
		var dot float64
		for k, x := range row {
			dot += x * v[k]
		}
		sim := 0.0
		if d := nv * linalg.NormOf(row, 2); d != 0 {
			sim = dot / d
		}
		out = append(out, Synonym{w, sim})
	}
	slices.SortStableFunc(out, func(a, b Synonym) int { return cmp.Compare(b.Similarity, a.Similarity) })
	return out[:min(num, len(out))]
}

// ClassName implements ml.Stage.
func (m *Word2VecModel) ClassName() string { return classPrefix + "Word2VecModel" }

// TransformSchema implements ml.Stage.
func (m *Word2VecModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return listInSchema(m.StageBase, m.colParams, in, linalg.VectorType())
}

// Transform implements ml.Transformer.
func (m *Word2VecModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, uid := m.inputCol.Get(ps), m.UID()
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		r, err := newStringListReader(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		sum := make([]float64, m.dim)
		for i := 0; i < args[0].Len(); i++ {
			if args[0].IsNull(i) {
				b.AppendNull()
				continue
			}
			clear(sum)
			lo, hi := r.Row(i)
			for k := lo; k < hi; k++ {
				if r.vals.IsNull(k) {
					continue
				}
				if j, ok := m.index[r.vals.Value(k)]; ok {
					for d, x := range m.vecs[j*m.dim : (j+1)*m.dim] {
						sum[d] += x
					}
				}
			}
			if n := hi - lo; n > 0 {
				for d := range sum {
					sum[d] /= float64(n)
				}
			}
			b.AppendDense(sum)
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(m.outputCol.Get(ps), frame.UDF("word2vec", linalg.VectorType(), fn, frame.Col(in)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *Word2VecModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *Word2VecModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter: the vectors (row-major) and the
// vector size under data/, the words under words/data/.
func (m *Word2VecModel) WriteData(dir string) error {
	if err := ml.WriteVectors(dir, []string{"vectors", "vectorSize"}, m.vecs, []float64{float64(m.dim)}); err != nil {
		return err
	}
	return ml.WriteStrings(filepath.Join(dir, "words"), []string{"words"}, m.words)
}

// Save implements ml.Stage.
func (m *Word2VecModel) Save(path string) error { return ml.Save(m, path) }

func loadWord2VecModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "vectors", "vectorSize")
	if err != nil {
		return nil, err
	}
	w, err := ml.ReadStrings(ctx, filepath.Join(dir, "words"), "words")
	if err != nil {
		return nil, err
	}
	if len(v[1]) != 1 || len(v[0]) != len(w[0])*int(v[1][0]) {
		return nil, fmt.Errorf("%s: model data in %s is malformed", md.UID, dir)
	}
	m := newWord2VecModel(md.UID, w[0], v[0], int(v[1][0]))
	return m, md.ApplyParams(m.Params())
}
