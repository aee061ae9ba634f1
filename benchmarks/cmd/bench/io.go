package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/internal/answers"
)

// Markers of the single-file scan section of RESULTS.md (suite io).
const (
	ioStartMarker = "<!-- io:start -->"
	ioEndMarker   = "<!-- io:end -->"
)

// ioMinBytes is the smallest size of each generated file of the io suite.
const ioMinBytes = 1 << 30

// ioQuery reads every column of lineitem (table %s): each column feeds an
// aggregate, so both engines must decode all sixteen of them, and
// sum(length(l_comment)) touches every byte of the longest one.
const ioQuery = `SELECT count(*) AS n, sum(l_orderkey) AS s_orderkey, sum(l_partkey) AS s_partkey,
  sum(l_suppkey) AS s_suppkey, sum(l_linenumber) AS s_linenumber, sum(l_quantity) AS s_quantity,
  sum(l_extendedprice) AS s_price, sum(l_discount) AS s_discount, sum(l_tax) AS s_tax,
  max(l_returnflag) AS max_flag, min(l_linestatus) AS min_status, max(l_shipdate) AS max_ship,
  min(l_commitdate) AS min_commit, max(l_receiptdate) AS max_receipt,
  max(l_shipinstruct) AS max_instruct, min(l_shipmode) AS min_mode, max(l_comment) AS max_comment,
  sum(length(l_comment)) AS comment_chars
FROM %s`

// lineitemDDL is lineitem's schema for gspark's CSV reader.
const lineitemDDL = `l_orderkey BIGINT, l_partkey BIGINT, l_suppkey BIGINT, l_linenumber INT,
 l_quantity DECIMAL(15,2), l_extendedprice DECIMAL(15,2), l_discount DECIMAL(15,2), l_tax DECIMAL(15,2),
 l_returnflag STRING, l_linestatus STRING, l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE,
 l_shipinstruct STRING, l_shipmode STRING, l_comment STRING`

// ioCSVComment is the l_comment of the generated CSV: a quarter of the rows
// (line number 1) get a comma, which makes DuckDB's writer quote the field,
// and another quarter (line number 2) a height like 5'11", quoted with the
// double quote doubled; the rest stay unquoted.
const ioCSVComment = `CASE l_linenumber WHEN 1 THEN l_comment || ', ' || l_shipmode
  WHEN 2 THEN l_comment || ' 5''11" tall' ELSE l_comment END AS l_comment`

// ioFile is one file of the io suite.
type ioFile struct {
	format string // "csv" or "parquet"
	path   string
	size   int64
	copies int
}

// ioRow is one line of the io table: a file read with 1 and 2 cores by both engines.
type ioRow struct {
	file           ioFile
	gspark, duckdb [2]time.Duration // medians; index 0: 1 core, 1: 2 cores
	rows           int64
}

// runIO is suite io: one CSV and one Parquet file (-queries csv or parquet
// picks one) of at least ioMinBytes
// each (made from SF 1 lineitem when missing), each scanned whole by ioQuery
// with 1 and with 2 cores by gspark and DuckDB, the answers checked against
// each other.
func runIO(ctx context.Context, cfg config, log io.Writer) error {
	return runIOWith(ctx, cfg, ioMinBytes, log)
}

