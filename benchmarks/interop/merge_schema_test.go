package interop

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// TestMergeSchemaMatchesDuckDBUnionByName: Parquet files of differing
// schemas, written by DuckDB, read by gspark with mergeSchema and by
// DuckDB with union_by_name give the same rows (int widened to bigint,
// float to double, missing columns null).
func TestMergeSchemaMatchesDuckDBUnionByName(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		fmt.Sprintf(`COPY (SELECT CAST(i AS INTEGER) AS id, CAST(i / 2 AS FLOAT) AS x FROM range(3) t(i)) TO '%s' (FORMAT parquet)`, filepath.Join(dir, "a.parquet")),
		fmt.Sprintf(`COPY (SELECT CAST(i AS BIGINT) * 1000000000 AS id, 'n' || i AS name, CAST(i AS DOUBLE) / 4 AS x FROM range(3, 5) t(i)) TO '%s' (FORMAT parquet)`, filepath.Join(dir, "b.parquet")),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.Query(`SELECT id, x, name FROM read_parquet(?, union_by_name = true) ORDER BY id`, filepath.Join(dir, "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var want []string
	for rows.Next() {
		var id int64
		var x float64
		var name sql.NullString
		if err := rows.Scan(&id, &x, &name); err != nil {
			t.Fatal(err)
		}
		n := "<nil>"
		if name.Valid {
			n = name.String
		}
		want = append(want, fmt.Sprintf("%d %g %s", id, x, n))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	s := frame.NewSession()
	got, err := s.Read().Option("mergeSchema", "true").Parquet(dir).Select(frame.Col("id"), frame.Col("x"), frame.Col("name")).OrderBy(frame.Col("id")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var g []string
	for _, r := range got {
		g = append(g, fmt.Sprintf("%d %g %v", r[0], r[1], r[2]))
	}
	if strings.Join(g, "; ") != strings.Join(want, "; ") || len(want) != 5 {
		t.Fatalf("gspark  %s\nDuckDB  %s", strings.Join(g, "; "), strings.Join(want, "; "))
	}
}
