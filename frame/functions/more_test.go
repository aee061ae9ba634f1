package functions_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestMoreFunctions checks the Go API of rint, log1p, expm1, space, quote,
// the regexp functions, the session constants and the cast functions
// against Spark's documented examples.
func TestMoreFunctions(t *testing.T) {
	s := strOneRow(t)
	df := s.Table("one")
	cols := []frame.Column{
		F.Rint(frame.Lit(12.3456)),
		F.Log1p(frame.Lit(0.0)),
		F.Expm1(frame.Lit(0.0)),
		F.Space(frame.Lit(2)),
		F.Quote(frame.Lit("Don't")),
		F.RegexpCount(frame.Lit("abcdefghijklmnopqrstuvwxyz"), "[a-z]{3}"),
		F.RegexpSubstr(frame.Lit("Steven Jones and Stephen Smith"), "Ste(v|ph)en"),
		F.RegexpInstr(frame.Lit("user@spark.apache.org"), "@[^.]*"),
		F.CurrentDatabase(),
		F.CurrentCatalog(),
		F.Int(frame.Lit("42")),
		F.AssertTrue(frame.Lit(true)),
	}
	rows, err := df.Select(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{12.0, 0.0, 0.0, "  ", `'Don\'t'`, int32(8), "Steven", int32(5), "default", "spark_catalog", int32(42), nil}
	if got := rows[0]; !reflect.DeepEqual([]any(got), want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}
