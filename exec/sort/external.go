package sort

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/exec/spill"
)

// maxFanIn is the most sorted runs merged at once; with more, consecutive
// runs are first merged into longer ones on disk.
const maxFanIn = 64

// maxRunBatch is the most rows in a batch of a sorted run being merged (in
// memory or on disk): a merge holds a batch and its encoded keys per run.
const maxRunBatch = 1024

// runBatch is the number of rows in the batches of the sorted runs.
func (op *sortOp) runBatch() int { return min(op.env.BatchSize, maxRunBatch) }

// SpilledBytes implements exec.Spiller: the bytes the sort wrote to disk over
// all its runs.
func (s *sortOp) SpilledBytes() int64 { return s.stats.Bytes() }

// SpillFiles implements exec.Spiller: the number of spill files written.
func (s *sortOp) SpillFiles() int64 { return s.stats.Files() }

// minRunBytes is the least a partition must hold before it spills a run, so
// memory held elsewhere does not make it write tiny runs.
func (op *sortOp) minRunBytes() int64 {
	if b := op.env.Budget; b != nil && b.SpillThreshold() > 0 {
		return b.SpillThreshold() / 32
	}
	return 0
}

// spillRun sorts the rows of batches (in input order) and writes them, as one
// sorted run, to a new spill file. Rather than concatenating the batches,
// which would need as much memory again, it sorts each batch on its own and
// merges them into the file.
func (op *sortOp) spillRun(ctx context.Context, batches []arrow.RecordBatch) (*spill.File, error) {
	// The row indexes of the sorted batches are counted in the budget until
	// they are merged into the file.
	held := exec.NewHeld(op.env.Budget)
	defer held.Set(0)
	var permBytes int64
	runs := make([]run, 0, len(batches))
	for _, b := range batches {
		cols := slices.Clone(b.Columns())
		for _, c := range cols {
			c.Retain()
		}
		mr := &memRun{mem: op.env.Mem, schema: op.Schema(), cols: cols, batchSize: op.runBatch()}
		runs = append(runs, run{mem: mr})
		held.Set(permBytes + op.indexBytes(int64(colsLen(cols)), 1))
		perm, err := sortRanges(ctx, cols, op.keys, []int{0, colsLen(cols)}, -1)
		if err != nil {
			releaseRuns(runs)
			return nil, err
		}
		mr.perm = perm
		permBytes += 4 * int64(cap(perm))
		held.Set(permBytes)
	}
	return op.mergeToFile(ctx, runs)
}

// memRun streams the rows cols[perm] in batches; it owns cols.
type memRun struct {
	mem       memory.Allocator
	schema    *arrow.Schema
	cols      []arrow.Array
	perm      []int32
	pos       int
	batchSize int
}

func (m *memRun) Next() (arrow.RecordBatch, error) {
	if m.pos >= len(m.perm) {
		m.Close()
		return nil, io.EOF
	}
	end := min(m.pos+m.batchSize, len(m.perm))
	b, err := takeColumns(m.mem, m.schema, m.cols, m.perm[m.pos:end])
	if err != nil {
		return nil, err
	}
	m.pos = end
	return b, nil
}

func (m *memRun) Close() error {
	releaseCols(m.cols)
	m.cols, m.perm = nil, nil
	return nil
}

// run is one sorted input of a merge: a spill file or rows in memory.
type run struct {
	file *spill.File // nil for a run in memory
	mem  *memRun     // nil for a file
}

func (r run) release() {
	if r.mem != nil {
		r.mem.Close()
	}
	if r.file != nil {
		_ = r.file.Remove()
	}
}

func releaseRuns(runs []run) {
	for _, r := range runs {
		r.release()
	}
}

// cursor is the position of a merge in one run.
type cursor struct {
	rank int // the run's place in input order, breaking ties
	src  exec.Stream
	b    arrow.RecordBatch // current batch, nil once the run is exhausted
	keys encodedKeys
	pos  int
	seg  int // index in merger.segs of the current batch's segment, -1 when none
}

// advance loads the next non-empty batch of the run (b nil at its end).
func (c *cursor) advance(keys []Key) error {
	if c.b != nil {
		c.b.Release()
		c.b = nil
	}
	c.pos, c.seg = 0, -1
	for {
		b, err := c.src.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if b.NumRows() == 0 {
			b.Release()
			continue
		}
		if err := encodeKeys(b.Columns(), keys, &c.keys); err != nil {
			b.Release()
			return err
		}
		c.b = b
		return nil
	}
}

// segment is a contiguous range of one cursor batch used by an output batch.
type segment struct {
	b      arrow.RecordBatch
	lo, hi int
}

// merger streams the k-way merge of sorted runs: rows of equal keys come in
// run order, then in their order within the run, so the merge is stable.
type merger struct {
	ctx       context.Context
	mem       memory.Allocator
	schema    *arrow.Schema
	keys      []Key
	batchSize int
	runs      []run     // removed on close
	all       []*cursor // every cursor, for close
	heap      []*cursor
	segs      []segment
	sel       []int32 // per output row: index into the concatenated segments
	selSeg    []int32 // per output row: its segment
}

// newMerger opens every run; on error it releases them.
// Its output batches have at most batchSize rows.
func newMerger(ctx context.Context, env *exec.Env, schema *arrow.Schema, keys []Key, runs []run, batchSize int) (*merger, error) {
	m := &merger{ctx: ctx, mem: env.Mem, schema: schema, keys: keys, batchSize: batchSize, runs: runs}
	for i, r := range runs {
		c := &cursor{rank: i, seg: -1}
		if r.mem != nil {
			c.src = r.mem
		} else {
			rd, err := r.file.Open(ctx, env.Mem)
			if err != nil {
				m.close()
				return nil, err
			}
			c.src = rd
		}
		m.all = append(m.all, c)
		if err := c.advance(keys); err != nil {
			m.close()
			return nil, err
		}
		if c.b != nil {
			m.heap = append(m.heap, c)
			m.up(len(m.heap) - 1)
		}
	}
	return m, nil
}

