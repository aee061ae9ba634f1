package frame

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deltaDataFile writes the rows of query as one Parquet file under
// table/sub and returns its path relative to table.
func deltaDataFile(t *testing.T, s *Session, query, table, sub string) string {
	t.Helper()
	dir := filepath.Join(table, sub)
	writeParquetSQL(t, s, query, dir)
	files, err := filepath.Glob(filepath.Join(dir, "*.parquet"))
	if err != nil || len(files) != 1 {
		t.Fatalf("%s: %v, %v", dir, files, err)
	}
	rel, err := filepath.Rel(table, files[0])
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}

// TestReadDelta reads a hand-written Delta table over Parquet files written
// by gspark: partition values from the log (a null one too), a removed file
// not read, a file lacking a later column, columns in the table's order,
// time travel, pruning, SQL paths and CREATE TABLE … LOCATION.
func TestReadDelta(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	table := t.TempDir()
	f1 := deltaDataFile(t, s, "SELECT CAST(1 AS BIGINT) AS id, 'a' AS name", table, "k=1/a")
	f2 := deltaDataFile(t, s, "SELECT CAST(id AS BIGINT) AS id, concat('b', id) AS name FROM range(2, 4)", table, "k=2")
	// Written before the name column existed.
	f3 := deltaDataFile(t, s, "SELECT CAST(10 AS BIGINT) AS id", table, "k=__HIVE_DEFAULT_PARTITION__")
	schema := `{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"k","type":"integer","nullable":true,"metadata":{}},{"name":"name","type":"string","nullable":true,"metadata":{}}]}`
	add := func(path, k string) string {
		return `{"add":{"path":"` + path + `","partitionValues":{"k":` + k + `},"size":1,"modificationTime":1,"dataChange":true}}`
	}
	commits := []string{
		`{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}
{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":` + fmt.Sprintf("%q", schema) + `,"partitionColumns":["k"],"configuration":{},"createdTime":1}}
` + add(f1, `"1"`) + "\n" + add(f2, `"2"`) + "\n",
		`{"remove":{"path":"` + f1 + `","deletionTimestamp":2,"dataChange":true}}
` + add(f3, "null") + "\n",
		// A file that does not exist: only queries that prune it away work.
		add("k=3/missing.parquet", `"3"`) + "\n",
	}
	if err := os.MkdirAll(filepath.Join(table, "_delta_log"), 0o755); err != nil {
		t.Fatal(err)
	}
	for v, c := range commits {
		if err := os.WriteFile(filepath.Join(table, "_delta_log", fmt.Sprintf("%020d.json", v)), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	collect := func(df *DataFrame) string {
		t.Helper()
		rows, err := df.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(rows)
	}
	// Expected rows by hand from the commits above.
	v1 := s.Read().Format("delta").Option("versionAsOf", "1").Load(table)
	if got := strings.Join(v1.Columns(), ","); got != "id,k,name" {
		t.Errorf("columns %s, want id,k,name", got)
	}
	if got, want := collect(v1.OrderBy(Col("id"))), "[[2 2 b2] [3 2 b3] [10 <nil> <nil>]]"; got != want {
		t.Errorf("version 1: %s, want %s", got, want)
	}
	v0 := s.Read().Format("delta").Option("versionAsOf", "0").Load(table)
	if got, want := collect(v0.OrderBy(Col("id"))), "[[1 1 a] [2 2 b2] [3 2 b3]]"; got != want {
		t.Errorf("version 0: %s, want %s", got, want)
	}
	// The latest version lists a missing file under k=3; k=2 never opens it.
	latest := s.Read().Format("delta").Load(table)
	if got, want := collect(latest.Where(Col("k").Eq(2)).Select(Col("name"))), "[[b2] [b3]]"; got != want {
		t.Errorf("k = 2: %s, want %s", got, want)
	}
	if _, err := latest.Collect(ctx); err == nil || !strings.Contains(err.Error(), "missing.parquet") {
		t.Errorf("reading the missing file: %v", err)
	}
	plan, err := s.SQL("EXPLAIN SELECT name FROM delta.`" + table + "` WHERE k = 2").Collect(ctx)
	if err != nil || !strings.Contains(fmt.Sprint(plan), "directories=1 of 3") {
		t.Errorf("EXPLAIN: %v, %v", plan, err)
	}
	if got, want := collect(s.SQL("SELECT count(*), sum(id) FROM delta.`"+table+"` WHERE k < 3")), "[[2 5]]"; got != want {
		t.Errorf("SQL: %s, want %s", got, want)
	}
	if _, err := s.SQL("CREATE TABLE t USING delta OPTIONS (versionAsOf '0') LOCATION '" + table + "'").Collect(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := collect(s.SQL("SELECT sum(id) FROM t")), "[[6]]"; got != want {
		t.Errorf("CREATE TABLE: %s, want %s", got, want)
	}
	if _, err := s.SQL("CREATE TABLE IF NOT EXISTS t USING delta LOCATION '" + table + "'").Collect(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ opt, val, want string }{
		{"versionAsOf", "7", "version 7 does not exist"},
		{"versionAsOf", "x", `versionAsOf: "x" is not a version number`},
		{"timestampAsOf", "2024-01-01", `"timestampasof" is not supported`},
		{"mergeSchema", "true", `unknown delta option "mergeschema"`},
	} {
		if _, err := s.Read().Format("delta").Option(c.opt, c.val).Load(table).Collect(ctx); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%s: %v, want %q", c.opt, c.val, err, c.want)
		}
	}
}

// TestReadDeltaEmpty: a table whose log has no live files reads as zero
// rows of the table's columns, partitioned or not.
func TestReadDeltaEmpty(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	for _, parts := range []string{`[]`, `["k"]`} {
		table := t.TempDir()
		if err := os.MkdirAll(filepath.Join(table, "_delta_log"), 0o755); err != nil {
			t.Fatal(err)
		}
		schema := `{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"k","type":"date","nullable":true,"metadata":{}}]}`
		log := `{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}
{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":` + fmt.Sprintf("%q", schema) + `,"partitionColumns":` + parts + `,"configuration":{},"createdTime":1}}
`
		if err := os.WriteFile(filepath.Join(table, "_delta_log", fmt.Sprintf("%020d.json", 0)), []byte(log), 0o644); err != nil {
			t.Fatal(err)
		}
		df := s.Read().Format("delta").Load(table)
		rows, err := df.Collect(ctx)
		if err != nil || len(rows) != 0 || strings.Join(df.Columns(), ",") != "id,k" {
			t.Errorf("partitions %s: %v, %v, columns %v", parts, rows, err, df.Columns())
		}
	}
}

// TestReadDeltaPartitionTypes: partition values of the types Delta allows
// beyond hive inference (short, boolean, timestamp) read typed, and filter.
func TestReadDeltaPartitionTypes(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	table := t.TempDir()
	f1 := deltaDataFile(t, s, "SELECT CAST(1 AS BIGINT) AS id", table, "a")
	f2 := deltaDataFile(t, s, "SELECT CAST(2 AS BIGINT) AS id", table, "b")
	schema := `{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"s","type":"short","nullable":true,"metadata":{}},{"name":"b","type":"boolean","nullable":true,"metadata":{}},{"name":"ts","type":"timestamp","nullable":true,"metadata":{}}]}`
	log := `{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}
{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":` + fmt.Sprintf("%q", schema) + `,"partitionColumns":["s","b","ts"],"configuration":{},"createdTime":1}}
{"add":{"path":"` + f1 + `","partitionValues":{"s":"7","b":"true","ts":"2024-01-02 03:04:05.5"},"size":1,"modificationTime":1,"dataChange":true}}
{"add":{"path":"` + f2 + `","partitionValues":{"s":"-1","b":"false","ts":null},"size":1,"modificationTime":1,"dataChange":true}}
`
	if err := os.MkdirAll(filepath.Join(table, "_delta_log"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(table, "_delta_log", fmt.Sprintf("%020d.json", 0)), []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	// Expected by hand: the values above, the timestamp shown in the UTC session zone.
	rows, err := s.SQL("SELECT id, s, b, CAST(ts AS STRING) FROM delta.`" + table + "` ORDER BY id").Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[1 7 true 2024-01-02 03:04:05.5] [2 -1 false <nil>]]" {
		t.Errorf("rows %v, %v", rows, err)
	}
	rows, err = s.SQL("SELECT id FROM delta.`" + table + "` WHERE s > 0 AND ts >= TIMESTAMP '2024-01-01 00:00:00'").Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[1]]" {
		t.Errorf("filtered %v, %v", rows, err)
	}
	plan, err := s.SQL("EXPLAIN SELECT id FROM delta.`" + table + "` WHERE s = -1").Collect(ctx)
	if err != nil || !strings.Contains(fmt.Sprint(plan), "directories=1 of 2") {
		t.Errorf("EXPLAIN: %v, %v", plan, err)
	}
}
