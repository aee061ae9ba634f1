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

// TestXPathFunctions checks the Go API of the XPath functions against
// Spark's documented examples.
func TestXPathFunctions(t *testing.T) {
	s := strOneRow(t)
	sum := frame.Lit("<a><b>1</b><b>2</b></a>")
	rows, err := s.Table("one").Select(
		F.XPath(frame.Lit("<a><b>b1</b><b>b2</b><b>b3</b><c>c1</c><c>c2</c></a>"), "a/b/text()"),
		F.XPathBoolean(frame.Lit("<a><b>1</b></a>"), "a/b"),
		F.XPathString(frame.Lit("<a><b>b</b><c>cc</c></a>"), "a/c"),
		F.XPathShort(sum, "sum(a/b)"), F.XPathInt(sum, "sum(a/b)"), F.XPathLong(sum, "sum(a/b)"),
		F.XPathFloat(sum, "sum(a/b)"), F.XPathDouble(sum, "sum(a/b)"),
	).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{[]any{"b1", "b2", "b3"}, true, "cc", int16(3), int32(3), int64(3), float32(3), float64(3)}
	if got := []any(rows[0]); !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}

// TestVariantFunctions checks the Go API of the VARIANT functions against
// Spark's documented examples.
func TestVariantFunctions(t *testing.T) {
	s := strOneRow(t)
	v := F.ParseJSON(frame.Lit(`[1, "hello"]`))
	rows, err := s.Table("one").Select(
		F.ToJSON(F.ParseJSON(frame.Lit(`{"a":1,"b":0.8}`)), nil),
		F.TryParseJSON(frame.Lit(`{"a":1,`)),
		F.IsVariantNull(F.ParseJSON(frame.Lit("null"))),
		F.VariantGet(v, "$[0]", "int"),
		F.TryVariantGet(v, "$[1]", "int"),
		F.SchemaOfVariant(F.ParseJSON(frame.Lit(`[{"b":true,"a":0}]`))),
		F.ToJSON(F.ToVariantObject(F.FromJSON(frame.Lit(`{"b":2,"a":1}`), "b INT, a INT", nil)), nil),
	).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{`{"a":1,"b":0.8}`, nil, true, int32(1), nil, "ARRAY<OBJECT<a: BIGINT, b: BOOLEAN>>", `{"a":1,"b":2}`}
	if got := []any(rows[0]); !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}
