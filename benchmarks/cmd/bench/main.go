// Command bench measures gspark side by side with DuckDB. With -suite tpch it
// runs the 22 TPC-H queries of ../testdata/tpch over all eight tables
// (generated when missing), checks that both engines' answers agree and
// rewrites the TPC-H section of RESULTS.md (with -oneshot, or -sf 10 and
// more, each query runs as its own `gspark sql -f` process, timed with its
// peak RSS, into a section of its own); by default (-suite micro) it
// measures TPC-H Q1 and Q6 over
// a lineitem Parquet file, and on a low- and a high-cardinality group-by and a
// lineitem ⋈ orders join; it checks that both engines (and, for Q1/Q6, a plain
// Go reference) return the same answers, measures the bare Parquet decode of
// Q1's columns as the scan's speed limit, and rewrites the marked section of
// RESULTS.md.
//
// Run from the benchmarks directory:
//
//	go run ./cmd/bench -sf 1 -runs 3 [-out RESULTS.md] [-queries q1,q6,scan,groupby-low,groupby-high,join]
//	go run ./cmd/bench -sf 1 -runs 3 -suite tpch [-queries q01,q06]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/internal/answers"
)

// config holds the harness settings.
type config struct {
	sf         int
	runs       int
	out        string   // results file; empty: do not write
	queries    []string // subset of allQueries
	dataDir    string
	lineitem   string // explicit lineitem file; empty: dataDir/sf<N>/lineitem.parquet, generated when missing
	orders     string // explicit orders file; empty: next to an explicit lineitem, else dataDir/sf<N>/orders.parquet, generated when missing
	partitions int    // gspark partitions
	threads    int    // DuckDB threads
	workers    int    // goroutines of the scan baselines
	command    string // as shown in the results
	suite      string // "micro" (the default set above) or "tpch"
	tpchDir    string // directory of the TPC-H queries qNN.sql and order_keys.txt
	timeout    time.Duration
	memLimit   int64  // gspark's per-query memory limit in the tpch suite (0: none)
	memText    string // memLimit as given on the command line, passed to --memory-limit
	startup    bool   // measure `gspark sql -e "SELECT 1"` (suite tpch)
	oneshot    bool   // suite tpch: run each query as its own `gspark sql -f` process
	scriptDir  string // where the one-shot scripts are written (set by runTPCH)
}

