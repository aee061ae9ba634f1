// Command reliability is the slow part of the memory reliability suite: it
// runs TPC-H SF 1 group-by, distinct, join, sort and window queries, each in
// its own `gspark sql --memory-limit` process, records the process's peak
// resident set size (with /usr/bin/time), wall time and the most bytes its spill files held, and
// checks every answer against DuckDB on the same Parquet files. It prints a
// table and exits with status 1 when a process's peak RSS passes its limit
// plus the documented runtime overhead (128 MiB), when a query fails, or when
// an answer differs.
//
// Run it from the benchmarks directory:
//
//	go run ./cmd/reliability                      # every query, data/sf1
//	go run ./cmd/reliability -queries groupby-high,join -bin /tmp/gspark
package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
	"github.com/gspark/gspark/frame"
)

// overhead is what a gspark process may hold beyond its --memory-limit: the
// runtime overhead cmd/gspark documents (and gives the Go runtime's soft
// limit).
const overhead = 128 << 20

// timeBin is GNU time, which reports the peak RSS of the process it runs.
const timeBin = "/usr/bin/time"

// query is one reliability query: the same SQL runs in gspark and DuckDB.
type query struct {
	name  string
	limit string // --memory-limit
	sql   string
	// stream marks a query whose (large) result is written to a CSV file and
	// compared with DuckDB's row by row as both are read.
	stream bool
	note   string // known limitation printed beside the row
}

// queries are the suite's queries. The aggregating ones reduce their result
// to a few rows so that the answer is checked exactly while the operator
// under test still holds every group, distinct value or hash-table row.
var queries = []query{
	{name: "groupby-high", limit: "256MiB", sql: `SELECT count(*) AS groups, sum(q) AS q, sum(n) AS n, sum(p) AS p, max(c) AS c, min(d) AS d, sum(k) AS k
FROM (SELECT l_orderkey, sum(l_quantity) AS q, count(*) AS n, sum(l_extendedprice * (1 - l_discount)) AS p,
             max(l_comment) AS c, min(l_shipdate) AS d, max(l_partkey) AS k
      FROM lineitem GROUP BY l_orderkey) t`},
	{name: "groupby-low", limit: "256MiB", sql: `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS q, sum(l_extendedprice) AS p, count(*) AS n, max(l_comment) AS c
FROM lineitem GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus`},
	{name: "distinct", limit: "256MiB", sql: `SELECT count(DISTINCT l_orderkey) AS orders, count(DISTINCT l_partkey) AS parts FROM lineitem`},
	{name: "join", limit: "256MiB", sql: `SELECT o_orderpriority, count(*) AS n, sum(l_extendedprice) AS p, max(o_comment) AS c, sum(o_custkey) AS k
FROM lineitem JOIN orders ON l_orderkey = o_orderkey GROUP BY o_orderpriority ORDER BY o_orderpriority`},
	{name: "orderby-csv", limit: "256MiB", stream: true, sql: `SELECT l_orderkey, l_linenumber, l_shipdate, l_shipmode, l_comment
FROM lineitem ORDER BY l_shipdate, l_orderkey, l_linenumber`},
	{name: "orderby-csv-512", limit: "512MiB", stream: true, sql: `SELECT l_orderkey, l_linenumber, l_shipdate, l_shipmode, l_comment
FROM lineitem ORDER BY l_shipdate, l_orderkey, l_linenumber`},
	{name: "window", limit: "256MiB", note: "window spill is separate work (exec/window)", sql: `SELECT count(*) AS n, sum(rs) AS s, max(rs) AS m
FROM (SELECT sum(l_quantity) OVER (PARTITION BY l_suppkey ORDER BY l_orderkey, l_linenumber ROWS UNBOUNDED PRECEDING) AS rs
      FROM lineitem) t`},
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "reliability:", err)
		os.Exit(1)
	}
}

// result is one query's outcome.
type result struct {
	q       query
	limit   int64
	rss     int64 // peak RSS, bytes
	wall    time.Duration
	spilled int64 // most bytes the process's temp directory held
	rows    int64
	err     error // the process failed or the answer differs
}

