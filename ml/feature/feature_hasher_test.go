package feature

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/values"
)

// TestFeatureHasherSparkExample reproduces the FeatureHasher example of
// Spark's ML guide (docs/ml-features.md), whose printed output gives the
// indices and values, with 1 and 4 partitions.
func TestFeatureHasherSparkExample(t *testing.T) {
	s, mem := newSession(t)
	names := []string{"real", "bool", "stringNum", "string"}
	types := []arrow.DataType{tFloat, arrow.FixedWidthTypes.Boolean, tString, tString}
	rows := [][]any{
		{2.2, true, "1", "foo"},
		{3.3, false, "2", "bar"},
		{4.4, false, "3", "baz"},
		{5.5, false, "4", "foo"},
	}
	want := []struct {
		idx  []int
		vals []float64
	}{
		{[]int{174475, 247670, 257907, 262126}, []float64{2.2, 1, 1, 1}},
		{[]int{70644, 89673, 173866, 174475}, []float64{1, 1, 1, 3.3}},
		{[]int{22406, 70644, 174475, 187923}, []float64{1, 1, 4.4, 1}},
		{[]int{70644, 101499, 174475, 257907}, []float64{1, 1, 5.5, 1}},
	}
	h := roundTrip(t, NewFeatureHasher().SetInputCols(names...).SetOutputCol("features"))
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, names, types, rows, parts)
		out, err := h.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, out)
		for i, r := range got {
			w := sparse(t, 1<<18, want[i].idx, want[i].vals)
			vecNear(t, "features", r[4], w, 0)
			sameForm(t, "features", r[4], w)
		}
	}
}

// TestFeatureHasherCategoricalAndNulls checks categoricalCols (the term is
// "name=value" with Java's number printing), nulls skipped and collisions
// summed, against indices computed from the hash of each term by hand.
func TestFeatureHasherCategoricalAndNulls(t *testing.T) {
	s, mem := newSession(t)
	names := []string{"id", "n", "i", "x"}
	types := []arrow.DataType{tInt, tFloat, tInt, tString}
	rows := [][]any{
		{int64(0), 2.0, int64(7), nil},
		{int64(1), nil, nil, "a"},
	}
	const nf = 1
	h := NewFeatureHasher().SetInputCols(names[1:]...).SetCategoricalCols("n").SetNumFeatures(nf).SetOutputCol("v")
	df := makeDF(t, s, mem, names, types, rows, 1)
	out, err := h.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, out)
	// One slot: every present feature lands at 0. Row 0: "n=2.0" (1.0) + i (7.0).
	vecNear(t, "row 0", got[0][4], sparse(t, nf, []int{0}, []float64{8}), 0)
	// Row 1: only "x=a" (1.0).
	vecNear(t, "row 1", got[1][4], sparse(t, nf, []int{0}, []float64{1}), 0)

	// With 2^18 slots, "n=2.0" must be the index of that exact string.
	h.SetNumFeatures(1 << 18)
	out, err = h.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	got = collect(t, out)
	want := sparse(t, 1<<18, []int{int(termIndex("i", 1<<18)), int(termIndex("n=2.0", 1<<18))}, []float64{7, 1})
	if termIndex("i", 1<<18) > termIndex("n=2.0", 1<<18) {
		want = sparse(t, 1<<18, []int{int(termIndex("n=2.0", 1<<18)), int(termIndex("i", 1<<18))}, []float64{1, 7})
	}
	vecNear(t, "row 0", got[0][4], want, 0)

	if _, err := NewFeatureHasher().SetInputCols("n").SetCategoricalCols("zz").TransformSchema(df.Schema()); err == nil {
		t.Fatal("categorical column outside inputCols accepted")
	}
}

func TestJavaDouble(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{{2, "2.0"}, {2.5, "2.5"}, {1e7, "1.0E7"}, {1.5e-5, "1.5E-5"}, {0.001, "0.001"}, {-3, "-3.0"}, {123456789, "1.23456789E8"}} {
		if got := values.FormatDouble(c.f); got != c.want {
			t.Errorf("values.FormatDouble(%v) = %q, want %q", c.f, got, c.want)
		}
	}
}
