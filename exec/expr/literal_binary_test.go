package expr_test

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// TestBinaryLiteral evaluates an X'...' literal to a column of copies.
func TestBinaryLiteral(t *testing.T) {
	mem := exectest.Alloc(t)
	l, err := expr.Literal([]byte{0x53, 0x00, 0xff}, arrow.BinaryTypes.Binary)
	if err != nil {
		t.Fatal(err)
	}
	if l.String() != "X'5300FF'" {
		t.Errorf("String: got %s", l)
	}
	n := build(mem, arrow.PrimitiveTypes.Int32, []any{int64(1), int64(2), int64(3)})
	defer n.Release()
	out, err := evalCols(mem, l, 3, n)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	want := []any{[]byte{0x53, 0, 0xff}, []byte{0x53, 0, 0xff}, []byte{0x53, 0, 0xff}}
	if got := rowValues(out); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := expr.Literal("text", arrow.BinaryTypes.Binary); err == nil {
		t.Error("a string value for a binary literal: want an error")
	}
}
