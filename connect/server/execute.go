package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/uuid"

	cproto "github.com/gspark/gspark/connect/proto"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/sql"
)

// executePlan runs a plan: a relation's rows stream back as Arrow IPC
// batches (the first response also carries the schema), a command takes
// effect; the last response is ResultComplete. The operation runs under a
// context cancelled by Interrupt, by ReleaseExecute and when the client goes
// away (the stream's context).
func (s *Server) executePlan(ctx context.Context, req cproto.Msg, send func(cproto.Msg) error) error {
	ss, err := s.session(req.Str("session_id"))
	if err != nil {
		return err
	}
	opID := req.Str("operation_id")
	if opID == "" {
		opID = uuid.NewString()
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	op := &operation{id: opID, tags: req.Strings("tags"), cancel: cancel}
	ss.mu.Lock()
	if _, dup := ss.ops[opID]; dup {
		ss.mu.Unlock()
		return fmt.Errorf("operation %s is already running", opID)
	}
	ss.ops[opID] = op
	ss.mu.Unlock()
	defer func() {
		ss.mu.Lock()
		delete(ss.ops, opID)
		ss.mu.Unlock()
	}()

	out := &responder{s: s, ss: ss, opID: opID, send: send}
	plan := req.Get("plan")
	switch plan.Which("op_type") {
	case "root":
		df, err := ss.relation(ctx, plan.Get("root"))
		if err != nil {
			return withCause(ctx, err)
		}
		if err := out.stream(ctx, df); err != nil {
			return withCause(ctx, err)
		}
	case "command":
		if err := s.command(ctx, ss, plan.Get("command"), out); err != nil {
			return withCause(ctx, err)
		}
	default:
		return errors.New("execute: plan has neither a root relation nor a command")
	}
	done, err := out.new()
	if err != nil {
		return err
	}
	done.Mut("result_complete")
	return out.sendMsg(done)
}

// withCause reports an interruption as such rather than as the bare
// cancellation of the context.
func withCause(ctx context.Context, err error) error {
	if c := context.Cause(ctx); c != nil && errors.Is(c, errInterrupted) {
		return fmt.Errorf("%w: %w", errInterrupted, err)
	}
	return err
}

// responder builds and sends the responses of one operation.
type responder struct {
	s    *Server
	ss   *session
	opID string
	send func(cproto.Msg) error
}

func (r *responder) new() (cproto.Msg, error) {
	m, err := r.s.response("ExecutePlanResponse", r.ss)
	if err != nil {
		return m, err
	}
	_ = m.Set("operation_id", r.opID)
	_ = m.Set("response_id", uuid.NewString())
	return m, nil
}

func (r *responder) sendMsg(m cproto.Msg) error {
	if err := r.send(m); err != nil {
		return fmt.Errorf("sending to the client: %w", err)
	}
	return nil
}

// stream runs df and sends its batches.
func (r *responder) stream(ctx context.Context, df *frame.DataFrame) error {
	schema := plainSchema(df.Schema())
	st, err := structType(r.s.schema, schema)
	if err != nil {
		return err
	}
	first := true
	var offset int64
	emit := func(b arrow.RecordBatch) error {
		data, err := ipcBytes(r.ss.mem, schema, b)
		if err != nil {
			return err
		}
		m, err := r.new()
		if err != nil {
			return err
		}
		if first {
			if err := m.Set("schema", st); err != nil {
				return err
			}
			first = false
		}
		ab := m.Mut("arrow_batch")
		_ = ab.Set("row_count", b.NumRows())
		_ = ab.Set("data", data)
		_ = ab.Set("start_offset", offset)
		offset += b.NumRows()
		return r.sendMsg(m)
	}
	err = df.ForEachBatch(ctx, func(b arrow.RecordBatch) error {
		if b.NumRows() == 0 && !first {
			return nil
		}
		return emit(b)
	})
	if err != nil {
		return err
	}
	if first {
		// No batch at all: an empty one, so that clients see the columns.
		empty := array.NewRecordBatch(schema, emptyColumns(r.ss.mem, schema), 0)
		defer empty.Release()
		return emit(empty)
	}
	return nil
}

func emptyColumns(mem memory.Allocator, sc *arrow.Schema) []arrow.Array {
	cols := make([]arrow.Array, sc.NumFields())
	for i, f := range sc.Fields() {
		b := array.NewBuilder(mem, f.Type)
		cols[i] = b.NewArray()
		b.Release()
	}
	return cols
}

// plainSchema is the schema sent to clients: dictionary columns by their
// value type and 32- and 64-bit decimals as decimal128, the Arrow types
// Spark sends and clients read.
func plainSchema(sc *arrow.Schema) *arrow.Schema {
	fields := sc.Fields()
	changed := false
	for i, f := range fields {
		if t := wireType(f.Type); t != f.Type {
			fields[i].Type = t
			changed = true
		}
	}
	if !changed {
		return sc
	}
	md := sc.Metadata()
	return arrow.NewSchema(fields, &md)
}

func wireType(t arrow.DataType) arrow.DataType {
	switch x := t.(type) {
	case *arrow.DictionaryType:
		return wireType(x.ValueType)
	case *arrow.Decimal32Type:
		return &arrow.Decimal128Type{Precision: x.Precision, Scale: x.Scale}
	case *arrow.Decimal64Type:
		return &arrow.Decimal128Type{Precision: x.Precision, Scale: x.Scale}
	}
	return t
}

// wireColumn converts a column to its wireType; the result is a new
// reference the caller releases.
func wireColumn(mem memory.Allocator, c arrow.Array) (arrow.Array, error) {
	switch x := c.(type) {
	case *array.Dictionary:
		plain, err := kernels.DecodeDictionary(mem, x)
		if err != nil {
			return nil, err
		}
		defer plain.Release()
		return wireColumn(mem, plain)
	case *array.Decimal64:
		b := array.NewDecimal128Builder(mem, wireType(x.DataType()).(*arrow.Decimal128Type))
		defer b.Release()
		for i := 0; i < x.Len(); i++ {
			if x.IsNull(i) {
				b.AppendNull()
			} else {
				b.Append(decimal128.FromI64(int64(x.Value(i))))
			}
		}
		return b.NewArray(), nil
	case *array.Decimal32:
		b := array.NewDecimal128Builder(mem, wireType(x.DataType()).(*arrow.Decimal128Type))
		defer b.Release()
		for i := 0; i < x.Len(); i++ {
			if x.IsNull(i) {
				b.AppendNull()
			} else {
				b.Append(decimal128.FromI64(int64(x.Value(i))))
			}
		}
		return b.NewArray(), nil
	}
	c.Retain()
	return c, nil
}

// ipcBytes encodes a batch as an Arrow IPC stream (schema and one batch),
// dictionary columns decoded.
func ipcBytes(mem memory.Allocator, schema *arrow.Schema, b arrow.RecordBatch) ([]byte, error) {
	cols := make([]arrow.Array, b.NumCols())
	for i := range cols {
		c, err := wireColumn(mem, b.Column(i))
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", schema.Field(i).Name, err)
		}
		defer c.Release()
		cols[i] = c
	}
	rec := array.NewRecordBatch(schema, cols, b.NumRows())
	defer rec.Release()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err := w.Write(rec); err != nil {
		return nil, fmt.Errorf("encoding an Arrow batch: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encoding an Arrow batch: %w", err)
	}
	return buf.Bytes(), nil
}

