package functions_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestSketchFunctions checks the Go API of the bitmap and HLL functions
// against Spark's documented examples (hex digits of bitmaps, estimates).
func TestSketchFunctions(t *testing.T) {
	s := frame.NewSession()
	df := s.SQL("SELECT * FROM VALUES (1L, 4, 'a'), (1L, 4, 'a'), (2L, 5, 'b'), (2L, 5, ''), (3L, 6, NULL) AS t(x, y, s)")
	x, y := frame.Col("x"), frame.Col("y")
	bm := F.BitmapConstructAgg(F.BitmapBitPosition(x))
	rows, err := df.Agg(
		F.Substring(F.Hex(bm), 1, 6),
		F.BitmapCount(bm),
		F.HllSketchEstimate(F.HllSketchAgg(x, 12)),
		F.HllSketchEstimate(F.HllUnion(F.HllSketchAgg(x, 12), F.HllSketchAgg(y, 12), false)),
		F.HllSketchEstimate(F.HllSketchAgg(frame.Col("s"), 12)),
		F.Max(F.BitmapBucketNumber(x)),
	).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Positions 0, 1, 2 set the low three bits of the first byte: 07.
	want := []any{"070000", int64(3), int64(3), int64(6), int64(2), int64(1)}
	if got := rows[0]; !reflect.DeepEqual([]any(got), want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	or := s.SQL("SELECT * FROM VALUES (X'F0'), (X'70'), (X'30') AS t(b)")
	rows, err = or.Agg(F.Substring(F.Hex(F.BitmapOrAgg(frame.Col("b"))), 1, 4), F.Substring(F.Hex(F.BitmapAndAgg(frame.Col("b"))), 1, 4)).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := []any(rows[0]), []any{"F000", "3000"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	rows, err = s.SQL("SELECT 'Spark SQL' AS c").Select(F.Collation(frame.Col("c")), F.Collate(frame.Col("c"), "UTF8_BINARY")).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := []any(rows[0]), []any{"UTF8_BINARY", "Spark SQL"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	v := s.SQL("SELECT parse_json(j) AS v FROM VALUES ('{\"a\": 1}'), ('{\"b\": true}'), ('{\"c\": 1.23}') AS tab(j)")
	rows, err = v.Agg(F.SchemaOfVariantAgg(frame.Col("v"))).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[0][0], "OBJECT<a: BIGINT, b: BOOLEAN, c: DECIMAL(3,2)>"; got != want {
		t.Fatalf("schema_of_variant_agg: got %v, want %v", got, want)
	}
	if err := df.Agg(F.HllSketchAgg(x, 30)).Err(); err == nil {
		t.Fatal("hll_sketch_agg with lgConfigK 30: no error")
	}
}
