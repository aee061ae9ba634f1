package feature

import (
	"math"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

func TestStringIndexer(t *testing.T) {
	// pyspark.ml.feature.StringIndexer docstring data: a×3, c×2, b×1.
	data := [][]any{{int64(0), "a"}, {int64(1), "b"}, {int64(2), "c"}, {int64(3), "a"}, {int64(4), "a"}, {int64(5), "c"}}
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, []string{"id", "label"}, []arrow.DataType{tInt, tString}, data, parts)
		si := NewStringIndexer().SetInputCol("label").SetOutputCol("indexed")
		m := fit(t, si, df).(*StringIndexerModel)
		if !slices.Equal(m.Labels(), []string{"a", "c", "b"}) {
			t.Fatalf("labels %v", m.Labels())
		}
		rows := transformRows(t, m, df)
		want := []float64{0, 2, 1, 0, 0, 1}
		for i, r := range rows {
			if r[2] != want[i] {
				t.Fatalf("row %d: %v", i, r)
			}
		}
		for order, labels := range map[string][]string{
			"alphabetDesc": {"c", "b", "a"}, "alphabetAsc": {"a", "b", "c"}, "frequencyAsc": {"b", "c", "a"},
		} {
			m := fit(t, NewStringIndexer().SetInputCol("label").SetOutputCol("i").SetStringOrderType(order), df).(*StringIndexerModel)
			if !slices.Equal(m.Labels(), labels) {
				t.Fatalf("%s: %v", order, m.Labels())
			}
		}
		// IndexToString inverts it.
		its := NewIndexToString().SetInputCol("indexed").SetOutputCol("back").SetLabels(m.Labels()...)
		out, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		rows = transformRows(t, its, out)
		for i, r := range rows {
			if r[3] != data[i][1] {
				t.Fatalf("IndexToString row %d: %v", i, r)
			}
		}
		sameRows(t, rows, transformRows(t, roundTrip(t, its), out))
		sameRows(t, transformRows(t, m, df), transformRows(t, roundTrip(t, m), df))
	}
}

func TestStringIndexerInvalid(t *testing.T) {
	s, mem := newSession(t)
	train := makeDF(t, s, mem, []string{"id", "c"}, []arrow.DataType{tInt, tString},
		[][]any{{int64(0), "x"}, {int64(1), "y"}, {int64(2), "y"}, {int64(3), nil}, {int64(4), "x"}, {int64(5), "z"}}, 2)
	m := fit(t, NewStringIndexer().SetInputCol("c").SetOutputCol("i"), train).(*StringIndexerModel)
	// Ties (x and y twice) are broken alphabetically; nulls are not labels.
	if !slices.Equal(m.Labels(), []string{"x", "y", "z"}) {
		t.Fatalf("labels %v", m.Labels())
	}
	test := makeDF(t, s, mem, []string{"id", "c"}, []arrow.DataType{tInt, tString},
		[][]any{{int64(0), "y"}, {int64(1), "unseen"}, {int64(2), nil}}, 2)
	unseen := makeDF(t, s, mem, []string{"id", "c"}, []arrow.DataType{tInt, tString}, [][]any{{int64(0), "y"}, {int64(1), "unseen"}}, 1)
	wantErr(t, runErr(m, unseen), `unseen label "unseen" in column "c"`)
	nullOnly := makeDF(t, s, mem, []string{"id", "c"}, []arrow.DataType{tInt, tString}, [][]any{{int64(0), nil}}, 1)
	wantErr(t, runErr(m, nullOnly), `StringIndexer encountered NULL value in column "c"`)
	m.SetHandleInvalid("keep")
	rows := transformRows(t, m, test)
	if rows[0][2] != 1.0 || rows[1][2] != 3.0 || rows[2][2] != 3.0 {
		t.Fatalf("keep: %v", rows)
	}
	m.SetHandleInvalid("skip")
	rows = transformRows(t, m, test)
	if len(rows) != 1 || rows[0][2] != 1.0 {
		t.Fatalf("skip: %v", rows)
	}
	// Numeric input is indexed by its string form; several columns at once.
	num := makeDF(t, s, mem, []string{"a", "b"}, []arrow.DataType{tFloat, tInt},
		[][]any{{1.0, int64(7)}, {2.0, int64(7)}, {2.0, int64(8)}}, 2)
	mm := fit(t, NewStringIndexer().SetInputCols("a", "b").SetOutputCols("ai", "bi"), num).(*StringIndexerModel)
	la := mm.LabelsArray()
	if !slices.Equal(la[0], []string{"2.0", "1.0"}) || !slices.Equal(la[1], []string{"7", "8"}) {
		t.Fatalf("labels %v", la)
	}
	rows = transformRows(t, mm, num)
	if rows[0][2] != 1.0 || rows[0][3] != 0.0 || rows[2][3] != 1.0 {
		t.Fatalf("multi: %v", rows)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, mm), num))
	_, err := NewStringIndexer().SetInputCol("c").SetInputCols("c").SetOutputCols("d").Fit(ctx, train)
	wantErr(t, err, "only one of inputCol and inputCols")
	its := NewIndexToString().SetInputCol("id").SetOutputCol("s").SetLabels("a")
	wantErr(t, runErr(its, train), `unseen index`)
}

