package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/internal/answers"
)

// Markers delimiting the TPC-H section of RESULTS.md.
const (
	tpchStartMarker = "<!-- tpch:start -->"
	tpchEndMarker   = "<!-- tpch:end -->"
)

// tpchRow is one query's line of the TPC-H table.
type tpchRow struct {
	query   string
	gspark  time.Duration // 0 when gspark did not run it
	duckdb  time.Duration
	rows    int
	status  string // "ok", "unsupported: ...", "timeout", "MISMATCH: ..."
	spreads string
}

// tpchReport is everything written between the TPC-H markers.
type tpchReport struct {
	when          time.Time
	sf            int
	command       string
	data          string
	load          string
	commit        string
	duckVersion   string
	partitions    int
	threads       int
	runs          int
	startup       time.Duration
	startupErr    string
	rows          []tpchRow
	geomean       float64
	measured      int
	unsupported   int
	mismatched    int
	unsupportedBy []string
}

// runTPCH runs the TPC-H suite: generate the eight tables when missing, run the
// chosen queries on DuckDB and gspark, check that the answers agree, and
// report (and write) the timings.
func runTPCH(ctx context.Context, cfg config, log io.Writer) error {
	if cfg.runs < 1 {
		return fmt.Errorf("runs must be at least 1, got %d", cfg.runs)
	}
	names := tpch.QueryNames()
	if len(cfg.queries) > 0 {
		for _, q := range cfg.queries {
			if !strings.HasPrefix(q, "q") || len(q) != 3 || !slices.Contains(names, q) {
				return fmt.Errorf("unknown TPC-H query %q (want q01..q22)", q)
			}
		}
		names = cfg.queries
	}
	orderKeys, err := answers.ReadOrderKeysFile(filepath.Join(cfg.tpchDir, answers.OrderKeysFile))
	if err != nil {
		return err
	}
	d, err := openDuck(ctx, cfg.threads)
	if err != nil {
		return err
	}
	defer d.close()
	dir, err := ensureTPCH(ctx, d, cfg.dataDir, cfg.sf, log)
	if err != nil {
		return err
	}
	if err := tpch.DuckViews(ctx, d.conn, dir); err != nil {
		return err
	}
	rep := tpchReport{when: time.Now(), sf: cfg.sf, command: cfg.command, load: loadAverage(),
		partitions: cfg.partitions, threads: cfg.threads, runs: cfg.runs}
	var size int64
	for _, t := range tpch.Tables {
		if st, err := os.Stat(filepath.Join(dir, t+".parquet")); err == nil {
			size += st.Size()
		}
	}
	rep.data = fmt.Sprintf("TPC-H SF %d, 8 tables (dbgen via go-tpc, converted by DuckDB: snappy, 122880-row groups), %s, %.1f MiB", cfg.sf, dir, float64(size)/(1<<20))
	if rep.duckVersion, err = tpch.DuckVersion(ctx, d.conn); err != nil {
		return err
	}
	rep.commit = gitCommit()

	s := frame.NewSession(frame.WithPartitions(cfg.partitions), frame.WithMemoryLimit(cfg.memLimit))
	for _, t := range tpch.Tables {
		if err := s.Read().Parquet(filepath.Join(dir, t+".parquet")).CreateOrReplaceTempView(t); err != nil {
			return fmt.Errorf("gspark table %s: %w", t, err)
		}
	}
	if cfg.oneshot {
		return runOneshot(ctx, cfg, d, s, rep, dir, names, orderKeys, log)
	}
	for _, name := range names {
		text, err := tpch.LoadQuery(cfg.tpchDir, name)
		if err != nil {
			return err
		}
		row, err := runTPCHQuery(ctx, cfg, d, s, name, text, orderKeys[name], log)
		if err != nil {
			return err
		}
		rep.rows = append(rep.rows, row)
	}
	if cfg.startup {
		rep.startup, err = gsparkStartup(ctx, 5)
		if err != nil {
			rep.startupErr = err.Error()
			fmt.Fprintf(log, "gspark startup: %v\n", err)
		}
	} else {
		rep.startupErr = "-startup=false"
	}
	rep.summarize()
	fmt.Fprint(log, rep.markdown())
	if cfg.out != "" {
		if err := writeMarked(cfg.out, rep.markdown(), tpchStartMarker, tpchEndMarker); err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s\n", cfg.out)
	}
	if rep.mismatched > 0 {
		return fmt.Errorf("%w: %d TPC-H queries", errMismatch, rep.mismatched)
	}
	return nil
}

