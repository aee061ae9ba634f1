package main

import (
	"bytes"
	"context"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/internal/answers"
)

// TestCrossCheckTiny runs the whole harness on small DuckDB-made lineitem and
// orders files: DuckDB and gspark must agree with each other and with the Go
// reference on Q1 and Q6, with each other on the group-by and join queries, and
// the results file must be rewritten between markers.
func TestCrossCheckTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("runs DuckDB and the engine; skipped with -short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "lineitem.parquet")
	d, err := openDuck(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeTinyLineitem(ctx, d, path, 30000, 4000); err != nil {
		t.Fatal(err)
	}
	// 30000 lineitem rows have l_orderkey 1..7500; orders 1..6000 leave some unmatched.
	if err := writeTinyOrders(ctx, d, filepath.Join(dir, "orders.parquet"), 6000, 1000); err != nil {
		t.Fatal(err)
	}
	d.close()

	out := filepath.Join(dir, "RESULTS.md")
	before := "# Results\n\nintro kept\n\n" + startMarker + "\nold\n" + endMarker + "\ntrailer kept\n"
	if err := os.WriteFile(out, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	cfg := config{runs: 1, out: out, queries: allQueries, lineitem: path,
		partitions: 2, threads: 2, workers: 2, command: "test"}
	if err := run(ctx, cfg, &log); err != nil {
		t.Fatalf("%v\nlog:\n%s", err, log.String())
	}
	t.Log(log.String())
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	for _, want := range []string{"intro kept", "trailer kept", "| Q1 |", "| Q6 |", "| groupby-low |", "| groupby-high |", "| join |", "parquet-go", "pqarrow", "| 30000 |"} {
		if !strings.Contains(s, want) {
			t.Errorf("results file lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "\nold\n") || strings.Count(s, startMarker) != 1 {
		t.Errorf("marked section not replaced:\n%s", s)
	}
}

// TestReferenceHandComputed checks the Go reference Q1/Q6 on hand-computed rows.
func TestReferenceHandComputed(t *testing.T) {
	c := &q1Columns{index: map[string]int32{}}
	add := func(rf, ls string, qty, price, disc, tax int64, ship int32) {
		c.returnflag = append(c.returnflag, c.code([]byte(rf)))
		c.linestatus = append(c.linestatus, c.code([]byte(ls)))
		c.quantity = append(c.quantity, qty)
		c.price = append(c.price, price)
		c.disc = append(c.disc, disc)
		c.tax = append(c.tax, tax)
		c.shipdate = append(c.shipdate, ship)
	}
	add("N", "O", 1000, 10000, 5, 2, 8800)        // 10.00 x 100.00 at 5% off, 2% tax, 1994
	add("A", "F", 2000, 20050, 10, 0, 9000)       // 20.00 x 200.50 at 10% off
	add("N", "O", 3000, 30000, 6, 8, day19980902) // last day included
	add("R", "F", 100, 100, 0, 0, day19980902+1)  // excluded from Q1
	q1 := referenceQ1([]*q1Columns{c})
	if len(q1.Rows) != 2 {
		t.Fatalf("Q1 groups: got %d, want 2", len(q1.Rows))
	}
	a := q1.Rows[0]
	// A|F: sum_disc_price = 200.50 * 0.90 = 180.4500, charge = 180.450000.
	if a[0].String() != "A" || a[1].String() != "F" || a[4].String() != "180.4500" || a[5].String() != "180.450000" {
		t.Errorf("A|F row: %v", a)
	}
	n := q1.Rows[1]
	// N|O: qty 40.00; base 400.00; disc price 95 + 282 = 377.0000;
	// charge 95*1.02 + 282*1.08 = 96.9 + 304.56 = 401.460000; avg_disc 0.055.
	if n[2].String() != "40.00" || n[3].String() != "400.00" ||
		n[4].String() != "377.0000" || n[5].String() != "401.460000" ||
		!answers.Same(n[8], answers.Float(0.055)) || n[9].String() != "2" {
		t.Errorf("N|O row: %v", n)
	}
	q6 := referenceQ6([]*q1Columns{c})
	// Only the first row is in 1994 with discount 0.05..0.07 and quantity < 24: 100.00 * 0.05.
	if got := q6.Rows[0][0].String(); got != "5.0000" {
		t.Errorf("Q6 revenue: got %s, want 5.0000", got)
	}
}

// TestCompareTables checks that the benchmark's comparison is in order and
// exact for decimals.
func TestCompareTables(t *testing.T) {
	cols := []answers.Column{{Name: "k"}, {Name: "v"}}
	mk := func(rows ...[]answers.Value) answers.Table { return answers.Table{Columns: cols, Rows: rows} }
	cent := func(n int64) answers.Value { return answers.Decimal(big.NewInt(n), 2) }
	a := []answers.Value{answers.Str("a"), cent(5658655440073)}
	b := []answers.Value{answers.Str("b"), answers.Float(0.5)}
	if err := compareTables("q", "x", mk(a, b), "y", mk(a, b)); err != nil {
		t.Errorf("equal answers: %v", err)
	}
	for name, got := range map[string]answers.Table{
		"one cent":    mk([]answers.Value{answers.Str("a"), cent(5658655440074)}, b),
		"order":       mk(b, a),
		"row count":   mk(a),
		"float value": mk(a, []answers.Value{answers.Str("b"), answers.Float(0.5001)}),
	} {
		if err := compareTables("q", "x", got, "y", mk(a, b)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSpliceResults checks that only the marked section is replaced.
func TestSpliceResults(t *testing.T) {
	sec := startMarker + "\nnew\n" + endMarker + "\n"
	got, err := spliceResults("head\n"+startMarker+"\nold\n"+endMarker+"\ntail\n", sec)
	if err != nil || got != "head\n"+sec+"tail\n" {
		t.Errorf("replace: %q, %v", got, err)
	}
	got, err = spliceResults("head", sec)
	if err != nil || got != "head\n\n"+sec {
		t.Errorf("append: %q, %v", got, err)
	}
	if _, err := spliceResults(endMarker+startMarker, sec); err == nil {
		t.Error("unbalanced markers accepted")
	}
}

// TestAppendMoney checks the dbgen money format.
func TestAppendMoney(t *testing.T) {
	for cents, want := range map[int64]string{0: "0.00", 5: "0.05", 123456: "1234.56", -283: "-2.83", 100: "1.00"} {
		if got := string(appendMoney(nil, cents)); got != want {
			t.Errorf("appendMoney(%d) = %s, want %s", cents, got, want)
		}
	}
}

// TestMedianOf checks the warm-up call and the median of odd and even run counts.
func TestMedianOf(t *testing.T) {
	for _, runs := range []int{1, 2, 3, 4} {
		calls := 0
		tm, err := medianOf(context.Background(), runs, func(context.Context) error { calls++; return nil })
		if err != nil || calls != runs+1 {
			t.Errorf("runs=%d: calls=%d err=%v", runs, calls, err)
		}
		if tm.min > tm.median || tm.median > tm.max {
			t.Errorf("runs=%d: min %v median %v max %v out of order", runs, tm.min, tm.median, tm.max)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := medianOf(ctx, 3, func(ctx context.Context) error { return ctx.Err() }); err == nil {
		t.Error("cancelled context not reported")
	}
}
