package functions_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestBinaryFunctions checks the Go API of the binary functions against
// Spark's documented examples.
func TestBinaryFunctions(t *testing.T) {
	s := strOneRow(t)
	cols := []frame.Column{
		F.Decode(F.Unhex(frame.Lit("537061726B2053514C")), "UTF-8"),
		F.Hex(F.Unhex(frame.Lit("abc"))),
		F.OctetLength(frame.Lit("Spark SQL")),
		F.BitLength(frame.Lit("Spark SQL")),
		F.Hex(F.Encode(frame.Lit("abc"), "utf-8")),
	}
	rows, err := s.Table("one").Select(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"Spark SQL", "0ABC", int32(9), int32(72), "616263"}
	if got := rows[0]; !reflect.DeepEqual([]any(got), want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}
