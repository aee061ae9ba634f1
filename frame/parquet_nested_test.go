package frame_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// Arrays, maps and structs with nulls at every level are written to Parquet
// and read back the same through SQL and the Go API; fields, elements and
// map values are selected from the file; JSON output renders them. The
// expected rows are written by hand from the query's values.
func TestParquetNestedRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := frame.NewSession(frame.WithPartitions(2))
	src := s.SQL(`SELECT id,
		CASE id WHEN 1 THEN NULL WHEN 2 THEN CAST(array() AS ARRAY<BIGINT>) ELSE array(id, NULL) END AS l,
		CASE id WHEN 1 THEN NULL WHEN 2 THEN CAST(named_struct('a', NULL, 'b', NULL) AS STRUCT<a: BIGINT, b: ARRAY<STRUCT<c: STRING> > >)
			ELSE named_struct('a', id * 10, 'b', array(named_struct('c', CAST(id AS STRING)))) END AS s,
		CASE id WHEN 1 THEN NULL WHEN 2 THEN CAST(map('k', NULL) AS MAP<STRING, ARRAY<BIGINT>>)
			ELSE map('k', array(id), 'j', CAST(array() AS ARRAY<BIGINT>)) END AS m
		FROM range(4)`)
	if err := src.Err(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "nested")
	if err := src.Write().Parquet(ctx, path); err != nil {
		t.Fatal(err)
	}
	render := func(rows []frame.Row) string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = fmt.Sprint(r)
		}
		sort.Strings(out)
		return strings.Join(out, "\n")
	}
	tbl := "parquet.`" + path + "`"
	for q, want := range map[string]string{
		"SELECT * FROM " + tbl: "[0 [0 <nil>] {0, [{0}]} {k -> [0], j -> []}]\n" +
			"[1 <nil> <nil> <nil>]\n" +
			"[2 [] {null, null} {k -> null}]\n" +
			"[3 [3 <nil>] {30, [{3}]} {k -> [3], j -> []}]",
		"SELECT id, s.a, s.b[0].c, get(l, 1), m['k'][0], size(m['j']) FROM " + tbl: "[0 0 0 <nil> 0 0]\n" +
			"[1 <nil> <nil> <nil> <nil> <nil>]\n" +
			"[2 <nil> <nil> <nil> <nil> <nil>]\n" +
			"[3 30 3 <nil> 3 0]",
		"SELECT id, x FROM " + tbl + " LATERAL VIEW explode(l) t AS x WHERE x IS NOT NULL": "[0 0]\n[3 3]",
	} {
		got, err := s.SQL(q).Collect(ctx)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if r := render(got); r != want {
			t.Errorf("%s:\n%s\nwant\n%s", q, r, want)
		}
	}
	df := s.Read().Format("parquet").Load(path)
	got, err := df.Where(F.Col("s.a").Gt(F.Lit(5))).Select(F.Col("id"), F.Col("s.a")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r := render(got); r != "[3 30]" {
		t.Errorf("Col(s.a): %s", r)
	}
	jdir := filepath.Join(dir, "json")
	if err := df.Where(F.Col("id").Eq(F.Lit(3))).Write().JSON(ctx, jdir); err != nil {
		t.Fatal(err)
	}
	var lines []string
	ents, err := os.ReadDir(jdir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "part-") {
			b, err := os.ReadFile(filepath.Join(jdir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, strings.Fields(string(b))...)
		}
	}
	want := `{"id":3,"l":[3,null],"s":{"a":30,"b":[{"c":"3"}]},"m":{"k":[3],"j":[]}}`
	if len(lines) != 1 || lines[0] != want {
		t.Errorf("JSON: %q, want %s", lines, want)
	}
}

// Legacy list layouts other writers produce read through SQL (values from
// parquet-testing's documentation of each file).
func TestParquetLegacyListsInSQL(t *testing.T) {
	s := frame.NewSession()
	dir := filepath.Join("..", "testdata", "io", "parquet")
	got := collect(t, s.SQL("SELECT a, a[1][0] FROM parquet.`"+filepath.Join(dir, "old_list_structure.parquet")+"`"))
	if fmt.Sprint(got) != "[[[[1 2] [3 4]] 3]]" {
		t.Errorf("old_list_structure: %v", got)
	}
}
