package frame_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// writeFiles writes name → content files under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func collectRows(t *testing.T, df *frame.DataFrame) []frame.Row {
	t.Helper()
	rows, err := df.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestInputFileName checks input_file_name() and the block functions over
// multi-file CSV, JSON lines, LIBSVM and Parquet datasets, below filters,
// projections and an aggregation, in several partitionings with the
// optimizer on and off. Spark shows the file as a URI (file:///path); it
// reads these small files whole, so a block starts at 0 and is as long as
// the file (hand-counted bytes below); rows not read from a file give ""
// and -1.
func TestInputFileName(t *testing.T) {
	dir := t.TempDir()
	csvDir, jsonDir, svmDir, pqDir := filepath.Join(dir, "csv"), filepath.Join(dir, "json"), filepath.Join(dir, "svm"), filepath.Join(dir, "pq")
	writeFiles(t, csvDir, map[string]string{"p1.csv": "a,b\n1,x\n2,y\n", "p2.csv": "a,b\n3,z\n"}) // 12 and 8 bytes
	writeFiles(t, jsonDir, map[string]string{"j1.json": `{"a":1}` + "\n", "j 2.json": `{"a":2}` + "\n" + `{"a":3}` + "\n"})
	writeFiles(t, svmDir, map[string]string{"s.txt": "1 1:0.5\n0 2:1.5\n"})
	uri := func(parts ...string) string { return "file://" + filepath.Join(parts...) }
	for _, parts := range []int{1, 3} {
		for _, opt := range []bool{true, false} {
			t.Run(fmt.Sprintf("p%d_opt_%v", parts, opt), func(t *testing.T) {
				s := frame.NewSession(frame.WithPartitions(parts), frame.WithOptimizer(opt))
				ctx := context.Background()
				run := func(q string) []frame.Row {
					t.Helper()
					df := s.SQL(q)
					if err := df.Err(); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
					return collectRows(t, df)
				}
				want := func(q string, exp []frame.Row) {
					t.Helper()
					if got := run(q); !reflect.DeepEqual(got, exp) {
						t.Errorf("%s:\n got %v\nwant %v", q, got, exp)
					}
				}
				run(fmt.Sprintf("CREATE OR REPLACE TEMP VIEW c USING csv OPTIONS (path '%s', header 'true', inferSchema 'true')", csvDir))
				want("SELECT input_file_name(), input_file_block_start(), input_file_block_length(), a FROM c WHERE a > 1 ORDER BY a", []frame.Row{
					{uri(csvDir, "p1.csv"), int64(0), int64(12), int32(2)},
					{uri(csvDir, "p2.csv"), int64(0), int64(8), int32(3)},
				})
				// a filter on the file itself, and an aggregation above a projection
				want("SELECT a FROM c WHERE input_file_name() LIKE '%p2.csv' ORDER BY a", []frame.Row{{int32(3)}})
				want("SELECT f, count(*) FROM (SELECT input_file_name() AS f, b FROM c WHERE b <> 'q') GROUP BY f ORDER BY f", []frame.Row{
					{uri(csvDir, "p1.csv"), int64(2)},
					{uri(csvDir, "p2.csv"), int64(1)},
				})
				// a space in a file name is percent-encoded in the URI
				run(fmt.Sprintf("CREATE OR REPLACE TEMP VIEW j USING json OPTIONS (path '%s')", jsonDir))
				want("SELECT a, input_file_name() FROM j ORDER BY a", []frame.Row{
					{int64(1), uri(jsonDir, "j1.json")},
					{int64(2), uri(jsonDir, "j%202.json")},
					{int64(3), uri(jsonDir, "j%202.json")},
				})
				if err := s.Read().Format("libsvm").Load(filepath.Join(svmDir, "s.txt")).CreateOrReplaceTempView("v"); err != nil {
					t.Fatal(err)
				}
				want("SELECT label, input_file_name(), input_file_block_length() FROM v ORDER BY label", []frame.Row{
					{0.0, uri(svmDir, "s.txt"), int64(16)},
					{1.0, uri(svmDir, "s.txt"), int64(16)},
				})
				// Parquet: each row's file is one of the dataset's part files
				if err := os.RemoveAll(pqDir); err != nil {
					t.Fatal(err)
				}
				if err := s.SQL("SELECT * FROM c").Repartition(2).Write().Parquet(ctx, pqDir); err != nil {
					t.Fatal(err)
				}
				parts, err := filepath.Glob(filepath.Join(pqDir, "*.parquet"))
				if err != nil || len(parts) != 2 {
					t.Fatalf("parquet parts %v, %v", parts, err)
				}
				var wantFiles []string
				for _, p := range parts {
					wantFiles = append(wantFiles, uri(p))
				}
				sort.Strings(wantFiles)
				pq := s.Read().Parquet(pqDir)
				rows := collectRows(t, pq.Where(F.Col("a").Gt(F.Lit(0))).Select(F.InputFileName().As("f"), F.Col("a")).GroupBy(F.Col("f")).Count().OrderBy(F.Col("f")))
				var gotFiles []string
				var n int64
				for _, r := range rows {
					gotFiles = append(gotFiles, r[0].(string))
					n += r[1].(int64)
				}
				if !reflect.DeepEqual(gotFiles, wantFiles) || n != 3 {
					t.Errorf("parquet files %v (%d rows), want %v (3 rows)", gotFiles, n, wantFiles)
				}
				// rows that do not come from a file
				want("SELECT input_file_name(), input_file_block_start(), input_file_block_length() FROM VALUES (1) AS t(x)", []frame.Row{{"", int64(-1), int64(-1)}})
				want("SELECT input_file_name() FROM (SELECT DISTINCT a FROM c WHERE a = 1)", []frame.Row{{""}})
			})
		}
	}
}
