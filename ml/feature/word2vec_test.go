package feature

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

// w2vCorpus is 400 sentences, each of six words from one of two topics.
func w2vCorpus() [][]any {
	topics := [][]string{{"apple", "banana", "cherry", "grape"}, {"car", "bus", "train", "plane"}}
	var rows [][]any
	x := uint32(12345)
	for i := 0; i < 400; i++ {
		t := topics[i%2]
		var s []string
		for k := 0; k < 6; k++ {
			x = x*1664525 + 1013904223
			s = append(s, t[(x>>16)%4])
		}
		rows = append(rows, []any{int64(i), s})
	}
	return rows
}

// TestWord2Vec checks the invariants of a fit: vocabulary and vector size,
// determinism for a seed and across 1 and 4 partitions, the transform as
// the mean of the words' vectors (out-of-vocabulary words counted),
// synonyms' shape and that they come from the query's topic, and a
// save/load round trip.
func TestWord2Vec(t *testing.T) {
	s, mem := newSession(t)
	names, types := []string{"id", "text"}, []arrow.DataType{tInt, tTokens}
	rows := w2vCorpus()
	est := NewWord2Vec().SetInputCol("text").SetOutputCol("vec").SetVectorSize(10).SetMinCount(1).SetMaxIter(5).SetWindowSize(3).SetSeed(42)
	var first map[string][]float64
	for _, parts := range []int{1, 4} {
		m, err := est.FitModel(ctx, makeDF(t, s, mem, names, types, rows, parts))
		if err != nil {
			t.Fatal(err)
		}
		vecs := m.Vectors()
		if len(vecs) != 8 || len(vecs["apple"]) != 10 {
			t.Fatalf("vocabulary %d words, apple %v", len(vecs), vecs["apple"])
		}
		if first == nil {
			first = vecs
		} else {
			for w, v := range vecs {
				if !slices.Equal(v, first[w]) {
					t.Fatalf("%s differs between 1 and 4 partitions", w)
				}
			}
		}
		syn, err := m.FindSynonyms("apple", 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(syn) != 3 {
			t.Fatalf("synonyms %v", syn)
		}
		for k, sy := range syn {
			if sy.Word == "apple" || !slices.Contains([]string{"banana", "cherry", "grape"}, sy.Word) || math.Abs(sy.Similarity) > 1+1e-12 || k > 0 && syn[k-1].Similarity < sy.Similarity {
				t.Fatalf("synonyms of apple: %v", syn)
			}
		}
		if _, err := m.FindSynonyms("zebra", 2); err == nil {
			t.Fatal("unknown word accepted")
		}

		m = roundTrip(t, m)
		docs := makeDF(t, s, mem, names, types, [][]any{{int64(0), []string{"apple", "zzz"}}, {int64(1), []string{}}, {int64(2), []string{"car", "bus", "car"}}}, parts)
		out, err := m.Transform(docs)
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, out)
		half := make([]float64, 10)
		mean := make([]float64, 10)
		for d := range half {
			half[d] = first["apple"][d] / 2
			mean[d] = (2*first["car"][d] + first["bus"][d]) / 3
		}
		vecNear(t, "apple zzz", got[0][2], linalg.Dense(half...), 1e-15)
		vecNear(t, "empty", got[1][2], linalg.Dense(make([]float64, 10)...), 0)
		vecNear(t, "car bus car", got[2][2], linalg.Dense(mean...), 1e-15)
	}
	other, err := NewWord2Vec().SetInputCol("text").SetVectorSize(10).SetMinCount(1).SetSeed(43).FitModel(ctx, makeDF(t, s, mem, names, types, rows, 1))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(other.Vectors()["apple"], first["apple"]) {
		t.Fatal("another seed gave the same vectors")
	}
	if _, err := NewWord2Vec().SetInputCol("text").SetMinCount(1000).Fit(ctx, makeDF(t, s, mem, names, types, rows, 1)); err == nil || !strings.Contains(err.Error(), "vocabulary is empty") {
		t.Fatalf("minCount 1000: %v", err)
	}
}

// TestHuffman checks the codes word2vec builds: prefix-free, Kraft sum 1,
// lengths non-decreasing as counts fall, inner nodes in range.
func TestHuffman(t *testing.T) {
	vocab := []vocabWord{{word: "a", count: 10}, {word: "b", count: 5}, {word: "c", count: 3}, {word: "d", count: 2}, {word: "e", count: 1}}
	buildHuffman(vocab)
	var kraft float64
	for i, v := range vocab {
		kraft += math.Pow(2, -float64(len(v.code)))
		if i > 0 && len(v.code) < len(vocab[i-1].code) {
			t.Fatalf("%s has a shorter code than the more frequent %s", v.word, vocab[i-1].word)
		}
		for _, p := range v.point {
			if p < 0 || p > len(vocab)-2 {
				t.Fatalf("inner node %d of %s", p, v.word)
			}
		}
		for j, o := range vocab {
			if i != j && len(o.code) >= len(v.code) && string(o.code[:len(v.code)]) == string(v.code) {
				t.Fatalf("code of %s is a prefix of %s's", v.word, o.word)
			}
		}
	}
	if kraft != 1 {
		t.Fatalf("Kraft sum %v", kraft)
	}
	// Hand-built Huffman tree for 10,5,3,2,1: lengths 1,2,3,4,4.
	for i, l := range []int{1, 2, 3, 4, 4} {
		if len(vocab[i].code) != l {
			t.Fatalf("code lengths: %v", vocab)
		}
	}
}
