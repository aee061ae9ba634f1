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

// TestDuckDBReadsPartitionedOutput writes a dataset with PartitionBy and
// checks that DuckDB's hive_partitioning reader sees the same rows, and that
// gspark reads back a dataset DuckDB partitioned (PARTITION_BY).
func TestDuckDBReadsPartitionedOutput(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(3))
	dir := filepath.Join(t.TempDir(), "sales")
	df := s.CreateDataFrameRows([][]any{
		{1, "eu", 2020, 1.5}, {2, "us", 2020, 2.5}, {3, "eu", 2021, 3.5}, {4, "us", 2021, 4.5}, {5, "eu", 2020, 5.5},
	}, "id INT, region STRING, year INT, amount DOUBLE")
	if err := df.Write().PartitionBy("year", "region").Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	query := func(q string, args ...any) string {
		t.Helper()
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id, year int64
			var region string
			var amount float64
			if err := rows.Scan(&id, &amount, &year, &region); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%d %g %d %s", id, amount, year, region))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, "; ")
	}
	got := query(`SELECT id, amount, year, region FROM read_parquet(?, hive_partitioning = true) ORDER BY id`, filepath.Join(dir, "**", "*.parquet"))
	want := "1 1.5 2020 eu; 2 2.5 2020 us; 3 3.5 2021 eu; 4 4.5 2021 us; 5 5.5 2020 eu"
	if got != want {
		t.Fatalf("DuckDB read\n%s\nwant\n%s", got, want)
	}

	// The other way: DuckDB writes hive partitions, gspark discovers them.
	ddir := filepath.Join(t.TempDir(), "duck")
	if _, err := db.Exec(fmt.Sprintf(`COPY (SELECT * FROM (VALUES (1, 1.5, 2020, 'eu'), (2, 2.5, 2021, 'us')) t(id, amount, year, region)) TO '%s' (FORMAT parquet, PARTITION_BY (year, region))`, ddir)); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Read().Parquet(ddir).Filter(frame.Col("year").Eq(frame.Lit(2021))).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g := fmt.Sprint(rows); g != "[[2 2.5 2021 us]]" {
		t.Fatalf("gspark read of DuckDB's partitions: %s", g)
	}
}
