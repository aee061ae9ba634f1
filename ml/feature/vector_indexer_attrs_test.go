package feature

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/values"
)

// TestVectorIndexerAttributes checks the slot attributes VectorIndexerModel
// writes, written by hand from Spark's VectorIndexerModel: a two-valued
// categorical feature is binary, others nominal (ord false) with values
// sorted and printed as Scala doubles, "__unknown" added under keep (which
// also makes two-valued features nominal); continuous slots are left out.
func TestVectorIndexerAttributes(t *testing.T) {
	rows := [][]any{
		{int64(0), linalg.Dense(0, 5, 1.5)},
		{int64(1), linalg.Dense(-1, 3, 2.5)},
		{int64(2), linalg.Dense(2, 7, 1.5)},
		{int64(3), linalg.Dense(0, 10, 2.5)},
	}
	names, types := []string{"id", "f"}, []arrow.DataType{tInt, tVec}
	for _, parts := range partitionCounts {
		s, mem := newSession(t)
		df := makeDF(t, s, mem, names, types, rows, parts)
		m, err := NewVectorIndexer().SetInputCol("f").SetOutputCol("o").SetMaxCategories(3).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		out := mustTransform(t, m, df)
		want := `{"attrs":{"binary":[{"idx":2,"vals":["1.5","2.5"]}],"nominal":[{"idx":0,"ord":false,"vals":["-1.0","0.0","2.0"]}]},"num_attrs":3}`
		if got := fieldAttr(t, out, "o"); got != want {
			t.Fatalf("parts %d:\n got %s\nwant %s", parts, got, want)
		}
		out = mustTransform(t, m.SetHandleInvalid("keep"), df)
		want = `{"attrs":{"nominal":[{"idx":0,"ord":false,"vals":["-1.0","0.0","2.0","__unknown"]},{"idx":2,"ord":false,"vals":["1.5","2.5","__unknown"]}]},"num_attrs":3}`
		if got := fieldAttr(t, out, "o"); got != want {
			t.Fatalf("parts %d keep:\n got %s\nwant %s", parts, got, want)
		}
		if n := len(collect(t, out)); n != 4 {
			t.Fatalf("%d rows", n)
		}
	}
	for v, want := range map[float64]string{1: "1.0", 0.5: "0.5", -2: "-2.0", 1e-5: "1.0E-5", 1.5e7: "1.5E7", 123456.25: "123456.25"} {
		if got := values.FormatDouble(v); got != want {
			t.Errorf("values.FormatDouble(%v) = %s, want %s", v, got, want)
		}
	}
}
