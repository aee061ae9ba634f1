package exec

import (
	"context"
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Union concatenates its children: its partitions are the children's
// partitions one after another, and no data is copied. The children's
// columns must have the types of schema, in order.
type Union struct {
	schema   *arrow.Schema
	children []Operator
	// starts[i] is the first partition of child i; starts[len(children)]
	// the number of partitions. Counted once: a union of n branches asked
	// for every partition would otherwise cost n² calls of Partitions.
	starts []int
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
	starts := make([]int, len(children)+1)
	for i, c := range children {
		starts[i+1] = starts[i] + c.Partitions()
	}
	return &Union{schema: schema, children: children, starts: starts}, nil
}

// Schema implements Operator.
func (u *Union) Schema() *arrow.Schema { return u.schema }

// Partitions implements Operator.
func (u *Union) Partitions() int { return max(u.starts[len(u.children)], 1) }

// Children implements Operator.
func (u *Union) Children() []Operator { return u.children }

// String implements Operator.
func (u *Union) String() string { return fmt.Sprintf("Union %s", schemaNames(u.schema)) }

// Execute implements Operator.
func (u *Union) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(u, p); err != nil {
		return nil, err
	}
	if u.starts[len(u.children)] == 0 {
		return &sliceStream{ctx: ctx}, nil // no partitions: one empty partition
	}
	// The first child whose partitions end after p holds p.
	i := sort.Search(len(u.children), func(i int) bool { return u.starts[i+1] > p })
	s, err := Open(ctx, u.children[i], p-u.starts[i])
	if err != nil {
		return nil, err
	}
	return &relabelStream{in: s, schema: u.schema}, nil
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
