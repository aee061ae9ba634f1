package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/internal/answers"
)

// oneshotMarkers returns the markers delimiting the one-process-per-query
// TPC-H section of scale factor sf in RESULTS.md (one section per scale
// factor, next to the in-process one).
func oneshotMarkers(sf int) (start, end string) {
	return fmt.Sprintf("<!-- tpch-oneshot-sf%d:start -->", sf), fmt.Sprintf("<!-- tpch-oneshot-sf%d:end -->", sf)
}

// rssLimit is the peak resident set size acceptance allows a query process
// under a 2 GiB memory limit; rows above it are marked.
const rssLimit = 5 << 29 // 2.5 GiB

// oneshotRow is one query's line of the one-shot table.
type oneshotRow struct {
	query  string
	best   time.Duration // fastest gspark process; 0 when not measured
	median time.Duration // median gspark process
	duckdb time.Duration // DuckDB's in-process median
	rss    int64         // largest peak RSS of the query's gspark processes, bytes
	rows   int
	status string // "ok", "failed: ...", "timeout ...", "MISMATCH: ..."
	runs   string // every process's wall time, ms
}

// oneshotReport is everything written between one-shot markers.
type oneshotReport struct {
	tpchReport
	memory    string // the --memory-limit the processes ran with ("" for none)
	rows      []oneshotRow
	geoBest   float64
	geoMedian float64
	maxRSS    int64
	overRSS   []string
}

// oneshotRun is the outcome of one gspark process.
type oneshotRun struct {
	wall   time.Duration
	maxRSS int64 // bytes
	stdout []byte
}

// buildGspark builds the gspark binary from the engine's cmd/gspark (found
// from the working directory up) into dir and returns its path. GOFLAGS of
// the environment apply (e.g. -pgo=off).
func buildGspark(ctx context.Context, dir string) (string, error) {
	root, err := engineRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "gspark")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/gspark")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build gspark: %w\n%s", err, out)
	}
	return bin, nil
}

// engineRoot returns the engine module's directory: the working directory
// or the nearest parent holding go.mod and cmd/gspark.
func engineRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		_, errMod := os.Stat(filepath.Join(d, "go.mod"))
		_, errCmd := os.Stat(filepath.Join(d, "cmd", "gspark"))
		if errMod == nil && errCmd == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no engine module (go.mod and cmd/gspark) in %s or its parents", wd)
		}
	}
}

// oneshotScript is the script one gspark process runs for a query: a temp
// view per TPC-H table over dir/<table>.parquet, then the query.
func oneshotScript(dir, query string) string {
	var b strings.Builder
	for _, t := range tpch.Tables {
		fmt.Fprintf(&b, "CREATE OR REPLACE TEMP VIEW %s USING parquet OPTIONS (path %s);\n", t, sqlString(filepath.Join(dir, t+".parquet")))
	}
	b.WriteString(strings.TrimRight(strings.TrimSpace(query), ";"))
	b.WriteString(";\n")
	return b.String()
}

// gsparkArgs are the arguments of `gspark sql` running script as JSON.
func gsparkArgs(cfg config, script string) []string {
	args := []string{"--partitions", strconv.Itoa(cfg.partitions)}
	if cfg.memLimit > 0 {
		args = append(args, "--memory-limit", cfg.memText)
	}
	return append(args, "sql", "--format", "json", "-f", script)
}

// runProcess runs bin with args and returns its wall time (start to exit),
// peak RSS (see peakCommand) and standard output. A process that fails
// returns an error with the last lines of its standard error.
func runProcess(ctx context.Context, timeout time.Duration, bin string, args []string) (oneshotRun, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd, probe, err := peakCommand(ctx, bin, args)
	if err != nil {
		return oneshotRun{}, err
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	if err = cmd.Start(); err == nil {
		probe.started(cmd.Process.Pid)
		err = cmd.Wait()
	}
	run := oneshotRun{wall: time.Since(start), stdout: stdout.Bytes()}
	peak, perr := probe.peak()
	run.maxRSS = peak
	if err != nil {
		if ctx.Err() != nil {
			return run, fmt.Errorf("%w (after %s)", ctx.Err(), run.wall.Round(time.Millisecond))
		}
		return run, fmt.Errorf("%w: %s", err, lastLines(stderr.String(), 3))
	}
	if perr != nil {
		return run, fmt.Errorf("peak RSS: %w", perr)
	}
	return run, nil
}

// lastLines returns the last n non-empty lines of s joined by " / ".
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines[max(len(lines)-n, 0):], " / ")
}