func run() error {
	data := flag.String("data", "data/sf1", "directory of the TPC-H SF 1 Parquet files")
	names := flag.String("queries", "", "comma-separated query names (default: all)")
	bin := flag.String("bin", "", "gspark binary to run (default: build ./cmd/gspark of the engine module)")
	partitions := flag.Int("partitions", 0, "--partitions of the gspark processes (0: gspark's default)")
	timeout := flag.Duration("timeout", 20*time.Minute, "time limit of one gspark process")
	keep := flag.Bool("keep", false, "keep the work directory (scripts, CSV outputs)")
	flag.Parse()
	ctx := context.Background()

	selected, err := selectQueries(*names)
	if err != nil {
		return err
	}
	dataDir, err := filepath.Abs(*data)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "gspark-reliability-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Println("work directory:", work)
	} else {
		defer os.RemoveAll(work)
	}
	if *bin == "" {
		b, err := build(ctx, work)
		if err != nil {
			return err
		}
		*bin = b
	}
	conn, closeDuck, err := tpch.OpenDuck(ctx)
	if err != nil {
		return err
	}
	defer closeDuck()
	if err := tpch.DuckViews(ctx, conn, dataDir); err != nil {
		return err
	}

	var results []result
	for _, q := range selected {
		r := runQuery(ctx, conn, *bin, work, dataDir, q, *partitions, *timeout)
		status := "ok"
		if r.err != nil {
			status = r.err.Error()
		}
		fmt.Fprintf(os.Stderr, "%s: peak RSS %.0f MiB, %s, %s\n", q.name, mib(r.rss), r.wall.Round(time.Millisecond), status)
		results = append(results, r)
	}
	failed := report(os.Stdout, results)
	if failed > 0 {
		return fmt.Errorf("%d of %d queries failed", failed, len(results))
	}
	return nil
}

// selectQueries returns the queries named in the comma-separated list
// (every query when it is empty).
func selectQueries(list string) ([]query, error) {
	if strings.TrimSpace(list) == "" {
		return queries, nil
	}
	var out []query
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		found := false
		for _, q := range queries {
			if q.name == n {
				out = append(out, q)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("-queries: no query %q", n)
		}
	}
	return out, nil
}

// build builds the engine's cmd/gspark into dir, from the engine module found
// at the working directory's parent (the benchmarks module sits inside it).
func build(ctx context.Context, dir string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root := filepath.Dir(wd)
	if _, err := os.Stat(filepath.Join(root, "cmd", "gspark")); err != nil {
		return "", fmt.Errorf("run from the benchmarks directory (no ../cmd/gspark): %w", err)
	}
	bin := filepath.Join(dir, "gspark")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/gspark")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build gspark: %w\n%s", err, out)
	}
	return bin, nil
}

// script is the SQL script of a gspark process: a view per TPC-H table, then
// the query.
func script(data, sqlText string) string {
	var b strings.Builder
	for _, t := range tpch.Tables {
		fmt.Fprintf(&b, "CREATE OR REPLACE TEMP VIEW %s USING parquet OPTIONS (path '%s');\n", t, strings.ReplaceAll(filepath.Join(data, t+".parquet"), "'", "''"))
	}
	b.WriteString(sqlText)
	b.WriteString(";\n")
	return b.String()
}

