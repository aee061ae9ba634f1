package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
)

// TestTPCHSuiteOnSamples runs the TPC-H suite over the engine's SF 0.01
// sample tables (linked into a temporary data directory as sf1, so nothing is
// generated): gspark must run all 22 queries with answers that agree with
// DuckDB's, and the TPC-H section must be added to the results file next to
// the other one.
func TestTPCHSuiteOnSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs DuckDB and the engine; skipped with -short")
	}
	dir := t.TempDir()
	sf1 := filepath.Join(dir, "sf1")
	if err := os.MkdirAll(sf1, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range tpch.Tables {
		src, err := filepath.Abs(filepath.Join("../../../samples/data", name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(src, filepath.Join(sf1, name+".parquet")); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "RESULTS.md")
	before := "# Results\n\nintro kept\n\n" + startMarker + "\nbench section kept\n" + endMarker + "\ntrailer kept\n"
	if err := os.WriteFile(out, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config{sf: 1, runs: 1, out: out, dataDir: dir, partitions: 2, threads: 2,
		tpchDir: "../../../testdata/tpch", timeout: 20 * time.Second, memLimit: 1 << 30, suite: "tpch",
		command: "test"}
	var log bytes.Buffer
	if err := runTPCH(context.Background(), cfg, &log); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	t.Log(text)
	for _, want := range []string{"intro kept", "bench section kept", "trailer kept", tpchStartMarker, tpchEndMarker,
		"## TPC-H SF 1, 22 queries", "| Q01 |", "| Q22 |", "(unsupported, failed or timed out): 0;", "answers differing from DuckDB's: 0"} {
		if !strings.Contains(text, want) {
			t.Errorf("results file lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "| ok (runs"); n != 22 {
		t.Errorf("%d queries ok, want 22:\n%s", n, text)
	}
	// Running again replaces the section instead of adding a second one.
	cfg.queries = []string{"q06"}
	if err := runTPCH(context.Background(), cfg, &log); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(out)
	if strings.Count(string(b), tpchStartMarker) != 1 || strings.Contains(string(b), "| Q01 |") {
		t.Errorf("second run did not replace the section:\n%s", b)
	}
}
