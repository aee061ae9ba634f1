package frame_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gspark/gspark/frame"
)

// Acceptance 4 of issue 16: error paths and mixed distinct aggregates at the
// cost of their clean or separate counterparts. Each benchmark runs the case
// and its counterpart as sub-benchmarks over the same generated data, so one
// run gives both times.
//
// Measured on a quiet machine (2026-12-07, -benchtime 1x -count 5, medians,
// 2 cores, load average 1.2-2.5):
//
//	TryCastBadValues  bad/clean         1.03x (107.0 ms / 103.9 ms)
//	PermissiveCSV     bad/clean         1.04x (93.2 ms / 89.7 ms)
//	MixedDistinct     global mixed/sep  1.23x (131.8 ms / 107.1 ms)
//	MixedDistinct     grouped mixed/sep 0.83x (167.0 ms / 202.0 ms)
//
// Before the change (one run, load average 30-41): TRY_CAST bad/clean 14.3x
// (38.9 s / 2.72 s), mixed distinct global 33.7x (104.8 s / 3.11 s) and
// grouped 14.2x (37.9 s / 2.66 s).

const benchRows = 1_000_000

// writeAgeCSV writes benchRows rows "id,age" to a CSV file in dir; every
// badEvery-th age is not a number (0 = none).
func writeAgeCSV(b *testing.B, dir string, badEvery int) string {
	b.Helper()
	path := filepath.Join(dir, fmt.Sprintf("ages_%d.csv", badEvery))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,age")
	for i := range benchRows {
		if badEvery > 0 && i%badEvery == badEvery/2 {
			fmt.Fprintf(w, "%d,n/a%d\n", i, i%7)
			continue
		}
		fmt.Fprintf(w, "%d,%d\n", i, 18+i*7919%80)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchQuery(b *testing.B, s *frame.Session, query string) {
	b.Helper()
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if _, err := s.SQL(query).Collect(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTryCastBadValues is TRY_CAST(age AS INT) over 1M CSV rows with
// 0.05% bad values ("bad") against the same rows all clean ("clean").
func BenchmarkTryCastBadValues(b *testing.B) {
	dir := b.TempDir()
	for _, c := range []struct {
		name     string
		badEvery int
	}{{"clean", 0}, {"bad", 2000}} {
		path := writeAgeCSV(b, dir, c.badEvery)
		b.Run(c.name, func(b *testing.B) {
			s := frame.NewSession()
			if err := s.Read().Option("header", "true").CSV(path).CreateOrReplaceTempView("people"); err != nil {
				b.Fatal(err)
			}
			benchQuery(b, s, "SELECT sum(TRY_CAST(age AS INT)), count(TRY_CAST(age AS INT)) FROM people")
		})
	}
}

// BenchmarkPermissiveCSV reads the same files with age declared INT
// (PERMISSIVE: bad fields read as null), bad against clean.
func BenchmarkPermissiveCSV(b *testing.B) {
	dir := b.TempDir()
	for _, c := range []struct {
		name     string
		badEvery int
	}{{"clean", 0}, {"bad", 2000}} {
		path := writeAgeCSV(b, dir, c.badEvery)
		b.Run(c.name, func(b *testing.B) {
			s := frame.NewSession()
			if err := s.Read().Option("header", "true").SchemaDDL("id INT, age INT").CSV(path).CreateOrReplaceTempView("people"); err != nil {
				b.Fatal(err)
			}
			benchQuery(b, s, "SELECT sum(age), count(age) FROM people")
		})
	}
}

// writeDistinctParquet writes benchRows rows (a BIGINT with about 500K
// distinct values, b BIGINT with about 100K, g INT with 10 values) as Parquet
// under dir.
func writeDistinctParquet(b *testing.B, dir string) string {
	b.Helper()
	s := frame.NewSession()
	out := filepath.Join(dir, "distinct")
	df := s.SQL(fmt.Sprintf("SELECT id * 7919 %% 500000 AS a, id * 104729 %% 100000 AS b, CAST(id %% 10 AS INT) AS g FROM range(%d)", benchRows))
	if err := df.Write().Parquet(context.Background(), out); err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkMixedDistinct is count(DISTINCT a) with approx_count_distinct(b)
// in one query ("mixed") against the two run as separate queries
// ("separate"), globally and grouped by g.
func BenchmarkMixedDistinct(b *testing.B) {
	path := writeDistinctParquet(b, b.TempDir())
	for _, grouped := range []bool{false, true} {
		by, sel := "", ""
		name := "global"
		if grouped {
			by, sel, name = " GROUP BY g", "g, ", "grouped"
		}
		cases := []struct {
			name    string
			queries []string
		}{
			{"mixed", []string{"SELECT " + sel + "count(DISTINCT a), approx_count_distinct(b) FROM t" + by}},
			{"separate", []string{
				"SELECT " + sel + "count(DISTINCT a) FROM t" + by,
				"SELECT " + sel + "approx_count_distinct(b) FROM t" + by,
			}},
		}
		for _, c := range cases {
			b.Run(name+"/"+c.name, func(b *testing.B) {
				s := frame.NewSession()
				if err := s.Read().Parquet(path).CreateOrReplaceTempView("t"); err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				b.ResetTimer()
				for range b.N {
					for _, q := range c.queries {
						if _, err := s.SQL(q).Collect(ctx); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