func main() {
	var cfg config
	var queries string
	flag.IntVar(&cfg.sf, "sf", 1, "TPC-H scale factor (whole numbers; the data is generated when missing)")
	flag.IntVar(&cfg.runs, "runs", 3, "timed runs per query and engine (after one warm-up)")
	flag.StringVar(&cfg.out, "out", "RESULTS.md", "results file whose marked section is rewritten (empty: none)")
	flag.StringVar(&queries, "queries", "q1,q6,scan", "comma-separated subset of "+strings.Join(allQueries, ","))
	flag.StringVar(&cfg.dataDir, "data", "data", "data directory")
	flag.StringVar(&cfg.lineitem, "lineitem", "", "use this lineitem Parquet file instead of generated data")
	flag.StringVar(&cfg.orders, "orders", "", "use this orders Parquet file (join) instead of generated data; default with -lineitem: orders.parquet next to it")
	flag.IntVar(&cfg.partitions, "partitions", 2, "gspark partitions")
	flag.IntVar(&cfg.threads, "threads", 2, "DuckDB threads")
	flag.IntVar(&cfg.workers, "workers", 2, "goroutines of the scan baselines")
	flag.StringVar(&cfg.suite, "suite", "micro", "micro: the queries of -queries; tpch: the 22 TPC-H queries over all eight tables (-queries may pick a subset, e.g. q01,q06); io: one ≥1 GiB CSV and one ≥1 GiB Parquet file scanned with 1 and 2 cores")
	flag.StringVar(&cfg.tpchDir, "tpch-queries", "../testdata/tpch", "directory of the TPC-H queries q01.sql ... q22.sql and their ORDER BY keys, order_keys.txt (suite tpch)")
	flag.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "longest a gspark TPC-H query may run before it is reported as a timeout (suite tpch)")
	flag.StringVar(&cfg.memText, "memory", "12GiB", "gspark's per-query memory limit, e.g. 2GiB or a number of bytes (suite tpch; 0: none)")
	flag.BoolVar(&cfg.startup, "startup", true, "also build ../cmd/gspark and time `gspark sql -e \"SELECT 1\"` (suite tpch)")
	flag.BoolVar(&cfg.oneshot, "oneshot", false, "suite tpch: run each query as one `gspark sql -f` process (built from ../cmd/gspark; process start and view creation included) with its peak RSS, beside DuckDB in-process, in its own section of the results file; the default with -sf 10 or more")
	flag.Parse()
	var err error
	if cfg.memLimit, err = parseBytes(cfg.memText); err != nil {
		fmt.Fprintln(os.Stderr, "bench: -memory:", err)
		os.Exit(2)
	}
	oneshotSet := false
	flag.Visit(func(f *flag.Flag) { oneshotSet = oneshotSet || f.Name == "oneshot" })
	if !oneshotSet && cfg.sf >= 10 {
		cfg.oneshot = true
	}
	queriesSet := false
	flag.Visit(func(f *flag.Flag) { queriesSet = queriesSet || f.Name == "queries" })
	cfg.queries = strings.Split(queries, ",")
	args := []string{"go run ./cmd/bench"}
	for _, a := range os.Args[1:] {
		if a == "" || strings.ContainsAny(a, " '\"") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		args = append(args, a)
	}
	cfg.command = strings.Join(args, " ")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch cfg.suite {
	case "micro":
		if cfg.oneshot {
			err = errors.New("-oneshot needs -suite tpch")
			break
		}
		err = run(ctx, cfg, os.Stdout)
	case "tpch":
		if !queriesSet {
			cfg.queries = nil
		}
		err = runTPCH(ctx, cfg, os.Stdout)
	case "io":
		if !queriesSet {
			cfg.queries = nil
		}
		err = runIO(ctx, cfg, os.Stdout)
	default:
		err = fmt.Errorf("unknown suite %q (want micro, tpch or io)", cfg.suite)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// parseBytes reads sizes like 512MB, 2GiB, 1g or 1048576, as gspark's
// --memory-limit does (frame.ParseBytes).
func parseBytes(s string) (int64, error) { return frame.ParseBytes(s) }

// allQueries are the query names -queries accepts, in the order they run.
var allQueries = []string{"q1", "q6", "groupby-low", "groupby-high", "join", "scan"}

// referenceQueries have a plain Go reference answer.
var referenceQueries = []string{"q1", "q6"}

// inputs are the Parquet files the queries read.
type inputs struct {
	lineitem string
	orders   string // empty when no query needs it
}

// errMismatch marks a disagreement between engines.
var errMismatch = errors.New("answers disagree")

// run executes the harness described by cfg, printing progress to log.
func run(ctx context.Context, cfg config, log io.Writer) error {
	for _, q := range cfg.queries {
		if !slices.Contains(allQueries, q) {
			return fmt.Errorf("unknown query %q (want one of %s)", q, strings.Join(allQueries, ", "))
		}
	}
	if cfg.runs < 1 {
		return fmt.Errorf("runs must be at least 1, got %d", cfg.runs)
	}
	d, err := openDuck(ctx, cfg.threads)
	if err != nil {
		return err
	}
	defer d.close()
	path := cfg.lineitem
	dataNote := path
	if path == "" {
		path = lineitemPath(cfg.dataDir, cfg.sf)
		if err := ensureLineitem(ctx, d, path, cfg.sf, log); err != nil {
			return err
		}
		dataNote = fmt.Sprintf("TPC-H lineitem SF %d (dbgen via go-tpc, converted by DuckDB: snappy, 122880-row groups)", cfg.sf)
	}
	if st, err := os.Stat(path); err == nil {
		dataNote += fmt.Sprintf(", %s, %.1f MiB", path, float64(st.Size())/(1<<20))
	}
	in := inputs{lineitem: path}
	if slices.Contains(cfg.queries, "join") {
		in.orders = cfg.orders
		switch {
		case in.orders != "":
			dataNote += "; orders: " + in.orders
		case cfg.lineitem != "":
			in.orders = filepath.Join(filepath.Dir(cfg.lineitem), "orders.parquet")
			dataNote += "; orders: " + in.orders
		default:
			in.orders = ordersPath(cfg.dataDir, cfg.sf)
			if err := ensureOrders(ctx, d, in.orders, cfg.sf, log); err != nil {
				return err
			}
			dataNote += fmt.Sprintf("; TPC-H orders SF %d (same generation), %s", cfg.sf, in.orders)
		}
		st, err := os.Stat(in.orders)
		if err != nil {
			return fmt.Errorf("orders file for the join: %w", err)
		}
		dataNote += fmt.Sprintf(", %.1f MiB", float64(st.Size())/(1<<20))
	}
	rep := report{when: time.Now(), command: cfg.command, data: dataNote, load: loadAverage()}

	// A plain Go reference over a parquet-go decode checks both engines.
	var ref []*q1Columns
	if slices.Contains(cfg.queries, "q1") || slices.Contains(cfg.queries, "q6") {
		if ref, err = scanParquetGo(ctx, path, cfg.workers); err != nil {
			return err
		}
	}
	for _, q := range allQueries {
		if q == "scan" || !slices.Contains(cfg.queries, q) {
			continue
		}
		row, err := runQuery(ctx, cfg, d, in, q, ref, log)
		if err != nil {
			return err
		}
		rep.rows = append(rep.rows, row)
	}
	if slices.Contains(cfg.queries, "scan") {
		rows, err := runScans(ctx, cfg, path, log)
		if err != nil {
			return err
		}
		rep.scans = rows
	}
	fmt.Fprint(log, rep.markdown())
	if cfg.out != "" {
		if err := writeResults(cfg.out, rep); err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s\n", cfg.out)
	}
	return nil
}

// runQuery measures one query on both engines and checks the answers against
// each other and, for Q1 and Q6, against the Go reference.
func runQuery(ctx context.Context, cfg config, d *duck, in inputs, q string, ref []*q1Columns, log io.Writer) (resultRow, error) {
	row := resultRow{query: q}
	hasRef := slices.Contains(referenceQueries, q)
	var want answers.Table
	switch q {
	case "q1":
		row.query, want = "Q1", referenceQ1(ref)
	case "q6":
		row.query, want = "Q6", referenceQ6(ref)
	}
	duckRun, err := duckRunner(d, in, q)
	if err != nil {
		return row, err
	}
	duckAns, duckTime, err := measure(ctx, cfg.runs, duckRun)
	if err != nil {
		return row, fmt.Errorf("DuckDB %s: %w", q, err)
	}
	if hasRef {
		if err := compareTables(q, "DuckDB", duckAns, "Go reference", want); err != nil {
			return row, fmt.Errorf("%w: %w", errMismatch, err)
		}
	}
	row.duckdb = duckTime.median
	fmt.Fprintf(log, "%s DuckDB median %s ms (%s)\n", q, ms(duckTime.median), duckTime.spread())
	gRun, err := gsparkRunner(in, q, cfg.partitions)
	if err != nil {
		return row, err
	}
	gAns, gTime, err := measure(ctx, cfg.runs, gRun)
	if err != nil {
		return row, fmt.Errorf("gspark %s: %w", q, err)
	}
	if err := compareTables(q, "gspark", gAns, "DuckDB", duckAns); err != nil {
		return row, fmt.Errorf("%w: %w", errMismatch, err)
	}
	agree := "gspark = DuckDB"
	if hasRef {
		if err := compareTables(q, "gspark", gAns, "Go reference", want); err != nil {
			return row, fmt.Errorf("%w: %w", errMismatch, err)
		}
		agree += " = Go reference"
	}
	row.gspark = gTime.median
	row.notes = fmt.Sprintf("answers agree (%s, %d row(s)); runs gspark %s, DuckDB %s ms",
		agree, len(gAns.Rows), gTime.spread(), duckTime.spread())
	fmt.Fprintf(log, "%s gspark median %s ms (%s)\n", q, ms(gTime.median), gTime.spread())
	return row, nil
}

// runScans measures the two scan baselines.
func runScans(ctx context.Context, cfg config, path string, log io.Writer) ([]scanRow, error) {
	var rows int64
	pg, err := medianOf(ctx, cfg.runs, func(ctx context.Context) error {
		parts, err := scanParquetGo(ctx, path, cfg.workers)
		rows = 0
		for _, p := range parts {
			rows += int64(p.rows())
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("parquet-go scan: %w", err)
	}
	fmt.Fprintf(log, "scan parquet-go median %s ms (%s)\n", ms(pg.median), pg.spread())
	out := []scanRow{{
		reader: fmt.Sprintf("parquet-go → Go slices, %d goroutines", cfg.workers),
		median: pg.median, rows: rows,
		notes: "decoded page buffers (Page.Data; Int64Reader/Int32Reader when a page offers one), dictionary pages gathered, strings dictionary-coded; runs " + pg.spread() + " ms",
	}}
	const batch = 64 * 1024
	var arrowRows int64
	ar, err := medianOf(ctx, cfg.runs, func(ctx context.Context) error {
		var err error
		arrowRows, err = scanArrow(ctx, path, cfg.workers, batch)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pqarrow scan: %w", err)
	}
	fmt.Fprintf(log, "scan pqarrow median %s ms (%s)\n", ms(ar.median), ar.spread())
	out = append(out, scanRow{
		reader: fmt.Sprintf("arrow-go pqarrow → Arrow batches, %d goroutines", cfg.workers),
		median: ar.median, rows: arrowRows,
		notes: fmt.Sprintf("FileReader Parallel=true, BatchSize=%d; runs %s ms", batch, ar.spread()),
	})
	var gsRows int64
	gs, err := medianOf(ctx, cfg.runs, func(ctx context.Context) error {
		var err error
		gsRows, err = scanGspark(ctx, path, cfg.workers)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("gspark scan: %w", err)
	}
	fmt.Fprintf(log, "scan gspark median %s ms (%s)\n", ms(gs.median), gs.spread())
	out = append(out, scanRow{
		reader: fmt.Sprintf("gspark io/parquet → Arrow batches, %d goroutines", cfg.workers),
		median: gs.median, rows: gsRows,
		notes: "the engine's own decoder (parquet-go pages into Arrow buffers, pooled allocator), row groups split as the scan splits them; runs " + gs.spread() + " ms",
	})
	return out, nil
}

// measure runs fn once to warm up and then runs times, returning the last answer
// and the timing.
func measure(ctx context.Context, runs int, fn func(ctx context.Context) (answers.Table, error)) (answers.Table, timing, error) {
	var last answers.Table
	med, err := medianOf(ctx, runs, func(ctx context.Context) error {
		var err error
		last, err = fn(ctx)
		return err
	})
	return last, med, err
}

// timing is the outcome of repeated runs.
type timing struct {
	median, min, max time.Duration
}

// spread renders the fastest and slowest run.
func (t timing) spread() string { return ms(t.min) + "–" + ms(t.max) }

// medianOf runs fn once to warm up, then runs times, and returns the median,
// fastest and slowest wall times.
func medianOf(ctx context.Context, runs int, fn func(ctx context.Context) error) (timing, error) {
	if err := fn(ctx); err != nil {
		return timing{}, err
	}
	times := make([]time.Duration, runs)
	for i := range times {
		if err := ctx.Err(); err != nil {
			return timing{}, err
		}
		start := time.Now()
		if err := fn(ctx); err != nil {
			return timing{}, err
		}
		times[i] = time.Since(start)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	t := timing{median: times[runs/2], min: times[0], max: times[runs-1]}
	if runs%2 == 0 {
		t.median = (times[runs/2-1] + times[runs/2]) / 2
	}
	return t, nil
}
