package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// Filter keeps the rows of its child for which the predicate is true (null
// counts as false). It runs partition by partition.
type Filter struct {
	env   *Env
	child Operator
	pred  expr.Expr
}

// NewFilter returns a filter of child by pred, a boolean expression over the child's columns.
func NewFilter(env *Env, child Operator, pred expr.Expr) (*Filter, error) {
	if pred.DataType().ID() != arrow.BOOL {
		return nil, fmt.Errorf("filter predicate %s has type %s, not boolean", pred, pred.DataType())
	}
	return &Filter{env: env, child: child, pred: pred}, nil
}

// Schema implements Operator.
func (f *Filter) Schema() *arrow.Schema { return f.child.Schema() }

// Partitions implements Operator.
func (f *Filter) Partitions() int { return f.child.Partitions() }

// Children implements Operator.
func (f *Filter) Children() []Operator { return []Operator{f.child} }

// String implements Operator.
func (f *Filter) String() string { return "Filter " + f.pred.String() }

// Execute implements Operator.
func (f *Filter) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(f, p); err != nil {
		return nil, err
	}
	in, err := Open(ctx, f.child, p)
	if err != nil {
		return nil, err
	}
	return &filterStream{f: f, ctx: ctx, in: in}, nil
}

type filterStream struct {
	f   *Filter
	ctx context.Context
	in  Stream
	idx []int32
}

func (s *filterStream) Next() (arrow.RecordBatch, error) {
	for {
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
		b, err := s.in.Next()
		if err != nil {
			return nil, err
		}
		out, err := s.apply(b)
		if err != nil {
			return nil, err
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		return out, nil
	}
}

// apply filters b and releases it, even when the predicate panics.
func (s *filterStream) apply(b arrow.RecordBatch) (arrow.RecordBatch, error) {
	defer b.Release()
	return applyFilter(s.f.env, s.f.pred, b, &s.idx)
}

// maskIndices evaluates pred over b into *idx: the positions of the rows
// where it is true.
func maskIndices(env *Env, pred expr.Expr, b arrow.RecordBatch, idx *[]int32) error {
	m, err := pred.Eval(env.Mem, b)
	if err != nil {
		return err
	}
	defer m.Release()
	mask, ok := m.(*array.Boolean)
	if !ok {
		return fmt.Errorf("filter predicate %s returned %s", pred, m.DataType())
	}
	*idx = kernels.MaskIndices(mask, *idx)
	return nil
}

// applyFilter evaluates pred over b and returns the rows where it is true.
func applyFilter(env *Env, pred expr.Expr, b arrow.RecordBatch, idx *[]int32) (arrow.RecordBatch, error) {
	if err := maskIndices(env, pred, b, idx); err != nil {
		return nil, err
	}
	if len(*idx) == int(b.NumRows()) {
		b.Retain()
		return b, nil
	}
	return kernels.TakeBatch(env.Mem, b, *idx)
}

func (s *filterStream) Close() error { return s.in.Close() }

// ScanOutput turns the batches a scan reads into what it produces: a fused
// predicate keeps the matching rows (copying only the output columns), the
// output columns are selected, and a per-partition limit ends the stream.
type ScanOutput struct {
	env     *Env
	pred    expr.Expr
	schema  *arrow.Schema
	cols    []int
	limit   int64
	emitted int64
	idx     []int32
}

// NewScanOutput shapes batches into schema's columns cols (positions in the
// read batch) where pred (nil: every row) holds, up to limit rows (< 0: all).
func NewScanOutput(env *Env, pred expr.Expr, schema *arrow.Schema, cols []int, limit int64) *ScanOutput {
	return &ScanOutput{env: env, pred: pred, schema: schema, cols: cols, limit: limit}
}

// mask evaluates the predicate over b into s.idx, releasing out when it
// fails or panics.
func (s *ScanOutput) mask(b, out arrow.RecordBatch) (err error) {
	ok := false
	defer func() {
		if !ok {
			out.Release()
		}
	}()
	err = maskIndices(s.env, s.pred, b, &s.idx)
	ok = err == nil
	return err
}

// Done reports whether the limit has been reached.
func (s *ScanOutput) Done() bool { return s.limit >= 0 && s.emitted >= s.limit }

// Shape consumes b and returns the output batch, or nil when no row of b is
// produced.
func (s *ScanOutput) Shape(b arrow.RecordBatch) (arrow.RecordBatch, error) {
	defer b.Release()
	out := carryInputFile(b, selectColumns(b, s.schema, s.cols))
	if s.pred != nil {
		if err := s.mask(b, out); err != nil {
			return nil, err
		}
		if len(s.idx) < int(b.NumRows()) {
			taken, err := kernels.TakeBatch(s.env.Mem, out, s.idx)
			out.Release()
			if err != nil {
				return nil, err
			}
			out = taken
		}
	}
	if out.NumRows() == 0 {
		out.Release()
		return nil, nil
	}
	if s.limit >= 0 && s.emitted+out.NumRows() > s.limit {
		sl := out.NewSlice(0, s.limit-s.emitted)
		out.Release()
		out = sl
	}
	s.emitted += out.NumRows()
	return out, nil
}