func TestOneHotEncoder(t *testing.T) {
	// pyspark.ml.feature.OneHotEncoder docstring: [0.0, 1.0, 2.0] → head (2,[0],[1.0]).
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, []string{"input"}, []arrow.DataType{tFloat}, [][]any{{0.0}, {1.0}, {2.0}}, parts)
		ohe := NewOneHotEncoder().SetInputCol("input").SetOutputCol("output")
		m := fit(t, ohe, df).(*OneHotEncoderModel)
		if !slices.Equal(m.CategorySizes(), []int{3}) {
			t.Fatalf("sizes %v", m.CategorySizes())
		}
		rows := transformRows(t, m, df)
		for i, want := range []string{"(2,[0],[1.0])", "(2,[1],[1.0])", "(2,[],[])"} {
			if rows[i][1].(linalg.Vector).String() != want {
				t.Fatalf("row %d: %v, want %s", i, rows[i][1], want)
			}
		}
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		m.SetDropLast(false)
		rows = transformRows(t, m, df)
		if rows[2][1].(linalg.Vector).String() != "(3,[2],[1.0])" {
			t.Fatalf("dropLast=false: %v", rows[2][1])
		}
		test := makeDF(t, s, mem, []string{"input"}, []arrow.DataType{tFloat}, [][]any{{1.0}, {5.0}}, parts)
		wantErr(t, runErr(m, test), `unseen value 5 in column "input"`)
		m.SetHandleInvalid("keep").SetDropLast(true)
		rows = transformRows(t, m, test)
		if rows[0][1].(linalg.Vector).String() != "(3,[1],[1.0])" || rows[1][1].(linalg.Vector).String() != "(3,[],[])" {
			t.Fatalf("keep+dropLast: %v", rows)
		}
		m.SetDropLast(false)
		rows = transformRows(t, m, test)
		if rows[1][1].(linalg.Vector).String() != "(4,[3],[1.0])" {
			t.Fatalf("keep: %v", rows)
		}
	}
	s, mem := newSession(t)
	bad := makeDF(t, s, mem, []string{"input"}, []arrow.DataType{tFloat}, [][]any{{0.0}, {1.5}}, 1)
	_, err := NewOneHotEncoder().SetInputCol("input").SetOutputCol("o").Fit(ctx, bad)
	wantErr(t, err, `only supports non-negative integer values in column "input", got 1.5`)
}

func TestImputer(t *testing.T) {
	// pyspark.ml.feature.Imputer docstring data.
	data := [][]any{{int64(0), 1.0, nan}, {int64(1), 2.0, nan}, {int64(2), nan, 3.0}, {int64(3), 4.0, 4.0}, {int64(4), 5.0, 5.0}}
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, []string{"id", "a", "b"}, []arrow.DataType{tInt, tFloat, tFloat}, data, parts)
		imp := NewImputer().SetInputCols("a", "b").SetOutputCols("out_a", "out_b")
		m := fit(t, imp, df).(*ImputerModel)
		if !slices.Equal(m.Surrogates(), []float64{3, 4}) {
			t.Fatalf("mean surrogates %v", m.Surrogates())
		}
		rows := transformRows(t, m, df)
		wantA, wantB := []float64{1, 2, 3, 4, 5}, []float64{4, 4, 3, 4, 5}
		for i, r := range rows {
			if r[3] != wantA[i] || r[4] != wantB[i] {
				t.Fatalf("row %d: %v", i, r)
			}
		}
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		// median with missingValue 1.0: NaN is then kept, not imputed.
		m = fit(t, NewImputer().SetInputCols("a", "b").SetOutputCols("out_a", "out_b").SetStrategy("median").SetMissingValue(1), df).(*ImputerModel)
		if !slices.Equal(m.Surrogates(), []float64{4, 4}) {
			t.Fatalf("median surrogates %v", m.Surrogates())
		}
		rows = transformRows(t, m, df)
		if rows[0][3] != 4.0 || !math.IsNaN(rows[2][3].(float64)) || !math.IsNaN(rows[0][4].(float64)) {
			t.Fatalf("median rows %v", rows)
		}
		// mode: ties go to the smallest value.
		df2 := makeDF(t, s, mem, []string{"id", "x"}, []arrow.DataType{tInt, tInt},
			[][]any{{int64(0), int64(3)}, {int64(1), int64(3)}, {int64(2), int64(1)}, {int64(3), int64(1)}, {int64(4), nil}, {int64(5), int64(2)}}, parts)
		m = fit(t, NewImputer().SetInputCol("x").SetOutputCol("y").SetStrategy("mode"), df2).(*ImputerModel)
		if !slices.Equal(m.Surrogates(), []float64{1}) {
			t.Fatalf("mode %v", m.Surrogates())
		}
		rows = transformRows(t, m, df2)
		if rows[4][2] != int64(1) || rows[0][2] != int64(3) {
			t.Fatalf("mode rows (output keeps the input type) %v", rows)
		}
	}
	s, mem := newSession(t)
	allNaN := makeDF(t, s, mem, []string{"a"}, []arrow.DataType{tFloat}, [][]any{{nan}, {nil}}, 1)
	_, err := NewImputer().SetInputCol("a").SetOutputCol("b").Fit(ctx, allNaN)
	wantErr(t, err, `surrogate cannot be computed. All the values in column "a" are null, NaN or missingValue`)
}