// runIOWith is runIO with files of at least minBytes.
func runIOWith(ctx context.Context, cfg config, minBytes int64, log io.Writer) error {
	if cfg.runs < 1 {
		return fmt.Errorf("runs must be at least 1, got %d", cfg.runs)
	}
	d, err := openDuck(ctx, 2)
	if err != nil {
		return err
	}
	defer d.close()
	src := cfg.lineitem
	if src == "" {
		src = lineitemPath(cfg.dataDir, 1)
		if err := ensureLineitem(ctx, d, src, 1, log); err != nil {
			return err
		}
	}
	dir := filepath.Join(cfg.dataDir, "io")
	var files []ioFile
	for _, format := range []string{"csv", "parquet"} {
		if cfg.queries == nil || slices.Contains(cfg.queries, format) {
			files = append(files, ioFile{format: format, path: filepath.Join(dir, "lineitem."+format)})
		}
	}
	for _, q := range cfg.queries {
		if q != "csv" && q != "parquet" {
			return fmt.Errorf("suite io: unknown file %q (want csv, parquet or both)", q)
		}
	}
	for i := range files {
		if err := ensureIOFile(ctx, d, src, &files[i], minBytes, log); err != nil {
			return err
		}
	}
	version, err := tpch.DuckVersion(ctx, d.conn)
	if err != nil {
		return err
	}
	load := loadAverage()
	var rows []ioRow
	for _, f := range files {
		row, err := measureIOFile(ctx, cfg, d, f, log)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	section := ioMarkdown(cfg, version, time.Now(), load, loadAverage(), rows)
	fmt.Fprint(log, section)
	if cfg.out != "" {
		if err := writeMarked(cfg.out, section, ioStartMarker, ioEndMarker); err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s\n", cfg.out)
	}
	return nil
}

// ensureIOFile makes f.path when missing: copies of the lineitem rows of src,
// each copy's l_orderkey shifted past the previous one's, as many as make
// the file at least minBytes, written by DuckDB into a temporary file that
// is renamed into place. f.size is set to the file's size.
func ensureIOFile(ctx context.Context, d *duck, src string, f *ioFile, minBytes int64, log io.Writer) error {
	if st, err := os.Stat(f.path); err == nil {
		f.size = st.Size()
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("stat %s: %w", f.path, err)
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(f.path), err)
	}
	srcSize := int64(1)
	if st, err := os.Stat(src); err == nil {
		srcSize = max(st.Size(), 1)
	}
	// A copy of lineitem is about 3.5 times larger as CSV than as snappy
	// Parquet; the size is checked after writing and more copies are
	// written when it falls short.
	perCopy := srcSize
	if f.format == "csv" {
		perCopy = srcSize * 7 / 2
	}
	copies := int(max(1, (minBytes+perCopy-1)/perCopy))
	for {
		tmp := f.path + ".tmp"
		cols := strings.Replace(lineitemSelect, "l_orderkey,", "l_orderkey + c * (SELECT max(l_orderkey) FROM read_parquet("+sqlString(src)+")) AS l_orderkey,", 1)
		opts := fmt.Sprintf(parquetOptions, 122880)
		if f.format == "csv" {
			cols = strings.Replace(cols, "l_comment", ioCSVComment, 1)
			opts = "(FORMAT csv, HEADER true)"
		}
		fmt.Fprintf(log, "writing %s: %d copies of %s\n", f.path, copies, src)
		// One SELECT per copy, joined by UNION ALL: a cross join with
		// range() would write each row's copies next to each other, which
		// Parquet's dictionaries and run lengths compress to almost
		// nothing (a file of repeated rows, not of lineitem's data).
		parts := make([]string, copies)
		for c := range parts {
			parts[c] = fmt.Sprintf("SELECT %s FROM (SELECT *, %d AS c FROM read_parquet(%s))", cols, c, sqlString(src))
		}
		stmt := fmt.Sprintf("COPY (%s) TO %s %s", strings.Join(parts, " UNION ALL "), sqlString(tmp), opts)
		if err := d.exec(ctx, stmt); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		st, err := os.Stat(tmp)
		if err != nil {
			return fmt.Errorf("stat %s: %w", tmp, err)
		}
		if st.Size() < minBytes {
			os.Remove(tmp)
			copies = int(minBytes/max(st.Size()/int64(copies), 1)) + 1
			continue
		}
		if err := os.Rename(tmp, f.path); err != nil {
			return fmt.Errorf("move %s into place: %w", tmp, err)
		}
		f.size, f.copies = st.Size(), copies
		return nil
	}
}

// duckSource is DuckDB's table function over f.
func duckSource(f ioFile) string {
	if f.format == "csv" {
		return fmt.Sprintf("read_csv(%s, header=true, auto_detect=false, delim=',', quote='\"', escape='\"', columns=%s)",
			sqlString(f.path), strings.Replace(lineitemColumns, ", 'l_trailing': 'VARCHAR'", "", 1))
	}
	return fmt.Sprintf("read_parquet(%s)", sqlString(f.path))
}

