package window

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	xsort "github.com/gspark/gspark/exec/sort"
	"github.com/gspark/gspark/exec/spill"
)

// defaultChunkBytes is the most input a stream buffers before it evaluates
// the whole window partitions it holds, when the query has no spill
// threshold to size its chunks by.
const defaultChunkBytes = 64 << 20

// rowStateBytes estimates the Go memory evaluation holds per row outside
// Arrow buffers (peer flags and bounds), and funcStateBytes the extra per row
// and function (frame bounds and result values).
const (
	rowStateBytes  = 16
	funcStateBytes = 24
)

// Execute implements exec.Operator. The partition is sorted by the window
// keys (spilling under memory pressure, as the external sort does) and
// evaluated in chunks of whole window partitions, so that memory holds one
// chunk at a time; a window partition too big for memory is written to a
// spill file and evaluated from it by streaming (see huge.go).
func (op *windowOp) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(op, p); err != nil {
		return nil, err
	}
	return &windowStream{op: op, ctx: ctx, p: p, held: exec.NewHeld(op.env.Budget)}, nil
}

// SpilledBytes implements exec.Spiller: the bytes the operator wrote to disk,
// for window partitions too big for memory and by the sorts of its
// partitions, over all its runs.
func (op *windowOp) SpilledBytes() int64 {
	op.mu.Lock()
	defer op.mu.Unlock()
	n := op.stats.Bytes()
	for _, s := range op.sorts {
		n += s.SpilledBytes()
	}
	return n
}

// SpillFiles implements exec.Spiller: the number of spill files written.
func (op *windowOp) SpillFiles() int64 {
	op.mu.Lock()
	defer op.mu.Unlock()
	n := op.stats.Files()
	for _, s := range op.sorts {
		n += s.SpillFiles()
	}
	return n
}

// onePartition exposes partition p of op as a one-partition operator. It
// opens op under ctx, the window stream's context, whatever context it is
// executed with: the sort reads its input under a context it cancels when
// done, and operators such as exchanges share producers between partitions.
type onePartition struct {
	ctx context.Context
	op  exec.Operator
	p   int
}

func (o *onePartition) Schema() *arrow.Schema     { return o.op.Schema() }
func (o *onePartition) Partitions() int           { return 1 }
func (o *onePartition) Children() []exec.Operator { return nil }
func (o *onePartition) String() string            { return fmt.Sprintf("partition %d of %s", o.p, o.op) }
func (o *onePartition) Execute(_ context.Context, p int) (exec.Stream, error) {
	if p != 0 {
		return nil, fmt.Errorf("window: partition %d of a one-partition input", p)
	}
	return exec.Open(o.ctx, o.op, o.p)
}

type windowStream struct {
	op   *windowOp
	ctx  context.Context
	p    int
	held exec.Held

	src     exec.Stream         // the sorted input; nil before the first Next
	eof     bool                // src is exhausted
	pending []arrow.RecordBatch // input rows read but not yet evaluated
	pendN   int64               // bytes of pending
	limit   int64               // buffer size that triggers an evaluation
	huge    *hugeStream         // a window partition streamed from disk
	out     []arrow.Array       // evaluated columns being emitted
	n, pos  int
	closed  bool
}

func (s *windowStream) chunkBytes() int64 {
	if b := s.op.env.Budget; b != nil && b.SpillThreshold() >= 0 {
		return max(b.SpillThreshold()/8, 1)
	}
	return defaultChunkBytes
}

func (s *windowStream) open() error {
	op := s.op
	var in exec.Operator = &onePartition{ctx: s.ctx, op: op.child, p: s.p}
	if len(op.sortKeys) > 0 {
		srt, err := xsort.NewSort(op.env, in, op.sortKeys)
		if err != nil {
			return fmt.Errorf("window: %w", err)
		}
		in = srt
		if sp, ok := srt.(exec.Spiller); ok {
			op.mu.Lock()
			op.sorts = append(op.sorts, sp)
			op.mu.Unlock()
		}
	}
	st, err := exec.Open(s.ctx, in, 0)
	if err != nil {
		return err
	}
	s.src = st
	s.limit = s.chunkBytes()
	return nil
}

