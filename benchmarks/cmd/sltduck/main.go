// Command sltduck checks the expected results of gspark's SQL logic tests
// (testdata/slt/*.slt) against DuckDB: it runs every file's statements and
// queries in a fresh in-memory DuckDB database, with the sample tables exposed
// as views over samples/data/*.parquet, and reports each query whose DuckDB
// answer differs from the expected block.
//
// A difference passes only where a "# spark: <scope>: ..." note of the record
// waives it: "col 2" (result columns), "row 3" (result lines), "error" (Spark
// fails where DuckDB answers) or "unchecked" (DuckDB is not run; the note
// cites its source). Every other difference, and a scope that waives nothing,
// is a failure. Spark's typed numeric literals (1L, 1.5D) and `backquoted`
// names are translated to DuckDB's spelling mechanically, and DuckDB sorts
// NULLs as Spark does (first ascending, last descending); a "# duckdb: ..."
// comment gives the SQL to run in DuckDB instead, for queries whose Spark
// syntax DuckDB lacks (several such lines are joined with newlines). A
// replacement that only restates literals is rejected (see literalOnly).
//
// Usage, from the benchmarks module:
//
//	go run ./cmd/sltduck ../testdata/slt
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
)

func main() {
	verbose := flag.Bool("v", false, "also list the annotated differences with DuckDB's answers")
	samplesDir := flag.String("samples", "", "directory of the sample Parquet files (default: <slt dir>/../../samples/data)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: sltduck [-v] [-samples dir] <slt dir>\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	dir := flag.Arg(0)
	if *samplesDir == "" {
		*samplesDir = filepath.Join(dir, "..", "..", "samples", "data")
	}
	unexplained, err := run(context.Background(), dir, *samplesDir, os.Stdout, *verbose)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sltduck:", err)
		os.Exit(1)
	}
	if unexplained > 0 {
		os.Exit(1)
	}
}

// summary counts the outcomes over all files.
type summary struct {
	statements, queries, agree, annotated, unchecked, unexplained, notes int
}

// run checks every .slt file of dir and returns the number of unexplained differences.
func run(ctx context.Context, dir, samplesDir string, out io.Writer, verbose bool) (int, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.slt"))
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("no .slt files in %s", dir)
	}
	parquets, err := filepath.Glob(filepath.Join(samplesDir, "*.parquet"))
	if err != nil {
		return 0, err
	}
	if len(parquets) == 0 {
		return 0, fmt.Errorf("no sample Parquet files in %s", samplesDir)
	}
	var sum summary
	for _, f := range files {
		if err := checkFile(ctx, f, parquets, out, verbose, &sum); err != nil {
			return 0, err
		}
	}
	fmt.Fprintf(out, "%d queries (and %d statements): %d agree with DuckDB, %d differ only where a '# spark:' note waives, %d unchecked (cited), %d unexplained\n",
		sum.queries, sum.statements, sum.agree, sum.annotated, sum.unchecked, sum.unexplained)
	if sum.notes > 0 {
		fmt.Fprintf(out, "%d records DuckDB agrees with carry a '# spark:' note (on semantics, waiving nothing)\n", sum.notes)
	}
	return sum.unexplained, nil
}

// checkFile runs one file in a fresh DuckDB database.
func checkFile(ctx context.Context, path string, parquets []string, out io.Writer, verbose bool, sum *summary) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	recs, err := parse(name, strings.Split(string(data), "\n"))
	if err != nil {
		return err
	}
	conn, closeDuck, err := tpch.OpenDuck(ctx)
	if err != nil {
		return err
	}
	defer closeDuck()
	// Spark sorts NULLs first ascending and last descending; DuckDB is told to
	// do the same, so that ORDER BY and window orders are compared, not defaults.
	setup := []string{"SET default_null_order = 'nulls_first_on_asc_last_on_desc'", "CREATE SCHEMA samples"}
	for _, p := range parquets {
		abs, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		t := strings.TrimSuffix(filepath.Base(p), ".parquet")
		setup = append(setup, fmt.Sprintf("CREATE VIEW samples.%s AS SELECT * FROM read_parquet('%s')", t, strings.ReplaceAll(abs, "'", "''")))
	}
	for _, s := range setup {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("duckdb setup %q: %w", s, err)
		}
	}
	for _, r := range recs {
		checkRecord(ctx, conn, name, r, out, verbose, sum)
	}
	return nil
}

