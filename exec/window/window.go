package window

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	xsort "github.com/gspark/gspark/exec/sort"
)

// windowOp evaluates window functions over a child whose partitions each hold
// whole window partitions.
type windowOp struct {
	env       *exec.Env
	child     exec.Operator
	partCols  []int
	order     []xsort.Key
	funcs     []Spec
	schema    *arrow.Schema
	sortKeys  []xsort.Key
	rangeKind keyKind
}

// New returns the window operator: every partition of child is sorted by
// (partitionCols, order), and each spec is evaluated per window partition.
// The output is the child's columns, in that order, followed by one column per
// spec. All rows of a window partition must be in the same child partition.
func New(env *exec.Env, child exec.Operator, partitionCols []int, order []xsort.Key, funcs []Spec) (exec.Operator, error) {
	if env == nil || child == nil {
		return nil, errors.New("window: nil env or child")
	}
	if env.BatchSize <= 0 {
		return nil, fmt.Errorf("window: batch size %d", env.BatchSize)
	}
	in := child.Schema()
	n := in.NumFields()
	op := &windowOp{env: env, child: child, partCols: slices.Clone(partitionCols), order: slices.Clone(order), funcs: slices.Clone(funcs)}
	for _, c := range partitionCols {
		if c < 0 || c >= n {
			return nil, fmt.Errorf("window: partition column %d out of range", c)
		}
		op.sortKeys = append(op.sortKeys, xsort.Key{Col: c, NullsFirst: true})
	}
	for _, k := range order {
		if k.Col < 0 || k.Col >= n {
			return nil, fmt.Errorf("window: order column %d out of range", k.Col)
		}
	}
	op.sortKeys = append(op.sortKeys, order...)
	fields := slices.Clone(in.Fields())
	for i, sp := range funcs {
		var it arrow.DataType
		if sp.Func.NeedsInput() {
			if sp.Input < 0 || sp.Input >= n {
				return nil, fmt.Errorf("window %s %s: input column %d out of range", sp.Name, sp.Func, sp.Input)
			}
			it = in.Field(sp.Input).Type
		}
		var rt arrow.DataType
		var err error
		if sp.Func == Agg {
			rt, err = aggResultType(sp, in)
		} else {
			rt, err = ResultType(sp.Func, it)
		}
		if err != nil {
			return nil, fmt.Errorf("window %s: %w", sp.Name, err)
		}
		switch sp.Func {
		case Ntile, NthValue:
			if sp.N <= 0 {
				return nil, fmt.Errorf("window %s: %s needs a positive argument, got %d", sp.Name, sp.Func, sp.N)
			}
		case Lag, Lead:
			if sp.Default != nil && (sp.Default.Len() != 1 || !arrow.TypeEqual(sp.Default.DataType(), it)) {
				return nil, fmt.Errorf("window %s: %s default must be one value of type %s", sp.Name, sp.Func, it)
			}
		}
		if sp.Func.UsesFrame() {
			if err := op.checkFrame(sp.Frame); err != nil {
				return nil, fmt.Errorf("window %s: %w", sp.Name, err)
			}
		}
		name := sp.Name
		if name == "" {
			name = fmt.Sprintf("_w%d", i)
		}
		fields = append(fields, arrow.Field{Name: name, Type: rt, Nullable: true})
	}
	md := in.Metadata()
	op.schema = arrow.NewSchema(fields, &md)
	return op, nil
}

// aggResultType checks the inputs of the generic aggregate sp over the
// child schema in and returns its result type.
func aggResultType(sp Spec, in *arrow.Schema) (arrow.DataType, error) {
	it := in.Field(sp.Input).Type
	var it2 arrow.DataType
	if sp.Agg.Func.TwoInputs() {
		if sp.Input2 < 0 || sp.Input2 >= in.NumFields() {
			return nil, fmt.Errorf("%s: second input column %d out of range", sp.Agg.Func, sp.Input2)
		}
		it2 = in.Field(sp.Input2).Type
	}
	return aggregate.ResultType2(sp.Agg.Func, it, it2)
}

