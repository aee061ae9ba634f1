package feature

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// w2vRef is testdata/ml/word2vec_reference.json, written by
// testdata/ml/make_word2vec_reference.py (numpy, from word2vec's
// description; see the script).
type w2vRef struct {
	Huffman []struct {
		Counts []int64
		Codes  [][]int
		Points [][]int
	}
	Step struct {
		Counts           []int64
		Dim, Window      int
		Alpha            float64
		Syn0, Syn1       []float64
		SentenceA, BA    []int
		SentenceB, BB    []int
		Syn0A, Syn1A     []float64
		Merged0, Merged1 []float64
		Table            []float64
	}
	Vocab struct {
		Sentences         [][]string
		MinCount          int
		MaxSentenceLength int
		Words             []string
		Counts            []int64
		Chunks            [][]int
		TrainWords        int64
	}
	Synonyms struct {
		Words    []string
		Vectors  []float64
		Word     string
		Num      int
		OfWord   [][2]any
		Vector   []float64
		OfVector [][2]any
	}
}

func readW2VRef(t *testing.T) *w2vRef {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ml", "word2vec_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref w2vRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}

func codeInts(code []byte) []int {
	out := make([]int, len(code))
	for i, b := range code {
		out[i] = int(b)
	}
	return out
}

func w2vVocabOf(counts []int64) []vocabWord {
	v := make([]vocabWord, len(counts))
	for i, c := range counts {
		v[i] = vocabWord{word: string(rune('a' + i%26)), count: c}
	}
	return v
}

// TestWord2VecHuffmanVsPython compares every word's code and path of inner
// nodes with the script's CreateBinaryTree (which also checks its codes are
// prefix-free and of minimal total length), with ties between counts, a
// single word, two words and 40 random counts.
func TestWord2VecHuffmanVsPython(t *testing.T) {
	ref := readW2VRef(t)
	for _, c := range ref.Huffman {
		vocab := w2vVocabOf(c.Counts)
		buildHuffman(vocab)
		for i, v := range vocab {
			if !slices.Equal(codeInts(v.code), c.Codes[i]) || !slices.Equal(v.point, c.Points[i]) {
				t.Fatalf("counts %v, word %d: code %v points %v, python %v %v", c.Counts, i, v.code, v.point, c.Codes[i], c.Points[i])
			}
		}
	}
}

// TestWord2VecStepVsNumpy runs the training of one sentence from fixed
// syn0/syn1 with fixed window shrinks and compares both matrices with the
// script's float32 model of Spark's update (some scores fall outside
// (−6, 6) and skip); then trains a second sentence as another partition
// from the same start and compares Spark's merge (mean of the changed rows
// over the partitions that changed them). gspark computes in float64 and
// Spark (and the model) in float32, so the tolerance is float32's: 1e-5
// on values of size ~1 after dozens of updates. The sigmoid table is
// compared exactly.
func TestWord2VecStepVsNumpy(t *testing.T) {
	ref := readW2VRef(t)
	st := ref.Step
	table := w2vExpTable()
	if !slices.Equal(table, st.Table) {
		t.Fatal("sigmoid table differs from Spark's")
	}
	vocab := w2vVocabOf(st.Counts)
	buildHuffman(vocab)
	fixed := func(bs []int) func() int {
		i := 0
		return func() int { i++; return bs[i-1] }
	}
	near := func(what string, got, want []float64) {
		t.Helper()
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-5 {
				t.Fatalf("%s[%d] (row %d) = %v, numpy %v", what, i, i/st.Dim, got[i], want[i])
			}
		}
	}
	a := newW2VTrainer(vocab, st.Dim, st.Window, table, st.Syn0, st.Syn1)
	a.sentence(st.SentenceA, st.Alpha, fixed(st.BA))
	near("syn0", a.syn0, st.Syn0A)
	near("syn1", a.syn1, st.Syn1A)
	b := newW2VTrainer(vocab, st.Dim, st.Window, table, st.Syn0, st.Syn1)
	b.sentence(st.SentenceB, st.Alpha, fixed(st.BB))
	syn0, syn1 := slices.Clone(st.Syn0), slices.Clone(st.Syn1)
	w2vMerge(st.Dim, syn0, syn1, []*w2vTrainer{a, b})
	near("merged syn0", syn0, st.Merged0)
	near("merged syn1", syn1, st.Merged1)
}

// TestWord2VecVocabSynonymsVsNumpy checks the vocabulary (minCount, order),
// the chunks (out-of-vocabulary words dropped, then cut at
// maxSentenceLength) and the synonyms (cosine similarity, the query word
// left out) against the script.
func TestWord2VecVocabSynonymsVsNumpy(t *testing.T) {
	ref := readW2VRef(t)
	rv := ref.Vocab
	vocab := w2vVocab(rv.Sentences, rv.MinCount)
	var words []string
	var counts []int64
	for _, v := range vocab {
		words, counts = append(words, v.word), append(counts, v.count)
	}
	if !slices.Equal(words, rv.Words) || !slices.Equal(counts, rv.Counts) {
		t.Fatalf("vocabulary %v %v, python %v %v", words, counts, rv.Words, rv.Counts)
	}
	chunks, n := w2vChunks(rv.Sentences, vocab, rv.MaxSentenceLength)
	if n != rv.TrainWords || !slices.EqualFunc(chunks, rv.Chunks, slices.Equal) {
		t.Fatalf("chunks %v (%d words), python %v (%d)", chunks, n, rv.Chunks, rv.TrainWords)
	}

	rs := ref.Synonyms
	m := newWord2VecModel("w2v", rs.Words, rs.Vectors, len(rs.Vector))
	check := func(what string, got []Synonym, want [][2]any) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %v, numpy %v", what, got, want)
		}
		for i, w := range want {
			if got[i].Word != w[0].(string) || math.Abs(got[i].Similarity-w[1].(float64)) > 1e-12 {
				t.Fatalf("%s: %v, numpy %v", what, got, want)
			}
		}
	}
	got, err := m.FindSynonyms(rs.Word, rs.Num)
	if err != nil {
		t.Fatal(err)
	}
	check("synonyms of "+rs.Word, got, rs.OfWord)
	check("synonyms of a vector", m.FindSynonymsVector(rs.Vector, len(rs.Words), ""), rs.OfVector)
}

// TestWord2VecNumPartitions: numPartitions 4 gives the same vectors for 1
// and 4 input partitions, and other vectors than numPartitions 1 (the
// parts are trained apart and merged).
func TestWord2VecNumPartitions(t *testing.T) {
	s, mem := newSession(t)
	names, types := []string{"id", "text"}, []arrow.DataType{tInt, tTokens}
	rows := w2vCorpus()
	est := NewWord2Vec().SetInputCol("text").SetVectorSize(8).SetMinCount(1).SetMaxIter(2).SetWindowSize(3).SetSeed(7).SetNumPartitions(4)
	var first map[string][]float64
	for _, parts := range []int{1, 4} {
		m, err := est.FitModel(ctx, makeDF(t, s, mem, names, types, rows, parts))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = m.Vectors()
			continue
		}
		for w, v := range m.Vectors() {
			if !slices.Equal(v, first[w]) {
				t.Fatalf("numPartitions 4: %s differs between 1 and 4 input partitions", w)
			}
		}
	}
	one, err := est.SetNumPartitions(1).FitModel(ctx, makeDF(t, s, mem, names, types, rows, 1))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(one.Vectors()["apple"], first["apple"]) {
		t.Fatal("numPartitions 1 and 4 gave the same vectors")
	}
}
