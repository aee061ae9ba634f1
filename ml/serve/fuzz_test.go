package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bodies to the request decoder: it must never
// panic, must fail only with a *RequestError, and what it accepts must be
// records with every input of the signature, each of its Go type.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"dataframe_split": {"columns": ["d", "n", "s", "b", "v", "tags"], "data": [[1.5, 2, "x", true, [1, 2], ["a"]]]}}`,
		`{"dataframe_split": {"data": [[1.5, 2, "x", true, [1, 2], ["a"]]]}}`,
		`{"dataframe_records": [{"d": 1, "n": 2, "s": null, "b": false, "v": [], "tags": []}]}`,
		`{"instances": [{"D": 1, "N": 2, "S": "y", "B": true, "V": [3], "TAGS": ["t"]}], "params": {"outputs": ["prediction"]}}`,
		`{"inputs": {"d": [1, 2], "n": [3, 4], "s": ["a", "b"], "b": [true, false], "v": [[1], [2]], "tags": [[], ["x"]]}}`,
		`{"inputs": [[1, 2, "s", true, [0.5], ["u"]]], "params": {"outputs": "prediction,probability"}}`,
		`{"inputs": [], "instances": []}`,
		`[1, 2, 3]`, `null`, `{"dataframe_records": [{"n": 1e400}]}`, `{"inputs": {"d": [1], "n": []}}`,
	} {
		f.Add([]byte(s), false)
	}
	for _, s := range []string{
		"d,n,s,b,v,tags\n1.5,2,x,true,\"[1,2]\",\"[\"\"a\"\"]\"\n",
		"D,N,S,B,V,TAGS,extra\n,,,,,,\n",
		"d,n\n1,2\n", "\"unterminated\n", "",
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, csv bool) {
		ct := "application/json"
		if csv {
			ct = "text/csv"
		}
		req, err := Decode(ct, body, typesSig)
		if err != nil {
			var re *RequestError
			if !errors.As(err, &re) {
				t.Fatalf("error %T %v is not a RequestError", err, err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for i, rec := range req.Records {
			if len(rec) != len(typesSig.Inputs) {
				t.Fatalf("record %d has %d fields: %v", i, len(rec), rec)
			}
			for _, c := range typesSig.Inputs {
				v, ok := rec[c.Name]
				if !ok {
					t.Fatalf("record %d lacks %s", i, c.Name)
				}
				if v == nil {
					continue
				}
				if got, want := fmt.Sprintf("%T", v), goType(c.Type); got != want {
					t.Fatalf("record %d, %s: %T, want %s", i, c.Name, v, want)
				}
			}
			// What was decoded can be encoded again.
			if _, err := json.Marshal(rec); err != nil && !strings.Contains(err.Error(), "unsupported value") {
				t.Fatalf("record %d: %v", i, err)
			}
		}
	})
}

func goType(typ string) string {
	switch typ {
	case "double":
		return "float64"
	case "bigint":
		return "int"
	case "string":
		return "string"
	case "boolean":
		return "bool"
	case "vector":
		return "[]float64"
	}
	return "[]interface {}"
}
