package functions_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values"
)

// TestXMLRecordFunctions checks the Go API of from_xml, to_xml and
// schema_of_xml against Spark's documented examples.
func TestXMLRecordFunctions(t *testing.T) {
	s := frame.NewSession()
	df := s.SQL("SELECT '<p><a>1</a><b>0.8</b></p>' AS x, named_struct('a', 1, 'b', 2) AS st")
	rows, err := df.Select(
		F.FromXML(frame.Col("x"), "a INT, b DOUBLE", nil),
		F.ToXML(frame.Col("st"), nil),
		F.SchemaOfXML("<p><a>1</a></p>", nil),
		F.SchemaOfXML(`<p><a attr="2">1</a><a>3</a></p>`, map[string]string{"excludeAttribute": "true"}),
	).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{values.Struct{Values: []any{int32(1), 0.8}}, "<ROW>\n    <a>1</a>\n    <b>2</b>\n</ROW>", "STRUCT<a: BIGINT>", "STRUCT<a: ARRAY<BIGINT>>"}
	got := []any(rows[0])
	if st, ok := got[0].(values.Struct); ok {
		got[0] = values.Struct{Values: st.Values}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}