// checkRecord runs one record in DuckDB and counts its outcome.
func checkRecord(ctx context.Context, conn *sql.Conn, name string, r *record, out io.Writer, verbose bool, sum *summary) {
	where := fmt.Sprintf("%s:%d", name, r.line)
	w := r.waiver
	if r.query {
		sum.queries++
	} else {
		sum.statements++
	}
	if w.unchecked {
		sum.unchecked++
		if verbose {
			fmt.Fprintf(out, "UNCHECKED %s: %s\n  SQL: %s\n\n", where, r.note, oneLine(r.sql()))
		}
		return
	}
	q := translate(r.sql())
	if r.duckSQL != "" {
		if r.query && !r.wantErr && literalOnly(r.duckSQL) && !literalOnly(q) {
			sum.unexplained++
			fmt.Fprintf(out, "REJECTED %s:%d: the '# duckdb:' SQL only restates literals; write SQL that makes DuckDB compute the answer\n  SQL: %s\n\n",
				name, r.duckLine, oneLine(r.duckSQL))
			return
		}
		q = r.duckSQL
	}
	var diff string
	waived := false
	if !r.query {
		_, err := conn.ExecContext(ctx, q)
		switch {
		case r.wantErr && err == nil && w.err:
			diff, waived = "expected an error; DuckDB succeeded", true
		case r.wantErr && err == nil:
			diff = "expected an error; DuckDB succeeded"
		case r.wantErr && w.err:
			diff = fmt.Sprintf("the 'error' note waives nothing: DuckDB fails too (%v)", err)
		case !r.wantErr && err != nil:
			diff = fmt.Sprintf("DuckDB failed: %v", err)
		}
	} else {
		got, err := query(ctx, conn, q, r.sortMode)
		switch {
		case r.wantErr && err == nil:
			diff = fmt.Sprintf("expected an error; DuckDB answered:\n%s", indent(got))
			waived = w.err
		case r.wantErr && w.err:
			diff = fmt.Sprintf("the 'error' note waives nothing: DuckDB fails too (%v)", err)
		case r.wantErr:
		case err != nil:
			diff = fmt.Sprintf("DuckDB failed: %v", err)
		default:
			var problem string
			problem, waived = w.compare(r.expected, got, r.sortMode)
			if problem != "" || waived {
				diff = fmt.Sprintf("expected:\n%s\nDuckDB:\n%s", indent(r.expected), indent(got))
				if problem != "" {
					diff = problem + "\n" + diff
				}
			}
		}
	}
	switch {
	case diff == "":
		if r.query {
			sum.agree++
		}
		if r.note != "" {
			sum.notes++
			if verbose {
				how := "DuckDB agrees"
				if r.duckSQL != "" {
					how = "DuckDB agrees, given the # duckdb: SQL"
				}
				fmt.Fprintf(out, "NOTE (%s) %s: %s\n\n", how, where, r.note)
			}
		}
	case waived:
		sum.annotated++
		if verbose {
			fmt.Fprintf(out, "SPARK-SEMANTICS %s: %s\n  SQL: %s\n%s\n\n", where, r.note, oneLine(r.sql()), diff)
		}
	default:
		sum.unexplained++
		fmt.Fprintf(out, "UNEXPLAINED %s\n  SQL: %s\n%s\n\n", where, oneLine(r.sql()), diff)
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func indent(lines []string) string {
	if len(lines) == 0 {
		return "    (no rows)"
	}
	return "    " + strings.Join(lines, "\n    ")
}

// query runs q and formats its rows canonically under the sort mode.
func query(ctx context.Context, conn *sql.Conn, q, sortMode string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	raw := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out [][]string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(cts))
		for i, v := range raw {
			row[i] = format(v, cts[i].DatabaseTypeName())
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return sorted(out, sortMode), nil
}

// sorted lays rows out as result lines under a sort mode, as the Go runner does.
func sorted(rows [][]string, mode string) []string {
	var out []string
	switch mode {
	case "valuesort":
		for _, r := range rows {
			out = append(out, r...)
		}
		sort.Strings(out)
	default:
		for _, r := range rows {
			out = append(out, strings.Join(r, "\t"))
		}
		if mode == "rowsort" {
			sort.Strings(out)
		}
	}
	return out
}

// format renders a DuckDB value canonically: NULL, true/false, plain
// integers, floating point with 3 decimals, decimals exactly at their scale,
// dates YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS[.ffffff], "" as (empty);
// lists, structs and maps as formatNested does.
func format(v any, dbType string) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(x)
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64, int, uint:
		return fmt.Sprint(x)
	case *big.Int:
		return x.String()
	case float32:
		return formatFloat(float64(x))
	case float64:
		return formatFloat(x)
	case duckdb.Decimal:
		return formatDecimal(x.Value, int(x.Scale))
	case string:
		if x == "" {
			return "(empty)"
		}
		return x
	case []byte:
		return fmt.Sprintf("%X", x)
	case []any, map[string]any, duckdb.Map, duckdb.OrderedMap:
		return formatNested(x, dbType)
	case time.Time:
		x = x.UTC()
		if strings.EqualFold(dbType, "DATE") {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	}
	return fmt.Sprint(v)
}

func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(f, 'f', 3, 64)
	if s == "-0.000" {
		s = "0.000"
	}
	return s
}

// formatDecimal writes unscaled·10^-scale with exactly scale fractional digits.
func formatDecimal(unscaled *big.Int, scale int) string {
	if unscaled == nil {
		return "NULL"
	}
	neg := unscaled.Sign() < 0
	digits := new(big.Int).Abs(unscaled).String()
	if scale > 0 {
		if len(digits) <= scale {
			digits = strings.Repeat("0", scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if neg {
		digits = "-" + digits
	}
	return digits
}
