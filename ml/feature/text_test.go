package feature

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

func strs(v any) []string {
	if v == nil {
		return nil
	}
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

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

func TestCountVectorizer(t *testing.T) {
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		// pyspark.ml.feature.CountVectorizer docstring.
		df := makeDF(t, s, mem, []string{"label", "raw"}, []arrow.DataType{tInt, tTokens},
			[][]any{{int64(0), []string{"a", "b", "c"}}, {int64(1), []string{"a", "b", "b", "c", "a"}}}, parts)
		cv := NewCountVectorizer().SetInputCol("raw").SetOutputCol("vectors")
		m := fit(t, cv, df).(*CountVectorizerModel)
		if !slices.Equal(m.Vocabulary(), []string{"a", "b", "c"}) {
			t.Fatalf("vocabulary %v", m.Vocabulary())
		}
		rows := transformRows(t, m, df)
		if rows[0][2].(linalg.Vector).String() != "(3,[0,1,2],[1.0,1.0,1.0])" || rows[1][2].(linalg.Vector).String() != "(3,[0,1,2],[2.0,2.0,1.0])" {
			t.Fatalf("vectors %v", rows)
		}
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		m = fit(t, NewCountVectorizer().SetInputCol("raw").SetOutputCol("vectors").SetVocabSize(2), df).(*CountVectorizerModel)
		if !slices.Equal(m.Vocabulary(), []string{"a", "b"}) {
			t.Fatalf("vocabSize 2: %v", m.Vocabulary())
		}
		m.SetMinTF(2).SetBinary(true)
		if got := transformRows(t, m, df)[1][2].(linalg.Vector).String(); got != "(2,[0,1],[1.0,1.0])" {
			t.Fatalf("minTF/binary %s", got)
		}
	}
}

func TestPCA(t *testing.T) {
	// pyspark.ml.feature.PCA docstring: first row → [1.648..., -4.013...], explained variance [0.794..., 0.205...]
	// (component signs may differ from LAPACK's, so magnitudes are compared).
	data := []linalg.Vector{sparse(t, 5, []int{1, 3}, []float64{1, 7}), linalg.Dense(2, 0, 3, 4, 5), linalg.Dense(4, 0, 0, 6, 7)}
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, data, parts)
		m := fit(t, NewPCA().SetK(2).SetInputCol("features").SetOutputCol("pca"), df).(*PCAModel)
		ev := m.ExplainedVariance().ToArray()
		if !near(ev[0], 0.7946, 1e-3) || !near(ev[1], 0.2053, 1e-3) {
			t.Fatalf("explained variance %v", ev)
		}
		rows := transformRows(t, m, df)
		p := rows[0][2].(linalg.Vector).ToArray()
		if !near(math.Abs(p[0]), 1.6485, 1e-3) || !near(math.Abs(p[1]), 4.0132, 1e-3) {
			t.Fatalf("projection %v", p)
		}
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		r, c := m.PC().Dims()
		if r != 5 || c != 2 {
			t.Fatalf("pc dims %d×%d", r, c)
		}
	}
}

func TestPolynomialExpansion(t *testing.T) {
	s, _ := newSession(t)
	// pyspark docstring: [0.5, 2.0] degree 2 → [0.5, 0.25, 2.0, 1.0, 4.0].
	sv := sparse(t, 3, []int{1}, []float64{3})
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(0.5, 2), sv, linalg.Dense(2, 3)}, 2)
	pe := NewPolynomialExpansion().SetInputCol("features").SetOutputCol("poly")
	rows := transformRows(t, pe, df)
	vecNear(t, "doc", rows[0][2], linalg.Dense(0.5, 0.25, 2, 1, 4), 0)
	// (x0, x1, x2) degree 2, Spark's order: x0, x0², x1, x0x1, x1², x2, x0x2, x1x2, x2².
	vecNear(t, "sparse", rows[1][2], sparse(t, 9, []int{2, 4}, []float64{3, 9}), 0)
	sameForm(t, "sparse", rows[1][2], sv)
	pe.SetDegree(3)
	rows = transformRows(t, pe, df)
	// (x, y) degree 3: x, x², x³, y, xy, x²y, y², xy², y³.
	vecNear(t, "deg3", rows[2][2], linalg.Dense(2, 4, 8, 3, 6, 12, 9, 18, 27), 0)
	sameRows(t, rows, transformRows(t, roundTrip(t, pe), df))
}