func (op *windowOp) checkFrame(f Frame) error {
	for _, b := range []Bound{f.Start, f.End} {
		if b.Kind < UnboundedPreceding || b.Kind > UnboundedFollowing {
			return fmt.Errorf("frame %s: bad bound kind %d", f, int(b.Kind))
		}
	}
	if f.Start.Kind == UnboundedFollowing || f.End.Kind == UnboundedPreceding {
		return fmt.Errorf("frame %s: invalid bounds", f)
	}
	if !f.Range || (f.Start.Kind != Preceding && f.Start.Kind != Following && f.End.Kind != Preceding && f.End.Kind != Following) {
		return nil
	}
	if len(op.order) != 1 {
		return fmt.Errorf("frame %s: a RANGE frame with offsets needs exactly one ORDER BY key", f)
	}
	kk, err := rangeKeyKind(op.child.Schema().Field(op.order[0].Col).Type)
	if err != nil {
		return fmt.Errorf("frame %s: %w", f, err)
	}
	op.rangeKind = kk
	return nil
}

// Schema implements exec.Operator.
func (op *windowOp) Schema() *arrow.Schema { return op.schema }

// Partitions implements exec.Operator.
func (op *windowOp) Partitions() int { return op.child.Partitions() }

// Children implements exec.Operator.
func (op *windowOp) Children() []exec.Operator { return []exec.Operator{op.child} }

// String implements exec.Operator.
func (op *windowOp) String() string {
	fs := make([]string, len(op.funcs))
	for i, sp := range op.funcs {
		fs[i] = sp.Func.String()
		switch {
		case sp.Func == Agg && sp.Agg.Func.TwoInputs():
			fs[i] = fmt.Sprintf("%s(#%d, #%d)", sp.Agg.Func, sp.Input, sp.Input2)
		case sp.Func == Agg:
			fs[i] = fmt.Sprintf("%s(#%d)", sp.Agg.Func, sp.Input)
		case sp.Func.NeedsInput():
			fs[i] += fmt.Sprintf("(#%d)", sp.Input)
		}
		if sp.Func.UsesFrame() {
			fs[i] += " " + sp.Frame.String()
		}
	}
	ord := make([]string, len(op.order))
	for i, k := range op.order {
		ord[i] = k.String()
	}
	return fmt.Sprintf("Window(partition=%v, order=[%s], funcs=[%s])", op.partCols, strings.Join(ord, ", "), strings.Join(fs, ", "))
}

// Execute implements exec.Operator. The partition is read, sorted and
// evaluated on the first Next.
func (op *windowOp) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(op, p); err != nil {
		return nil, err
	}
	return &windowStream{op: op, ctx: ctx, p: p}, nil
}

type windowStream struct {
	op   *windowOp
	ctx  context.Context
	p    int
	done bool
	cols []arrow.Array
	n    int
	pos  int
}

