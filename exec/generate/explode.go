// Package generate implements generator operators, which turn each input
// row into zero or more output rows: explode and posexplode (and their
// outer forms) over array and map columns.
package generate

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
)

// Explode is explode / posexplode (outer or not) over one array or map
// column of its child: every element becomes a row carrying the child's other
// columns.
type Explode struct {
	env      *exec.Env
	child    exec.Operator
	col      int
	outer    bool
	position bool
	isMap    bool
	keep     []int // child columns copied to the output, in order
	schema   *arrow.Schema
}

// NewExplode returns an explode of column col of child. The output columns
// are the child's columns other than col, in order, then pos (int32, only
// when position is set: the element's 0-based position), then col (the
// element) for an array column, or key and value for a map column. outNames,
// when given, name the generated columns (pos first when position is set);
// the defaults are Spark's pos, col, key and value. Without outer a row whose
// array is null or empty produces no output; with outer it produces one row
// whose generated columns are null.
func NewExplode(env *exec.Env, child exec.Operator, col int, outer, position bool, outNames ...string) (*Explode, error) {
	cs := child.Schema()
	if col < 0 || col >= cs.NumFields() {
		return nil, fmt.Errorf("explode: column %d out of range (%d columns)", col, cs.NumFields())
	}
	e := &Explode{env: env, child: child, col: col, outer: outer, position: position}
	var gen []arrow.Field
	if position {
		gen = append(gen, arrow.Field{Name: "pos", Type: arrow.PrimitiveTypes.Int32, Nullable: outer})
	}
	switch t := cs.Field(col).Type.(type) {
	case *arrow.MapType:
		e.isMap = true
		gen = append(gen, arrow.Field{Name: "key", Type: t.KeyType(), Nullable: outer},
			arrow.Field{Name: "value", Type: t.ItemType(), Nullable: true})
	case *arrow.ListType:
		gen = append(gen, arrow.Field{Name: "col", Type: t.Elem(), Nullable: true})
	default:
		return nil, fmt.Errorf("explode: column %q has type %s, expected an array or a map", cs.Field(col).Name, t)
	}
	if len(outNames) > 0 {
		if len(outNames) != len(gen) {
			return nil, fmt.Errorf("explode of %q: %d output names for %d generated columns", cs.Field(col).Name, len(outNames), len(gen))
		}
		for i, n := range outNames {
			gen[i].Name = n
		}
	}
	var fields []arrow.Field
	for i, f := range cs.Fields() {
		if i != col {
			e.keep = append(e.keep, i)
			fields = append(fields, f)
		}
	}
	e.schema = arrow.NewSchema(append(fields, gen...), nil)
	return e, nil
}

// Schema implements exec.Operator.
func (e *Explode) Schema() *arrow.Schema { return e.schema }

// Partitions implements exec.Operator.
func (e *Explode) Partitions() int { return e.child.Partitions() }

// Children implements exec.Operator.
func (e *Explode) Children() []exec.Operator { return []exec.Operator{e.child} }

// String implements exec.Operator.
func (e *Explode) String() string {
	name := "explode"
	if e.position {
		name = "posexplode"
	}
	if e.outer {
		name += "_outer"
	}
	var gen []string
	for _, f := range e.schema.Fields()[len(e.keep):] {
		gen = append(gen, f.Name)
	}
	return fmt.Sprintf("Generate %s(#%d) AS (%s)", name, e.col, strings.Join(gen, ", "))
}

// Execute implements exec.Operator.
func (e *Explode) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(e, p); err != nil {
		return nil, err
	}
	in, err := exec.Open(ctx, e.child, p)
	if err != nil {
		return nil, err
	}
	return &explodeStream{e: e, ctx: ctx, in: in}, nil
}

type explodeStream struct {
	e   *Explode
	ctx context.Context
	in  exec.Stream
	// The batch being exploded, its array column and the next position:
	// row, and element within that row.
	cur     arrow.RecordBatch
	offsets []int32
	list    arrow.Array
	row     int
	elem    int32
	parent  []int32
	child   []int32
	pos     []int32
	posNull []bool
}

