package frame

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHivePartitionDiscovery reads a dataset laid out as
// root/year=…/region=…/part files: the directory keys become typed columns,
// filters on them prune directories before any of their files is opened, and
// EXPLAIN shows the pruning.
func TestHivePartitionDiscovery(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	root := t.TempDir()
	type dirSpec struct {
		dir  string
		rows [][]any
	}
	dirs := []dirSpec{
		{"year=2020/region=eu", [][]any{{1, 10.5}, {2, 20.0}}},
		{"year=2020/region=us", [][]any{{3, 30.0}}},
		{"year=2021/region=eu", [][]any{{4, 40.0}, {5, 50.0}}},
		{"year=2021/region=__HIVE_DEFAULT_PARTITION__", [][]any{{6, 60.0}}},
		{"year=2022/region=a%2Fb", [][]any{{7, 70.0}}},
	}
	for _, format := range []string{"parquet", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			base := filepath.Join(root, format)
			for _, d := range dirs {
				out := filepath.Join(base, d.dir)
				df := s.CreateDataFrameRows(d.rows, "id INT, amount DOUBLE")
				w := df.Write().Format(format)
				if format == "csv" {
					w = w.Option("header", "true")
				}
				if err := w.Save(ctx, out); err != nil {
					t.Fatal(err)
				}
			}
			rd := s.Read().Format(format)
			if format == "csv" {
				rd = rd.Option("header", "true").Option("inferSchema", "true")
			}
			df := rd.Load(base)
			if df.Err() != nil {
				t.Fatal(df.Err())
			}
			var cols []string
			for _, f := range df.Schema().Fields() {
				cols = append(cols, f.Name+":"+f.Type.String())
			}
			wantCols := "amount:float64 id:int64 year:int32 region:utf8" // JSON sorts and widens as Spark
			switch format {
			case "parquet":
				wantCols = "id:int32 amount:float64 year:int32 region:utf8"
			case "csv":
				wantCols = "id:int32 amount:float64 year:int32 region:utf8"
			}
			if got := strings.Join(cols, " "); got != wantCols {
				t.Fatalf("schema %s, want %s", got, wantCols)
			}
			if err := df.CreateOrReplaceTempView("t_" + format); err != nil {
				t.Fatal(err)
			}
			rows, err := s.SQL("SELECT year, region, sum(amount), count(*) FROM t_" + format + " GROUP BY year, region ORDER BY year, region NULLS FIRST").Collect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(rows); got != "[[2020 eu 30.5 2] [2020 us 30 1] [2021 <nil> 60 1] [2021 eu 90 2] [2022 a/b 70 1]]" {
				t.Fatalf("rows %s", got)
			}

			// Prune: make the files of every directory but year=2021/region=eu
			// unreadable; a query that keeps only that directory never opens them.
			broken := t.TempDir()
			copyTree(t, base, broken)
			for _, d := range dirs {
				if d.dir == "year=2021/region=eu" {
					continue
				}
				files, _ := filepath.Glob(filepath.Join(broken, d.dir, "part-*"))
				for _, f := range files {
					if err := os.WriteFile(f, []byte("h\n1,2,3\n"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			rd = s.Read().Format(format)
			if format == "csv" {
				rd = rd.Option("header", "true").Option("mode", "FAILFAST").SchemaDDL("id INT, amount DOUBLE")
			}
			if format == "json" {
				rd = rd.SchemaDDL("amount DOUBLE, id BIGINT")
			}
			if format == "parquet" {
				// The schema comes from the first file (year=2020/region=eu): keep it.
				src := filepath.Join(base, "year=2020/region=eu")
				copyTree(t, src, filepath.Join(broken, "year=2020/region=eu"))
			}
			q := rd.Load(broken).Filter(Col("year").Eq(Lit(2021)).And(Col("region").Eq(Lit("eu")))).Select(Col("id"), Col("region"))
			plan, err := q.Explain(true)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "directories=1 of 5") || !strings.Contains(plan, "PartitionFilters=[") {
				t.Fatalf("EXPLAIN does not show the pruning:\n%s", plan)
			}
			rows, err = q.OrderBy(Col("id")).Collect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(rows); got != "[[4 eu] [5 eu]]" {
				t.Fatalf("pruned rows %s", got)
			}
			// Without the filter the broken files are read, and fail.
			if _, err := rd.Load(broken).Collect(ctx); err == nil {
				t.Fatal("reading the broken files did not fail: the check above proves nothing")
			}
		})
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPartitionConflicts: files under different keys are an error.
func TestPartitionConflicts(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	root := t.TempDir()
	for _, d := range []string{"a=1", "b=2"} {
		if err := s.CreateDataFrameRows([][]any{{1}}, "x INT").Write().Parquet(ctx, filepath.Join(root, d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Read().Parquet(root).Err(); err == nil || !strings.Contains(err.Error(), "conflicting directory structures") {
		t.Fatalf("got %v", err)
	}
	// basePath makes a subdirectory's key a column.
	df := s.Read().Option("basePath", root).Parquet(filepath.Join(root, "a=1"))
	rows, err := df.Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[1 1]]" {
		t.Fatalf("basePath: %v %v", rows, err)
	}
}

// TestPartitionByRoundTrip writes with PartitionBy in Spark's layout and
// reads the directory back with discovery.
func TestPartitionByRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := NewSession(WithPartitions(3))
	dir := filepath.Join(t.TempDir(), "out")
	df := s.CreateDataFrameRows([][]any{
		{1, "eu", 2020, 1.5}, {2, "us", 2020, 2.5}, {3, "eu", 2021, 3.5}, {4, nil, 2021, 4.5}, {5, "a/b=c", 2020, 5.5}, {6, "eu", 2020, 6.5},
	}, "id INT, region STRING, year INT, amount DOUBLE")
	if err := df.Write().PartitionBy("year", "region").Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, filepath.Dir(p))
			got = append(got, filepath.ToSlash(rel)+"/"+strings.SplitN(info.Name(), "-", 2)[0])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(got, " ")
	for _, want := range []string{"./_SUCCESS", "year=2020/region=eu/part", "year=2020/region=us/part", "year=2021/region=eu/part",
		"year=2021/region=__HIVE_DEFAULT_PARTITION__/part", "year=2020/region=a%2Fb%3Dc/part"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %s in %s", want, joined)
		}
	}
	back := s.Read().Parquet(dir)
	var cols []string
	for _, f := range back.Schema().Fields() {
		cols = append(cols, f.Name)
	}
	if strings.Join(cols, ",") != "id,amount,year,region" {
		t.Fatalf("columns %v", cols)
	}
	rows, err := back.OrderBy(Col("id")).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g := fmt.Sprint(rows); g != "[[1 1.5 2020 eu] [2 2.5 2020 us] [3 3.5 2021 eu] [4 4.5 2021 <nil>] [5 5.5 2020 a/b=c] [6 6.5 2020 eu]]" {
		t.Fatalf("read back %s", g)
	}
	for _, bad := range [][]string{{"nope"}, {"id", "region", "year", "amount"}, {"year", "YEAR"}} {
		if err := df.Write().Mode("overwrite").PartitionBy(bad...).Parquet(ctx, dir); err == nil {
			t.Errorf("PartitionBy(%v) accepted", bad)
		}
	}
}
