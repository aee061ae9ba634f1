package physical

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/logical"
)

// PartitionedSource is a dataset laid out in hive-style directories
// (key=value/…): the files' columns followed by the partition columns, whose
// values come from the directory names. Filters on partition columns prune
// whole directories before any of their files is opened.
type PartitionedSource struct {
	desc   string
	data   *arrow.Schema
	schema *arrow.Schema
	parts  *source.Partitioning
	// open is the source over some of the files (one directory's).
	open func(files []string) (logical.Source, error)
	size int64
}

// NewPartitionedSource is a partitioned dataset of format (for EXPLAIN)
// rooted at root, whose files have the columns of data; open makes the
// source over one directory's files.
func NewPartitionedSource(format, root string, data *arrow.Schema, parts *source.Partitioning, open func(files []string) (logical.Source, error)) (*PartitionedSource, error) {
	fields := append([]arrow.Field(nil), data.Fields()...)
	for _, f := range parts.Fields {
		for _, d := range data.Fields() {
			if strings.EqualFold(d.Name, f.Name) {
				return nil, fmt.Errorf("%s: column %s is both in the files and a partition directory key", root, d.Name)
			}
		}
		fields = append(fields, f)
	}
	var files []string
	for _, g := range parts.Groups {
		files = append(files, g.Files...)
	}
	return &PartitionedSource{
		desc: fmt.Sprintf("%s %s partitioned by (%s)", format, root, fieldNames(parts.Fields)),
		data: data, schema: arrow.NewSchema(fields, nil), parts: parts, open: open, size: source.FilesSize(files),
	}, nil
}

func fieldNames(fs []arrow.Field) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// Describe implements Source.
func (s *PartitionedSource) Describe() string { return s.desc }

