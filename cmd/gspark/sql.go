package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/spf13/cobra"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/values"
)

// sqlOptions are the flags of the sql command.
type sqlOptions struct {
	expr   string
	file   string
	format string
	remote string // sc://host:port of a Spark Connect endpoint
}

func newSQL(g *globalFlags) *cobra.Command {
	var o sqlOptions
	cmd := &cobra.Command{
		Use:   "sql (-e SQL | -f FILE)",
		Short: "Run SQL statements over the sample tables and temp views",
		Long: "Run a script of ;-separated Spark SQL statements (SELECT/WITH queries, CREATE TEMP VIEW,\n" +
			"EXPLAIN [EXTENDED], SHOW TABLES, DESCRIBE) and print each result.\n" +
			"With --format table an \"N rows (time)\" line per result goes to stderr and a table shows at\n" +
			"most 10000 rows of a result; csv and json write only data to stdout, every row, streamed as\n" +
			"the query makes them (the result's size does not bound memory).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			script, err := o.script()
			if err != nil {
				return err
			}
			f, err := formatter(o.format)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd.Context())
			defer stop()
			if o.remote != "" {
				return signalCause(ctx, runRemoteSQL(ctx, g, o.remote, script, f, cmd.OutOrStdout(), cmd.ErrOrStderr()))
			}
			heapReady := g.prepareHeap()
			defer func() { <-heapReady }()
			s, err := g.sqlSession()
			if err != nil {
				return err
			}
			p := newPrinter(f, cmd.OutOrStdout(), cmd.ErrOrStderr())
			p.ready = heapReady
			return signalCause(ctx, p.run(ctx, s, script))
		},
	}
	cmd.Flags().StringVarP(&o.expr, "execute", "e", "", "SQL text to run")
	cmd.Flags().StringVarP(&o.file, "file", "f", "", "file of SQL statements to run")
	cmd.Flags().StringVar(&o.format, "format", "table", "output format: table, csv or json")
	cmd.Flags().StringVar(&o.remote, "remote", "", "sc://host:port: run the statements on this Spark Connect endpoint")
	cmd.Flags().StringArrayVar(&g.params, "param", nil, "name=value: SQL text reads ${name} as value (repeatable)")
	return cmd
}

func (o *sqlOptions) script() (string, error) {
	switch {
	case o.expr != "" && o.file != "":
		return "", errors.New("give either -e SQL or -f FILE, not both")
	case o.expr != "":
		return o.expr, nil
	case o.file != "":
		b, err := os.ReadFile(o.file)
		if err != nil {
			return "", fmt.Errorf("-f: %w", err)
		}
		return string(b), nil
	}
	return "", errors.New("give the SQL to run with -e SQL or -f FILE")
}

// resultWriter prints one statement's result.
type resultWriter func(w io.Writer, schema *arrow.Schema, rows [][]any) error

// outputFormat is how results are printed; summary adds an "N rows (time)"
// line after each result.
type outputFormat struct {
	write   resultWriter
	stream  streamer // prints batch by batch; nil: the result is held (up to the row limit) and written whole
	summary bool
}

func formatter(name string) (outputFormat, error) {
	switch name {
	case "table", "":
		return outputFormat{write: writeTable, summary: true}, nil
	case "csv":
		return outputFormat{write: writeCSV, stream: newCSVStream}, nil
	case "json":
		return outputFormat{write: writeJSON, stream: newJSONStream}, nil
	}
	return outputFormat{}, fmt.Errorf("--format: unknown format %q (want table, csv or json)", name)
}

// printer runs statements and prints their results.
type printer struct {
	f          outputFormat
	out        io.Writer      // results
	summaryOut io.Writer      // the summary lines, if f has them
	progress   io.Writer      // where progress bars are drawn; nil for none
	limit      int            // rows printed per result; < 0 for all
	session    *frame.Session // the session running the script, for its display settings
	remote     *remoteSQL     // when set, statements run on this Spark Connect endpoint
	n          int            // results printed so far
	// ready, when set, is closed once the heap is prepared (prepareHeap):
	// the first result waits for it, so that the query's memory lands in the
	// prepared heap, while statements before it (views, settings) run alongside.
	ready <-chan struct{}
}

// newPrinter returns a printer of every row to out, with the summary lines
// and progress bars (when errOut is a terminal) on errOut.
func newPrinter(f outputFormat, out, errOut io.Writer) *printer {
	p := &printer{f: f, out: out, summaryOut: errOut, limit: -1}
	if progressWanted(errOut) {
		p.progress = errOut
	}
	return p
}

// runSQL runs a script, printing each result to out in format f and the
// summary lines, if f has them, to errOut.
func runSQL(ctx context.Context, s *frame.Session, script string, f outputFormat, out, errOut io.Writer) error {
	return newPrinter(f, out, errOut).run(ctx, s, script)
}

// run runs the statements of script in order, stopping at the first error.
// A panic while parsing, planning or printing a statement is an internal
// error too, so that the shell goes on.
func (p *printer) run(ctx context.Context, s *frame.Session, script string) (err error) {
	defer exec.Recover(&err, "SQL statement")
	if p.remote != nil {
		return p.runRemote(ctx, p.remote, script)
	}
	p.session = s
	return s.ExecSQL(ctx, script, func(stmt string, df *frame.DataFrame) error {
		return p.emit(ctx, stmt, df)
	})
}

