package frame_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func TestWriteParquetRoundTripAndModes(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(3))
	dir := filepath.Join(t.TempDir(), "out")
	src := s.Table("samples.orders").Filter(F.Col("o_orderstatus").Eq("F")).Select(F.Col("o_orderkey"), F.Col("o_totalprice"), F.Col("o_orderdate"), F.Col("o_comment"))
	want := collect(t, src.OrderBy(F.Col("o_orderkey")))

	if err := src.Write().Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	files := listDir(t, dir)
	if len(files) < 2 || files[0] != "_SUCCESS" && !strings.HasPrefix(files[0], "part-") {
		t.Fatalf("unexpected files %v", files)
	}
	back := s.Read().Parquet(dir)
	got := collect(t, back.OrderBy(F.Col("o_orderkey")))
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip differs: %d rows vs %d", len(got), len(want))
	}

	// error mode refuses an existing path and leaves it alone.
	err := src.Write().Parquet(ctx, dir)
	if err == nil || !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("error mode on an existing path: %v", err)
	}
	// ignore mode writes nothing.
	if err := src.Limit(1).Write().Mode("ignore").Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Read().Parquet(dir).Count(ctx); n != int64(len(want)) {
		t.Fatalf("ignore mode changed the data: %d rows", n)
	}
	// append adds rows.
	if err := src.Limit(5).Write().Mode("append").Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Read().Parquet(dir).Count(ctx); n != int64(len(want)+5) {
		t.Fatalf("after append: %d rows, want %d", n, len(want)+5)
	}
	// overwrite replaces.
	if err := src.Limit(7).Write().Mode("overwrite").Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Read().Parquet(dir).Count(ctx); n != 7 {
		t.Fatalf("after overwrite: %d rows, want 7", n)
	}
}

func TestFailedWriteLeavesNothingBehind(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	// The cast fails on a row in the middle of the data (ANSI mode).
	bad := s.Table("samples.nation").Select(F.When(F.Col("n_nationkey").Eq(17), "oops").Otherwise(F.Col("n_nationkey").Cast("string")).Cast("int").Alias("k"))
	if err := bad.Write().Parquet(ctx, dir); err == nil {
		t.Fatal("the write should fail")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Fatalf("a failed write left %v", entries)
	}
	// An existing dataset survives a failed overwrite untouched.
	good := s.Table("samples.region")
	if err := good.Write().Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	before := listDir(t, dir)
	if err := bad.Write().Mode("overwrite").Parquet(ctx, dir); err == nil {
		t.Fatal("the overwrite should fail")
	}
	if after := listDir(t, dir); !reflect.DeepEqual(before, after) {
		t.Fatalf("failed overwrite changed the dataset: %v -> %v", before, after)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	// A cancelled write leaves nothing either.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := good.Write().Parquet(cctx, filepath.Join(root, "cancelled")); err == nil {
		t.Fatal("a cancelled write should fail")
	}
	if _, err := os.Stat(filepath.Join(root, "cancelled")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("cancelled write left output: %v", err)
	}
}

func TestWriteCSVWithHeader(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	dir := filepath.Join(t.TempDir(), "csv")
	if err := s.Table("samples.region").Select(F.Col("r_regionkey"), F.Col("r_name")).OrderBy(F.Col("r_regionkey")).Write().Option("header", "true").CSV(ctx, dir); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, f := range listDir(t, dir) {
		if strings.HasPrefix(f, "part-") {
			parts = append(parts, f)
		}
	}
	if len(parts) != 1 {
		t.Fatalf("parts %v", parts)
	}
	b, err := os.ReadFile(filepath.Join(dir, parts[0]))
	if err != nil {
		t.Fatal(err)
	}
	want := "r_regionkey,r_name\n0,AFRICA\n1,AMERICA\n2,ASIA\n3,EUROPE\n4,MIDDLE EAST\n"
	if string(b) != want {
		t.Fatalf("got %q want %q", b, want)
	}
	back := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(dir)
	if n, err := back.Count(ctx); err != nil || n != 5 {
		t.Fatalf("read back %d rows: %v", n, err)
	}
}

// Two columns of one name (ignoring case) are refused before anything is
// written, in every format, as Spark does.
func TestWriteRefusesDuplicateColumns(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession()
	df := s.SQL("SELECT 1 AS a, 2 AS b, 3 AS A")
	for _, format := range []string{"parquet", "csv", "json"} {
		dir := filepath.Join(t.TempDir(), "out")
		err := df.Write().Format(format).Save(ctx, dir)
		if err == nil || !strings.Contains(err.Error(), "duplicate column(s) in the data to save: `A`") {
			t.Errorf("%s: %v", format, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: the directory was written: %v", format, err)
		}
	}
	if err := s.SQL("SELECT 1 AS a, 3 AS c").Write().Parquet(ctx, filepath.Join(t.TempDir(), "ok")); err != nil {
		t.Errorf("distinct names: %v", err)
	}
}
