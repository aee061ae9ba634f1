package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIOSuiteTiny runs suite io over files made from a small lineitem: the
// CSV must hold quoted fields (commas and doubled quotes), both files must
// reach the requested size, both engines must agree with 1 and 2 cores, and
// the section must land between its markers.
func TestIOSuiteTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("runs DuckDB and the engine; skipped with -short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "lineitem.parquet")
	d, err := openDuck(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeTinyLineitem(ctx, d, src, 30000, 4000); err != nil {
		t.Fatal(err)
	}
	d.close()
	out := filepath.Join(dir, "RESULTS.md")
	if err := os.WriteFile(out, []byte("# Results\n\nintro kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const minBytes = 6 << 20
	var log bytes.Buffer
	cfg := config{runs: 1, out: out, lineitem: src, dataDir: dir, command: "test"}
	if err := runIOWith(ctx, cfg, minBytes, &log); err != nil {
		t.Fatalf("%v\nlog:\n%s", err, log.String())
	}
	t.Log(log.String())
	text, err := os.ReadFile(filepath.Join(dir, "io", "lineitem.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(text) < minBytes || !strings.Contains(string(text), `5'11"" tall"`) || !strings.Contains(string(text), `, AIR"`) {
		t.Errorf("CSV of %d bytes lacks the quoted fields; starts %q", len(text), text[:min(len(text), 400)])
	}
	if st, err := os.Stat(filepath.Join(dir, "io", "lineitem.parquet")); err != nil || st.Size() < minBytes {
		t.Errorf("Parquet file: %v, %v", st, err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	for _, want := range []string{"intro kept", ioStartMarker, ioEndMarker, "| csv |", "| parquet |"} {
		if !strings.Contains(s, want) {
			t.Errorf("results file lacks %q:\n%s", want, s)
		}
	}
}