func (s *explodeStream) Next() (arrow.RecordBatch, error) {
	for {
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
		if s.cur == nil {
			if s.in == nil {
				return nil, fmt.Errorf("explode: stream is closed")
			}
			b, err := s.in.Next()
			if err != nil {
				return nil, err
			}
			if b.NumRows() == 0 {
				b.Release()
				continue
			}
			s.load(b)
		}
		out, err := s.emit()
		if err != nil || out != nil {
			return out, err
		}
	}
}

// load makes b the batch being exploded.
func (s *explodeStream) load(b arrow.RecordBatch) {
	s.cur, s.row, s.elem = b, 0, 0
	s.list = b.Column(s.e.col)
	switch a := s.list.(type) {
	case *array.Map:
		s.offsets = a.Offsets()[a.Data().Offset():]
	case *array.List:
		s.offsets = a.Offsets()[a.Data().Offset():]
	}
}

// emit produces the next output batch of at most BatchSize rows from the
// current batch, or nil when the batch is used up (it is then released).
func (s *explodeStream) emit() (arrow.RecordBatch, error) {
	limit := s.e.env.BatchSize
	if limit <= 0 {
		limit = exec.DefaultBatchSize
	}
	s.parent, s.child, s.pos, s.posNull = s.parent[:0], s.child[:0], s.pos[:0], s.posNull[:0]
	n := int(s.cur.NumRows())
	list, offs, outer := s.list, s.offsets, s.e.outer
	for s.row < n && len(s.parent) < limit {
		r := s.row
		lo, hi := int32(0), int32(0)
		if list.IsValid(r) {
			lo, hi = offs[r], offs[r+1]
		}
		if lo == hi {
			if outer {
				s.parent = append(s.parent, int32(r))
				s.child = append(s.child, -1)
				s.pos = append(s.pos, 0)
				s.posNull = append(s.posNull, false)
			}
			s.row++
			continue
		}
		k := lo + s.elem
		for ; k < hi && len(s.parent) < limit; k++ {
			s.parent = append(s.parent, int32(r))
			s.child = append(s.child, k)
			s.pos = append(s.pos, k-lo)
			s.posNull = append(s.posNull, true)
		}
		if k == hi {
			s.row++
			s.elem = 0
		} else {
			s.elem = k - lo
		}
	}
	if len(s.parent) == 0 {
		s.cur.Release()
		s.cur = nil
		return nil, nil
	}
	out, err := s.build()
	if s.row >= n {
		s.cur.Release()
		s.cur = nil
	}
	return out, err
}

// build gathers the output columns of the rows collected in parent, child and pos.
func (s *explodeStream) build() (arrow.RecordBatch, error) {
	mem := s.e.env.Mem
	cols := make([]arrow.Array, 0, s.e.schema.NumFields())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, c := range s.e.keep {
		a, err := kernels.Take(mem, s.cur.Column(c), s.parent)
		if err != nil {
			return nil, fmt.Errorf("%s: column %s: %w", s.e, s.cur.ColumnName(c), err)
		}
		cols = append(cols, a)
	}
	if s.e.position {
		cols = append(cols, int32Array(mem, s.pos, s.posNull, s.e.outer))
	}
	var gen []arrow.Array
	switch a := s.list.(type) {
	case *array.Map:
		gen = []arrow.Array{a.Keys(), a.Items()}
	case *array.List:
		gen = []arrow.Array{a.ListValues()}
	}
	for _, g := range gen {
		a, err := kernels.Take(mem, g, s.child)
		if err != nil {
			return nil, fmt.Errorf("%s: elements: %w", s.e, err)
		}
		cols = append(cols, a)
	}
	return array.NewRecordBatch(s.e.schema, cols, int64(len(s.parent))), nil
}

// int32Array builds an int32 array of vals; when withNulls, valid marks the
// non-null entries.
func int32Array(mem memory.Allocator, vals []int32, valid []bool, withNulls bool) arrow.Array {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	if withNulls {
		b.AppendValues(vals, valid)
	} else {
		b.AppendValues(vals, nil)
	}
	return b.NewArray()
}

func (s *explodeStream) Close() error {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	if s.in == nil {
		return nil
	}
	err := s.in.Close()
	s.in = nil
	return err
}
