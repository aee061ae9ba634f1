package feature

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// TestMLAttributesThroughParquet: StringIndexer's output written to
// Parquet and read back keeps its nominal attribute (in the footer's Spark
// schema), so IndexToString needs no labels and OneHotEncoder sizes its
// vectors from the attribute: the rows kept hold indices 0 and 1 only, yet
// the vectors have 3 slots as there are 3 labels (from the data alone
// there would be 2).
func TestMLAttributesThroughParquet(t *testing.T) {
	s, mem := newSession(t)
	var rows [][]any
	for i, w := range []string{"a", "a", "a", "b", "b", "c"} {
		rows = append(rows, []any{int64(i), w})
	}
	df := makeDF(t, s, mem, []string{"id", "cat"}, []arrow.DataType{tInt, tString}, rows, 2)
	si := fit(t, NewStringIndexer().SetInputCol("cat").SetOutputCol("idx"), df)
	indexed, err := si.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "indexed")
	if err := indexed.Where(frame.Col("cat").NotEq("c")).Write().Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	in := s.Read().Parquet(dir)
	if err := in.Err(); err != nil {
		t.Fatal(err)
	}
	back := transformRows(t, NewIndexToString().SetInputCol("idx").SetOutputCol("label"), in)
	if len(back) != 5 {
		t.Fatalf("%d rows", len(back))
	}
	for _, r := range back {
		if r[1] != r[3] {
			t.Fatalf("row %v: label %v, want %v", r, r[3], r[1])
		}
	}
	ohe := fit(t, NewOneHotEncoder().SetInputCols("idx").SetOutputCols("vec").SetDropLast(false), in)
	for _, r := range transformRows(t, ohe, in) {
		v := r[3].(linalg.Vector)
		if v.Size() != 3 {
			t.Fatalf("row %v: vector of size %d, want 3", r, v.Size())
		}
	}
}
