package frame

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
)

// BatchInput is a table whose rows are given anew on every run of a
// PreparedQuery built over it: the leaf of a query planned once and run
// many times over small batches (a model scoring one record, say).
type BatchInput struct {
	src *inputTable
}

// NewBatchInput returns a DataFrame over a table of the given schema whose
// rows are the batch passed to each PreparedQuery.Run, and the handle that
// PrepareOver takes. Running the DataFrame any other way is an error.
func (s *Session) NewBatchInput(schema *arrow.Schema) (*DataFrame, *BatchInput) {
	src := &inputTable{schema: schema}
	return s.newFrame(s.analyzer().NewScan(src, "")), &BatchInput{src: src}
}

// PreparedQuery is a DataFrame over a BatchInput, analyzed, optimized and
// planned once, for one partition; each Run executes the same operators
// over a new input batch. It is safe for concurrent use.
type PreparedQuery struct {
	in     *inputTable
	op     exec.Operator
	mem    memory.Allocator
	schema *arrow.Schema
}

// PrepareOver plans df, which must read from in, for repeated runs over
// single batches. Uncorrelated scalar subqueries run now, under ctx.
func (df *DataFrame) PrepareOver(ctx context.Context, in *BatchInput) (*PreparedQuery, error) {
	if df.err != nil {
		return nil, df.err
	}
	if in == nil || !readsSource(df.plan, in.src) {
		return nil, fmt.Errorf("PrepareOver: the DataFrame does not read from this batch input")
	}
	mem := df.s.mem
	q, err := df.prepareWith(ctx, exec.NewEnv(mem), false, 1)
	if err != nil {
		return nil, err
	}
	return &PreparedQuery{in: in.src, op: q.op, mem: mem, schema: q.op.Schema()}, nil
}

// readsSource reports whether p has a scan of src.
func readsSource(p logical.Plan, src logical.Source) bool {
	if s, ok := p.(*logical.Scan); ok && s.Source == src {
		return true
	}
	for _, c := range p.Children() {
		if readsSource(c, src) {
			return true
		}
	}
	return false
}

// Schema returns the schema of the batches Run returns.
func (q *PreparedQuery) Schema() *arrow.Schema { return q.schema }

// InputSchema returns the schema Run's input batch must have.
func (q *PreparedQuery) InputSchema() *arrow.Schema { return q.in.schema }

// Run executes the prepared query with b as the rows of its batch input and
// returns the result as one batch, which the caller releases. A panic in an
// operator or a user function is returned as an *exec.InternalError.
func (q *PreparedQuery) Run(ctx context.Context, b arrow.RecordBatch) (out arrow.RecordBatch, err error) {
	defer exec.Recover(&err, "prepared query")
	if !b.Schema().Equal(q.in.schema) {
		return nil, fmt.Errorf("prepared query: input batch has schema %s, want %s", b.Schema(), q.in.schema)
	}
	run := exec.NewExecution()
	defer run.Close()
	ctx = exec.WithExecution(context.WithValue(ctx, inputKey{q.in}, b), run)
	var parts []arrow.RecordBatch
	defer func() { exec.ReleaseAll(parts) }()
	for p := 0; p < q.op.Partitions(); p++ {
		s, err := exec.Open(ctx, q.op, p)
		if err != nil {
			return nil, err
		}
		err = exec.Drain(ctx, s, func(b arrow.RecordBatch) error {
			b.Retain()
			parts = append(parts, b)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	switch len(parts) {
	case 0:
		return array.NewRecordBatch(q.schema, emptyColumns(q.mem, q.schema), 0), nil
	case 1:
		out, parts = parts[0], nil
		return out, nil
	}
	return concatBatches(q.mem, q.schema, parts)
}

// emptyColumns returns a zero-length array for each field of s.
func emptyColumns(mem memory.Allocator, s *arrow.Schema) []arrow.Array {
	cols := make([]arrow.Array, s.NumFields())
	for i, f := range s.Fields() {
		b := array.NewBuilder(mem, f.Type)
		cols[i] = b.NewArray()
		b.Release()
	}
	return cols
}

// concatBatches joins batches of one schema into one batch.
func concatBatches(mem memory.Allocator, s *arrow.Schema, bs []arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, s.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	var rows int64
	for _, b := range bs {
		rows += b.NumRows()
	}
	for i := range cols {
		arrs := make([]arrow.Array, len(bs))
		for j, b := range bs {
			arrs[j] = b.Column(i)
		}
		c, err := array.Concatenate(arrs, mem)
		if err != nil {
			return nil, fmt.Errorf("prepared query: column %s: %w", s.Field(i).Name, err)
		}
		cols[i] = c
	}
	return array.NewRecordBatch(s, cols, rows), nil
}

// inputKey carries a run's input batch in its context.
type inputKey struct{ src *inputTable }

// inputTable is the logical.Source of a BatchInput: one partition holding
// the batch of the current run.
type inputTable struct {
	schema *arrow.Schema
}

// Describe implements logical.Source.
func (t *inputTable) Describe() string { return "BatchInput" }

// Schema implements logical.Source.
func (t *inputTable) Schema() *arrow.Schema { return t.schema }

// EstimatedRows implements logical.Source: a batch input holds few rows.
func (t *inputTable) EstimatedRows() int64 { return 1 }

// Operator implements logical.Source: a one-partition scan of the batch the
// run's context carries, applying the requested columns and predicate.
func (t *inputTable) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	open := func(ctx context.Context, _ string) (exec.BatchReader, error) {
		b, ok := ctx.Value(inputKey{t}).(arrow.RecordBatch)
		if !ok {
			return nil, fmt.Errorf("a batch input is read only through PreparedQuery.Run")
		}
		b.Retain()
		return &batchList{batches: []arrow.RecordBatch{b}}, nil
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "BatchInput", Files: []string{"input"}, Open: open, Schema: t.schema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: 1,
	}), nil
}