// command runs a Command.
func (s *Server) command(ctx context.Context, ss *session, c cproto.Msg, out *responder) error {
	kind := c.Which("command_type")
	x := c.Get(kind)
	switch kind {
	case "sql_command":
		return s.sqlCommand(ctx, ss, x, out)
	case "create_dataframe_view":
		df, err := ss.relation(ctx, x.Get("input"))
		if err != nil {
			return err
		}
		name := x.Str("name")
		if x.Bool("is_global") {
			return fmt.Errorf("%w: global temporary views", errUnsupported)
		}
		if !x.Bool("replace") && ss.hasTable(name) {
			return fmt.Errorf("[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] cannot create the temporary view %s because it already exists", name)
		}
		return df.CreateOrReplaceTempView(name)
	case "write_operation":
		return ss.write(ctx, x)
	}
	return fmt.Errorf("%w: command %s", errUnsupported, kind)
}

func (ss *session) hasTable(name string) bool {
	for _, t := range ss.fs.Tables() {
		if strings.EqualFold(t, name) {
			return true
		}
	}
	return false
}

// sqlCommand runs spark.sql's statement. A query is only analyzed (its
// errors surface now, as Spark's do) and is sent back as a SQL relation for
// the client to build on; other statements run at once and their result,
// if any, comes back as a local relation.
func (s *Server) sqlCommand(ctx context.Context, ss *session, x cproto.Msg, out *responder) error {
	if x.Get("input").Valid() {
		return fmt.Errorf("%w: sql_command with an input relation", errUnsupported)
	}
	text := x.Str("sql")
	rel, err := s.schema.New("Relation")
	if err != nil {
		return err
	}
	if _, perr := sql.ParseQuery(text); perr == nil {
		// A query: check it the way the relation will be built.
		q := rel.Mut("sql")
		_ = q.Set("query", text)
		for _, f := range []string{"args", "named_arguments"} {
			for _, a := range x.List(f) {
				e, err := q.Append(f, nil)
				if err != nil {
					return err
				}
				_ = e.Set("key", a.Str("key"))
				if err := e.Set("value", a.Get("value")); err != nil {
					return err
				}
			}
		}
		if len(x.List("pos_args"))+len(x.List("pos_arguments")) > 0 {
			return fmt.Errorf("%w: positional SQL parameters", errUnsupported)
		}
		if _, err := ss.relation(ctx, rel); err != nil {
			return err
		}
	} else {
		var last *frame.DataFrame
		// Commands take effect inside ExecSQL; the last statement with a
		// result (SHOW, DESCRIBE, SET key, …) is run once, below.
		err := ss.fs.ExecSQL(ctx, text, func(_ string, df *frame.DataFrame) error {
			if err := df.Err(); err != nil {
				return err
			}
			last = df
			return nil
		})
		if err != nil {
			return err
		}
		lr := rel.Mut("local_relation")
		if last != nil {
			data, err := collectIPC(ctx, ss.mem, last)
			if err != nil {
				return err
			}
			_ = lr.Set("data", data)
		} else {
			_ = lr.Set("schema", "result string")
		}
	}
	m, err := out.new()
	if err != nil {
		return err
	}
	if err := m.Mut("sql_command_result").Set("relation", rel); err != nil {
		return err
	}
	return out.sendMsg(m)
}

