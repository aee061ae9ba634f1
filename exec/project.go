package exec

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/expr"
)

// Project computes a list of expressions over each batch of its child.
type Project struct {
	env    *Env
	child  Operator
	exprs  []expr.Expr
	schema *arrow.Schema
}

// NewProject returns a projection of child; names and nullable give the output fields.
func NewProject(env *Env, child Operator, exprs []expr.Expr, names []string, nullable []bool) *Project {
	fields := make([]arrow.Field, len(exprs))
	for i, e := range exprs {
		fields[i] = arrow.Field{Name: names[i], Type: e.DataType(), Nullable: nullable[i]}
	}
	return &Project{env: env, child: child, exprs: exprs, schema: arrow.NewSchema(fields, nil)}
}

// Schema implements Operator.
func (p *Project) Schema() *arrow.Schema { return p.schema }

// Partitions implements Operator.
func (p *Project) Partitions() int { return p.child.Partitions() }

// Children implements Operator.
func (p *Project) Children() []Operator { return []Operator{p.child} }

// String implements Operator.
func (p *Project) String() string {
	parts := make([]string, len(p.exprs))
	for i, e := range p.exprs {
		parts[i] = e.String()
	}
	return "Project [" + strings.Join(parts, ", ") + "]"
}

// Execute implements Operator.
func (p *Project) Execute(ctx context.Context, part int) (Stream, error) {
	if err := checkPartition(p, part); err != nil {
		return nil, err
	}
	in, err := Open(ctx, p.child, part)
	if err != nil {
		return nil, err
	}
	return &projectStream{p: p, ctx: ctx, in: in}, nil
}

type projectStream struct {
	p   *Project
	ctx context.Context
	in  Stream
}

func (s *projectStream) Next() (arrow.RecordBatch, error) {
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	b, err := s.in.Next()
	if err != nil {
		return nil, err
	}
	defer b.Release()
	return evalProjection(s.p.env, s.p.schema, s.p.exprs, b)
}

// evalProjection evaluates exprs over b into a batch of the given schema.
func evalProjection(env *Env, schema *arrow.Schema, exprs []expr.Expr, b arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(exprs))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, e := range exprs {
		c, err := e.Eval(env.Mem, b)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return carryInputFile(b, array.NewRecordBatch(schema, cols, b.NumRows())), nil
}

func (s *projectStream) Close() error { return s.in.Close() }
