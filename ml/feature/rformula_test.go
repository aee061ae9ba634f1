package feature

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

// TestRFormulaSparkExample reproduces the RFormula example of Spark's ML
// guide: "clicked ~ country + hour" gives features [0.0,18.0], [1.0,12.0],
// [1.0,15.0] and labels 1, 0, 0.
func TestRFormulaSparkExample(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]any{
		{int64(7), "US", int64(18), 1.0},
		{int64(8), "CA", int64(12), 0.0},
		{int64(9), "CA", int64(15), 0.0},
	}
	names, types := []string{"id", "country", "hour", "clicked"}, []arrow.DataType{tInt, tString, tInt, tFloat}
	want := [][]float64{{0, 18}, {1, 12}, {1, 15}}
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, names, types, rows, parts)
		m, err := roundTrip(t, NewRFormula().SetFormula("clicked ~ country + hour")).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*RFormulaModel{m, roundTrip(t, m)} {
			out, err := m.Transform(df)
			if err != nil {
				t.Fatal(err)
			}
			if got := out.Schema().NumFields(); got != 6 {
				t.Fatalf("output has %d columns: %v", got, out.Schema())
			}
			for i, r := range collect(t, out) {
				vecNear(t, "features", r[4], linalg.Dense(want[i]...), 0)
				if r[5] != []float64{1, 0, 0}[i] {
					t.Fatalf("label %v", r[5])
				}
			}
		}
	}
}

// TestRFormulaTerms checks intercept removal, interactions, "." with "-",
// a string label and parse errors, against encodings worked out by hand.
func TestRFormulaTerms(t *testing.T) {
	s, mem := newSession(t)
	// s: a twice, b and c once, so frequencyDesc indexes a=0, b=1, c=2.
	rows := [][]any{
		{int64(0), "a", 2.0, 10.0, "yes"},
		{int64(1), "a", 3.0, 20.0, "no"},
		{int64(2), "b", 4.0, 30.0, "yes"},
		{int64(3), "c", 5.0, 40.0, "yes"},
	}
	names, types := []string{"id", "s", "x", "z", "y"}, []arrow.DataType{tInt, tString, tFloat, tFloat, tString}
	cases := []struct {
		formula string
		want    [][]float64
	}{
		// No intercept: the first string term keeps all three categories.
		{"y ~ s + x - 1", [][]float64{{1, 0, 0, 2}, {1, 0, 0, 3}, {0, 1, 0, 4}, {0, 0, 1, 5}}},
		{"y ~ 0 + s + x", [][]float64{{1, 0, 0, 2}, {1, 0, 0, 3}, {0, 1, 0, 4}, {0, 0, 1, 5}}},
		// With intercept the last category (c) is dropped.
		{"y ~ s + x", [][]float64{{1, 0, 2}, {1, 0, 3}, {0, 1, 4}, {0, 0, 5}}},
		// s:x — every category of s times x; x:z the product.
		{"y ~ s:x + x:z", [][]float64{{2, 0, 0, 20}, {3, 0, 0, 60}, {0, 4, 0, 120}, {0, 0, 5, 200}}},
		// "." is every column but the label; "- id - s" removes two.
		{"y ~ . - id - s", [][]float64{{2, 10}, {3, 20}, {4, 30}, {5, 40}}},
	}
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, names, types, rows, parts)
		for _, c := range cases {
			m, err := NewRFormula().SetFormula(c.formula).FitModel(ctx, df)
			if err != nil {
				t.Fatalf("%s: %v", c.formula, err)
			}
			out, err := m.Transform(df)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range collect(t, out) {
				vecNear(t, c.formula, r[5], linalg.Dense(c.want[i]...), 0)
				// y: "yes" three times → 0, "no" → 1.
				if want := []float64{0, 1, 0, 0}[i]; r[6] != want {
					t.Fatalf("%s: label %v, want %v", c.formula, r[6], want)
				}
			}
		}
	}
	df := makeDF(t, s, mem, names, types, rows, 1)
	for _, bad := range []string{"y s", "y ~", "~ s", "y ~ s +", "y ~ nope", "y ~ s - s"} {
		if _, err := NewRFormula().SetFormula(bad).Fit(ctx, df); err == nil {
			t.Errorf("formula %q accepted", bad)
		}
	}
	// Scoring data without the label column gets features only.
	m, err := NewRFormula().SetFormula("y ~ s + x").FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Transform(df.Drop("y"))
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(t, out); len(got[0]) != 5 {
		t.Fatalf("unlabelled output row %v", got[0])
	}
}
