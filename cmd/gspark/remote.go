package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/connect/client"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/sql"
)

// remoteSQL runs SQL text on a Spark Connect endpoint (connect/client).
// Results stream back as Arrow batches and are printed by the same
// renderers as local results.
type remoteSQL struct {
	addr string // the sc:// address, for messages
	c    *client.Client
	// local gives the printer its display settings (time zone, binary
	// style), kept in step with the settings sent to the server.
	local *frame.Session
	// params are the --param values ${name} reads, substituted here as
	// the local path does.
	params map[string]string
}

// dialRemote opens a session on the Spark Connect endpoint addr
// (sc://host:port[/;param=value...]).
func dialRemote(ctx context.Context, addr string) (*remoteSQL, error) {
	c, err := client.Dial(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("--remote %w", err)
	}
	return &remoteSQL{addr: addr, c: c, local: frame.NewSession()}, nil
}

// dialRemoteFlags is dialRemote with the global flags applied: --conf is
// sent to the remote session, --param substituted in the SQL text, and
// --partitions and --memory-limit, which apply only to local runs, get a
// warning on errOut.
func dialRemoteFlags(ctx context.Context, g *globalFlags, addr string, errOut io.Writer) (*remoteSQL, error) {
	params, err := sqlParams(g.params)
	if err != nil {
		return nil, err
	}
	conf := map[string]string{}
	for _, kv := range g.conf {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--conf %q: want key=value", kv)
		}
		conf[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if g.partitions > 0 {
		fmt.Fprintln(errOut, "gspark: warning: --partitions applies only to local runs; with --remote the server decides (set spark.sql.shuffle.partitions with --conf)")
	}
	if g.memoryLimit != "" {
		fmt.Fprintln(errOut, "gspark: warning: --memory-limit applies only to local runs; it is ignored with --remote")
	}
	r, err := dialRemote(ctx, addr)
	if err != nil {
		return nil, err
	}
	if len(params) > 0 {
		r.params = params
	}
	if err := r.c.SetConf(ctx, conf); err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("--conf: %w", r.remoteError(err))
	}
	for k, v := range conf {
		// The server has it; here only the display settings matter.
		_ = r.local.SetConf(k, v)
	}
	return r, nil
}

// Close ends the remote session and closes its connection.
func (r *remoteSQL) Close() error { return r.c.Close() }

// runRemote splits script into statements as the local path does, sends
// each as SQL text to the remote endpoint and prints the results of those
// that have one as they stream in, stopping at the first error.
func (p *printer) runRemote(ctx context.Context, r *remoteSQL, script string) error {
	if r.params != nil {
		var err error
		if script, err = frame.SubstituteParams(script, r.params); err != nil {
			return err
		}
	}
	stmts, err := sql.Parse(script)
	if err != nil {
		return err
	}
	p.session = r.local
	for i, st := range stmts {
		if err := ctx.Err(); err != nil {
			return err
		}
		text := st.SQL()
		res, err := r.c.Exec(ctx, text)
		if err != nil {
			return fmt.Errorf("statement %d (%s): %w", i+1, abbreviateSQL(text), r.remoteError(err))
		}
		if !hasResult(st) {
			res.Close()
			continue
		}
		err = p.emit(ctx, text, &remoteResult{r: r, res: res})
		res.Close()
		if err != nil {
			return fmt.Errorf("statement %d (%s): %w", i+1, abbreviateSQL(text), r.remoteError(err))
		}
	}
	return nil
}

// remoteResult is a statement's result streaming from the server, as the
// printer reads a DataFrame's.
type remoteResult struct {
	r   *remoteSQL
	res *client.Result
}

func (x *remoteResult) Schema() *arrow.Schema { return x.res.Schema() }

// ForEachBatch hands fn each batch as it arrives.
func (x *remoteResult) ForEachBatch(ctx context.Context, fn func(arrow.RecordBatch) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := x.res.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		err = fn(b)
		b.Release()
		if err != nil {
			return err
		}
	}
}

// LocalizeTimes shows instants in the session time zone, as locally.
func (x *remoteResult) LocalizeTimes(rows [][]any) {
	df, err := x.r.local.FromBatches(x.res.Schema(), nil)
	if err == nil {
		df.LocalizeTimes(rows)
	}
}

// remoteError keeps the server's message of a failed call, and says which
// flag's address cannot be reached.
func (r *remoteSQL) remoteError(err error) error {
	var se *client.ServerError
	if errors.As(err, &se) {
		return err
	}
	if errors.Is(err, client.ErrUnreachable) {
		return fmt.Errorf("--remote %w", err)
	}
	return err
}

// hasResult reports whether a statement prints a result, as locally:
// view, table, cache and variable commands and SET key=value print none.
func hasResult(st sql.Statement) bool {
	switch x := st.(type) {
	case *sql.CreateView, *sql.DropView, *sql.CreateSourceView, *sql.CreateTableAs, *sql.InsertOverwriteDirectory:
		return false
	case *sql.CacheTable, *sql.UncacheTable, *sql.DeclareVariable, *sql.SetVariable, *sql.DropVariable:
		return false
	case *sql.Set:
		return !x.HasValue
	}
	return true
}

// abbreviateSQL shortens a statement for an error message.
func abbreviateSQL(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// runRemoteSQL runs a script on the Spark Connect endpoint addr, printing
// each result to out in format f as runSQL does.
func runRemoteSQL(ctx context.Context, g *globalFlags, addr string, script string, f outputFormat, out, errOut io.Writer) (err error) {
	r, err := dialRemoteFlags(ctx, g, addr, errOut)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := r.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("--remote %s: closing the session: %w", addr, cerr)
		}
	}()
	p := newPrinter(f, out, errOut)
	p.remote = r
	return p.run(ctx, nil, script)
}

// runRemoteShell runs the shell (or the statements piped to it) on the
// Spark Connect endpoint addr. Its dot commands still read the local session.
func runRemoteShell(ctx context.Context, g *globalFlags, addr string, f outputFormat, in *os.File, out, errOut io.Writer, debug bool) (err error) {
	r, err := dialRemoteFlags(ctx, g, addr, errOut)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := r.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("--remote %s: closing the session: %w", addr, cerr)
		}
	}()
	return runShell(ctx, r.local, r, f, in, out, errOut, debug)
}