// kindOfArrow is the answers kind of a gspark result column's type.
func kindOfArrow(t arrow.DataType) (answers.Kind, error) {
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		return answers.KindString, nil
	case arrow.BOOL:
		return answers.KindBool, nil
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return answers.KindInt, nil
	case arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256:
		return answers.KindDecimal, nil
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return answers.KindFloat, nil
	case arrow.DATE32, arrow.DATE64:
		return answers.KindDate, nil
	}
	return 0, fmt.Errorf("no answer kind for column type %s", t)
}

// parseJSONAnswer reads the output of `gspark sql --format json` (an array of
// objects whose keys are the columns in order) as an answer whose columns
// have the kinds of schema's fields (gspark's own result schema, so that a
// decimal is read exactly and a double as a double).
func parseJSONAnswer(out []byte, schema *arrow.Schema) (answers.Table, error) {
	t := answers.Table{}
	kinds := make([]answers.Kind, schema.NumFields())
	for i, f := range schema.Fields() {
		k, err := kindOfArrow(f.Type)
		if err != nil {
			return t, fmt.Errorf("column %s: %w", f.Name, err)
		}
		kinds[i] = k
		t.Columns = append(t.Columns, answers.Column{Name: f.Name, Type: f.Type.String()})
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := expectDelim(dec, '['); err != nil {
		return t, err
	}
	for dec.More() {
		if err := expectDelim(dec, '{'); err != nil {
			return t, fmt.Errorf("row %d: %w", len(t.Rows)+1, err)
		}
		row := make([]answers.Value, 0, len(kinds))
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return t, fmt.Errorf("row %d: %w", len(t.Rows)+1, err)
			}
			j := len(row)
			if j >= len(kinds) || key != schema.Field(j).Name {
				return t, fmt.Errorf("row %d: key %v, want column %d of %s", len(t.Rows)+1, key, j+1, schema)
			}
			tok, err := dec.Token()
			if err != nil {
				return t, fmt.Errorf("row %d column %s: %w", len(t.Rows)+1, schema.Field(j).Name, err)
			}
			var v answers.Value
			switch x := tok.(type) {
			case nil:
				v = answers.Null()
			case json.Number:
				v, err = answers.Parse(kinds[j], x.String())
			case string:
				v, err = answers.Parse(kinds[j], x)
			case bool:
				v, err = answers.Parse(kinds[j], strconv.FormatBool(x))
			default:
				err = fmt.Errorf("unexpected JSON %v", tok)
			}
			if err != nil {
				return t, fmt.Errorf("row %d column %s: %w", len(t.Rows)+1, schema.Field(j).Name, err)
			}
			row = append(row, v)
		}
		if len(row) != len(kinds) {
			return t, fmt.Errorf("row %d has %d values, want %d", len(t.Rows)+1, len(row), len(kinds))
		}
		if err := expectDelim(dec, '}'); err != nil {
			return t, err
		}
		t.Rows = append(t.Rows, row)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return t, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return t, errors.New("more output after the result (one result expected)")
	}
	return t, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("JSON output at offset %d: %w", dec.InputOffset(), err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("JSON output at offset %d: %v, want %v", dec.InputOffset(), tok, want)
	}
	return nil
}