// resultSet is a statement's result as the printer reads it: a local
// DataFrame, or a result streaming from a Spark Connect server.
type resultSet interface {
	Schema() *arrow.Schema
	ForEachBatch(ctx context.Context, fn func(arrow.RecordBatch) error) error
	LocalizeTimes(rows [][]any)
}

// tablePreviewRows bounds the rows a table holds to print when no smaller
// limit is set: a table is laid out whole, so it is a preview of a large
// result, while CSV and JSON stream every row.
const tablePreviewRows = 10000

// emit runs one statement's DataFrame and prints its result as its batches
// arrive: CSV and JSON row by row, a table once its rows (up to the limit)
// are in.
func (p *printer) emit(ctx context.Context, stmt string, df resultSet) error {
	if p.ready != nil {
		select {
		case <-p.ready:
			p.ready = nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	start := time.Now()
	prog := new(exec.Progress)
	stop := func() {}
	if p.progress != nil {
		stop = startProgress(p.progress, prog, progressDelay, progressTick)
	}
	stopProgress := sync.OnceFunc(stop)
	defer stopProgress()
	schema := df.Schema()
	explain := p.f.summary && isExplain(stmt, schema)
	streaming := p.f.stream != nil && !explain
	limit := p.limit
	if !streaming && !explain && limit < 0 {
		limit = tablePreviewRows
	}
	style := binaryStyle(p.session)
	var (
		held  [][]any
		shown int
		total int64
		st    rowStream
	)
	open := func() error {
		stopProgress()
		if p.f.summary && p.n > 0 {
			fmt.Fprintln(p.out)
		}
		st = p.f.stream(p.out, schema)
		return st.begin()
	}
	err := df.ForEachBatch(frame.WithProgress(ctx, prog), func(b arrow.RecordBatch) error {
		rest := -1
		if limit >= 0 {
			rest = max(limit-shown, 0)
		}
		rows, n := collectRows([]arrow.RecordBatch{b}, rest)
		total += n
		if len(rows) == 0 {
			return nil
		}
		shown += len(rows)
		df.LocalizeTimes(rows)
		showBinaries(rows, style)
		if !streaming {
			held = append(held, rows...)
			return nil
		}
		if st == nil {
			if err := open(); err != nil {
				return err
			}
		}
		return st.rows(rows)
	})
	stopProgress()
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if streaming {
		if st == nil {
			if err := open(); err != nil {
				return err
			}
		}
		p.n++
		return st.end()
	}
	if p.f.summary && p.n > 0 {
		fmt.Fprintln(p.out)
	}
	p.n++
	if explain {
		// A plan reads better as plain lines than as a one-column table.
		var b strings.Builder
		for _, r := range held {
			fmt.Fprintln(&b, r[0])
		}
		_, err := io.WriteString(p.out, b.String())
		return err
	}
	if err := p.f.write(p.out, schema, held); err != nil {
		return err
	}
	if p.f.summary {
		fmt.Fprintln(p.summaryOut, summaryLine(total, len(held), elapsed))
	}
	return nil
}

// isExplain reports whether stmt is an EXPLAIN whose result is its plan text.
func isExplain(stmt string, schema *arrow.Schema) bool {
	f := strings.Fields(stmt)
	return len(f) > 0 && strings.EqualFold(f[0], "explain") &&
		schema.NumFields() == 1 && schema.Field(0).Name == "plan"
}

// cellText renders a value for CSV: dates as yyyy-mm-dd, null as an empty field.
func cellText(t arrow.DataType, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		if t.ID() == arrow.DATE32 || t.ID() == arrow.DATE64 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	}
	return values.FormatValue(v)
}

func writeCSV(w io.Writer, schema *arrow.Schema, rows [][]any) error {
	return writeAll(newCSVStream(w, schema), rows)
}

// jsonValue renders a value as JSON: numbers as numbers (decimals exactly),
// dates as "yyyy-mm-dd", non-finite doubles as strings, null as null.
func jsonValue(t arrow.DataType, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return []byte("null"), nil
	case values.Decimal:
		return []byte(x.String()), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return json.Marshal(values.FormatDouble(x))
		}
		return []byte(strconv.FormatFloat(x, 'g', -1, 64)), nil
	case float32:
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return json.Marshal(values.FormatDouble(f))
		}
		return []byte(strconv.FormatFloat(f, 'g', -1, 32)), nil
	case time.Time:
		return json.Marshal(cellText(t, x))
	case []byte:
		return json.Marshal(fmt.Sprintf("%X", x))
	case bool, string, int8, int16, int32, int64, uint8, uint16, uint32, uint64:
		return json.Marshal(x)
	}
	// Arrays, maps and structs: the text the table shows, as a string.
	return json.Marshal(cellText(t, v))
}

func writeJSON(w io.Writer, schema *arrow.Schema, rows [][]any) error {
	return writeAll(newJSONStream(w, schema), rows)
}
