package frame

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/connect/client"
	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/sql"
)

// WithRemote makes a remote session: its queries run on the Spark Connect
// endpoint addr (sc://host:port[/;param=value...]) — a Spark cluster's
// Spark Connect server or `gspark connect-server` — instead of in this
// process.
//
// Tables (Table, SQL's FROM) are the server's, and Read's paths are
// resolved on the server: nothing local is opened. DataFrames are built and
// analyzed here as in a local session (a wrong column name is still reported
// at once, by Err), against schemas the server reports. At an action —
// Collect, CollectBatches, ForEachBatch, Show, Count, Write,
// CreateOrReplaceTempView — the DataFrame's plan becomes one Spark SQL query
// (planner/unparse) that the server runs; its Arrow result streams back into
// the same Go values and types as a local run gives. SQL runs a query the
// same way and any other statement (SET, CREATE VIEW, SHOW, …) at once on
// the server. SetConf sets the key on the server's session too.
//
// What has no Spark SQL form cannot run remotely and fails at the action
// with an error naming it: Go UDFs, DataFrames made from Go values that
// unparse cannot write as VALUES, cached DataFrames and sources registered
// in this process. Close the session to end the remote session and close
// its connection.
func WithRemote(addr string) Option {
	return func(s *Session) { s.remote = &remoteConn{addr: addr} }
}

// remoteConn is a remote session's connection.
type remoteConn struct {
	addr string
	c    *client.Client
	err  error        // from dialling
	seq  atomic.Int64 // names of the server views made for reads and queries
}

// dial opens the connection of a session made WithRemote.
func (r *remoteConn) dial() {
	r.c, r.err = client.Dial(context.Background(), r.addr)
	if r.err != nil {
		r.err = fmt.Errorf("remote session %s: %w", r.addr, r.err)
	}
}

// client returns the connection, or the error that dialling it gave.
func (r *remoteConn) client() (*client.Client, error) {
	if r.err != nil {
		return nil, r.err
	}
	return r.c, nil
}

// viewName is a fresh name for a temp view on the server.
func (r *remoteConn) viewName() string {
	return fmt.Sprintf("__gspark_remote_%d", r.seq.Add(1))
}

// Remote returns the Spark Connect address of a remote session, "" for a
// local one.
func (s *Session) Remote() string {
	if s.remote == nil {
		return ""
	}
	return s.remote.addr
}

// Close ends a remote session on its server and closes its connection; for
// a local session it does nothing.
func (s *Session) Close() error {
	if s.remote == nil || s.remote.c == nil {
		return nil
	}
	return s.remote.c.Close()
}

// ErrNotRemote marks an operation that a remote session cannot run on the
// server.
var ErrNotRemote = errors.New("cannot run remotely")

// remoteSource is a table of the server: a catalog table or a temp view
// made for a read or a query. It holds only the name and the schema the
// server reported; scanning it in this process is an error.
type remoteSource struct {
	name   string // the table's name as the server's SQL reads it
	what   string // what it is, for messages and EXPLAIN
	schema *arrow.Schema
}

// Describe implements logical.Source.
func (r *remoteSource) Describe() string { return "remote " + r.what }

// Schema implements logical.Source.
func (r *remoteSource) Schema() *arrow.Schema { return r.schema }

// EstimatedRows implements logical.Source.
func (r *remoteSource) EstimatedRows() int64 { return -1 }

// SQLTableRef implements unparse.TableRef: the quoted name the server
// knows the table by.
func (r *remoteSource) SQLTableRef() string { return quoteName(r.name) }

// Operator implements logical.Source: a remote table is not read here.
func (r *remoteSource) Operator(*exec.Env, logical.ScanRequest) (exec.Operator, error) {
	return nil, fmt.Errorf("%s: %w: it is the server's", r.what, ErrNotRemote)
}