// measureIOFile times ioQuery over f with 1 and 2 cores on both engines:
// DuckDB with SET threads=N, gspark with runtime.GOMAXPROCS(N) and N
// partitions (a new session per core count). Every answer must equal
// DuckDB's 1-thread answer.
func measureIOFile(ctx context.Context, cfg config, d *duck, f ioFile, log io.Writer) (ioRow, error) {
	row := ioRow{file: f}
	duckQ := fmt.Sprintf(ioQuery, duckSource(f))
	var want answers.Table
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	for i, cores := range []int{1, 2} {
		if err := d.exec(ctx, fmt.Sprintf("SET threads=%d", cores)); err != nil {
			return row, err
		}
		var got answers.Table
		dt, err := medianOf(ctx, cfg.runs, func(ctx context.Context) error {
			var err error
			got, err = d.query(ctx, duckQ)
			return err
		})
		if err != nil {
			return row, fmt.Errorf("DuckDB %s, %d threads: %w", f.path, cores, err)
		}
		if i == 0 {
			want = got
		} else if err := compareTables("io "+f.format, "DuckDB 2 threads", got, "DuckDB 1 thread", want); err != nil {
			return row, fmt.Errorf("%w: %w", errMismatch, err)
		}
		row.duckdb[i] = dt.median
		fmt.Fprintf(log, "%s DuckDB %d thread(s) median %s ms (%s)\n", f.format, cores, ms(dt.median), dt.spread())

		runtime.GOMAXPROCS(cores)
		s := frame.NewSession(frame.WithPartitions(cores))
		var df *frame.DataFrame
		if f.format == "csv" {
			df = s.Read().Option("header", "true").SchemaDDL(lineitemDDL).CSV(f.path)
		} else {
			df = s.Read().Parquet(f.path)
		}
		if err := df.CreateOrReplaceTempView("lineitem"); err != nil {
			return row, fmt.Errorf("gspark %s: %w", f.path, err)
		}
		gt, err := medianOf(ctx, cfg.runs, func(ctx context.Context) error {
			var err error
			got, err = gsparkTPCH(ctx, s, fmt.Sprintf(ioQuery, "lineitem"))
			return err
		})
		runtime.GOMAXPROCS(procs)
		if err != nil {
			return row, fmt.Errorf("gspark %s, %d partitions: %w", f.path, cores, err)
		}
		if err := compareTables("io "+f.format, fmt.Sprintf("gspark %d partitions", cores), got, "DuckDB", want); err != nil {
			return row, fmt.Errorf("%w: %w", errMismatch, err)
		}
		row.gspark[i] = gt.median
		fmt.Fprintf(log, "%s gspark %d partition(s) median %s ms (%s)\n", f.format, cores, ms(gt.median), gt.spread())
	}
	if len(want.Rows) == 1 {
		fmt.Sscan(want.Rows[0][0].String(), &row.rows)
	}
	return row, nil
}

// speedup is t1/t2 formatted, or n/a.
func speedup(t1, t2 time.Duration) string {
	if t1 <= 0 || t2 <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", float64(t1)/float64(t2))
}

// ioMarkdown renders the io section between (and including) its markers.
func ioMarkdown(cfg config, duckVersion string, when time.Time, loadStart, loadEnd string, rows []ioRow) string {
	var b strings.Builder
	b.WriteString(ioStartMarker + "\n")
	b.WriteString("## One large file read with 1 and 2 cores\n\n")
	fmt.Fprintf(&b, "Run %s UTC\n\n", when.UTC().Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "- machine: %s; runtime.NumCPU=%d, %s %s/%s\n",
		cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "- load average at start: %s, at end: %s (other work on the machine skews timings)\n", loadStart, loadEnd)
	fmt.Fprintf(&b, "- command (from benchmarks/): `%s`\n", cfg.command)
	fmt.Fprintf(&b, "- engine: gspark %s; DuckDB %s\n", gitCommit(), duckVersion)
	b.WriteString("- query: every lineitem column aggregated (`count(*)`, `sum` of the keys, line numbers and\n" +
		"  decimals, `min`/`max` of the flags, dates and strings, `sum(length(l_comment))`), so both engines\n" +
		"  decode all sixteen columns; answers equal between engines and core counts\n")
	b.WriteString("- 1 core: gspark with `runtime.GOMAXPROCS(1)` and 1 partition, DuckDB `SET threads=1`;\n" +
		"  2 cores: `GOMAXPROCS(2)` and 2 partitions, `SET threads=2`. One warm-up, then the median of " +
		fmt.Sprint(cfg.runs) + " runs\n")
	b.WriteString("- files: copies of SF 1 lineitem with shifted `l_orderkey`, written by DuckDB; the CSV has a\n" +
		"  header and quoted `l_comment` fields in half of the rows (a comma, or a doubled `\"`); the Parquet\n" +
		"  file is snappy with 122880-row groups\n\n")
	b.WriteString("| file | size | rows | gspark 1 core (ms) | gspark 2 cores (ms) | gspark speed-up | DuckDB 1 thread (ms) | DuckDB 2 threads (ms) | DuckDB speed-up | gspark/DuckDB, 2 cores |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		ratio := "n/a"
		if r.duckdb[1] > 0 {
			ratio = fmt.Sprintf("%.2f", float64(r.gspark[1])/float64(r.duckdb[1]))
		}
		fmt.Fprintf(&b, "| %s | %.2f GiB | %d | %s | %s | %s | %s | %s | %s | %s |\n",
			r.file.format, float64(r.file.size)/(1<<30), r.rows,
			ms(r.gspark[0]), ms(r.gspark[1]), speedup(r.gspark[0], r.gspark[1]),
			ms(r.duckdb[0]), ms(r.duckdb[1]), speedup(r.duckdb[0], r.duckdb[1]), ratio)
	}
	b.WriteString("\n" + ioEndMarker + "\n")
	return b.String()
}
