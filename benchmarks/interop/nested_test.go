package interop

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/values"
)

// nestedGspark and nestedDuck make the same rows in Spark SQL and in
// DuckDB's SQL: lists, maps and structs nested up to three deep, with null
// and empty collections, null elements, null fields and null map values.
const nestedGspark = `SELECT id,
	CASE WHEN id % 5 = 1 THEN NULL WHEN id % 5 = 2 THEN CAST(array() AS ARRAY<BIGINT>) ELSE array(id, NULL, id * 2) END AS l,
	CASE WHEN id % 7 = 1 THEN NULL ELSE named_struct('a', CASE WHEN id % 3 = 0 THEN NULL ELSE id END, 'b', CAST(id AS STRING)) END AS s,
	CASE WHEN id % 4 = 1 THEN NULL ELSE map('k', CASE WHEN id % 2 = 0 THEN NULL ELSE id END) END AS m,
	array(array(id), CAST(NULL AS ARRAY<BIGINT>)) AS ll,
	CASE WHEN id % 6 = 0 THEN NULL ELSE array(named_struct('x', id, 'y', map('q', array(id, NULL))), NULL) END AS ls
	FROM range(40)`

const nestedDuck = `SELECT id,
	CASE WHEN id % 5 = 1 THEN NULL WHEN id % 5 = 2 THEN []::BIGINT[] ELSE [id, NULL, id * 2] END AS l,
	CASE WHEN id % 7 = 1 THEN NULL ELSE {'a': CASE WHEN id % 3 = 0 THEN NULL ELSE id END, 'b': CAST(id AS VARCHAR)} END AS s,
	CASE WHEN id % 4 = 1 THEN NULL ELSE MAP {'k': CASE WHEN id % 2 = 0 THEN NULL ELSE id END} END AS m,
	[[id], NULL::BIGINT[]] AS ll,
	CASE WHEN id % 6 = 0 THEN NULL ELSE [{'x': id, 'y': MAP {'q': [id, NULL]}}, NULL] END AS ls
	FROM range(40) t(id)`

// TestDuckDBNestedRoundTrip: DuckDB reads gspark's nested Parquet output as
// the values DuckDB computes for the same rows, and gspark reads DuckDB's
// nested Parquet file as DuckDB reads it.
func TestDuckDBNestedRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := duckRows(t, db, nestedDuck+" ORDER BY id")
	if len(want) != 40 {
		t.Fatalf("DuckDB made %d rows", len(want))
	}

	s := frame.NewSession(frame.WithPartitions(3))
	dir := filepath.Join(t.TempDir(), "gspark")
	if err := s.SQL(nestedGspark).Write().Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	got := duckRows(t, db, fmt.Sprintf("SELECT * FROM read_parquet('%s') ORDER BY id", filepath.Join(dir, "*.parquet")))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DuckDB's reading of gspark's file differs:\n%s", diffRows(got, want))
	}

	file := filepath.Join(t.TempDir(), "duck.parquet")
	if _, err := db.Exec(fmt.Sprintf("COPY (%s) TO '%s' (FORMAT parquet, ROW_GROUP_SIZE 16)", nestedDuck, file)); err != nil {
		t.Fatal(err)
	}
	duckRead := duckRows(t, db, fmt.Sprintf("SELECT * FROM read_parquet('%s') ORDER BY id", file))
	rows, err := s.SQL("SELECT * FROM parquet.`" + file + "` ORDER BY id").Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var gs [][]string
	for _, r := range rows {
		var out []string
		for _, v := range r {
			out = append(out, norm(v))
		}
		gs = append(gs, out)
	}
	if !reflect.DeepEqual(gs, duckRead) {
		t.Errorf("gspark's reading of DuckDB's file differs:\n%s", diffRows(gs, duckRead))
	}
	// A field and an element selected from DuckDB's file.
	rows, err = s.SQL("SELECT id, s.a, ls[0].y['q'][0] FROM parquet.`" + file + "` WHERE id IN (4, 5) ORDER BY id").Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sel := duckRows(t, db, fmt.Sprintf("SELECT id, s.a, ls[1].y['q'][1] FROM read_parquet('%s') WHERE id IN (4, 5) ORDER BY id", file))
	if g := fmt.Sprint(rows); g != "[[4 4 4] [5 5 5]]" || fmt.Sprint(sel) != "[[4 4 4] [5 5 5]]" {
		t.Errorf("selected fields: gspark %s, DuckDB %v", g, sel)
	}
}

// duckRows runs q on DuckDB and returns each row's values normalized.
func duckRows(t *testing.T, db *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := make([]string, len(vals))
		for i, v := range vals {
			r[i] = norm(v)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// norm renders a value of either engine's row form the same way: lists in
// order, struct fields and map entries sorted (DuckDB's driver returns
// structs as Go maps), numbers as decimal text.
func norm(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = norm(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case values.Struct:
		parts := make([]string, len(x.Names))
		for i, n := range x.Names {
			parts[i] = n + ":" + norm(x.Values[i])
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case map[string]any:
		var parts []string
		for k, e := range x {
			parts = append(parts, k+":"+norm(e))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case values.Map:
		parts := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			parts[i] = norm(k) + "=>" + norm(x.Values[i])
		}
		sort.Strings(parts)
		return "map{" + strings.Join(parts, ",") + "}"
	case duckdb.OrderedMap:
		return norm(values.Map{Keys: x.Keys(), Values: x.Values()})
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

func diffRows(got, want [][]string) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		var g, w []string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if !reflect.DeepEqual(g, w) {
			fmt.Fprintf(&b, "row %d: got %v\n        want %v\n", i, g, w)
		}
	}
	return b.String()
}
