package expr_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

func TestTryCastTurnsBadValuesIntoNulls(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	b := exectest.Batch(mem, schema, [][]any{{" 12 "}, {"abc"}, {nil}, {"99999999999"}, {"-3"}})
	defer b.Release()
	col := expr.Column(0, "s", arrow.BinaryTypes.String)
	tc, err := expr.TryCast(col, arrow.PrimitiveTypes.Int32)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tc.Eval(mem, b)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	want := []any{int32(12), nil, nil, nil, int32(-3)} // 'abc' is invalid, 99999999999 overflows int
	for i, w := range want {
		if got := values.Value(out, i); got != w {
			t.Fatalf("row %d: %v, want %v", i, got, w)
		}
	}
	// The same values through Cast fail, naming the value.
	c, _ := expr.Cast(col, arrow.PrimitiveTypes.Int32)
	if _, err := c.Eval(mem, b); err == nil {
		t.Fatal("cast of 'abc' to int must fail")
	}
	// A batch without bad values takes the plain path.
	good := exectest.Batch(mem, schema, [][]any{{"1"}, {"2"}})
	defer good.Release()
	g, err := tc.Eval(mem, good)
	if err != nil || g.Len() != 2 || values.Value(g, 1) != int32(2) {
		t.Fatalf("good batch: %v %v", g, err)
	}
	g.Release()
}
