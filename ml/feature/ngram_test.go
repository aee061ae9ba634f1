package feature

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestNGram(t *testing.T) {
	s, mem := newSession(t)
	// pyspark docstring: [a..e] with n=2 → [a b, b c, c d, d e]; n=4 → [a b c d, b c d e].
	df := makeDF(t, s, mem, []string{"id", "inputTokens"}, []arrow.DataType{tInt, tTokens},
		[][]any{{int64(0), []string{"a", "b", "c", "d", "e"}}, {int64(1), []string{"x"}}, {int64(2), nil}}, 2)
	ng := NewNGram().SetInputCol("inputTokens").SetOutputCol("nGrams")
	rows := transformRows(t, ng, df)
	if !slices.Equal(strs(rows[0][2]), []string{"a b", "b c", "c d", "d e"}) || len(strs(rows[1][2])) != 0 || rows[1][2] == nil || rows[2][2] != nil {
		t.Fatalf("rows %v", rows)
	}
	ng.SetN(4)
	rows = transformRows(t, ng, df)
	if !slices.Equal(strs(rows[0][2]), []string{"a b c d", "b c d e"}) {
		t.Fatalf("n=4 %v", rows)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, ng), df))
}
