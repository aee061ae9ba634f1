package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
	"github.com/gspark/gspark/internal/answers"
)

// TestParseJSONAnswer reads `gspark sql --format json` output by the result
// schema's types: a decimal exactly, a double as a double, nulls, dates.
func TestParseJSONAnswer(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "flag", Type: arrow.BinaryTypes.String},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64},
		{Name: "price", Type: &arrow.Decimal128Type{Precision: 38, Scale: 2}},
		{Name: "avg", Type: arrow.PrimitiveTypes.Float64},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32},
	}, nil)
	out := `[
  {"flag": "A", "n": 3, "price": 1234.50, "avg": 0.049999999999, "d": "1998-09-02"},
  {"flag": null, "n": -1, "price": null, "avg": 1e+21, "d": null}
]
`
	got, err := parseJSONAnswer([]byte(out), schema)
	if err != nil {
		t.Fatal(err)
	}
	want, err := answers.Read(strings.NewReader("flag:VARCHAR,n:BIGINT,\"price:DECIMAL(38,2)\",avg:DOUBLE,d:DATE\n" +
		"A,3,1234.5,0.049999999999,1998-09-02\nNULL,-1,NULL,1e21,NULL\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := answers.Compare(got, want, []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	// A decimal is exact: one cent off disagrees.
	off, err := parseJSONAnswer([]byte(strings.Replace(out, "1234.50", "1234.51", 1)), schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := answers.Compare(off, want, []int{0, 1}); err == nil {
		t.Error("1234.51 agreed with 1234.50")
	}
	for _, bad := range []string{
		``,
		`[{"flag": "A"}]`,
		`[{"n": 3, "flag": "A", "price": 1, "avg": 1, "d": null}]`,
		`[{"flag": "A", "n": 3.5, "price": 1, "avg": 1, "d": null}]`,
		`[{"flag": "A", "n": 3, "price": 1, "avg": 1, "d": "1998-13-01"}]`,
		"[]\n[]\n",
	} {
		if _, err := parseJSONAnswer([]byte(bad), schema); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
	if got, err := parseJSONAnswer([]byte("[]\n"), schema); err != nil || len(got.Rows) != 0 {
		t.Errorf("empty result: %v, %d rows", err, len(got.Rows))
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"2GiB": 2 << 30, "512MB": 512e6, "1g": 1 << 30, "1048576": 1 << 20, "0": 0, "1.5KiB": 1536} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "-1GiB", "2XB"} {
		if _, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q): no error", in)
		}
	}
}

// TestOneshotMarkdown checks the one-shot section's ratios, geometric means
// (by hand: best 2/1 and 9/3 → sqrt(6); median 4/1 and 12/3 → 4) and the
// peak RSS over 2.5 GiB.
func TestOneshotMarkdown(t *testing.T) {
	r := oneshotReport{tpchReport: tpchReport{sf: 10, runs: 3, partitions: 2, threads: 2}, memory: "2GiB"}
	r.rows = []oneshotRow{
		{query: "Q01", best: 2 * time.Millisecond, median: 4 * time.Millisecond, duckdb: time.Millisecond, rss: 100 << 20, status: "ok"},
		{query: "Q02", best: 9 * time.Millisecond, median: 12 * time.Millisecond, duckdb: 3 * time.Millisecond, rss: 3 << 30, status: "ok"},
		{query: "Q03", duckdb: 3 * time.Millisecond, rss: 1 << 30, status: "failed: exit status 1"},
	}
	r.summarize()
	md := r.markdown()
	for _, want := range []string{"<!-- tpch-oneshot-sf10:start -->", "<!-- tpch-oneshot-sf10:end -->",
		"`--memory-limit 2GiB`", "| Q01 | 2.0 | 4.0 | 1.0 | 2.00 | 4.00 | 100 |", "| 3072 (over 2.5 GiB) |",
		"best **2.45**, median **4.00**", "Largest peak RSS: 3072 MiB (over 2.5 GiB: Q02)", "(Q03)"} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
}

// TestOneshotOnSamples runs two TPC-H queries over the SF 0.01 sample tables
// as gspark processes: the answers must agree with DuckDB's, the peak RSS
// must be measured, and the one-shot section must be written beside the
// in-process one without touching it.
func TestOneshotOnSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gspark and runs DuckDB; skipped with -short")
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
	before := "# Results\n\n" + tpchStartMarker + "\nin-process section kept\n" + tpchEndMarker + "\n"
	if err := os.WriteFile(out, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config{sf: 1, runs: 1, out: out, dataDir: dir, partitions: 2, threads: 2, queries: []string{"q01", "q18"},
		tpchDir: "../../../testdata/tpch", timeout: time.Minute, memLimit: 1 << 30, memText: "1GiB", suite: "tpch",
		oneshot: true, command: "test"}
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
	for _, want := range []string{"in-process section kept", "<!-- tpch-oneshot-sf1:start -->", "`--memory-limit 1GiB`",
		"answers differing from DuckDB's: 0", "(unsupported, failed or timed out): 0;"} {
		if !strings.Contains(text, want) {
			t.Errorf("results file lacks %q", want)
		}
	}
	if n := strings.Count(text, "| ok (gspark runs"); n != 2 {
		t.Errorf("%d queries ok, want 2", n)
	}
	if strings.Contains(text, "| n/a | 4 | ok") || strings.Contains(text, "Largest peak RSS: 0 MiB") {
		t.Error("peak RSS not measured")
	}
}
