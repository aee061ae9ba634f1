package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// Arrays, structs and maps, built in SQL or read from a nested Parquet file
// (parquet-testing's nested_maps.snappy.parquet), print as Spark's show()
// prints them — [1, null], {1, null}, {k -> [2]} — in every output format.
func TestSQLNestedOutput(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	file := filepath.Join("..", "..", "testdata", "io", "parquet", "nested_maps.snappy.parquet")
	script := "SELECT array(1, NULL) AS a, named_struct('x', 1, 'y', NULL) AS s, map('k', array(2)) AS m; " +
		"SELECT a FROM parquet.`" + file + "` LIMIT 2"
	for _, c := range []struct{ format, want string }{
		{"table", "| [1, null] | {1, null} | {k -> [2]} |\n" +
			"+-----------+-----------+------------+\n\n" +
			"+--------------------------------+\n" +
			"| a                              |\n" +
			"+--------------------------------+\n" +
			"| {a -> {1 -> true, 2 -> false}} |\n" +
			"| {b -> {1 -> true}}             |\n"},
		{"csv", "a,s,m\r\n\"[1, null]\",\"{1, null}\",{k -> [2]}\r\na\r\n\"{a -> {1 -> true, 2 -> false}}\"\r\n{b -> {1 -> true}}\r\n"},
		{"json", `{"a": "[1, null]", "s": "{1, null}", "m": "{k -\u003e [2]}"}` + "\n]\n[\n" +
			`  {"a": "{a -\u003e {1 -\u003e true, 2 -\u003e false}}"},` + "\n" +
			`  {"a": "{b -\u003e {1 -\u003e true}}"}`},
	} {
		f, err := formatter(c.format)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := runSQL(context.Background(), s, script, f, &out, io.Discard); err != nil {
			t.Fatalf("%s: %v", c.format, err)
		}
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("%s: got\n%s\nwant it to contain\n%s", c.format, out.String(), c.want)
		}
	}
}