// quoteName quotes each part of a dotted table name as a Spark identifier,
// leaving a name that already has backquotes as it is.
func quoteName(name string) string {
	if strings.Contains(name, "`") {
		return name
	}
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = "`" + p + "`"
	}
	return strings.Join(parts, ".")
}

// remoteTable asks the server for the schema of its table name and returns
// it as a source.
func (s *Session) remoteTable(ctx context.Context, name, what string) (*remoteSource, error) {
	c, err := s.remote.client()
	if err != nil {
		return nil, err
	}
	res, err := c.Query(ctx, "SELECT * FROM "+quoteName(name)+" LIMIT 0")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer res.Close()
	return &remoteSource{name: name, what: what, schema: localSchema(res.Schema())}, nil
}

// localSchema is a schema the server sent with gspark's own types where the
// wire widened them: DECIMAL(p ≤ 18) is decimal64 in gspark, decimal128 in
// Spark Connect's Arrow.
func localSchema(s *arrow.Schema) *arrow.Schema {
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		if d, ok := f.Type.(*arrow.Decimal128Type); ok && d.Precision <= 18 {
			f.Type = &arrow.Decimal64Type{Precision: d.Precision, Scale: d.Scale}
		}
		fields[i] = f
	}
	return arrow.NewSchema(fields, nil)
}

// remoteLookup is lookup for a remote session: every name is the server's.
func (s *Session) remoteLookup(name string) (logical.Source, logical.Plan, error) {
	src, err := s.remoteTable(context.Background(), name, "table "+name)
	if err != nil {
		return nil, nil, err
	}
	return src, nil, nil
}

// remoteLoad is a read in a remote session: a temp view over the files is
// made on the server (CREATE TEMPORARY VIEW … USING format OPTIONS (path …)),
// so the path is resolved there and the server infers the schema.
func (r *DataFrameReader) remoteLoad(format string, paths []string) *DataFrame {
	op := fmt.Sprintf("read %s %s", format, strings.Join(paths, ", "))
	if len(paths) != 1 {
		return r.fail(fmt.Errorf("%s: %w: a remote read takes one path (a file, directory or glob), got %d", op, ErrNotRemote, len(paths)))
	}
	if r.schema != nil {
		return r.fail(fmt.Errorf("%s: %w: a reader schema (the server infers it)", op, ErrNotRemote))
	}
	c, err := r.s.remote.client()
	if err != nil {
		return r.fail(err)
	}
	opts := map[string]string{"path": paths[0]}
	for k, v := range r.opts {
		opts[k] = v
	}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	view := r.s.remote.viewName()
	fmt.Fprintf(&b, "CREATE OR REPLACE TEMPORARY VIEW %s USING %s OPTIONS (", quoteName(view), format)
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", quoteName(k), sqlString(opts[k]))
	}
	b.WriteString(")")
	ctx := context.Background()
	if err := execRemote(ctx, c, b.String()); err != nil {
		return r.fail(fmt.Errorf("%s: %w", op, err))
	}
	src, err := r.s.remoteTable(ctx, view, op)
	if err != nil {
		return r.fail(err)
	}
	return r.s.newFrame(r.s.analyzer().NewScan(src, ""))
}

// sqlString is a Spark SQL string literal.
func sqlString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// execRemote runs a statement on the server, dropping its result.
func execRemote(ctx context.Context, c *client.Client, statement string) error {
	res, err := c.Exec(ctx, statement)
	if err != nil {
		return err
	}
	return res.Close()
}

