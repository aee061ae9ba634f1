package frame

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestReadGlob reads part files through a glob from Go and from SQL.
func TestReadGlob(t *testing.T) {
	ctx := context.Background()
	s := NewSession()
	dir := t.TempDir()
	for i, p := range []string{"a/x.csv", "b/x.csv", "b/y.csv", "c/x.txt"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("v\n"+string(rune('1'+i))+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Read().Option("header", "true").CSV(filepath.Join(dir, "*/x.csv")).Count(ctx)
	if err != nil || n != 2 {
		t.Fatalf("Go glob: %d rows, %v; want 2", n, err)
	}
	// csv.`path` reads without a header line, as in Spark: three files of
	// two lines each.
	rows, err := s.SQL("SELECT count(*), count(DISTINCT _c0) FROM csv.`" + filepath.Join(dir, "[ab]/*.csv") + "`").Collect(ctx)
	if err != nil || len(rows) != 1 || rows[0][0] != int64(6) || rows[0][1] != int64(4) {
		t.Fatalf("SQL glob: %v, %v; want 6 rows, 4 distinct", rows, err)
	}
}