func (s *windowStream) Next() (arrow.RecordBatch, error) {
	if !s.done {
		s.done = true
		if err := s.run(); err != nil {
			s.release()
			return nil, err
		}
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	if s.pos >= s.n {
		return nil, io.EOF
	}
	end := min(s.n, s.pos+s.op.env.BatchSize)
	out := make([]arrow.Array, len(s.cols))
	for i, c := range s.cols {
		out[i] = array.NewSlice(c, int64(s.pos), int64(end))
	}
	b := array.NewRecordBatch(s.op.schema, out, int64(end-s.pos))
	for _, c := range out {
		c.Release()
	}
	s.pos = end
	if s.pos >= s.n {
		s.release()
	}
	return b, nil
}

func (s *windowStream) Close() error {
	s.done = true
	s.release()
	s.pos, s.n = 0, 0
	return nil
}

func (s *windowStream) release() {
	for _, c := range s.cols {
		if c != nil {
			c.Release()
		}
	}
	s.cols = nil
}

// drainBatches collects the non-empty batches of a stream.
func drainBatches(ctx context.Context, st exec.Stream) ([]arrow.RecordBatch, error) {
	var out []arrow.RecordBatch
	err := exec.Drain(ctx, st, func(b arrow.RecordBatch) error {
		if b.NumRows() > 0 {
			b.Retain()
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		exec.ReleaseAll(out)
		return nil, err
	}
	return out, nil
}

// read returns the partition's rows sorted by the window keys, one array a
// column (nil for an empty partition). The child partition is read first and
// sorted from memory, so that the child runs under the stream's context.
func (s *windowStream) read() ([]arrow.Array, error) {
	op := s.op
	st, err := exec.Open(s.ctx, op.child, s.p)
	if err != nil {
		return nil, err
	}
	batches, err := drainBatches(s.ctx, st)
	if err != nil {
		return nil, err
	}
	if len(batches) == 0 {
		return nil, nil
	}
	if len(op.sortKeys) > 0 {
		src := exec.NewMemorySource(op.child.Schema(), [][]arrow.RecordBatch{batches})
		exec.ReleaseAll(batches)
		defer src.Release()
		srt, err := xsort.NewSort(op.env, src, op.sortKeys)
		if err != nil {
			return nil, fmt.Errorf("window: %w", err)
		}
		sst, err := exec.Open(s.ctx, srt, 0)
		if err != nil {
			return nil, err
		}
		if batches, err = drainBatches(s.ctx, sst); err != nil {
			return nil, err
		}
	}
	defer exec.ReleaseAll(batches)
	nc := op.child.Schema().NumFields()
	cols := make([]arrow.Array, nc)
	parts := make([]arrow.Array, len(batches))
	for i := range nc {
		for j, b := range batches {
			parts[j] = b.Column(i)
		}
		if len(parts) == 1 {
			parts[0].Retain()
			cols[i] = parts[0]
			continue
		}
		c, err := array.Concatenate(parts, op.env.Mem)
		if err != nil {
			releaseArrays(cols)
			return nil, fmt.Errorf("window: column %s: %w", op.child.Schema().Field(i).Name, err)
		}
		cols[i] = c
	}
	return cols, nil
}

func releaseArrays(cols []arrow.Array) {
	for _, c := range cols {
		if c != nil {
			c.Release()
		}
	}
}

func (s *windowStream) run() error {
	cols, err := s.read()
	if err != nil || cols == nil {
		return err
	}
	op := s.op
	s.cols = cols
	n := cols[0].Len()
	s.n = n
	// newPart[i] / newPeer[i]: row i starts a window partition / peer group.
	same := make([]bool, n)
	for i := range same {
		same[i] = i > 0
	}
	for _, c := range op.partCols {
		if err := adjacentEqual(cols[c], same); err != nil {
			return fmt.Errorf("window: partition column %s: %w", op.child.Schema().Field(c).Name, err)
		}
	}
	var parts []int
	for i := range n {
		if !same[i] {
			parts = append(parts, i)
		}
	}
	parts = append(parts, n)
	for _, k := range op.order {
		if err := adjacentEqual(cols[k.Col], same); err != nil {
			return fmt.Errorf("window: order column %s: %w", op.child.Schema().Field(k.Col).Name, err)
		}
	}
	// peerStart[i], peerEnd[i]: the peer group of row i is [peerStart, peerEnd).
	peerStart := make([]int32, n)
	peerEnd := make([]int32, n)
	for i := range n {
		if same[i] {
			peerStart[i] = peerStart[i-1]
		} else {
			peerStart[i] = int32(i)
		}
	}
	for i := n - 1; i >= 0; i-- {
		if i+1 < n && same[i+1] {
			peerEnd[i] = peerEnd[i+1]
		} else {
			peerEnd[i] = int32(i + 1)
		}
	}
	g := &group{mem: op.env.Mem, n: n, parts: parts, peerStart: peerStart, peerEnd: peerEnd}
	for _, sp := range op.funcs {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		var in arrow.Array
		if sp.Func.NeedsInput() {
			in = cols[sp.Input]
		}
		var lo, hi []int32
		if sp.Func.UsesFrame() {
			var key arrow.Array
			var desc, nullsFirst bool
			if len(op.order) == 1 {
				key, desc, nullsFirst = cols[op.order[0].Col], op.order[0].Desc, op.order[0].NullsFirst
			}
			lo, hi, err = g.frame(sp.Frame, key, desc, nullsFirst, op.rangeKind)
			if err != nil {
				return fmt.Errorf("window %s: %w", sp.Name, err)
			}
		}
		var res arrow.Array
		if sp.Func == Agg {
			var in2 arrow.Array
			if sp.Agg.Func.TwoInputs() {
				in2 = cols[sp.Input2]
			}
			res, err = aggregate.EvalFrames(g.mem, sp.Agg, in, in2, lo, hi)
			if err == nil && res.Len() != n {
				res.Release()
				err = fmt.Errorf("%d results for %d rows", res.Len(), n)
			}
		} else {
			res, err = g.eval(sp, in, lo, hi)
		}
		if err != nil {
			return fmt.Errorf("window %s %s: %w", sp.Name, sp.Func, err)
		}
		s.cols = append(s.cols, res)
	}
	return nil
}
