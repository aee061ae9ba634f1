package expr

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestColumnRefs checks the columns found in the expression kinds
// ColumnRefs knows and that it gives up on others.
func TestColumnRefs(t *testing.T) {
	a := Column(0, "a", arrow.PrimitiveTypes.Int64)
	s := Column(3, "s", arrow.BinaryTypes.String)
	lit, err := Literal(int64(4), arrow.PrimitiveTypes.Int64)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := Binary(Lt, a, lit)
	if err != nil {
		t.Fatal(err)
	}
	like, err := Like(s, "x%")
	if err != nil {
		t.Fatal(err)
	}
	both, err := Binary(And, cmp, IsNull(like))
	if err != nil {
		t.Fatal(err)
	}
	cols, ok := ColumnRefs(both)
	if !ok || !slices.Equal(cols, []int{0, 3}) {
		t.Fatalf("got %v %v, want [0 3] true", cols, ok)
	}
	if _, ok := ColumnRefs(Upper(s)); ok {
		t.Fatal("an unknown expression kind was looked into")
	}
}