// runOneshotQuery measures one query: DuckDB in-process (median of cfg.runs
// after a warm-up), then one checked gspark process and cfg.runs timed ones,
// each answer checked against DuckDB's. s (a session with the TPC-H views)
// only plans the query, for the types of its result columns.
func runOneshotQuery(ctx context.Context, cfg config, d *duck, s *frame.Session, bin, dir, name, text string, orderKeys []int, log io.Writer) (oneshotRow, error) {
	row := oneshotRow{query: strings.ToUpper(name[:1]) + name[1:]}
	want, dt, err := duckTPCH(ctx, cfg, d, name, text, log)
	if err != nil {
		return row, err
	}
	row.duckdb, row.rows = dt.median, len(want.Rows)

	df := s.SQL(text)
	if err := df.Err(); err != nil {
		row.status = "unsupported: " + firstLine(err.Error())
		fmt.Fprintf(log, "%s gspark %s\n", name, row.status)
		return row, nil
	}
	schema := df.Schema()
	script := filepath.Join(cfg.scriptDir, name+".sql")
	if err := os.WriteFile(script, []byte(oneshotScript(dir, text)), 0o644); err != nil {
		return row, err
	}
	args := gsparkArgs(cfg, script)
	var walls []time.Duration
	for i := 0; i <= cfg.runs; i++ { // run 0 is the warm-up; every answer is checked
		run, err := runProcess(ctx, cfg.timeout, bin, args)
		row.rss = max(row.rss, run.maxRSS)
		if err != nil {
			if ctx.Err() != nil {
				return row, ctx.Err()
			}
			if errors.Is(err, context.DeadlineExceeded) {
				row.status = fmt.Sprintf("timeout (over %s)", cfg.timeout)
			} else {
				row.status = "failed: " + firstLine(err.Error())
			}
			fmt.Fprintf(log, "%s gspark process %s (peak RSS %s MiB)\n", name, row.status, mib(row.rss))
			return row, nil
		}
		got, err := parseJSONAnswer(run.stdout, schema)
		if err == nil {
			err = answers.Compare(got, want, orderKeys)
		}
		if err != nil {
			row.status = "MISMATCH: " + firstLine(err.Error())
			fmt.Fprintf(log, "%s gspark process and DuckDB disagree:\n%v\n", name, err)
			return row, nil
		}
		if i > 0 {
			walls = append(walls, run.wall)
		}
		fmt.Fprintf(log, "%s gspark process %d: %s ms, peak RSS %s MiB\n", name, i, ms(run.wall), mib(run.maxRSS))
	}
	ts := make([]string, len(walls))
	for i, w := range walls {
		ts[i] = ms(w)
	}
	row.runs = strings.Join(ts, ", ")
	slices.Sort(walls)
	row.best, row.median, row.status = walls[0], walls[len(walls)/2], "ok"
	if len(walls)%2 == 0 {
		row.median = (walls[len(walls)/2-1] + walls[len(walls)/2]) / 2
	}
	return row, nil
}

// mib renders bytes in MiB.
func mib(n int64) string { return fmt.Sprintf("%.0f", float64(n)/(1<<20)) }

// summarize computes the geometric means of the best and median ratios, the
// largest peak RSS and the queries above rssLimit.
func (r *oneshotReport) summarize() {
	var sumBest, sumMedian float64
	for _, row := range r.rows {
		r.maxRSS = max(r.maxRSS, row.rss)
		if row.rss > rssLimit {
			r.overRSS = append(r.overRSS, row.query)
		}
		switch {
		case row.status == "ok":
			sumBest += math.Log(float64(row.best) / float64(row.duckdb))
			sumMedian += math.Log(float64(row.median) / float64(row.duckdb))
			r.measured++
		case strings.HasPrefix(row.status, "MISMATCH"):
			r.mismatched++
		default:
			r.unsupported++
			r.unsupportedBy = append(r.unsupportedBy, row.query)
		}
	}
	if r.measured > 0 {
		r.geoBest = math.Exp(sumBest / float64(r.measured))
		r.geoMedian = math.Exp(sumMedian / float64(r.measured))
	}
}

