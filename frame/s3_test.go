package frame

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/internal/s3test"
	"github.com/gspark/gspark/planner/logical"
)

// s3Session is a session whose s3:// paths go to a fresh in-process S3
// server holding bucket "data".
func s3Session(t *testing.T) (*Session, *s3test.Server) {
	t.Helper()
	srv := s3test.Start(t, "data")
	s := NewSession(WithPartitions(2))
	if err := s.SetConf("spark.hadoop.fs.s3a.endpoint", srv.URL); err != nil {
		t.Fatal(err)
	}
	if err := s.SetConf("fs.s3a.path.style.access", "true"); err != nil {
		t.Fatal(err)
	}
	return s, srv
}

// upload copies a local file to the URL u.
func upload(t *testing.T, s *Session, local, u string) {
	t.Helper()
	data, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.fs().Create(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func exists(t *testing.T, s *Session, u string) bool {
	t.Helper()
	_, err := s.fs().Stat(context.Background(), u)
	return err == nil
}

const s3Rows = "[[1 a 0.5] [2 b <nil>] [3 <nil> 2.25]]"

func TestS3RoundTripEachFormat(t *testing.T) {
	ctx := context.Background()
	s, srv := s3Session(t)
	df := s.CreateDataFrameRows([][]any{{1, "a", 0.5}, {2, "b", nil}, {3, nil, 2.25}}, "id INT, s STRING, x DOUBLE")
	for _, c := range []struct {
		format string
		opts   map[string]string
		ext    string
	}{
		{"parquet", nil, ".parquet"},
		{"csv", map[string]string{"header": "true"}, ".csv"},
		{"csv", map[string]string{"header": "true", "compression": "gzip"}, ".csv.gz"},
		{"json", nil, ".json"},
		{"json", map[string]string{"compression": "snappy"}, ".json.snappy"},
		{"arrow", nil, ".arrow"},
	} {
		u := fmt.Sprintf("s3://data/rt/%s%s", c.format, c.opts["compression"])
		w := df.Write().Format(c.format)
		for k, v := range c.opts {
			w.Option(k, v)
		}
		if err := w.Save(ctx, u); err != nil {
			t.Fatalf("%s: write: %v", u, err)
		}
		files, err := s.fs().List(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var parts int
		for _, f := range files {
			if strings.HasSuffix(f.Path, c.ext) {
				parts++
			}
		}
		if parts == 0 || files[0].Path != u+"/_SUCCESS" {
			t.Errorf("%s: objects %v", u, files)
		}
		r := s.Read().Format(c.format)
		for k, v := range c.opts {
			if k != "compression" {
				r.Option(k, v)
			}
		}
		if c.format == "csv" {
			r.SchemaDDL("id INT, s STRING, x DOUBLE")
		}
		rows, err := r.Load(u).Select(Col("id"), Col("s"), Col("x")).OrderBy(Col("id")).Collect(ctx)
		if err != nil {
			t.Fatalf("%s: read: %v", u, err)
		}
		if got := fmt.Sprint(rows); got != s3Rows {
			t.Errorf("%s: read back %s, want %s", u, got, s3Rows)
		}
	}
	// SQL reads the same URLs.
	rows, err := s.SQL("SELECT sum(x) FROM parquet.`s3://data/rt/parquet`").Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[2.75]]" {
		t.Errorf("SQL: %v %v", rows, err)
	}
	// Requests were signed with the environment's credentials.
	if !srv.SawKey(s3test.EnvKeyID) {
		t.Error("requests were not signed with AWS_ACCESS_KEY_ID")
	}
}

func TestS3FilesWrittenByOtherTools(t *testing.T) {
	ctx := context.Background()
	s, _ := s3Session(t)
	// DuckDB's gzip CSV (testdata/io/README.md): id, 'name ' || id, id * 0.5
	// for id in range(100); bzip2's too.
	upload(t, s, filepath.Join("..", "testdata", "io", "csv", "rows.csv.gz"), "s3://data/other/csv/rows.csv.gz")
	upload(t, s, filepath.Join("..", "testdata", "io", "csv", "rows.csv.bz2"), "s3://data/other/csv/rows.csv.bz2")
	rows, err := s.Read().Option("header", "true").Option("inferSchema", "true").CSV("s3://data/other/csv").
		Agg(Agg(logical.AggCount, Col("id")), Agg(logical.AggSum, Col("score"))).Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[200 4950]]" {
		t.Errorf("csv: %v %v", rows, err)
	}
	// An Avro file of two records (io/avro's fixtures).
	upload(t, s, filepath.Join("..", "testdata", "io", "avro", "types_null.avro"), "s3://data/other/avro/t.avro")
	if n, err := s.Read().Format("avro").Load("s3://data/other/avro").Count(ctx); err != nil || n != 2 {
		t.Errorf("avro: %d rows, %v", n, err)
	}
}