// runQuery runs q in one gspark process and checks its answer with DuckDB.
func runQuery(ctx context.Context, conn *sql.Conn, bin, work, data string, q query, partitions int, timeout time.Duration) result {
	r := result{q: q}
	limit, err := frame.ParseBytes(q.limit)
	if err != nil {
		r.err = fmt.Errorf("limit %q: %w", q.limit, err)
		return r
	}
	r.limit = limit
	dir := filepath.Join(work, q.name)
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		r.err = err
		return r
	}
	scriptPath := filepath.Join(dir, "query.sql")
	if err := os.WriteFile(scriptPath, []byte(script(data, q.sql)), 0o644); err != nil {
		r.err = err
		return r
	}
	outPath := filepath.Join(dir, "out.csv")
	out, err := os.Create(outPath)
	if err != nil {
		r.err = err
		return r
	}
	args := []string{"--memory-limit", q.limit}
	if partitions > 0 {
		args = append(args, "--partitions", fmt.Sprint(partitions))
	}
	args = append(args, "sql", "--format", "csv", "-f", scriptPath)
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// The peak RSS comes from /usr/bin/time: wait4's ru_maxrss of a child
	// this process starts includes this process's own peak (Linux carries
	// the resident set of the memory the child had before exec over into its
	// maximum), and DuckDB makes that large.
	rssPath := filepath.Join(dir, "rss")
	cmd := exec.CommandContext(pctx, timeBin, append([]string{"-f", "%M", "-o", rssPath, bin}, args...)...)
	cmd.Stdout = out
	var stderr strings.Builder
	cmd.Stderr = &stderr
	// Spill files go to os.TempDir(): a directory of the process's own,
	// watched while it runs.
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		out.Close()
		r.err = err
		return r
	}
	done := make(chan struct{})
	spilled := make(chan int64, 1)
	go func() { spilled <- watchDir(tmp, done) }()
	err = cmd.Wait()
	r.wall = time.Since(start)
	close(done)
	r.spilled = <-spilled
	out.Close()
	if b, rerr := os.ReadFile(rssPath); rerr == nil {
		// The last line is the KiB; a failed command's status line comes
		// first.
		f := strings.Fields(string(b))
		if len(f) > 0 {
			if kib, perr := strconv.ParseInt(f[len(f)-1], 10, 64); perr == nil {
				r.rss = kib << 10
			}
		}
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndex(msg, "\n"); i >= 0 {
			msg = msg[i+1:]
		}
		r.err = fmt.Errorf("gspark: %w: %s", err, msg)
		return r
	}
	f, err := os.Open(outPath)
	if err != nil {
		r.err = err
		return r
	}
	defer f.Close()
	rows, err := conn.QueryContext(ctx, q.sql)
	if err != nil {
		r.err = fmt.Errorf("duckdb: %w", err)
		return r
	}
	defer rows.Close()
	r.rows, r.err = compare(csv.NewReader(f), rows)
	return r
}

// watchDir returns the most bytes the files under dir held at once, polled
// every 50 ms until done is closed.
func watchDir(dir string, done <-chan struct{}) int64 {
	var most int64
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		var n int64
		_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					n += info.Size()
				}
			}
			return nil
		})
		most = max(most, n)
		select {
		case <-done:
			return most
		case <-t.C:
		}
	}
}

// compare reads gspark's CSV answer (a header line, then the rows) and
// DuckDB's rows side by side and returns the number of rows, or an error
// naming the first row and column that differ.
func compare(got *csv.Reader, want *sql.Rows) (int64, error) {
	cols, err := want.Columns()
	if err != nil {
		return 0, err
	}
	header, err := got.Read()
	if err != nil {
		return 0, fmt.Errorf("gspark output: no header: %w", err)
	}
	if len(header) != len(cols) {
		return 0, fmt.Errorf("gspark has %d columns %v, DuckDB %d %v", len(header), header, len(cols), cols)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for {
		rec, gerr := got.Read()
		more := want.Next()
		if gerr == io.EOF && !more {
			return n, want.Err()
		}
		if gerr != nil && gerr != io.EOF {
			return n, fmt.Errorf("gspark output line %d: %w", n+2, gerr)
		}
		if gerr == io.EOF {
			return n, fmt.Errorf("answers differ: gspark has %d rows, DuckDB more", n)
		}
		if !more {
			if err := want.Err(); err != nil {
				return n, err
			}
			return n, fmt.Errorf("answers differ: DuckDB has %d rows, gspark more", n)
		}
		if err := want.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("duckdb row %d: %w", n+1, err)
		}
		for i, v := range vals {
			w := duckText(v)
			if !sameCell(rec[i], w) {
				return n, fmt.Errorf("answers differ at row %d, column %s: gspark %q, DuckDB %q", n+1, cols[i], rec[i], w)
			}
		}
		n++
	}
}

// mib is n bytes in MiB.
func mib(n int64) float64 { return float64(n) / (1 << 20) }

// report prints the results table and returns the number of failed queries.
func report(w io.Writer, results []result) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\tlimit\tpeak RSS MiB\tallowed MiB\twall s\tspilled MiB\trows\tstatus\t")
	failed := 0
	for _, r := range results {
		allowed := r.limit + overhead
		status := "ok"
		switch {
		case r.err != nil:
			status = "FAILED: " + r.err.Error()
		case r.rss > allowed:
			status = "OVER LIMIT"
		}
		if status != "ok" {
			failed++
			if r.q.note != "" {
				status += " (" + r.q.note + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%.1f\t%.0f\t%d\t%s\t\n", r.q.name, r.q.limit, mib(r.rss), mib(allowed), r.wall.Seconds(), mib(r.spilled), r.rows, status)
	}
	tw.Flush()
	return failed
}