// remoteSQL is SQL in a remote session: a query becomes a temp view on the
// server (so that DataFrames built on it run there as one query); any
// other statement runs at once on the server and its result, if any, comes
// back whole, as a DataFrame of a local session.
func (s *Session) remoteSQL(text string) *DataFrame {
	c, err := s.remote.client()
	if err != nil {
		return &DataFrame{s: s, err: err}
	}
	ctx := context.Background()
	if _, perr := sql.ParseQuery(text); perr == nil {
		view := s.remote.viewName()
		if err := execRemote(ctx, c, "CREATE OR REPLACE TEMPORARY VIEW "+quoteName(view)+" AS "+text); err != nil {
			return &DataFrame{s: s, err: err}
		}
		src, err := s.remoteTable(ctx, view, "query")
		if err != nil {
			return &DataFrame{s: s, err: err}
		}
		return s.newFrame(s.analyzer().NewScan(src, ""))
	}
	res, err := c.Exec(ctx, text)
	if err != nil {
		return &DataFrame{s: s, err: err}
	}
	defer res.Close()
	var bs []arrow.RecordBatch
	defer func() { exec.ReleaseAll(bs) }()
	for {
		b, err := res.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &DataFrame{s: s, err: err}
		}
		bs = append(bs, b)
	}
	// The result is data in this process: it belongs to a local session
	// (with this one's time zone), where it runs.
	local := NewSession(WithAllocator(s.mem))
	if zone, _ := s.TimeZone(); zone != "" {
		_ = local.SetTimeZone(zone)
	}
	df, err := local.FromBatches(res.Schema(), [][]arrow.RecordBatch{bs})
	if err != nil {
		return &DataFrame{s: s, err: err}
	}
	return df
}

// remoteText is the Spark SQL query of df's plan, for the action op.
func (df *DataFrame) remoteText(op string) (string, error) {
	if df.err != nil {
		return "", df.err
	}
	text, err := planSQL(df.plan)
	if err != nil {
		return "", &notRemoteError{what: op + " on remote session " + df.s.remote.addr, err: err}
	}
	return text, nil
}

// notRemoteError is a plan part that has no Spark SQL form: it matches
// ErrNotRemote and the cause (whose text already says so).
type notRemoteError struct {
	what string
	err  error
}

func (e *notRemoteError) Error() string   { return e.what + ": " + e.err.Error() }
func (e *notRemoteError) Unwrap() []error { return []error{ErrNotRemote, e.err} }

// runRemote is runEnv for a remote session: the query runs on the server
// and consume reads its result through a one-partition operator.
func (df *DataFrame) runRemote(ctx context.Context, consume func(ctx context.Context, env *exec.Env, op exec.Operator) error) error {
	c, err := df.s.remote.client()
	if err != nil {
		return err
	}
	text, err := df.remoteText("query")
	if err != nil {
		return err
	}
	// The result is only read here: the server holds the query's memory.
	env := df.s.newEnv(exec.NewBudget(df.s.mem, 0, func(error) {}))
	run := exec.NewExecution()
	defer run.Close()
	op := &remoteOperator{c: c, text: text, schema: df.Schema(), mem: env.Mem}
	return consume(exec.WithExecution(ctx, run), env, op)
}

// remoteOperator streams a query's result from the server: one partition,
// the batches in the server's order, converted to the DataFrame's schema.
type remoteOperator struct {
	c      *client.Client
	text   string
	schema *arrow.Schema
	mem    memory.Allocator
}

func (o *remoteOperator) Schema() *arrow.Schema     { return o.schema }
func (o *remoteOperator) Partitions() int           { return 1 }
func (o *remoteOperator) Children() []exec.Operator { return nil }
func (o *remoteOperator) String() string            { return "RemoteQuery " + o.c.Addr() }

// Execute starts the query on the server.
func (o *remoteOperator) Execute(ctx context.Context, partition int) (exec.Stream, error) {
	if partition != 0 {
		return nil, fmt.Errorf("remote query: no partition %d", partition)
	}
	res, err := o.c.Query(ctx, o.text)
	if err != nil {
		return nil, err
	}
	if res.Schema().NumFields() != o.schema.NumFields() {
		res.Close()
		return nil, fmt.Errorf("remote query: the server's result has %d columns, the DataFrame %d", res.Schema().NumFields(), o.schema.NumFields())
	}
	return &remoteStream{ctx: ctx, res: res, schema: o.schema, mem: o.mem}, nil
}

