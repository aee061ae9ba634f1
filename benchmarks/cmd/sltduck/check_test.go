package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runText checks one .slt text against DuckDB and returns the number of
// unexplained differences and the report.
func runText(t *testing.T, text string) (int, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.slt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	n, err := run(context.Background(), dir, filepath.Join("..", "..", "..", "samples", "data"), &out, true)
	if err != nil {
		t.Fatal(err)
	}
	return n, out.String()
}

// TestRunWaivers runs small files through DuckDB: a difference passes only
// inside the columns or rows a note names, and a note naming a column that
// does not differ fails too.
func TestRunWaivers(t *testing.T) {
	for _, c := range []struct {
		name, text string
		fail       bool
		report     string
	}{
		{"agree", "query II\nSELECT 1, 2\n----\n1\t2\n", false, ""},
		{"difference without a note", "query II\nSELECT 1, 2\n----\n1\t3\n", true, "answers differ"},
		{"note without a scope waives nothing", "# spark: Spark answers 3\nquery II\nSELECT 1, 2\n----\n1\t3\n", true, "answers differ"},
		{"difference inside the waived column", "# spark: col 2: Spark answers 3\nquery II\nSELECT 1, 2\n----\n1\t3\n", false, "SPARK-SEMANTICS x.slt:2"},
		{"difference outside the waived column", "# spark: col 1: Spark answers 3\nquery II\nSELECT 1, 2\n----\n1\t3\n", true,
			"row 1, column 2 differs and is not waived: 3 vs DuckDB 2; column 1 is waived but does not differ"},
		{"waived column, other column differs too", "# spark: col 2: Spark answers 3\nquery II\nSELECT 1, 2\n----\n0\t3\n", true,
			"row 1, column 1 differs and is not waived"},
		{"waived column agrees", "# spark: col 2: Spark answers 2\nquery II\nSELECT 1, 2\n----\n1\t2\n", true, "the note waives differences but DuckDB agrees"},
		{"difference inside the waived row", "# spark: row 2: Spark has no such row\nquery I rowsort\nSELECT 1 UNION ALL SELECT 2\n----\n1\n", false, ""},
		{"difference outside the waived row", "# spark: row 1: Spark has no such row\nquery I rowsort\nSELECT 1 UNION ALL SELECT 2\n----\n1\n", true, "rows outside the waived ones differ"},
		{"error waived", "# spark: error: Spark fails\nquery error overflow\nSELECT 1\n", false, ""},
		{"error expected without a note", "query error overflow\nSELECT 1\n", true, "expected an error; DuckDB answered"},
		{"error note while DuckDB fails too", "# spark: error: Spark fails\nquery error nope\nSELECT nope\n", true, "the 'error' note waives nothing"},
		{"DuckDB failure is not waived by a column", "# spark: col 1: no\nquery I\nSELECT nope\n----\n1\n", true, "DuckDB failed"},
		{"unchecked with a citation", "# spark: unchecked: DuckDB lacks it; see https://spark.apache.org/docs/\nquery I\nSELECT no_such_function()\n----\n1\n", false, "UNCHECKED x.slt:2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, report := runText(t, c.text)
			if got := n > 0; got != c.fail {
				t.Errorf("failed = %v, want %v\n%s", got, c.fail, report)
			}
			if !strings.Contains(report, c.report) {
				t.Errorf("report lacks %q:\n%s", c.report, report)
			}
		})
	}
}

