package functions

import (
	"strings"
	"testing"

	"github.com/gspark/gspark/values"
)

func TestParseDDLSchema(t *testing.T) {
	for in, want := range map[string]string{
		"a INT, b STRING":                          "struct<a:int,b:string>",
		"a: int, `b c` array<double> NOT NULL":     "struct<a:int,b c:array<double>>",
		"struct<a:int,b:map<string,decimal(5,2)>>": "struct<a:int,b:map<string,decimal(5,2)>>",
		"array<struct<x: bigint>>":                 "array<struct<x:bigint>>",
		"map<string, int>":                         "map<string,int>",
		"x DATE COMMENT 'day', y timestamp":        "struct<x:date,y:timestamp>",
		"INT":                                      "int",
	} {
		typ, err := ParseDDLSchema(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := values.TypeName(typ); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{"", "a INT,", "array<int", "a nosuchtype", "map<string>", "struct<a int"} {
		if _, err := ParseDDLSchema(bad); err == nil || !strings.Contains(err.Error(), "schema") && !strings.Contains(err.Error(), "type") {
			t.Errorf("%q: want an error, got %v", bad, err)
		}
	}
}
