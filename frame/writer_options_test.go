package frame

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gspark/gspark/io/parquet"
)

// partFiles is the data files under dir (recursively, relative paths)
// with the rows of each, read back with gspark's reader.
func partFiles(t *testing.T, dir string) map[string][]int64 {
	t.Helper()
	out := map[string][]int64{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".parquet") {
			return err
		}
		f, err := parquet.OpenFile(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, p)
		var groups []int64
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			groups = append(groups, f.RowGroupNumRows(rg))
		}
		out[rel] = groups
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fileRows sums each file's row groups, sorted, per directory.
func fileRows(files map[string][]int64) map[string][]int64 {
	out := map[string][]int64{}
	for name, groups := range files {
		var n int64
		for _, g := range groups {
			n += g
		}
		d := filepath.Dir(name)
		out[d] = append(out[d], n)
	}
	for _, v := range out {
		sort.Slice(v, func(i, j int) bool { return v[i] > v[j] })
	}
	return out
}

// TestWriteMaxRecordsPerFile: one partition's 10 rows in files of at most
// 3 rows are files of 3, 3, 3 and 1; with PartitionBy each directory's
// rows roll over on their own.
func TestWriteMaxRecordsPerFile(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	dir := filepath.Join(t.TempDir(), "out")
	df := s.SQL("SELECT id, id % 2 AS k FROM range(10)").Coalesce(1)
	if err := df.Write().Option("maxRecordsPerFile", "3").Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if got := fileRows(partFiles(t, dir)); len(got) != 1 || fmtInts(got["."]) != "3 3 3 1" {
		t.Errorf("files: %v, want rows 3 3 3 1", got)
	}
	n, err := s.Read().Parquet(dir).Count(ctx)
	if err != nil || n != 10 {
		t.Errorf("read back %d rows, %v", n, err)
	}
	pdir := filepath.Join(t.TempDir(), "parts")
	if err := df.Write().PartitionBy("k").Option("maxRecordsPerFile", "2").Parquet(ctx, pdir); err != nil {
		t.Fatal(err)
	}
	got := fileRows(partFiles(t, pdir))
	if fmtInts(got["k=0"]) != "2 2 1" || fmtInts(got["k=1"]) != "2 2 1" || len(got) != 2 {
		t.Errorf("partitioned files: %v, want 2 2 1 in k=0 and k=1", got)
	}
	// No limit: one file.
	one := filepath.Join(t.TempDir(), "one")
	if err := df.Write().Option("maxRecordsPerFile", "0").Parquet(ctx, one); err != nil {
		t.Fatal(err)
	}
	if got := fileRows(partFiles(t, one)); fmtInts(got["."]) != "10" {
		t.Errorf("maxRecordsPerFile 0: %v", got)
	}
	if err := df.Write().Option("maxRecordsPerFile", "x").Parquet(ctx, filepath.Join(t.TempDir(), "bad")); err == nil || !strings.Contains(err.Error(), "maxRecordsPerFile") {
		t.Errorf("bad value: %v", err)
	}
	// Text formats roll over too.
	cdir := filepath.Join(t.TempDir(), "csv")
	if err := df.Write().Option("maxRecordsPerFile", "4").CSV(ctx, cdir); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(cdir, "*.csv")); len(files) != 3 {
		t.Errorf("csv files %v, want 3", files)
	}
}

func fmtInts(v []int64) string { return strings.Trim(fmt.Sprint(v), "[]") }

// TestWriteRowGroupSize: rowGroupRows and parquet.block.size bound the row
// groups of the files written.
func TestWriteRowGroupSize(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	df := s.SQL("SELECT id FROM range(1000)").Coalesce(1)
	dir := filepath.Join(t.TempDir(), "rows")
	if err := df.Write().Option("rowGroupRows", "400").Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	for _, groups := range partFiles(t, dir) {
		if fmtInts(groups) != "400 400 200" {
			t.Errorf("rowGroupRows 400: row groups %v", groups)
		}
	}
	// 1000 bigint values without nulls are 8000 bytes: 800-byte row groups
	// hold 100 rows each.
	dir = filepath.Join(t.TempDir(), "bytes")
	if err := df.Write().Option("parquet.block.size", "800").Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	for _, groups := range partFiles(t, dir) {
		if fmtInts(groups) != "100 100 100 100 100 100 100 100 100 100" {
			t.Errorf("parquet.block.size 800: row groups %v", groups)
		}
	}
	n, err := s.Read().Parquet(dir).Count(ctx)
	if err != nil || n != 1000 {
		t.Errorf("read back %d rows, %v", n, err)
	}
	if err := df.Write().Option("parquet.block.size", "-1").Parquet(ctx, filepath.Join(t.TempDir(), "bad")); err == nil || !strings.Contains(err.Error(), "parquet.block.size") {
		t.Errorf("bad size: %v", err)
	}
}