// less orders the current rows of two cursors.
func less(a, b *cursor) bool {
	if r := bytes.Compare(a.keys.row(a.pos), b.keys.row(b.pos)); r != 0 {
		return r < 0
	}
	return a.rank < b.rank
}

func (m *merger) up(i int) {
	h := m.heap
	for i > 0 {
		p := (i - 1) / 2
		if !less(h[i], h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (m *merger) down(i int) {
	h := m.heap
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		s := l
		if r := l + 1; r < n && less(h[r], h[l]) {
			s = r
		}
		if !less(h[s], h[i]) {
			return
		}
		h[i], h[s] = h[s], h[i]
		i = s
	}
}

// next returns the next batch of at most batchSize merged rows.
func (m *merger) next() (arrow.RecordBatch, error) {
	if err := m.ctx.Err(); err != nil {
		return nil, err
	}
	if len(m.heap) == 0 {
		return nil, io.EOF
	}
	defer func() {
		for _, s := range m.segs {
			s.b.Release()
		}
		m.segs = m.segs[:0]
		for _, c := range m.heap {
			c.seg = -1
		}
	}()
	m.sel, m.selSeg = m.sel[:0], m.selSeg[:0]
	for len(m.sel) < m.batchSize && len(m.heap) > 0 {
		c := m.heap[0]
		if c.seg < 0 {
			c.b.Retain()
			m.segs = append(m.segs, segment{b: c.b, lo: c.pos, hi: c.pos})
			c.seg = len(m.segs) - 1
		}
		s := &m.segs[c.seg]
		m.sel = append(m.sel, int32(c.pos-s.lo))
		m.selSeg = append(m.selSeg, int32(c.seg))
		c.pos++
		s.hi = c.pos
		if c.pos == int(c.b.NumRows()) {
			if err := c.advance(m.keys); err != nil {
				return nil, err
			}
			if c.b == nil {
				last := len(m.heap) - 1
				m.heap[0] = m.heap[last]
				m.heap = m.heap[:last]
			}
		}
		if len(m.heap) > 0 {
			m.down(0)
		}
	}
	if len(m.segs) == 1 {
		s := m.segs[0]
		return s.b.NewSlice(int64(s.lo), int64(s.hi)), nil
	}
	base := make([]int32, len(m.segs))
	total := int32(0)
	for i, s := range m.segs {
		base[i] = total
		total += int32(s.hi - s.lo)
	}
	for i := range m.sel {
		m.sel[i] += base[m.selSeg[i]]
	}
	cols := make([]arrow.Array, m.schema.NumFields())
	defer releaseCols(cols)
	parts := make([]arrow.Array, len(m.segs))
	for c := range cols {
		for i, s := range m.segs {
			parts[i] = array.NewSlice(s.b.Column(c), int64(s.lo), int64(s.hi))
		}
		cat, err := array.Concatenate(parts, m.mem)
		releaseCols(parts)
		if err != nil {
			return nil, fmt.Errorf("merge: column %s: %w", m.schema.Field(c).Name, err)
		}
		cols[c], err = kernels.Take(m.mem, cat, m.sel)
		cat.Release()
		if err != nil {
			return nil, fmt.Errorf("merge: column %s: %w", m.schema.Field(c).Name, err)
		}
	}
	return array.NewRecordBatch(m.schema, cols, int64(len(m.sel))), nil
}

// close releases every cursor and removes the runs' files.
func (m *merger) close() {
	for _, c := range m.all {
		if c.b != nil {
			c.b.Release()
			c.b = nil
		}
		_ = c.src.Close()
	}
	m.all, m.heap = nil, nil
	releaseRuns(m.runs)
	m.runs = nil
}

// mergeRuns returns a merger over runs (in rank order), first merging groups
// of consecutive runs into files while there are more than maxFanIn. It
// takes ownership of runs, releasing them on error.
func (op *sortOp) mergeRuns(ctx context.Context, runs []run) (*merger, error) {
	for len(runs) > maxFanIn {
		var next []run
		for i := 0; i < len(runs); i += maxFanIn {
			group := runs[i:min(i+maxFanIn, len(runs))]
			if len(group) == 1 {
				next = append(next, group[0])
				continue
			}
			f, err := op.mergeToFile(ctx, group)
			if err != nil {
				releaseRuns(next)
				releaseRuns(runs[i+len(group):])
				return nil, err
			}
			next = append(next, run{file: f})
		}
		runs = next
	}
	return newMerger(ctx, op.env, op.Schema(), op.keys, runs, op.env.BatchSize)
}

// mergeToFile merges runs into one spill file, releasing them.
func (op *sortOp) mergeToFile(ctx context.Context, runs []run) (*spill.File, error) {
	m, err := newMerger(ctx, op.env, op.Schema(), op.keys, runs, op.runBatch())
	if err != nil {
		return nil, err
	}
	defer m.close()
	w, err := spill.NewWriter(op.env, op.Schema(), &op.stats)
	if err != nil {
		return nil, err
	}
	for {
		b, err := m.next()
		if errors.Is(err, io.EOF) {
			return w.Finish()
		}
		if err == nil {
			err = w.Write(b)
			b.Release()
		}
		if err != nil {
			w.Abort()
			return nil, err
		}
	}
}