type remoteStream struct {
	ctx    context.Context
	res    *client.Result
	schema *arrow.Schema
	mem    memory.Allocator
}

func (s *remoteStream) Next() (arrow.RecordBatch, error) {
	b, err := s.res.Next()
	if err != nil {
		return nil, err
	}
	defer b.Release()
	return conformBatch(s.ctx, s.mem, b, s.schema)
}

func (s *remoteStream) Close() error { return s.res.Close() }

// conformBatch returns b with want's fields, its columns cast where the
// wire's types differ from gspark's (decimal128 for a DECIMAL(p ≤ 18)).
func conformBatch(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch, want *arrow.Schema) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, b.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, f := range want.Fields() {
		c := b.Column(i)
		if arrow.TypeEqual(c.DataType(), f.Type) {
			c.Retain()
			cols[i] = c
			continue
		}
		if d128, ok := c.(*array.Decimal128); ok {
			if t, ok := f.Type.(*arrow.Decimal64Type); ok && d128.DataType().(*arrow.Decimal128Type).Scale == t.Scale {
				cols[i] = narrowDecimal(mem, d128, t)
				continue
			}
		}
		cast, err := compute.CastArray(compute.WithAllocator(ctx, mem), c, compute.SafeCastOptions(f.Type))
		if err != nil {
			return nil, fmt.Errorf("remote result column %s: %s to %s: %w", f.Name, c.DataType(), f.Type, err)
		}
		cols[i] = cast
	}
	return array.NewRecordBatch(want, cols, b.NumRows()), nil
}

// remoteSave is a write of a remote session: the server runs the query and
// writes its result under dir (a path of the server's), with Spark
// Connect's write operation.
func (w *DataFrameWriter) remoteSave(ctx context.Context, dir, ext string) error {
	op := "write " + dir
	c, err := w.df.s.remote.client()
	if err != nil {
		return err
	}
	text, err := w.df.remoteText(op)
	if err != nil {
		return err
	}
	format := strings.TrimPrefix(ext, ".")
	if i := strings.IndexByte(format, '.'); i >= 0 {
		format = format[:i] // csv.gz: the codec is in the options
	}
	spec := client.WriteSpec{Path: dir, Format: format, Mode: w.mode, Options: w.opts, PartitionBy: w.partitionBy}
	if err := c.Write(ctx, text, spec); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// remoteView makes df a temp view of the server's session.
func (df *DataFrame) remoteView(name string) error {
	op := "CreateOrReplaceTempView " + name
	c, err := df.s.remote.client()
	if err != nil {
		return err
	}
	text, err := df.remoteText(op)
	if err != nil {
		return err
	}
	if err := c.CreateView(context.Background(), name, text, true); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// remoteSetConf sets a key on the server's session, and in this one when
// gspark knows it (so that results show in the same session time zone).
func (s *Session) remoteSetConf(key, value string) error {
	c, err := s.remote.client()
	if err != nil {
		return err
	}
	if err := c.SetConf(context.Background(), map[string]string{key: value}); err != nil {
		return fmt.Errorf("conf %s on remote session %s: %w", key, s.remote.addr, err)
	}
	// A key gspark does not know is the server's business only.
	_ = s.setConf(key, value)
	return nil
}

// narrowDecimal is a decimal128 column of precision ≤ 18 as gspark's
// decimal64 of the same scale (the values fit: the low 64 bits are the
// value).
func narrowDecimal(mem memory.Allocator, a *array.Decimal128, t *arrow.Decimal64Type) arrow.Array {
	b := array.NewDecimal64Builder(mem, t)
	defer b.Release()
	b.Reserve(a.Len())
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			b.AppendNull()
			continue
		}
		b.Append(decimal.Decimal64(int64(a.Value(i).LowBits())))
	}
	return b.NewArray()
}