// Schema implements Source.
func (s *PartitionedSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements Source: a guess from the files' sizes.
func (s *PartitionedSource) EstimatedRows() int64 { return s.size / 64 }

// Operator implements Source: the directories the filters leave, each read
// by the format's own scan, with the partition values added as columns.
func (s *PartitionedSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	nData := s.data.NumFields()
	var keep []source.PartitionGroup
	var pruning []string
	for _, f := range req.Filters {
		if s.partitionIndex(f.Column) >= 0 {
			pruning = append(pruning, f.String())
		}
	}
	for _, g := range s.parts.Groups {
		if s.matches(g, req.Filters) {
			keep = append(keep, g)
		}
	}
	var inner []int
	var dataFilters []source.Filter
	for _, c := range req.ReadColumns {
		if c < nData {
			inner = append(inner, c)
		}
	}
	for _, f := range req.Filters {
		if s.partitionIndex(f.Column) < 0 {
			dataFilters = append(dataFilters, f)
		}
	}
	identity := make([]int, len(inner))
	for i := range identity {
		identity[i] = i
	}
	per := max(1, req.Partitions/max(len(keep), 1))
	op := &partitionedScan{env: env, src: s, req: req, pruning: pruning, kept: len(keep)}
	for _, g := range keep {
		src, err := s.open(g.Files)
		if err != nil {
			return nil, err
		}
		if sch := src.Schema(); !sch.Equal(s.data) {
			return nil, fmt.Errorf("%s: files have schema %s, but the dataset has %s", strings.Join(g.Files, ", "), sch, s.data)
		}
		in, err := src.Operator(env, logical.ScanRequest{ReadColumns: inner, Filters: dataFilters, Output: identity, Limit: -1, Partitions: per})
		if err != nil {
			return nil, err
		}
		gi := len(op.groups)
		op.groups = append(op.groups, scanGroup{op: in, values: g.Values})
		for p := 0; p < in.Partitions(); p++ {
			op.parts = append(op.parts, [2]int{gi, p})
		}
	}
	readFields := make([]arrow.Field, len(req.ReadColumns))
	for i, c := range req.ReadColumns {
		readFields[i] = s.schema.Field(c)
	}
	op.read = arrow.NewSchema(readFields, nil)
	outFields := make([]arrow.Field, len(req.Output))
	for i, c := range req.Output {
		outFields[i] = readFields[c]
	}
	op.out = arrow.NewSchema(outFields, nil)
	return op, nil
}

// partitionIndex is the position among the partition fields of column, or -1.
func (s *PartitionedSource) partitionIndex(column string) int {
	for i, f := range s.parts.Fields {
		if f.Name == column {
			return i
		}
	}
	return -1
}

// matches reports whether group g may hold rows passing every filter on a
// partition column.
func (s *PartitionedSource) matches(g source.PartitionGroup, filters []source.Filter) bool {
	for _, f := range filters {
		i := s.partitionIndex(f.Column)
		if i < 0 {
			continue
		}
		v := g.Values[i]
		switch f.Op {
		case source.IsNull:
			if v != nil {
				return false
			}
			continue
		case source.IsNotNull:
			if v == nil {
				return false
			}
			continue
		}
		if v == nil {
			return false // a comparison with null is never true
		}
		c, ok := compareValue(v, f.Value)
		if !ok {
			continue // cannot tell: keep the directory
		}
		var pass bool
		switch f.Op {
		case source.Eq:
			pass = c == 0
		case source.NotEq:
			pass = c != 0
		case source.Lt:
			pass = c < 0
		case source.LtEq:
			pass = c <= 0
		case source.Gt:
			pass = c > 0
		case source.GtEq:
			pass = c >= 0
		default:
			pass = true
		}
		if !pass {
			return false
		}
	}
	return true
}

// compareValue compares a partition value with a filter's literal of the
// same column type; ok is false when they cannot be compared.
func compareValue(v any, lit arrow.Array) (int, bool) {
	if lit == nil || lit.Len() != 1 || lit.IsNull(0) {
		return 0, false
	}
	switch a := lit.(type) {
	case *array.Int32:
		x, ok := v.(int32)
		return cmp.Compare(x, a.Value(0)), ok
	case *array.Int64:
		x, ok := v.(int64)
		return cmp.Compare(x, a.Value(0)), ok
	case *array.Float64:
		x, ok := v.(float64)
		return cmp.Compare(x, a.Value(0)), ok
	case *array.Date32:
		x, ok := v.(int32)
		return cmp.Compare(x, int32(a.Value(0))), ok
	case *array.String:
		x, ok := v.(string)
		return strings.Compare(x, a.Value(0)), ok
	case *array.Int8:
		x, ok := v.(int8)
		return cmp.Compare(x, a.Value(0)), ok
	case *array.Int16:
		x, ok := v.(int16)
		return cmp.Compare(x, a.Value(0)), ok
	case *array.Float32:
		x, ok := v.(float32)
		return cmp.Compare(x, a.Value(0)), ok
	case *array.Timestamp:
		x, ok := v.(int64)
		return cmp.Compare(x, int64(a.Value(0))), ok
	}
	return 0, false
}

type scanGroup struct {
	op     exec.Operator
	values []any
}

// partitionedScan runs the scans of the directories kept and adds their
// partition values as columns; its partitions are theirs, one after another.
type partitionedScan struct {
	env     *exec.Env
	src     *PartitionedSource
	req     logical.ScanRequest
	groups  []scanGroup
	parts   [][2]int // partition → (group, the group's partition)
	read    *arrow.Schema
	out     *arrow.Schema
	pruning []string
	kept    int
}

// Schema implements Operator.
func (p *partitionedScan) Schema() *arrow.Schema { return p.out }

// Partitions implements Operator.
func (p *partitionedScan) Partitions() int { return max(len(p.parts), 1) }

// Children implements Operator.
func (p *partitionedScan) Children() []exec.Operator { return nil }

// String implements Operator.
func (p *partitionedScan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "PartitionedScan [%s] directories=%d of %d", p.src.desc, p.kept, len(p.src.parts.Groups))
	if len(p.pruning) > 0 {
		fmt.Fprintf(&b, " PartitionFilters=[%s]", strings.Join(p.pruning, ", "))
	}
	b.WriteString(" columns=[")
	for i, f := range p.out.Fields() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Name)
	}
	b.WriteString("]")
	if len(p.groups) > 0 {
		fmt.Fprintf(&b, " reading %s", p.groups[0].op.String())
		if len(p.groups) > 1 {
			fmt.Fprintf(&b, " and %d more", len(p.groups)-1)
		}
	}
	return b.String()
}

