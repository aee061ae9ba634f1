package feature

import (
	"math"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

func TestTokenizers(t *testing.T) {
	s, mem := newSession(t)
	// pyspark docstrings: Tokenizer "a b c" → [a, b, c]; RegexTokenizer "A B  c" → [a, b, c].
	df := makeDF(t, s, mem, []string{"id", "text"}, []arrow.DataType{tInt, tString},
		[][]any{{int64(0), "a b c"}, {int64(1), "A B  c"}, {int64(2), " Hi  there "}, {int64(3), ""}, {int64(4), nil}}, 2)
	tok := NewTokenizer().SetInputCol("text").SetOutputCol("words")
	rows := transformRows(t, tok, df)
	want := [][]string{{"a", "b", "c"}, {"a", "b", "", "c"}, {"", "hi", "", "there"}, {""}, nil}
	for i, r := range rows {
		if got := strs(r[2]); !slices.Equal(got, want[i]) || (want[i] == nil) != (r[2] == nil) {
			t.Fatalf("Tokenizer row %d: %q, want %q", i, got, want[i])
		}
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, tok), df))
	rt := NewRegexTokenizer().SetInputCol("text").SetOutputCol("words")
	rows = transformRows(t, rt, df)
	want = [][]string{{"a", "b", "c"}, {"a", "b", "c"}, {"hi", "there"}, nil, nil}
	for i, r := range rows[:4] {
		if got := strs(r[2]); !slices.Equal(got, want[i]) {
			t.Fatalf("RegexTokenizer row %d: %q, want %q", i, got, want[i])
		}
	}
	rt.SetGaps(false).SetPattern(`\w+`).SetToLowercase(false).SetMinTokenLength(2)
	rows = transformRows(t, rt, df)
	if got := strs(rows[2][2]); !slices.Equal(got, []string{"Hi", "there"}) {
		t.Fatalf("tokens: %q", got)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, rt), df))
	_, err := NewRegexTokenizer().SetInputCol("id").Transform(df)
	wantErr(t, err, `input column "id" must be string, got bigint`)
}

func TestStopWordsRemover(t *testing.T) {
	s, mem := newSession(t)
	// pyspark docstring: ["a", "b", "c"] with stopWords ["b"] → ["a", "c"].
	df := makeDF(t, s, mem, []string{"id", "text"}, []arrow.DataType{tInt, tTokens},
		[][]any{{int64(0), []string{"a", "b", "c"}}, {int64(1), []string{"The", "B", "end"}}, {int64(2), nil}}, 2)
	r := NewStopWordsRemover().SetInputCol("text").SetOutputCol("words").SetStopWords("b")
	rows := transformRows(t, r, df)
	if !slices.Equal(strs(rows[0][2]), []string{"a", "c"}) || !slices.Equal(strs(rows[1][2]), []string{"The", "end"}) || rows[2][2] != nil {
		t.Fatalf("rows %v", rows)
	}
	r.SetCaseSensitive(true)
	rows = transformRows(t, r, df)
	if !slices.Equal(strs(rows[1][2]), []string{"The", "B", "end"}) {
		t.Fatalf("case-sensitive %v", rows)
	}
	def := NewStopWordsRemover().SetInputCol("text").SetOutputCol("words")
	rows = transformRows(t, def, df)
	if !slices.Equal(strs(rows[1][2]), []string{"B", "end"}) {
		t.Fatalf("english %v", rows)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, def), df))
}

func TestMurmur3(t *testing.T) {
	// Reference values of MurmurHash3_x86_32 (the canonical test vectors).
	for _, c := range []struct {
		in   string
		seed uint32
		want uint32
	}{
		{"", 0, 0}, {"", 1, 0x514E28B7}, {"", 0xffffffff, 0x81F16F39}, {"\x00\x00\x00\x00", 0, 0x2362F9DE},
		{"aaaa", 0x9747b28c, 0x5A97808A}, {"abc", 0, 0xB3DD93FA}, {"Hello, world!", 0x9747b28c, 0x24884CBA},
		{"The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2FA826CD},
	} {
		if got := Murmur3([]byte(c.in), c.seed); got != c.want {
			t.Errorf("Murmur3(%q, %#x) = %#x, want %#x", c.in, c.seed, got, c.want)
		}
	}
}

func TestHashingTFAndIDF(t *testing.T) {
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		// pyspark.ml.feature.HashingTF docstring: ["a","b","c"], numFeatures 10 → (10,[5,7,8],[1.0,1.0,1.0]).
		df := makeDF(t, s, mem, []string{"id", "words"}, []arrow.DataType{tInt, tTokens},
			[][]any{{int64(0), []string{"a", "b", "c"}}, {int64(1), []string{"a", "a", "b"}}, {int64(2), nil}}, parts)
		h := NewHashingTF().SetInputCol("words").SetOutputCol("tf").SetNumFeatures(10)
		rows := transformRows(t, h, df)
		if got := rows[0][2].(linalg.Vector).String(); got != "(10,[5,7,8],[1.0,1.0,1.0])" {
			t.Fatalf("HashingTF: %s", got)
		}
		if v := rows[1][2].(linalg.Vector); v.Get(h.IndexOf("a")) != 2 || v.Get(h.IndexOf("b")) != 1 || v.NumNonzeros() != 2 {
			t.Fatalf("HashingTF counts: %v", v)
		}
		sameRows(t, rows, transformRows(t, roundTrip(t, h), df))
		h.SetBinary(true)
		if got := transformRows(t, h, df)[1][2].(linalg.Vector); got.NumNonzeros() != 2 || linalg.Norm(got, 1) != 2 {
			t.Fatalf("binary: %v", got)
		}

		// pyspark.ml.feature.IDF docstring: [1,2],[0,1],[3,0.2] → idf [0.2877, 0.0], docFreq [2, 3].
		vdf := vectorFrame(t, s, []linalg.Vector{linalg.Dense(1, 2), linalg.Dense(0, 1), linalg.Dense(3, 0.2)}, parts)
		m := fit(t, NewIDF().SetInputCol("features").SetOutputCol("idf"), vdf).(*IDFModel)
		vecNear(t, "idf", m.IDF(), linalg.Dense(math.Log(4.0/3), 0), 1e-12)
		if !slices.Equal(m.DocFreq(), []int64{2, 3}) || m.NumDocs() != 3 {
			t.Fatalf("docFreq %v numDocs %d", m.DocFreq(), m.NumDocs())
		}
		rows = transformRows(t, m, vdf)
		vecNear(t, "row0", rows[0][2], linalg.Dense(math.Log(4.0/3), 0), 1e-12)
		sameRows(t, rows, transformRows(t, roundTrip(t, m), vdf))
		m2 := fit(t, NewIDF().SetInputCol("features").SetOutputCol("idf").SetMinDocFreq(3), vdf).(*IDFModel)
		vecNear(t, "minDocFreq", m2.IDF(), linalg.Dense(0, math.Log(4.0/4)), 1e-12)
	}
}