// Next implements exec.Stream.
func (s *windowStream) Next() (arrow.RecordBatch, error) {
	if s.closed {
		return nil, io.EOF
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	if s.src == nil {
		if err := s.open(); err != nil {
			s.Close()
			return nil, err
		}
	}
	for {
		if s.pos < s.n {
			return s.emit(), nil
		}
		if s.huge != nil {
			cols, n, err := s.huge.nextOutput()
			if err != nil {
				s.Close()
				return nil, err
			}
			if cols != nil {
				s.out, s.n, s.pos = cols, n, 0
				continue
			}
			err = s.huge.Close()
			s.huge = nil
			if err != nil {
				s.Close()
				return nil, err
			}
			continue
		}
		if s.eof && len(s.pending) == 0 {
			s.Close()
			return nil, io.EOF
		}
		if err := s.fill(); err != nil {
			s.Close()
			return nil, err
		}
	}
}

// emit returns the next output batch of the evaluated chunk.
func (s *windowStream) emit() arrow.RecordBatch {
	end := min(s.n, s.pos+s.op.env.BatchSize)
	cols := make([]arrow.Array, len(s.out))
	for i, c := range s.out {
		cols[i] = array.NewSlice(c, int64(s.pos), int64(end))
	}
	b := array.NewRecordBatch(s.op.schema, cols, int64(end-s.pos))
	releaseArrays(cols)
	s.pos = end
	if s.pos >= s.n {
		releaseArrays(s.out)
		s.out, s.n, s.pos = nil, 0, 0
	}
	return b
}

// fill reads input until it can evaluate a chunk of whole window partitions
// (or must stream one from disk) and does so.
func (s *windowStream) fill() error {
	for !s.eof && s.pendN < s.limit {
		b, err := s.src.Next()
		if errors.Is(err, io.EOF) {
			s.eof = true
			break
		}
		if err != nil {
			return err
		}
		if b.NumRows() == 0 {
			b.Release()
			continue
		}
		s.pending = append(s.pending, b)
		s.pendN += spill.Size(b)
	}
	if len(s.pending) == 0 {
		return nil
	}
	// Find the last window partition start from the partition columns
	// alone, so that the rows are copied only when evaluated.
	n := 0
	for _, b := range s.pending {
		n += int(b.NumRows())
	}
	same := make([]bool, n)
	for i := range same {
		same[i] = i > 0
	}
	s.held.Set(int64(n))
	parts := make([]arrow.Array, len(s.pending))
	for _, c := range s.op.partCols {
		for j, b := range s.pending {
			parts[j] = b.Column(c)
		}
		key, err := array.Concatenate(parts, s.op.env.Mem)
		if err == nil {
			err = adjacentEqual(key, same)
			key.Release()
		}
		if err != nil {
			return fmt.Errorf("window: partition column %s: %w", s.op.child.Schema().Field(c).Name, err)
		}
	}
	last := 0 // the start of the last window partition
	for i := n - 1; i > 0; i-- {
		if !same[i] {
			last = i
			break
		}
	}
	s.held.Set(0)
	if last == 0 && !s.eof {
		// One window partition fills the buffer: stream it from disk when
		// memory is short or it is much bigger than a chunk, else read on.
		if b := s.op.env.Budget; b != nil && b.SpillThreshold() >= 0 &&
			(s.pendN >= 4*s.chunkBytes() || s.op.env.ShouldSpillWith(s.pendN+s.evalBytes(n))) {
			return s.startHuge(n)
		}
		s.limit = 2 * s.pendN
		return nil
	}
	cols, err := s.concat()
	if err != nil {
		return err
	}
	cut := n
	if !s.eof {
		// The rows from the last partition start may continue in the
		// input still unread.
		cut = last
	}
	s.limit = s.chunkBytes()
	head := sliceCols(cols, 0, cut)
	if cut < n {
		tail := sliceCols(cols, cut, n)
		b := array.NewRecordBatch(s.op.child.Schema(), tail, int64(n-cut))
		releaseArrays(tail)
		s.pending, s.pendN = []arrow.RecordBatch{b}, spill.Size(b)
	}
	releaseArrays(cols)
	res, err := s.eval(head)
	if err != nil {
		releaseArrays(head)
		return err
	}
	s.out = append(head, res...)
	s.n, s.pos = cut, 0
	return nil
}

// evalBytes estimates the memory evaluating n rows in memory needs on top
// of the rows themselves.
func (s *windowStream) evalBytes(n int) int64 {
	return int64(n) * int64(rowStateBytes+funcStateBytes*len(s.op.funcs))
}

func sliceCols(cols []arrow.Array, i, j int) []arrow.Array {
	out := make([]arrow.Array, len(cols))
	for k, c := range cols {
		out[k] = array.NewSlice(c, int64(i), int64(j))
	}
	return out
}

// concat joins the pending batches into one array a column and empties
// pending.
func (s *windowStream) concat() ([]arrow.Array, error) {
	defer func() {
		exec.ReleaseAll(s.pending)
		s.pending, s.pendN = nil, 0
	}()
	schema := s.op.child.Schema()
	cols := make([]arrow.Array, schema.NumFields())
	parts := make([]arrow.Array, len(s.pending))
	for i := range cols {
		for j, b := range s.pending {
			parts[j] = b.Column(i)
		}
		if len(parts) == 1 {
			parts[0].Retain()
			cols[i] = parts[0]
			continue
		}
		c, err := array.Concatenate(parts, s.op.env.Mem)
		if err != nil {
			releaseArrays(cols)
			return nil, fmt.Errorf("window: column %s: %w", schema.Field(i).Name, err)
		}
		cols[i] = c
	}
	return cols, nil
}

// Close implements exec.Stream.
func (s *windowStream) Close() error {
	s.closed = true
	releaseArrays(s.out)
	s.out, s.n, s.pos = nil, 0, 0
	exec.ReleaseAll(s.pending)
	s.pending, s.pendN = nil, 0
	var err error
	if s.huge != nil {
		err = s.huge.Close()
		s.huge = nil
	}
	if s.src != nil {
		if e := s.src.Close(); err == nil {
			err = e
		}
		s.src = nil
	}
	s.held.Set(0)
	return err
}

func releaseArrays(cols []arrow.Array) {
	for _, c := range cols {
		if c != nil {
			c.Release()
		}
	}
}

// eval evaluates every function over cols, the sorted rows of whole window
// partitions, and returns one result column a function.
func (s *windowStream) eval(cols []arrow.Array) (out []arrow.Array, err error) {
	op := s.op
	n := cols[0].Len()
	s.held.Set(s.evalBytes(n))
	defer s.held.Set(0)
	defer func() {
		if err != nil {
			releaseArrays(out)
			out = nil
		}
	}()
	// same[i]: row i continues the window partition / peer group of row i-1.
	same := make([]bool, n)
	for i := range same {
		same[i] = i > 0
	}
	for _, c := range op.partCols {
		if err := adjacentEqual(cols[c], same); err != nil {
			return nil, fmt.Errorf("window: partition column %s: %w", op.child.Schema().Field(c).Name, err)
		}
	}
	var parts []int
	for i := range n {
		if !same[i] {
			parts = append(parts, i)
		}
	}
	parts = append(parts, n)
	peerStart, peerEnd, _, err := op.peerGroups(cols, same)
	if err != nil {
		return nil, err
	}
	g := &group{mem: op.env.Mem, n: n, parts: parts, peerStart: peerStart, peerEnd: peerEnd}
	for _, sp := range op.funcs {
		if err := s.ctx.Err(); err != nil {
			return out, err
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
				return out, fmt.Errorf("window %s: %w", sp.Name, err)
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
			return out, fmt.Errorf("window %s %s: %w", sp.Name, sp.Func, err)
		}
		out = append(out, res)
	}
	return out, nil
}

// peerGroups narrows same (row i continues the window partition of row i-1)
// by the order columns, so that it marks rows continuing a peer group, and
// returns each row's peer group [peerStart[i], peerEnd[i]) and the number of
// groups starting in cols.
func (op *windowOp) peerGroups(cols []arrow.Array, same []bool) (peerStart, peerEnd []int32, groups int64, err error) {
	for _, k := range op.order {
		if err := adjacentEqual(cols[k.Col], same); err != nil {
			return nil, nil, 0, fmt.Errorf("window: order column %s: %w", op.child.Schema().Field(k.Col).Name, err)
		}
	}
	n := len(same)
	peerStart = make([]int32, n)
	peerEnd = make([]int32, n)
	for i := range n {
		if same[i] {
			peerStart[i] = peerStart[i-1]
		} else {
			peerStart[i] = int32(i)
			groups++
		}
	}
	for i := n - 1; i >= 0; i-- {
		if i+1 < n && same[i+1] {
			peerEnd[i] = peerEnd[i+1]
		} else {
			peerEnd[i] = int32(i + 1)
		}
	}
	return peerStart, peerEnd, groups, nil
}
