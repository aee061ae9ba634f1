package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/spark-connect-go/spark/client/channel"
	"github.com/apache/spark-connect-go/spark/sparkerrors"
	sparksql "github.com/apache/spark-connect-go/spark/sql"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/sql"
)

// remoteSQL runs SQL text on a Spark Connect endpoint through the official
// Go client. Results come back as Arrow and are printed by the same
// renderers as local results.
type remoteSQL struct {
	addr  string // the sc:// address, for messages
	spark sparksql.SparkSession
	conn  *connKeeper
	// local holds the received results as DataFrames for the printer, and
	// gives it its display settings.
	local *frame.Session
}

// connKeeper is a channel builder that keeps the connection it builds, so
// that closing the remote session closes it too (the client's Stop does not).
type connKeeper struct {
	*channel.BaseBuilder
	conn *grpc.ClientConn
}

// Build opens the connection and keeps it.
func (b *connKeeper) Build(ctx context.Context) (*grpc.ClientConn, error) {
	c, err := b.BaseBuilder.Build(ctx)
	b.conn = c
	return c, err
}

// dialRemote opens a session on the Spark Connect endpoint addr
// (sc://host:port[/;param=value...]).
func dialRemote(ctx context.Context, addr string) (*remoteSQL, error) {
	base, err := channel.NewBuilder(addr)
	if err != nil {
		return nil, fmt.Errorf("--remote %s: %w", addr, err)
	}
	kb := &connKeeper{BaseBuilder: base}
	spark, err := sparksql.NewSessionBuilder().WithChannelBuilder(kb).Build(ctx)
	if err != nil {
		if kb.conn != nil {
			_ = kb.conn.Close()
		}
		return nil, fmt.Errorf("--remote %s: %w", addr, err)
	}
	return &remoteSQL{addr: addr, spark: spark, conn: kb, local: frame.NewSession()}, nil
}

// Close ends the remote session and closes its connection.
func (r *remoteSQL) Close() error {
	err := r.spark.Stop()
	if r.conn.conn != nil {
		if cerr := r.conn.conn.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// runRemote splits script into statements as the local path does, sends
// each as SQL text to the remote endpoint and prints the results of those
// that have one, stopping at the first error.
func (p *printer) runRemote(ctx context.Context, r *remoteSQL, script string) error {
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
		df, err := r.statement(ctx, text)
		if err != nil {
			return fmt.Errorf("statement %d (%s): %w", i+1, abbreviateSQL(text), err)
		}
		if !hasResult(st) {
			continue
		}
		if err := p.emit(ctx, text, df); err != nil {
			return fmt.Errorf("statement %d (%s): %w", i+1, abbreviateSQL(text), err)
		}
	}
	return nil
}

// statement runs one statement remotely and returns its result as a local
// DataFrame over the Arrow batches received.
func (r *remoteSQL) statement(ctx context.Context, text string) (*frame.DataFrame, error) {
	rdf, err := r.spark.Sql(ctx, text)
	if err != nil {
		return nil, r.remoteError(err)
	}
	tbl, err := rdf.ToArrow(ctx)
	if err != nil {
		return nil, r.remoteError(err)
	}
	defer (*tbl).Release()
	tr := array.NewTableReader(*tbl, 0)
	defer tr.Release()
	var batches []arrow.RecordBatch
	for tr.Next() {
		b := tr.RecordBatch()
		b.Retain()
		batches = append(batches, b)
	}
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	if err := tr.Err(); err != nil {
		return nil, fmt.Errorf("reading the result: %w", err)
	}
	return r.local.FromBatches((*tbl).Schema(), [][]arrow.RecordBatch{batches})
}

// remoteError keeps the server's message of a failed call, without the
// client's wrapping (which repeats the whole statement), and says plainly
// when the server cannot be reached.
func (r *remoteSQL) remoteError(err error) error {
	var se *sparkerrors.SparkError
	if errors.As(err, &se) && se.Message != "" {
		return &serverError{msg: se.Message, err: err}
	}
	if st, ok := status.FromError(err); ok && st.Code() == codes.Unavailable {
		return &serverError{msg: fmt.Sprintf("--remote %s: the server cannot be reached: %s", r.addr, st.Message()), err: err}
	}
	return err
}

// serverError is an error the server reported, shown by its message.
type serverError struct {
	msg string
	err error // the client's error
}

func (e *serverError) Error() string { return e.msg }
func (e *serverError) Unwrap() error { return e.err }

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
func runRemoteSQL(ctx context.Context, addr string, params bool, script string, f outputFormat, out, errOut io.Writer) (err error) {
	if params {
		return errors.New("--param: not supported with --remote")
	}
	r, err := dialRemote(ctx, addr)
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
func runRemoteShell(ctx context.Context, addr string, params bool, f outputFormat, in *os.File, out, errOut io.Writer, debug bool) (err error) {
	if params {
		return errors.New("--param: not supported with --remote")
	}
	r, err := dialRemote(ctx, addr)
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
