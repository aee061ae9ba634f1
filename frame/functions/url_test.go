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
