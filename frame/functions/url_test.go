package functions_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestURLFunctions checks the Go API of the URL functions against Spark's
// documented examples.
func TestURLFunctions(t *testing.T) {
	s := strOneRow(t)
	u := frame.Lit("http://spark.apache.org/path?query=1")
	rows, err := s.Table("one").Select(
		F.ParseURL(u, "HOST"), F.ParseURL(u, "QUERY"), F.ParseURLQuery(u, "query"),
		F.TryParseURL(frame.Lit("inva lid://spark.apache.org/path?query=1"), "QUERY"),
		F.URLEncode(frame.Lit("https://spark.apache.org")), F.URLDecode(frame.Lit("https%3A%2F%2Fspark.apache.org")),
		F.TryURLDecode(frame.Lit("https%3A%2F%2spark.apache.org")),
	).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"spark.apache.org", "query=1", "1", nil, "https%3A%2F%2Fspark.apache.org", "https://spark.apache.org", nil}
	if got := []any(rows[0]); !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}

// TestCSVFunctions checks the Go API of the CSV functions against Spark's
// documented examples.
func TestCSVFunctions(t *testing.T) {
	s := strOneRow(t)
	rows, err := s.Table("one").Select(
		F.ToCSV(F.FromCSV(frame.Lit("1, 0.8"), "a INT, b DOUBLE", nil), nil),
		F.ToCSV(F.FromCSV(frame.Lit("26/08/2015"), "time Timestamp", map[string]string{"timestampFormat": "dd/MM/yyyy"}), map[string]string{"timestampFormat": "dd/MM/yyyy"}),
		F.SchemaOfCSV("1,abc", nil),
	).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"1,0.8", "26/08/2015", "STRUCT<_c0: INT, _c1: STRING>"}
	if got := []any(rows[0]); !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}