func TestBucketizerAndQuantileDiscretizer(t *testing.T) {
	// pyspark.ml.feature.Bucketizer docstring: splits [-inf, 0.5, 1.4, inf], handleInvalid keep.
	data := [][]any{{0.1, 0.0}, {0.4, 1.0}, {1.2, 1.3}, {1.5, nan}, {nan, 1.0}, {nan, 0.0}}
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, []string{"values1", "values2"}, []arrow.DataType{tFloat, tFloat}, data, parts)
		b := NewBucketizer().SetSplits(math.Inf(-1), 0.5, 1.4, math.Inf(1)).SetInputCol("values1").SetOutputCol("buckets").SetHandleInvalid("keep")
		out, err := b.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := out.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[float64]int{}
		for _, r := range rows {
			got[r[2].(float64)]++
		}
		if got[0] != 2 || got[1] != 1 || got[2] != 1 || got[3] != 2 {
			t.Fatalf("keep buckets %v", rows)
		}
		b.SetHandleInvalid("skip")
		if rows := transformRows(t, b, df); len(rows) != 4 {
			t.Fatalf("skip: %v", rows)
		}
		b.SetHandleInvalid("error")
		wantErr(t, runErr(b, df), `Bucketizer encountered NaN value in column "values1"`)
		sameRows(t, transformRows(t, b, makeDF(t, s, mem, []string{"values1"}, []arrow.DataType{tFloat}, [][]any{{0.5}, {1.4}, {-3.0}}, parts)),
			transformRows(t, roundTrip(t, b), makeDF(t, s, mem, []string{"values1"}, []arrow.DataType{tFloat}, [][]any{{0.5}, {1.4}, {-3.0}}, parts)))
		// Multiple columns; bounds are inclusive at the top.
		mb := NewBucketizer().SetInputCols("values1", "values2").SetOutputCols("b1", "b2").
			SetSplitsArray([]float64{math.Inf(-1), 0.5, 1.4, math.Inf(1)}, []float64{0, 1, 1.3}).SetHandleInvalid("skip")
		rows2 := transformRows(t, mb, df)
		if len(rows2) != 3 || rows2[0][2] != 0.0 || rows2[0][3] != 0.0 || rows2[1][3] != 1.0 || rows2[2][3] != 1.0 {
			t.Fatalf("multi: %v", rows2)
		}
		wantErr(t, runErr(NewBucketizer().SetSplits(0, 1, 2).SetInputCol("values2").SetOutputCol("o").SetHandleInvalid("skip"),
			makeDF(t, s, mem, []string{"values2"}, []arrow.DataType{tFloat}, [][]any{{2.5}}, 1)), "out of Bucketizer bounds [0, 2]")

		// pyspark.ml.feature.QuantileDiscretizer docstring: splits [-inf, 0.4, inf].
		qdf := makeDF(t, s, mem, []string{"values"}, []arrow.DataType{tFloat}, [][]any{{0.1}, {0.4}, {1.2}, {1.5}, {nan}, {nan}}, parts)
		qd := NewQuantileDiscretizer().SetInputCol("values").SetOutputCol("buckets").SetNumBuckets(2)
		bm := fit(t, qd, qdf).(*Bucketizer)
		if sp := bm.Splits(); len(sp) != 3 || !math.IsInf(sp[0], -1) || sp[1] != 0.4 || !math.IsInf(sp[2], 1) {
			t.Fatalf("splits %v", sp)
		}
		qd.SetHandleInvalid("keep")
		if n, _ := mustTransform(t, fit(t, qd, qdf).(*Bucketizer), qdf).Count(ctx); n != 6 {
			t.Fatalf("keep count %d", n)
		}
		qd.SetHandleInvalid("skip")
		if n, _ := mustTransform(t, fit(t, qd, qdf).(*Bucketizer), qdf).Count(ctx); n != 4 {
			t.Fatalf("skip count %d", n)
		}
	}
	_, err := NewBucketizer().SetSplits(0, 1).SetInputCol("a").TransformSchema(schemaOf([]string{"a"}, []arrow.DataType{tFloat}))
	wantErr(t, err, "splits must have at least 3 elements")
}