// duckTPCH runs a TPC-H query on DuckDB: one warm-up and the median of
// cfg.runs timed runs, logged; it returns DuckDB's answer and the timing.
func duckTPCH(ctx context.Context, cfg config, d *duck, name, text string, log io.Writer) (answers.Table, timing, error) {
	var want answers.Table
	dt, err := medianOf(ctx, cfg.runs, func(ctx context.Context) error {
		var err error
		want, err = tpch.DuckQuery(ctx, d.conn, text)
		return err
	})
	if err != nil {
		return want, dt, fmt.Errorf("DuckDB %s: %w", name, err)
	}
	fmt.Fprintf(log, "%s DuckDB median %s ms (%s), %d rows\n", name, ms(dt.median), dt.spread(), len(want.Rows))
	return want, dt, nil
}

// runTPCHQuery measures one query on DuckDB and, when it can run it, gspark,
// whose answer must agree with DuckDB's (orderKeys: its ORDER BY columns).
func runTPCHQuery(ctx context.Context, cfg config, d *duck, s *frame.Session, name, text string, orderKeys []int, log io.Writer) (tpchRow, error) {
	row := tpchRow{query: strings.ToUpper(name[:1]) + name[1:]}
	want, dt, err := duckTPCH(ctx, cfg, d, name, text, log)
	if err != nil {
		return row, err
	}
	row.duckdb, row.rows = dt.median, len(want.Rows)

	var got answers.Table
	run := func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
		var err error
		got, err = gsparkTPCH(ctx, s, text)
		return err
	}
	// The warm-up run decides whether gspark can run the query at all.
	if err := run(ctx); err != nil {
		if ctx.Err() != nil {
			return row, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			row.status = fmt.Sprintf("timeout (over %s)", cfg.timeout)
		} else {
			row.status = "unsupported: " + firstLine(err.Error())
		}
		fmt.Fprintf(log, "%s gspark %s\n", name, row.status)
		return row, nil
	}
	if err := answers.Compare(got, want, orderKeys); err != nil {
		row.status = "MISMATCH: " + firstLine(err.Error())
		fmt.Fprintf(log, "%s gspark and DuckDB disagree:\n%v\n", name, err)
		return row, nil
	}
	gt, err := timeRuns(ctx, cfg.runs, run) // the checked run above was the warm-up
	if err != nil {
		row.status = "failed on a later run: " + firstLine(err.Error())
		return row, nil
	}
	row.gspark, row.status = gt.median, "ok"
	row.spreads = fmt.Sprintf("gspark %s, DuckDB %s", gt.spread(), dt.spread())
	fmt.Fprintf(log, "%s gspark median %s ms (%s)\n", name, ms(gt.median), gt.spread())
	return row, nil
}

// gsparkTPCH runs a query through the SQL API and returns its answer.
func gsparkTPCH(ctx context.Context, s *frame.Session, text string) (answers.Table, error) {
	df := s.SQL(text)
	if err := df.Err(); err != nil {
		return answers.Table{}, err
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		return answers.Table{}, err
	}
	t := answers.Table{Rows: make([][]answers.Value, len(rows))}
	for _, c := range df.Columns() {
		t.Columns = append(t.Columns, answers.Column{Name: c})
	}
	for i, r := range rows {
		t.Rows[i] = make([]answers.Value, len(r))
		for j, v := range r {
			if t.Rows[i][j], err = answers.FromGo(v); err != nil {
				return answers.Table{}, fmt.Errorf("row %d column %s: %w", i, t.Columns[j].Name, err)
			}
		}
	}
	return t, nil
}

// timeRuns runs fn runs times (no warm-up) and returns the median, fastest and
// slowest wall times.
func timeRuns(ctx context.Context, runs int, fn func(ctx context.Context) error) (timing, error) {
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
	slices.Sort(times)
	t := timing{median: times[runs/2], min: times[0], max: times[runs-1]}
	if runs%2 == 0 {
		t.median = (times[runs/2-1] + times[runs/2]) / 2
	}
	return t, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	s = strings.ReplaceAll(s, "|", "\\|")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:157]) + "..."
	}
	return s
}

// gitCommit returns the engine's short commit, marked +dirty when the working
// tree has changes.
func gitCommit() string {
	out, err := exec.Command("git", "-C", "..", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", "..", "status", "--porcelain").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		c += "+dirty"
	}
	return c
}

