package exec

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// Expand evaluates several projections over each batch of its child and
// emits one output batch per projection (GROUPING SETS, ROLLUP, CUBE).
type Expand struct {
	env         *Env
	child       Operator
	projections [][]expr.Expr
	schema      *arrow.Schema
}

// NewExpand returns an Expand of child; every projection has one expression
// per output field, of the field's type, and names and nullable give the fields.
func NewExpand(env *Env, child Operator, projections [][]expr.Expr, names []string, types []arrow.DataType, nullable []bool) *Expand {
	fields := make([]arrow.Field, len(names))
	for i := range fields {
		fields[i] = arrow.Field{Name: names[i], Type: types[i], Nullable: nullable[i]}
	}
	return &Expand{env: env, child: child, projections: projections, schema: arrow.NewSchema(fields, nil)}
}

// Schema implements Operator.
func (e *Expand) Schema() *arrow.Schema { return e.schema }

// Partitions implements Operator.
func (e *Expand) Partitions() int { return e.child.Partitions() }

// Children implements Operator.
func (e *Expand) Children() []Operator { return []Operator{e.child} }

// String implements Operator.
func (e *Expand) String() string {
	parts := make([]string, len(e.projections))
	for i, pr := range e.projections {
		items := make([]string, len(pr))
		for j, x := range pr {
			items[j] = x.String()
		}
		parts[i] = "[" + strings.Join(items, ", ") + "]"
	}
	return "Expand [" + strings.Join(parts, ", ") + "]"
}

// Execute implements Operator.
func (e *Expand) Execute(ctx context.Context, part int) (Stream, error) {
	if err := checkPartition(e, part); err != nil {
		return nil, err
	}
	in, err := Open(ctx, e.child, part)
	if err != nil {
		return nil, err
	}
	return &expandStream{e: e, ctx: ctx, in: in}, nil
}

type expandStream struct {
	e    *Expand
	ctx  context.Context
	in   Stream
	cur  arrow.RecordBatch
	next int // projection to apply to cur
}

func (s *expandStream) Next() (arrow.RecordBatch, error) {
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	if s.cur == nil {
		b, err := s.in.Next()
		if err != nil {
			return nil, err
		}
		s.cur, s.next = b, 0
	}
	out, err := evalProjection(s.e.env, s.e.schema, s.e.projections[s.next], s.cur)
	s.next++
	if s.next == len(s.e.projections) {
		s.cur.Release()
		s.cur = nil
	}
	return out, err
}

func (s *expandStream) Close() error {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	return s.in.Close()
}