// Execute implements Operator.
func (p *partitionedScan) Execute(ctx context.Context, part int) (exec.Stream, error) {
	if err := exec.CheckPartition(p, part); err != nil {
		return nil, err
	}
	if len(p.parts) == 0 {
		return emptyStream{}, nil
	}
	gp := p.parts[part]
	g := p.groups[gp[0]]
	in, err := g.op.Execute(ctx, gp[1])
	if err != nil {
		return nil, err
	}
	return &partitionedStream{p: p, in: in, values: g.values,
		out: exec.NewScanOutput(p.env, p.req.Predicate, p.out, p.req.Output, p.req.Limit)}, nil
}

type emptyStream struct{}

func (emptyStream) Next() (arrow.RecordBatch, error) { return nil, io.EOF }
func (emptyStream) Close() error                     { return nil }

type partitionedStream struct {
	p      *partitionedScan
	in     exec.Stream
	values []any
	out    *exec.ScanOutput
}

func (s *partitionedStream) Next() (arrow.RecordBatch, error) {
	p := s.p
	nData := p.src.data.NumFields()
	for {
		if s.out.Done() {
			return nil, io.EOF
		}
		b, err := s.in.Next()
		if err != nil {
			return nil, err
		}
		n := int(b.NumRows())
		cols := make([]arrow.Array, len(p.req.ReadColumns))
		k := 0
		for i, c := range p.req.ReadColumns {
			if c < nData {
				cols[i] = b.Column(k)
				cols[i].Retain()
				k++
				continue
			}
			cols[i] = constArray(p.env.Mem, p.read.Field(i).Type, s.values[c-nData], n)
		}
		b.Release()
		rb := array.NewRecordBatch(p.read, cols, int64(n))
		for _, c := range cols {
			c.Release()
		}
		out, err := s.out.Shape(rb)
		if err != nil || out != nil {
			return out, err
		}
	}
}

func (s *partitionedStream) Close() error { return s.in.Close() }

// constArray is n copies of v (nil: null) as an array of type t: int8,
// int16, int32, int64, float32, float64, bool, string, []byte, int32 days
// (date) or int64 (timestamp).
func constArray(mem memory.Allocator, t arrow.DataType, v any, n int) arrow.Array {
	b := array.NewBuilder(mem, t)
	defer b.Release()
	b.Reserve(n)
	if v == nil {
		b.AppendNulls(n)
		return b.NewArray()
	}
	for range n {
		switch bb := b.(type) {
		case *array.Int32Builder:
			bb.Append(v.(int32))
		case *array.Int64Builder:
			bb.Append(v.(int64))
		case *array.Float64Builder:
			bb.Append(v.(float64))
		case *array.Date32Builder:
			bb.Append(arrow.Date32(v.(int32)))
		case *array.StringBuilder:
			bb.Append(v.(string))
		case *array.Int8Builder:
			bb.Append(v.(int8))
		case *array.Int16Builder:
			bb.Append(v.(int16))
		case *array.Float32Builder:
			bb.Append(v.(float32))
		case *array.BooleanBuilder:
			bb.Append(v.(bool))
		case *array.TimestampBuilder:
			bb.Append(arrow.Timestamp(v.(int64)))
		case *array.BinaryBuilder:
			bb.Append(v.([]byte))
		}
	}
	return b.NewArray()
}
