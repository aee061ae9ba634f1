package functions_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestJSONFunctions checks the Go API of the JSON functions against
// Spark's documented examples.
func TestJSONFunctions(t *testing.T) {
	s := strOneRow(t)
	df := s.Table("one")
	cols := []frame.Column{
		F.GetJSONObject(frame.Lit(`{"a":"b"}`), "$.a"),
		F.ToJSON(F.FromJSON(frame.Lit(`{"a":1, "b":0.8}`), "a INT, b DOUBLE", nil), nil),
		F.ToJSON(F.FromJSON(frame.Lit(`{"time":"26/08/2015"}`), "time Timestamp", map[string]string{"timestampFormat": "dd/MM/yyyy"}), map[string]string{"timestampFormat": "dd/MM/yyyy"}),
		F.SchemaOfJSON(`[{"col":0}]`),
		F.JSONArrayLength(frame.Lit(`[1,2,3,{"f1":1,"f2":[5,6]},4]`)),
		F.JSONObjectKeys(frame.Lit(`{"f1":"abc","f2":{"f3":"a", "f4":"b"}}`)),
		F.JSONTuple(frame.Lit(`{"a":1, "b":2}`), "a", "b"),
	}
	rows, err := df.Select(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"b", `{"a":1,"b":0.8}`, `{"time":"26/08/2015"}`, "ARRAY<STRUCT<col: BIGINT>>", int32(5), "[f1 f2]", "1", "2"}
	got := []any(rows[0])
	got[5] = fmt.Sprint(got[5])
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}