func TestS3GlobAndPartitions(t *testing.T) {
	ctx := context.Background()
	s, _ := s3Session(t)
	df := s.CreateDataFrameRows([][]any{{1, "a", 0.5}, {2, "b", nil}, {3, nil, 2.25}}, "id INT, s STRING, x DOUBLE")
	for _, d := range []string{"a", "b"} {
		if err := df.Write().Parquet(ctx, "s3://data/g/"+d); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Read().Parquet("s3://data/g/*/part-*.parquet").Count(ctx); err != nil || n != 6 {
		t.Errorf("glob: %d rows, %v", n, err)
	}
	if n, err := s.Read().Parquet("s3://data/g/[a]").Count(ctx); err != nil || n != 3 {
		t.Errorf("glob of a prefix: %d rows, %v", n, err)
	}
	if _, err := s.Read().Parquet("s3://data/g/*/none-*.parquet").Collect(ctx); err == nil || !strings.Contains(err.Error(), "s3://data/g/*/none-*.parquet matches no") {
		t.Errorf("glob without matches: %v", err)
	}
	// Hive partitions: written with PartitionBy, discovered on reading.
	if err := df.Write().PartitionBy("id").Parquet(ctx, "s3://data/p"); err != nil {
		t.Fatal(err)
	}
	if !exists(t, s, "s3://data/p/id=2") {
		t.Error("no s3://data/p/id=2/ prefix")
	}
	rows, err := s.Read().Parquet("s3://data/p").Filter(Col("id").Gt(1)).Select(Col("id"), Col("s"), Col("x")).OrderBy(Col("id")).Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[2 b <nil>] [3 <nil> 2.25]]" {
		t.Errorf("partitioned: %v %v", rows, err)
	}
}

func TestS3SaveModes(t *testing.T) {
	ctx := context.Background()
	s, _ := s3Session(t)
	one := s.CreateDataFrameRows([][]any{{1}}, "id INT")
	two := s.CreateDataFrameRows([][]any{{2}, {3}}, "id INT")
	u := "s3://data/modes"
	if err := one.Write().Parquet(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := two.Write().Parquet(ctx, u); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("error mode: %v", err)
	}
	if err := two.Write().Mode("append").Parquet(ctx, u); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Read().Parquet(u).Count(ctx); err != nil || n != 3 {
		t.Errorf("after append: %d, %v", n, err)
	}
	if err := two.Write().Mode("overwrite").Parquet(ctx, u); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Read().Parquet(u).OrderBy(Col("id")).Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[2] [3]]" {
		t.Errorf("after overwrite: %v %v", rows, err)
	}
	if err := one.Write().Mode("ignore").Parquet(ctx, u); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Read().Parquet(u).Count(ctx); n != 2 {
		t.Errorf("ignore mode wrote: %d rows", n)
	}
}

// TestS3ParquetReadsOnlyTheColumnsAsked: selecting one small column of a
// file with two wide ones fetches a small part of the object.
func TestS3ParquetReadsOnlyTheColumnsAsked(t *testing.T) {
	ctx := context.Background()
	s, srv := s3Session(t)
	var rows [][]any
	for i := 0; i < 3000; i++ {
		rows = append(rows, []any{i, fmt.Sprintf("%x-%0120d", i*2654435761, i*7919), fmt.Sprintf("%0130d-%x", i*104729, i*40503)})
	}
	df := s.CreateDataFrameRows(rows, "id INT, a STRING, b STRING").Coalesce(1)
	if err := df.Write().Option("compression", "none").Parquet(ctx, "s3://data/wide"); err != nil {
		t.Fatal(err)
	}
	files, err := s.fs().List(ctx, "s3://data/wide")
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, f := range files {
		size += f.Size
	}
	before := srv.Sent.Load()
	got, err := s.Read().Parquet("s3://data/wide").Agg(Agg(logical.AggSum, Col("id"))).Collect(ctx)
	if err != nil || fmt.Sprint(got) != "[[4498500]]" { // 0+1+…+2999
		t.Fatalf("sum: %v %v", got, err)
	}
	fetched := srv.Sent.Load() - before
	if fetched <= 0 || fetched*5 > size {
		t.Errorf("reading one int column fetched %d of the file's %d bytes, want under a fifth", fetched, size)
	}
}