// collectIPC runs df and encodes its whole result as one Arrow IPC stream.
func collectIPC(ctx context.Context, mem memory.Allocator, df *frame.DataFrame) ([]byte, error) {
	schema := plainSchema(df.Schema())
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	err := df.ForEachBatch(ctx, func(b arrow.RecordBatch) error {
		data, err := ipcBytes(mem, schema, b)
		if err != nil {
			return err
		}
		rd, err := ipc.NewReader(bytes.NewReader(data), ipc.WithAllocator(mem))
		if err != nil {
			return err
		}
		defer rd.Release()
		for rd.Next() {
			if err := w.Write(rd.RecordBatch()); err != nil {
				return err
			}
		}
		return rd.Err()
	})
	if err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encoding a result: %w", err)
	}
	return buf.Bytes(), nil
}

// saveMode is the writer mode of a WriteOperation.SaveMode.
func saveMode(m int64) string {
	switch m {
	case 1:
		return "append"
	case 2:
		return "overwrite"
	case 4:
		return "ignore"
	}
	return "errorifexists"
}

// write runs a WriteOperation to a path.
func (ss *session) write(ctx context.Context, x cproto.Msg) error {
	df, err := ss.relation(ctx, x.Get("input"))
	if err != nil {
		return err
	}
	if x.Which("save_type") != "path" {
		return fmt.Errorf("%w: saving as a table", errUnsupported)
	}
	if len(x.Strings("sort_column_names")) > 0 || x.Get("bucket_by").Valid() || len(x.Strings("clustering_columns")) > 0 {
		return fmt.Errorf("%w: bucketed, sorted or clustered writes", errUnsupported)
	}
	w := df.Write().Mode(saveMode(x.Int("mode")))
	if src := x.Str("source"); src != "" {
		w = w.Format(src)
	}
	for k, v := range x.Map("options") {
		w = w.Option(k, v)
	}
	if p := x.Strings("partitioning_columns"); len(p) > 0 {
		w = w.PartitionBy(p...)
	}
	return w.Save(ctx, localPath(x.Str("path")))
}
