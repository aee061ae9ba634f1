package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Union concatenates its children: its partitions are the children's
// partitions one after another, and no data is copied. The children's
// columns must have the types of schema, in order.
type Union struct {
	schema   *arrow.Schema
	children []Operator
}

// NewUnion returns the union of children under schema; it checks that every
// child has schema's column types.
func NewUnion(schema *arrow.Schema, children ...Operator) (*Union, error) {
	for i, c := range children {
		cs := c.Schema()
		if cs.NumFields() != schema.NumFields() {
			return nil, fmt.Errorf("union input %d has %d columns, want %d", i, cs.NumFields(), schema.NumFields())
		}
		for j, f := range cs.Fields() {
			if !arrow.TypeEqual(f.Type, schema.Field(j).Type) {
				return nil, fmt.Errorf("union input %d column %d has type %s, want %s", i, j, f.Type, schema.Field(j).Type)
			}
		}
	}
	return &Union{schema: schema, children: children}, nil
}

// Schema implements Operator.
func (u *Union) Schema() *arrow.Schema { return u.schema }

// Partitions implements Operator.
func (u *Union) Partitions() int {
	n := 0
	for _, c := range u.children {
		n += c.Partitions()
	}
	return max(n, 1)
}

// Children implements Operator.
func (u *Union) Children() []Operator { return u.children }

// String implements Operator.
func (u *Union) String() string { return fmt.Sprintf("Union %s", schemaNames(u.schema)) }

// Execute implements Operator.
func (u *Union) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(u, p); err != nil {
		return nil, err
	}
	for _, c := range u.children {
		if p < c.Partitions() {
			s, err := Open(ctx, c, p)
			if err != nil {
				return nil, err
			}
			return &relabelStream{in: s, schema: u.schema}, nil
		}
		p -= c.Partitions()
	}
	return &sliceStream{ctx: ctx}, nil // no children: one empty partition
}

// relabelStream gives its input's batches another schema of the same types
// (names and nullability may differ).
type relabelStream struct {
	in     Stream
	schema *arrow.Schema
}

func (s *relabelStream) Next() (arrow.RecordBatch, error) {
	b, err := s.in.Next()
	if err != nil {
		return nil, err
	}
	defer b.Release()
	return array.NewRecordBatch(s.schema, b.Columns(), b.NumRows()), nil
}

func (s *relabelStream) Close() error { return s.in.Close() }
