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
	in, err := f.child.Execute(ctx, p)
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
		out, err := applyFilter(s.f.env, s.f.pred, b, &s.idx)
		b.Release()
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

// applyFilter evaluates pred over b and returns the rows where it is true.
func applyFilter(env *Env, pred expr.Expr, b arrow.RecordBatch, idx *[]int32) (arrow.RecordBatch, error) {
	m, err := pred.Eval(env.Mem, b)
	if err != nil {
		return nil, err
	}
	defer m.Release()
	mask, ok := m.(*array.Boolean)
	if !ok {
		return nil, fmt.Errorf("filter predicate %s returned %s", pred, m.DataType())
	}
	*idx = kernels.MaskIndices(mask, *idx)
	if len(*idx) == int(b.NumRows()) {
		b.Retain()
		return b, nil
	}
	return kernels.TakeBatch(env.Mem, b, *idx)
}

func (s *filterStream) Close() error { return s.in.Close() }

// ApplyFilter evaluates pred over b and returns the rows where it is true
// (b itself, retained, when every row passes). idx is scratch space reused
// across calls.
func ApplyFilter(env *Env, pred expr.Expr, b arrow.RecordBatch, idx *[]int32) (arrow.RecordBatch, error) {
	return applyFilter(env, pred, b, idx)
}

// FilterSelect evaluates pred over b and returns the columns cols of the rows
// where it is true, as a batch of schema. Only the kept columns are copied.
func FilterSelect(env *Env, pred expr.Expr, b arrow.RecordBatch, schema *arrow.Schema, cols []int, idx *[]int32) (arrow.RecordBatch, error) {
	m, err := pred.Eval(env.Mem, b)
	if err != nil {
		return nil, err
	}
	defer m.Release()
	mask, ok := m.(*array.Boolean)
	if !ok {
		return nil, fmt.Errorf("filter predicate %s returned %s", pred, m.DataType())
	}
	*idx = kernels.MaskIndices(mask, *idx)
	out := selectColumns(b, schema, cols)
	if len(*idx) == int(b.NumRows()) {
		return out, nil
	}
	defer out.Release()
	return kernels.TakeBatch(env.Mem, out, *idx)
}