// TestRunRejectsLiteralReplacement checks that a "# duckdb:" replacement that
// restates the answer as literals fails, naming the comment's line, while one
// that computes passes.
func TestRunRejectsLiteralReplacement(t *testing.T) {
	n, report := runText(t, "query I\nSELECT 1 + 1\n----\n2\n\n# comment\n# duckdb: SELECT 1 UNION ALL SELECT 2\nquery I rowsort\nSELECT explode(array(1, 2))\n----\n1\n2\n")
	if n != 1 || !strings.Contains(report, "REJECTED x.slt:7: the '# duckdb:' SQL only restates literals") {
		t.Errorf("got %d failures:\n%s", n, report)
	}
	n, report = runText(t, "# duckdb: SELECT unnest(list_value(1, 2))\nquery I rowsort\nSELECT explode(array(1, 2))\n----\n1\n2\n")
	if n != 0 {
		t.Errorf("a computing replacement failed:\n%s", report)
	}
	// A literal query may have a literal replacement: it restates the query.
	n, report = runText(t, "# duckdb: SELECT * FROM (VALUES (1), (2)) t(a)\nquery I rowsort\nSELECT * FROM VALUES (1), (2) t(a)\n----\n1\n2\n")
	if n != 0 {
		t.Errorf("a literal query's literal replacement failed:\n%s", report)
	}
}

func TestLiteralOnly(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1, 'a' UNION ALL SELECT 2, 'b'":                true,
		"SELECT [1, 2, NULL], MAP {'a': 1}, {'x': -1.5}":       true,
		"SELECT CAST(1 AS DECIMAL(38, 6)), 1.5::DOUBLE":        true,
		"SELECT DATE '2024-01-01', INTERVAL 1 DAY, NULL, true": true,
		"SELECT * FROM (VALUES (1, 2), (3, 4)) AS t(a, b)":     true,
		"SELECT a FROM (VALUES (1), (2)) t(a) ORDER BY a":      true,
		"VALUES (1), (-2)": true,
		"SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2)":           true,
		"SELECT 1 WHERE false":                                       true,
		`SELECT "abc" -- a comment with a + sign`:                    true,
		"SELECT count(*) FROM samples.lineitem":                      false,
		"SELECT x FROM t":                                            false,
		`SELECT x FROM "t"`:                                          false,
		"SELECT list_value(1, 2)":                                    false,
		"SELECT 1 + 2":                                               false,
		"SELECT 2 - 1":                                               false,
		"SELECT 'a' || 'b'":                                          false,
		"SELECT [1, 2][1]":                                           false,
		"SELECT CASE WHEN true THEN 1 END":                           false,
		"SELECT NULL IS NOT DISTINCT FROM NULL":                      false,
		"SELECT 1 = 1":                                               false,
		"SELECT a FROM (VALUES (1), (2)) t(a) WHERE a > 1":           false,
		"SELECT * FROM (VALUES (1)) v JOIN samples.orders o ON true": false,
	} {
		if got := literalOnly(q); got != want {
			t.Errorf("literalOnly(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestWaiverNotes(t *testing.T) {
	var w waiver
	for _, n := range []string{"col 2: a", "cols 4-5, 7: b", "rows 1, 3-4: c", "no scope: text", "error: d"} {
		if _, err := w.addNote(n); err != nil {
			t.Fatalf("%q: %v", n, err)
		}
	}
	if !slices.Equal(w.cols, []int{2, 4, 5, 7}) || !slices.Equal(w.rows, []int{1, 3, 4}) || !w.err || w.unchecked {
		t.Errorf("got %+v", w)
	}
	for _, bad := range []string{"col: a", "cols 0: a", "col 3-2: a", "col 2:", "error 2: a"} {
		var w waiver
		if _, err := w.addNote(bad); err == nil {
			t.Errorf("%q: expected an error", bad)
		}
	}
	for _, bad := range []string{
		"# spark: error: x\nquery I\nSELECT 1\n----\n1\n",
		"# spark: col 1: x\nquery error overflow\nSELECT 1\n",
		"# spark: unchecked: no link\nquery I\nSELECT 1\n----\n1\n",
		"# spark: unchecked: https://spark.apache.org/\n# duckdb: SELECT 1\nquery I\nSELECT 1\n----\n1\n",
	} {
		if _, err := parse("x.slt", strings.Split(bad, "\n")); err == nil {
			t.Errorf("parse(%q): expected an error", bad)
		}
	}
}