// gsparkStartup builds the gspark binary from ../cmd/gspark into a temporary
// directory and returns the median wall time of runs runs of
// `gspark sql -e "SELECT 1"` (after one warm-up run).
func gsparkStartup(ctx context.Context, runs int) (time.Duration, error) {
	tmp, err := os.MkdirTemp("", "gspark-bin-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	bin, err := buildGspark(ctx, tmp)
	if err != nil {
		return 0, err
	}
	return startupTime(ctx, bin, runs)
}

// startupTime returns the median wall time of runs runs of bin's
// `gspark sql -e "SELECT 1"` (after one warm-up run).
func startupTime(ctx context.Context, bin string, runs int) (time.Duration, error) {
	t, err := medianOf(ctx, runs, func(ctx context.Context) error {
		cmd := exec.CommandContext(ctx, bin, "sql", "-e", "SELECT 1")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("gspark sql -e: %w\n%s", err, out)
		}
		return nil
	})
	return t.median, err
}

// summarize computes the geometric mean of the measured ratios and the counts.
func (r *tpchReport) summarize() {
	sum := 0.0
	for _, row := range r.rows {
		switch {
		case row.status == "ok":
			sum += math.Log(float64(row.gspark) / float64(row.duckdb))
			r.measured++
		case strings.HasPrefix(row.status, "MISMATCH"):
			r.mismatched++
		default:
			r.unsupported++
			r.unsupportedBy = append(r.unsupportedBy, row.query)
		}
	}
	if r.measured > 0 {
		r.geomean = math.Exp(sum / float64(r.measured))
	}
}

// markdown renders the section between (and including) the TPC-H markers.
func (r tpchReport) markdown() string {
	var b strings.Builder
	b.WriteString(tpchStartMarker + "\n")
	if len(r.rows) == 22 {
		fmt.Fprintf(&b, "## TPC-H SF %d, 22 queries\n\n", r.sf)
	} else {
		fmt.Fprintf(&b, "## TPC-H SF %d, %d of the 22 queries\n\n", r.sf, len(r.rows))
	}
	fmt.Fprintf(&b, "Run %s UTC\n\n", r.when.UTC().Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "- machine: %s; runtime.NumCPU=%d, GOMAXPROCS=%d, %s %s/%s\n",
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "- load average at start: %s\n", r.load)
	fmt.Fprintf(&b, "- versions: gspark %s, DuckDB %s\n", r.commit, r.duckVersion)
	fmt.Fprintf(&b, "- settings: gspark %d partitions, DuckDB %d threads; median of %d timed runs after one warm-up\n", r.partitions, r.threads, r.runs)
	fmt.Fprintf(&b, "- command (from benchmarks/): `%s`\n", r.command)
	fmt.Fprintf(&b, "- data: %s\n", r.data)
	if r.startupErr != "" {
		fmt.Fprintf(&b, "- `gspark sql -e \"SELECT 1\"` wall time: not measured (%s)\n", firstLine(r.startupErr))
	} else {
		fmt.Fprintf(&b, "- `gspark sql -e \"SELECT 1\"` process wall time: %s ms (median of 5)\n", ms(r.startup))
	}
	b.WriteString("\n| query | gspark median ms | DuckDB median ms | ratio gspark/DuckDB | rows | status |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|\n")
	for _, row := range r.rows {
		ratio := "n/a"
		if row.status == "ok" {
			ratio = fmt.Sprintf("%.2f", float64(row.gspark)/float64(row.duckdb))
		}
		status := row.status
		if row.spreads != "" {
			status += " (runs " + row.spreads + " ms)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %s |\n", row.query, ms(row.gspark), ms(row.duckdb), ratio, row.rows, status)
	}
	b.WriteString("\n")
	if r.measured > 0 {
		fmt.Fprintf(&b, "Geometric mean of gspark/DuckDB over the %d queries both ran with agreeing answers: **%.2f**. ", r.measured, r.geomean)
	}
	fmt.Fprintf(&b, "Not run by gspark (unsupported, failed or timed out): %d", r.unsupported)
	if len(r.unsupportedBy) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(r.unsupportedBy, ", "))
	}
	fmt.Fprintf(&b, "; answers differing from DuckDB's: %d.\n\n", r.mismatched)
	b.WriteString(tpchEndMarker + "\n")
	return b.String()
}

// writeMarked rewrites the part of the file at path between start and end
// (inclusive) with section, appending the section when the markers are missing.
func writeMarked(path, section, start, end string) error {
	old, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		old = []byte("# gspark vs DuckDB\n\nWritten by `go run ./cmd/bench`; see README.md. Text outside the markers is kept.\n")
	} else if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	out, err := spliceMarked(string(old), section, start, end)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(out), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	return nil
}