func TestSQLTransformer(t *testing.T) {
	s, mem := newSession(t)
	// pyspark.ml.feature.SQLTransformer docstring.
	df := makeDF(t, s, mem, []string{"id", "v1", "v2"}, []arrow.DataType{tInt, tFloat, tFloat}, [][]any{{int64(0), 1.0, 3.0}, {int64(2), 2.0, 5.0}}, 2)
	st := NewSQLTransformer().SetStatement("SELECT *, (v1 + v2) AS v3, (v1 * v2) AS v4 FROM __THIS__")
	out, err := st.TransformSchema(df.Schema())
	if err != nil {
		t.Fatal(err)
	}
	if out.NumFields() != 5 || out.Field(4).Name != "v4" {
		t.Fatalf("schema %v", out)
	}
	rows := transformRows(t, st, df)
	if rows[0][3] != 4.0 || rows[0][4] != 3.0 || rows[1][3] != 7.0 || rows[1][4] != 10.0 {
		t.Fatalf("rows %v", rows)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, st), df))
	for _, name := range s.Tables() {
		if strings.Contains(name, "__THIS__") {
			t.Fatalf("temporary view left behind: %v", name)
		}
	}
	_, err = NewSQLTransformer().SetStatement("SELECT nope FROM __THIS__").TransformSchema(df.Schema())
	wantErr(t, err, "nope")
}

// TestPipeline chains indexing, encoding, assembling and scaling, fits it on
// data repartitioned by the engine, and checks that a saved and reloaded
// model predicts exactly what the fitted one did.
func TestPipeline(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	cats := []string{"red", "green", "blue", "green", "green", "red"}
	var data [][]any
	for i := 0; i < 120; i++ {
		var x any = r.NormFloat64()*3 + 1
		if i%17 == 0 {
			x = nil
		}
		data = append(data, []any{int64(i), cats[r.IntN(len(cats))], x, float64(r.IntN(5))})
	}
	var results [][]frame.Row
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, []string{"id", "color", "x", "n"}, []arrow.DataType{tInt, tString, tFloat, tFloat}, data, 1)
		if parts > 1 {
			df = df.Repartition(parts)
		}
		p := ml.NewPipeline(
			NewStringIndexer().SetInputCol("color").SetOutputCol("colorIdx"),
			NewOneHotEncoder().SetInputCols("colorIdx", "n").SetOutputCols("colorVec", "nVec"),
			NewImputer().SetInputCol("x").SetOutputCol("xFilled"),
			NewVectorAssembler().SetInputCols("colorVec", "xFilled", "nVec").SetOutputCol("raw"),
			NewStandardScaler().SetInputCol("raw").SetOutputCol("features").SetWithMean(true),
		)
		pm := fit(t, p, df).(*ml.PipelineModel)
		rows := transformRows(t, pm, df)
		if len(rows) != 120 {
			t.Fatalf("%d rows", len(rows))
		}
		// The most frequent color gets index 0 → one-hot (2,[0],[1.0]).
		counts := map[any]int{}
		for _, d := range data {
			counts[d[1]]++
		}
		top := "blue"
		for c, n := range counts {
			if n > counts[top] {
				top = c.(string)
			}
		}
		for _, row := range rows {
			if row[1] == top && (row[4] != 0.0 || row[5].(linalg.Vector).String() != "(2,[0],[1.0])") {
				t.Fatalf("%s row %v", top, row)
			}
		}
		dir := filepath.Join(t.TempDir(), "pm")
		if err := pm.Save(dir); err != nil {
			t.Fatal(err)
		}
		loaded, err := ml.LoadAs[*ml.PipelineModel](ctx, dir, Register(ml.NewRegistry()))
		if err != nil {
			t.Fatal(err)
		}
		sameRows(t, rows, transformRows(t, loaded, df))
		results = append(results, rows)
		// Schema errors surface at fit time, naming the stage and column, before any data moves.
		bad := ml.NewPipeline(NewVectorAssembler().SetInputCols("x", "color").SetOutputCol("v"))
		_, err = bad.Fit(ctx, df)
		wantErr(t, err, `input column "color" must be numeric or boolean or vector, got string`)
	}
	// The result does not depend on the partitioning beyond rounding.
	for i := range results[0] {
		vecNear(t, "1 vs 4 partitions", results[1][i][9], results[0][i][9].(linalg.Vector), 1e-9)
	}
}