func TestS3Errors(t *testing.T) {
	ctx := context.Background()
	s, _ := s3Session(t)
	_, err := s.Read().Parquet("s3://nobucket/t").Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), `s3://nobucket/t`) || !strings.Contains(err.Error(), `bucket "nobucket" does not exist`) {
		t.Errorf("missing bucket: %v", err)
	}
	_, err = s.Read().CSV("s3://data/missing/x.csv").Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), "s3://data/missing/x.csv") {
		t.Errorf("missing key: %v", err)
	}
	if err := s.SetConf("fs.s3a.path.style.access", "maybe"); err == nil {
		t.Error("a bad boolean setting was accepted")
	}
	if v, _ := s.Conf("fs.s3a.endpoint"); !strings.HasPrefix(v, "http://") {
		t.Errorf("Conf endpoint: %q", v)
	}
	// A read option overrides the session's endpoint.
	_, err = s.Read().Option("fs.s3a.endpoint", "http://127.0.0.1:1").Parquet("s3://data/x").Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("endpoint option: %v", err)
	}
}

// TestS3FromSQL: SET reaches the S3 settings, and CREATE TABLE … LOCATION
// and queries over paths take s3:// URLs.
func TestS3FromSQL(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t, "data")
	s := NewSession()
	script := fmt.Sprintf("SET spark.hadoop.fs.s3a.endpoint=%s; SET fs.s3a.path.style.access=true; "+
		"CREATE TABLE t USING csv OPTIONS (header 'true') LOCATION 's3://data/sql/t' AS SELECT 1 AS id, 'a' AS s", srv.URL)
	if err := s.ExecSQL(ctx, script, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := s.SQL("SELECT * FROM csv.`s3://data/sql/t`").Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[id s] [1 a]]" {
		t.Errorf("csv.`s3://…`: %v %v", rows, err)
	}
	if !exists(t, s, "s3://data/sql/t/_SUCCESS") {
		t.Error("no _SUCCESS marker")
	}
	if v, err := s.Conf("fs.s3a.path.style.access"); err != nil || v != "true" {
		t.Errorf("Conf: %q %v", v, err)
	}
}

// TestS3MergeSchemaAndMaxRecords: mergeSchema, maxRecordsPerFile and
// Delta's local-only refusal on s3:// paths.
func TestS3MergeSchemaAndMaxRecords(t *testing.T) {
	ctx := context.Background()
	s, _ := s3Session(t)
	a := s.CreateDataFrameRows([][]any{{1, "a"}, {2, "b"}, {3, nil}}, "id INT, s STRING")
	if err := a.Write().Option("maxRecordsPerFile", "1").Parquet(ctx, "s3://data/m/a"); err != nil {
		t.Fatal(err)
	}
	files, err := s.fs().List(ctx, "s3://data/m/a")
	if err != nil {
		t.Fatal(err)
	}
	parts := 0
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".parquet") {
			parts++
		}
	}
	// Three rows, at most one per file.
	if parts != 3 {
		t.Errorf("maxRecordsPerFile 1: %d part files for 3 rows: %v", parts, files)
	}
	b := s.CreateDataFrameRows([][]any{{int64(4), 0.5}}, "id BIGINT, x DOUBLE")
	if err := b.Write().Parquet(ctx, "s3://data/m/b"); err != nil {
		t.Fatal(err)
	}
	df := s.Read().Option("mergeSchema", "true").Parquet("s3://data/m/a", "s3://data/m/b")
	if got := fmt.Sprint(df.Columns()); got != "[id s x]" {
		t.Errorf("merged columns %s, want [id s x]", got)
	}
	rows, err := df.OrderBy(Col("id")).Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[1 a <nil>] [2 b <nil>] [3 <nil> <nil>] [4 <nil> 0.5]]" {
		t.Errorf("merged rows %v %v", rows, err)
	}
	if _, err := s.Read().Format("delta").Load("s3://data/m/a").Collect(ctx); err == nil || !strings.Contains(err.Error(), "local directories only") {
		t.Errorf("delta on s3: %v", err)
	}
}
