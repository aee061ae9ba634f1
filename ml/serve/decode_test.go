package serve

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml"
)

// typesSig has one input of each type the decoder converts.
var typesSig = &ml.Signature{Inputs: []ml.ColumnSpec{
	{Name: "d", Type: "double"}, {Name: "n", Type: "bigint"}, {Name: "s", Type: "string"},
	{Name: "b", Type: "boolean"}, {Name: "v", Type: "vector"}, {Name: "tags", Type: "array<string>"},
}}

func TestDecodeTypes(t *testing.T) {
	want := []map[string]any{
		{"d": 1.5, "n": 3, "s": "x", "b": true, "v": []float64{1, -2.5}, "tags": []any{"a", "b"}},
		{"d": nil, "n": -7, "s": nil, "b": false, "v": nil, "tags": []any{}},
	}
	jsonBody := `{"dataframe_records": [{"d": 1.5, "n": 3, "s": "x", "b": true, "v": [1, -2.5], "tags": ["a", "b"]},
		{"d": null, "n": -7.0, "s": null, "b": false, "v": null, "tags": []}]}`
	csvBody := "tags,v,b,s,n,d,ignored\n\"[\"\"a\"\",\"\"b\"\"]\",\"[1,-2.5]\",TRUE,x,3,1.5,zzz\n[],,false,,-7,,\n"
	for name, dec := range map[string]func() (*Request, error){
		"json": func() (*Request, error) { return Decode("application/json", []byte(jsonBody), typesSig) },
		"csv":  func() (*Request, error) { return Decode("text/csv", []byte(csvBody), typesSig) },
	} {
		req, err := dec()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(req.Records, want) {
			t.Errorf("%s: got %#v\nwant %#v", name, req.Records, want)
		}
	}
}

func TestDecodeSingleInput(t *testing.T) {
	sig := &ml.Signature{Inputs: []ml.ColumnSpec{{Name: "features", Type: "vector"}}}
	req, err := DecodeJSON([]byte(`{"inputs": [[1, 2], [3, 4]]}`), sig)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"features": []float64{1, 2}}, {"features": []float64{3, 4}}}
	if !reflect.DeepEqual(req.Records, want) {
		t.Errorf("vector rows: %#v", req.Records)
	}
	sig = &ml.Signature{Inputs: []ml.ColumnSpec{{Name: "x", Type: "double"}}}
	req, err = DecodeJSON([]byte(`{"instances": [1, 2.5], "params": {"outputs": "prediction, probability"}}`), sig)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(req.Records, []map[string]any{{"x": 1.0}, {"x": 2.5}}) || !reflect.DeepEqual(req.Outputs, []string{"prediction", "probability"}) {
		t.Errorf("scalar rows: %#v %#v", req.Records, req.Outputs)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"dataframe_records": [{"d": 1, "n": 1.5, "s": "", "b": true, "v": [], "tags": []}]}`, `record 0, field "n": expected bigint, got 1.5`},
		{`{"dataframe_records": [{"d": 1, "n": 1, "s": "", "b": "yes", "v": [], "tags": []}]}`, `record 0, field "b": expected boolean, got a string`},
		{`{"dataframe_records": [{"d": 1, "n": 1, "s": "", "b": true, "v": [], "tags": [1]}]}`, `record 0, field "tags": element 0: expected string, got a number`},
		{`{"dataframe_records": [{"d": 1e999, "n": 1, "s": "", "b": true, "v": [], "tags": []}]}`, `record 0, field "d": number 1e999 is out of range for double`},
		{`{"dataframe_records": [1]}`, `record 0, a record of dataframe_records must be an object, got a number`},
		{`{"dataframe_records": {}}`, `dataframe_records must be a list of records, got an object`},
		{`{"dataframe_split": {"columns": ["d"], "data": [[1, 2]]}}`, `record 0, has 2 values for 1 columns`},
		{`{"dataframe_split": {"columns": ["d"]}}`, `dataframe_split has no data`},
		{`{"inputs": [[1, 2]]}`, `record 0, has 2 values; the model's inputs are 6`},
		{`{"inputs": {"d": [1, 2], "n": [1]}}`, `field "n": has 1 values, column "d" has 2`},
		{`{"inputs": {"d": 1}}`, `field "d": a column of inputs must be a list of values`},
		{`{"inputs": 3}`, `inputs must be a list of records or an object of columns, got a number`},
		{`{"inputs": [], "params": {"outputs": [1]}}`, `params.outputs[0] must be a column name`},
		{`{"inputs": [], "params": []}`, `params must be an object`},
		{`{"inputs": []} {}`, `not valid JSON`},
		{`{"records": []}`, `exactly one of the fields dataframe_split, dataframe_records, instances, inputs; it has ["records"]`},
	} {
		_, err := DecodeJSON([]byte(tc.body), typesSig)
		var re *RequestError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want a RequestError with %q", tc.body, err, tc.want)
		}
	}
	for _, tc := range []struct{ body, want string }{
		{"", "the CSV body is empty"},
		{"d,n,s,b,v,tags\n1,2,x,maybe,[],[]\n", `record 0 (line 2), field "b": expected boolean (true or false), got "maybe"`},
		{"d,n,s,b,v,tags\n1,2,x\"y,true,[],[]\n", `line 2, malformed CSV at column 6: bare "`},
		{"d,n,s,b,v,tags\n1,2,x,true,\"[1,\",[]\n", `record 0 (line 2), field "v": expected vector written as a JSON list`},
		{"d,n,s,b,v,tags\n1,2\n", `line 2, malformed CSV at column 1: wrong number of fields`},
	} {
		_, err := DecodeCSV([]byte(tc.body), typesSig)
		var re *RequestError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want a RequestError with %q", tc.body, err, tc.want)
		}
	}
}