// markdown renders the section between (and including) the one-shot markers.
func (r oneshotReport) markdown() string {
	start, end := oneshotMarkers(r.sf)
	var b strings.Builder
	b.WriteString(start + "\n")
	limit := "no memory limit"
	if r.memory != "" {
		limit = "`--memory-limit " + r.memory + "`"
	}
	fmt.Fprintf(&b, "## TPC-H SF %d, one `gspark sql -f` process per query (%d of the 22), %s\n\n", r.sf, len(r.rows), limit)
	fmt.Fprintf(&b, "Run %s UTC\n\n", r.when.UTC().Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "- machine: %s; runtime.NumCPU=%d, %s %s/%s\n", cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "- load average at start: %s\n", r.load)
	fmt.Fprintf(&b, "- versions: gspark %s, DuckDB %s\n", r.commit, r.duckVersion)
	fmt.Fprintf(&b, "- each gspark process: `gspark --partitions %d%s sql --format json -f qNN.sql`, the script creating the eight temp views (`CREATE OR REPLACE TEMP VIEW t USING parquet OPTIONS (path ...)`) and running the query: process start, view creation and output included; one warm-up process, then %d timed; every process's answer checked against DuckDB's. DuckDB: in-process, %d threads, median of %d runs after one warm-up\n",
		r.partitions, memFlag(r.memory), r.runs, r.threads, r.runs)
	fmt.Fprintf(&b, "- peak RSS: the largest of the query's gspark processes, measured by GNU time (`/usr/bin/time -f %%M`; wait4's own figure inherits the bench's high-water mark through vfork)\n")
	fmt.Fprintf(&b, "- command (from benchmarks/): `%s`\n", r.command)
	fmt.Fprintf(&b, "- data: %s\n", r.data)
	b.WriteString("\n| query | gspark best ms | gspark median ms | DuckDB median ms | ratio best/DuckDB | ratio median/DuckDB | peak RSS MiB | rows | status |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, row := range r.rows {
		rb, rm := "n/a", "n/a"
		if row.status == "ok" {
			rb = fmt.Sprintf("%.2f", float64(row.best)/float64(row.duckdb))
			rm = fmt.Sprintf("%.2f", float64(row.median)/float64(row.duckdb))
		}
		rss := "n/a"
		if row.rss > 0 {
			rss = mib(row.rss)
			if row.rss > rssLimit {
				rss += " (over 2.5 GiB)"
			}
		}
		status := row.status
		if row.runs != "" {
			status += " (gspark runs " + row.runs + " ms)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", row.query, ms(row.best), ms(row.median), ms(row.duckdb), rb, rm, rss, row.rows, status)
	}
	b.WriteString("\n")
	if r.measured > 0 {
		fmt.Fprintf(&b, "Geometric mean of gspark process/DuckDB in-process over the %d queries with agreeing answers: best **%.2f**, median **%.2f**. ", r.measured, r.geoBest, r.geoMedian)
	}
	fmt.Fprintf(&b, "Largest peak RSS: %s MiB", mib(r.maxRSS))
	if len(r.overRSS) > 0 {
		fmt.Fprintf(&b, " (over 2.5 GiB: %s)", strings.Join(r.overRSS, ", "))
	}
	fmt.Fprintf(&b, ". Not run by gspark (unsupported, failed or timed out): %d", r.unsupported)
	if len(r.unsupportedBy) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(r.unsupportedBy, ", "))
	}
	fmt.Fprintf(&b, "; answers differing from DuckDB's: %d.\n\n", r.mismatched)
	b.WriteString(end + "\n")
	return b.String()
}

func memFlag(m string) string {
	if m == "" {
		return ""
	}
	return " --memory-limit " + m
}

// runOneshot is runTPCH's one-process-per-query mode: it builds gspark,
// measures each query as its own process beside DuckDB in-process and writes
// the one-shot section of scale factor cfg.sf.
func runOneshot(ctx context.Context, cfg config, d *duck, s *frame.Session, base tpchReport, dir string, names []string, orderKeys map[string][]int, log io.Writer) error {
	tmp, err := os.MkdirTemp("", "gspark-oneshot-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintln(log, "building ../cmd/gspark")
	bin, err := buildGspark(ctx, tmp)
	if err != nil {
		return err
	}
	cfg.scriptDir = tmp
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	rep := oneshotReport{tpchReport: base}
	if cfg.memLimit > 0 {
		rep.memory = cfg.memText
	}
	for _, name := range names {
		text, err := tpch.LoadQuery(cfg.tpchDir, name)
		if err != nil {
			return err
		}
		row, err := runOneshotQuery(ctx, cfg, d, s, bin, absDir, name, text, orderKeys[name], log)
		if err != nil {
			return err
		}
		rep.rows = append(rep.rows, row)
	}
	rep.summarize()
	section := rep.markdown()
	fmt.Fprint(log, section)
	if cfg.out != "" {
		start, end := oneshotMarkers(cfg.sf)
		if err := writeMarked(cfg.out, section, start, end); err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s\n", cfg.out)
	}
	if rep.mismatched > 0 {
		return fmt.Errorf("%w: %d TPC-H queries", errMismatch, rep.mismatched)
	}
	return nil
}
