package frame

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// writeParquetSQL writes the rows of query as Parquet to dir.
func writeParquetSQL(t *testing.T, s *Session, query, dir string) {
	t.Helper()
	if err := s.SQL(query).Coalesce(1).Write().Parquet(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
}

// TestParquetMergeSchema reads files of differing schemas: the union by
// name, int widened to bigint and float to double, missing columns null.
func TestParquetMergeSchema(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	dir := t.TempDir()
	writeParquetSQL(t, s, "SELECT CAST(1 AS INT) AS id, CAST(1.5 AS FLOAT) AS x", filepath.Join(dir, "k=1"))
	writeParquetSQL(t, s, "SELECT CAST(5000000000 AS BIGINT) AS id, 'b' AS name, CAST(2.25 AS DOUBLE) AS x", filepath.Join(dir, "k=2"))
	// Expected by hand: columns in first-seen order, then the partition column.
	want := "id:int64 x:float64 name:utf8 k:int32 | [1 1.5 <nil> 1] [5000000000 2.25 b 2]"
	for _, read := range []func() *DataFrame{
		func() *DataFrame { return s.Read().Option("mergeSchema", "true").Parquet(dir) },
		func() *DataFrame {
			if err := s.SetConf("spark.sql.parquet.mergeSchema", "true"); err != nil {
				t.Fatal(err)
			}
			defer s.SetConf("spark.sql.parquet.mergeSchema", "false")
			return s.Read().Parquet(dir)
		},
	} {
		df := read().OrderBy(Col("k"))
		rows, err := df.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, f := range df.Schema().Fields() {
			if i > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "%s:%s", f.Name, f.Type)
		}
		b.WriteString(" |")
		for _, r := range rows {
			fmt.Fprintf(&b, " %v", r)
		}
		if b.String() != want {
			t.Errorf("got  %s\nwant %s", b.String(), want)
		}
	}
	// Without merging, the first file's schema is read by name: the
	// bigint of the second cannot be read as int.
	_, err := s.Read().Parquet(dir).Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), "k=2") || !strings.Contains(err.Error(), "column id is int64, which cannot be read as int32") {
		t.Errorf("without mergeSchema: %v", err)
	}
	// SQL sees the setting too.
	if _, err := s.SQL("SET spark.sql.parquet.mergeSchema=true").Collect(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := s.SQL("SELECT count(name), sum(id) FROM parquet.`" + dir + "`").Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[1 5000000001]]" {
		t.Errorf("SQL with the setting: %v, %v", rows, err)
	}
}

// TestParquetMergeSchemaConflict: a column of two types that do not widen is
// an error naming the column and both files.
func TestParquetMergeSchemaConflict(t *testing.T) {
	s := NewSession()
	dir := t.TempDir()
	writeParquetSQL(t, s, "SELECT 1 AS id", filepath.Join(dir, "a"))
	writeParquetSQL(t, s, "SELECT 'x' AS id", filepath.Join(dir, "b"))
	_, err := s.Read().Option("mergeSchema", "true").Parquet(filepath.Join(dir, "*", "*.parquet")).Collect(context.Background())
	if err == nil || !strings.Contains(err.Error(), "column id is int32 in "+filepath.Join(dir, "a")) || !strings.Contains(err.Error(), "but utf8 in "+filepath.Join(dir, "b")) {
		t.Fatalf("err = %v", err)
	}
	_, err = s.Read().Option("mergeSchema", "maybe").Parquet(dir).Collect(context.Background())
	if err == nil || !strings.Contains(err.Error(), "mergeschema") {
		t.Fatalf("bad option value: %v", err)
	}
}
