package window

import (
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/spill"
)

// maxLagCarry is the largest lag offset a window partition streamed from
// disk carries rows for.
const maxLagCarry = 1 << 16

// A window partition too big for memory is written to a spill file and
// evaluated from it in chunks of whole peer groups, each chunk with the
// functions' in-memory code, carrying between chunks what the functions need
// of the rows before:
//   - row_number, rank, dense_rank: the rows and peer groups before;
//   - ntile, percent_rank, cume_dist: also the partition's row count, known
//     from the file;
//   - count, count(*), sum and avg over running frames (UNBOUNDED PRECEDING to
//     CURRENT ROW): the count and sum so far, accumulated in row order as the
//     in-memory code does, so floating-point sums are the same;
//   - min, max, first_value, last_value over running frames: the previous
//     chunk's last result, evaluated again as an extra first row, which gives
//     the same value these functions select over the whole prefix;
//   - lag: the last offset rows of its input;
//   - whole-partition frames (UNBOUNDED PRECEDING to UNBOUNDED FOLLOWING) of
//     those aggregates: a first pass over the file computes the value, a
//     second emits it.
//
// Other functions (lead, nth_value, sliding frames, frames ending past the
// current row, decimal sums and averages, other aggregates) need the
// partition whole: they are evaluated in memory while the memory limit
// allows, and otherwise fail with an error wrapping exec.ErrMemoryLimit.

// streamable returns why sp cannot be evaluated streaming from disk (nil
// when it can).
func streamable(sp Spec, in *arrow.Schema) error {
	switch sp.Func {
	case RowNumber, Rank, DenseRank, Ntile, PercentRank, CumeDist:
		return nil
	case Lag:
		if sp.N < 0 || sp.N > maxLagCarry {
			return fmt.Errorf("lag offset %d is past %d", sp.N, maxLagCarry)
		}
		return nil
	case Count, CountStar, Min, Max, FirstValue, LastValue, Sum, Avg:
	default:
		return errors.New("it needs the whole partition in memory")
	}
	f := sp.Frame
	if f.Start.Kind != UnboundedPreceding || (f.End.Kind != CurrentRow && f.End.Kind != UnboundedFollowing) {
		return fmt.Errorf("frame %s needs the whole partition in memory", f)
	}
	if sp.Func == Sum || sp.Func == Avg {
		switch in.Field(sp.Input).Type.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64:
		default:
			return fmt.Errorf("%s of %s needs the whole partition in memory", sp.Func, in.Field(sp.Input).Type)
		}
	}
	return nil
}

// whole reports whether sp's frame is its whole partition.
func whole(sp Spec) bool {
	return sp.Func.UsesFrame() && sp.Frame.Start.Kind == UnboundedPreceding && sp.Frame.End.Kind == UnboundedFollowing
}

// startHuge is called when the n pending rows, all of one window partition,
// fill the buffer while memory is short. It writes the partition (those
// rows and the rest of it, still unread) to a spill file and starts
// evaluating it from there; when a function cannot stream it keeps the rows
// in memory instead, unless they would pass the memory limit.
func (s *windowStream) startHuge(n int) error {
	op := s.op
	for _, sp := range op.funcs {
		err := streamable(sp, op.child.Schema())
		if err == nil {
			continue
		}
		if b := op.env.Budget; b != nil && b.Limit() > 0 && b.Used()+s.pendN+s.evalBytes(n) > b.Limit() {
			return fmt.Errorf("%w in window %s: a window partition of more than %d rows does not fit in %d bytes: %w",
				exec.ErrMemoryLimit, sp.Func, n, b.Limit(), err)
		}
		s.limit = 2 * s.pendN
		return nil
	}
	f, err := s.spillPartition()
	if err != nil {
		return err
	}
	s.limit = s.chunkBytes()
	h := &hugeStream{s: s, file: f, rows: f.Rows()}
	for _, sp := range op.funcs {
		switch {
		case sp.Func == Rank || sp.Func == DenseRank || sp.Func == PercentRank || sp.Func == CumeDist:
			h.peers = true
		case sp.Func.UsesFrame() && sp.Frame.Range && sp.Frame.End.Kind == CurrentRow:
			h.peers = true
		}
	}
	if err := h.start(); err != nil {
		h.Close()
		return err
	}
	s.huge = h
	return nil
}

// spillPartition writes the pending rows, the first rows of a window
// partition, and the partition's rows still unread from the input to a spill
// file. The rows after the partition are left in s.pending.
func (s *windowStream) spillPartition() (*spill.File, error) {
	op := s.op
	schema := op.child.Schema()
	w, err := spill.NewWriter(op.env, schema, &op.stats)
	if err != nil {
		return nil, err
	}
	write := func(cols []arrow.Array, i, j int) error {
		for ; i < j; i += op.env.BatchSize {
			part := sliceCols(cols, i, min(j, i+op.env.BatchSize))
			b := array.NewRecordBatch(schema, part, int64(min(j, i+op.env.BatchSize)-i))
			releaseArrays(part)
			err := w.Write(b)
			b.Release()
			if err != nil {
				return err
			}
		}
		return nil
	}
	for _, b := range s.pending {
		if err == nil {
			err = w.Write(b)
		}
	}
	lb := s.pending[len(s.pending)-1]
	last := sliceCols(lb.Columns(), int(lb.NumRows())-1, int(lb.NumRows()))
	exec.ReleaseAll(s.pending)
	s.pending, s.pendN = nil, 0
	defer func() { releaseArrays(last) }()
	for err == nil && !s.eof {
		if err = s.ctx.Err(); err != nil {
			break
		}
		var b arrow.RecordBatch
		b, err = s.src.Next()
		if errors.Is(err, io.EOF) {
			s.eof, err = true, nil
			break
		}
		if err != nil {
			break
		}
		m := int(b.NumRows())
		if m == 0 {
			b.Release()
			continue
		}
		// k: the first row of b in another window partition (m: none).
		k := m
		if len(op.partCols) > 0 {
			same := make([]bool, m+1)
			for i := range same {
				same[i] = i > 0
			}
			for _, c := range op.partCols {
				var two arrow.Array
				if two, err = array.Concatenate([]arrow.Array{last[c], b.Column(c)}, op.env.Mem); err != nil {
					break
				}
				err = adjacentEqual(two, same)
				two.Release()
				if err != nil {
					break
				}
			}
			if err != nil {
				b.Release()
				break
			}
			for i := 1; i <= m; i++ {
				if !same[i] {
					k = i - 1
					break
				}
			}
		}
		bc := b.Columns()
		if err = write(bc, 0, k); err == nil && k > 0 {
			releaseArrays(last)
			last = sliceCols(bc, k-1, k)
		}
		if err == nil && k < m {
			tail := sliceCols(bc, k, m)
			rest := array.NewRecordBatch(schema, tail, int64(m-k))
			releaseArrays(tail)
			s.pending, s.pendN = []arrow.RecordBatch{rest}, spill.Size(rest)
			b.Release()
			break
		}
		b.Release()
	}
	if err != nil {
		w.Abort()
		return nil, fmt.Errorf("window: spilling a window partition: %w", err)
	}
	return w.Finish()
}

// hugeStream evaluates one window partition from its spill file, a chunk of
// whole peer groups at a time.
type hugeStream struct {
	s     *windowStream
	file  *spill.File
	rows  int64 // the partition's row count
	pass1 bool  // computing the whole-partition values
	peers bool  // chunks must end at peer group boundaries

	rd  *spill.Reader
	buf []arrow.RecordBatch // rows read and not yet evaluated
	eof bool

	rowsBefore, groupsBefore int64
	st                       []funcState
}

// funcState is what one function carries from chunk to chunk.
type funcState struct {
	cnt   int64       // valid rows (count, sum, avg) or rows (count(*))
	sumI  int64       // integer sum
	sumF  float64     // floating-point sum
	carry arrow.Array // min, max, first/last_value: the last result; lag: the last input rows
	total arrow.Array // whole-partition value of min, max, first/last_value
	done  bool        // the whole-partition values are known
}

func (h *hugeStream) start() error {
	h.st = make([]funcState, len(h.s.op.funcs))
	for _, sp := range h.s.op.funcs {
		if whole(sp) && sp.Func != CountStar {
			h.pass1 = true
		}
	}
	if h.pass1 {
		if err := h.open(); err != nil {
			return err
		}
		for {
			cols, err := h.nextChunk()
			if err != nil {
				return err
			}
			if cols == nil {
				break
			}
			_, err = h.eval(cols)
			releaseArrays(cols)
			if err != nil {
				return err
			}
		}
		for i, sp := range h.s.op.funcs {
			if st := &h.st[i]; whole(sp) {
				st.done = true
				st.total, st.carry = st.carry, nil
			}
		}
		h.pass1 = false
		h.rowsBefore, h.groupsBefore = 0, 0
	}
	return h.open()
}

func (h *hugeStream) open() error {
	h.closeReader()
	rd, err := h.file.Open(h.s.ctx, h.s.op.env.Mem)
	if err != nil {
		return err
	}
	h.rd, h.eof = rd, false
	return nil
}

func (h *hugeStream) closeReader() {
	exec.ReleaseAll(h.buf)
	h.buf = nil
	if h.rd != nil {
		h.rd.Close()
		h.rd = nil
	}
}

// Close releases what the stream holds and removes the spill file.
func (h *hugeStream) Close() error {
	h.closeReader()
	for i := range h.st {
		for _, a := range []arrow.Array{h.st[i].carry, h.st[i].total} {
			if a != nil {
				a.Release()
			}
		}
	}
	h.st = nil
	var err error
	if h.file != nil {
		err = h.file.Remove()
		h.file = nil
	}
	return err
}

// nextChunk returns the next rows of the partition, ending at a peer group
// boundary (nil at the end).
func (h *hugeStream) nextChunk() ([]arrow.Array, error) {
	op := h.s.op
	target := max(op.env.BatchSize, 1024)
	for {
		rows := 0
		for _, b := range h.buf {
			rows += int(b.NumRows())
		}
		for !h.eof && rows <= target {
			b, err := h.rd.Next()
			if errors.Is(err, io.EOF) {
				h.eof = true
				break
			}
			if err != nil {
				return nil, err
			}
			if b.NumRows() == 0 {
				b.Release()
				continue
			}
			h.buf = append(h.buf, b)
			rows += int(b.NumRows())
		}
		if rows == 0 {
			return nil, nil
		}
		cols, err := concatBatches(op, h.buf)
		if err != nil {
			return nil, err
		}
		exec.ReleaseAll(h.buf)
		h.buf = nil
		cut := rows
		if !h.eof && !h.peers {
			cut = target
		} else if !h.eof {
			same := make([]bool, rows)
			for i := range same {
				same[i] = i > 0
			}
			for _, k := range op.order {
				if err := adjacentEqual(cols[k.Col], same); err != nil {
					releaseArrays(cols)
					return nil, fmt.Errorf("window: order column %s: %w", op.child.Schema().Field(k.Col).Name, err)
				}
			}
			cut = 0
			for i := rows - 1; i > 0; i-- {
				if !same[i] {
					cut = i
					break
				}
			}
		}
		if cut == 0 {
			// One peer group so far: read on, while memory allows.
			if b := op.env.Budget; b != nil && b.Limit() > 0 && b.Used()+2*spill.ArraysSize(cols) > b.Limit() {
				releaseArrays(cols)
				return nil, fmt.Errorf("%w in window: a peer group of more than %d rows does not fit in %d bytes",
					exec.ErrMemoryLimit, rows, b.Limit())
			}
			h.buf = []arrow.RecordBatch{array.NewRecordBatch(op.child.Schema(), cols, int64(rows))}
			releaseArrays(cols)
			target = 2 * rows
			continue
		}
		if cut < rows {
			tail := sliceCols(cols, cut, rows)
			h.buf = []arrow.RecordBatch{array.NewRecordBatch(op.child.Schema(), tail, int64(rows-cut))}
			releaseArrays(tail)
			head := sliceCols(cols, 0, cut)
			releaseArrays(cols)
			cols = head
		}
		return cols, nil
	}
}

// concatBatches joins batches into one array a column.
func concatBatches(op *windowOp, batches []arrow.RecordBatch) ([]arrow.Array, error) {
	schema := op.child.Schema()
	cols := make([]arrow.Array, schema.NumFields())
	parts := make([]arrow.Array, len(batches))
	for i := range cols {
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
			return nil, fmt.Errorf("window: column %s: %w", schema.Field(i).Name, err)
		}
		cols[i] = c
	}
	return cols, nil
}

// nextOutput evaluates the next chunk and returns its output columns (nil at
// the end of the partition).
func (h *hugeStream) nextOutput() ([]arrow.Array, int, error) {
	cols, err := h.nextChunk()
	if err != nil || cols == nil {
		return nil, 0, err
	}
	n := cols[0].Len()
	res, err := h.eval(cols)
	if err != nil {
		releaseArrays(cols)
		return nil, 0, err
	}
	return append(cols, res...), n, nil
}

// eval evaluates the functions over one chunk (in the first pass, only the
// whole-partition ones, returning nothing) and moves the carried state on.
func (h *hugeStream) eval(cols []arrow.Array) (out []arrow.Array, err error) {
	s, op := h.s, h.s.op
	n := cols[0].Len()
	s.held.Set(s.evalBytes(n))
	defer s.held.Set(0)
	defer func() {
		if err != nil {
			releaseArrays(out)
			out = nil
		}
	}()
	same := make([]bool, n)
	for i := range same {
		same[i] = i > 0
	}
	peerStart, peerEnd, groups, err := op.peerGroups(cols, same)
	if err != nil {
		return nil, err
	}
	for fi, sp := range op.funcs {
		if h.pass1 && !whole(sp) {
			continue
		}
		var in arrow.Array
		if sp.Func.NeedsInput() {
			in = cols[sp.Input]
		}
		res, err := h.evalFunc(&h.st[fi], sp, in, n, peerStart, peerEnd)
		if err != nil {
			return out, fmt.Errorf("window %s %s: %w", sp.Name, sp.Func, err)
		}
		if !h.pass1 {
			out = append(out, res)
		} else if res != nil {
			res.Release()
		}
	}
	h.rowsBefore += int64(n)
	h.groupsBefore += groups
	return out, nil
}

// evalFunc evaluates sp over a chunk of n rows.
func (h *hugeStream) evalFunc(st *funcState, sp Spec, in arrow.Array, n int, peerStart, peerEnd []int32) (arrow.Array, error) {
	mem := h.s.op.env.Mem
	m := h.rows
	before := h.rowsBefore
	// hi(i): the end of row i's frame within the chunk.
	hi := func(i int) int {
		if sp.Frame.Range {
			return int(peerEnd[i])
		}
		return i + 1
	}
	switch sp.Func {
	case RowNumber, Rank, DenseRank, Ntile:
		out := make([]int32, n)
		dense := h.groupsBefore
		q, rem := int64(0), int64(0)
		if sp.Func == Ntile {
			q, rem = m/sp.N, m%sp.N
		}
		for i := range n {
			switch sp.Func {
			case RowNumber:
				out[i] = int32(before + int64(i) + 1)
			case Rank:
				out[i] = int32(before + int64(peerStart[i]) + 1)
			case DenseRank:
				if int(peerStart[i]) == i {
					dense++
				}
				out[i] = int32(dense)
			case Ntile:
				r := before + int64(i)
				if r < (q+1)*rem {
					out[i] = int32(r/(q+1) + 1)
				} else {
					out[i] = int32(rem + (r-(q+1)*rem)/q + 1)
				}
			}
		}
		return int32Array(mem, out), nil
	case PercentRank, CumeDist:
		out := make([]float64, n)
		fm := float64(m)
		for i := range n {
			if sp.Func == CumeDist {
				out[i] = float64(before+int64(peerEnd[i])) / fm
			} else if m > 1 {
				out[i] = float64(before+int64(peerStart[i])) / (fm - 1)
			}
		}
		return float64Array(mem, out, nil), nil
	case Lag:
		return h.lag(st, sp, in, n)
	case CountStar:
		out := make([]int64, n)
		for i := range out {
			if whole(sp) {
				out[i] = m
			} else {
				out[i] = before + int64(hi(i))
			}
		}
		return int64Array(mem, out, nil), nil
	case Count:
		if st.done {
			return int64Array(mem, constInt64(n, st.cnt), nil), nil
		}
		cnt, _ := validPrefix(in)
		out := make([]int64, n)
		for i := range out {
			out[i] = st.cnt + int64(cnt[hi(i)])
		}
		st.cnt += int64(cnt[n])
		return int64Array(mem, out, nil), nil
	case Sum, Avg:
		return h.sumAvg(st, sp, in, n, hi)
	case Min, Max, FirstValue, LastValue:
		return h.selectValue(st, sp, in, n, hi)
	}
	return nil, fmt.Errorf("cannot stream window function %s", sp.Func)
}

func constInt64(n int, v int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// sumAvg is the running sum or average of an integer or floating-point
// input, accumulated in row order from the carried sum.
func (h *hugeStream) sumAvg(st *funcState, sp Spec, in arrow.Array, n int, hi func(int) int) (arrow.Array, error) {
	mem := h.s.op.env.Mem
	isInt := in.DataType().ID() != arrow.FLOAT32 && in.DataType().ID() != arrow.FLOAT64
	valid := make([]bool, n)
	if st.done {
		for i := range valid {
			valid[i] = st.cnt > 0
		}
		switch {
		case isInt && sp.Func == Sum:
			return int64Array(mem, constInt64(n, st.sumI), valid), nil
		case sp.Func == Avg && st.cnt > 0:
			return float64Array(mem, constFloat64(n, st.sumF/float64(st.cnt)), valid), nil
		}
		return float64Array(mem, constFloat64(n, st.sumF), valid), nil
	}
	cnt, _ := validPrefix(in)
	for i := range valid {
		valid[i] = st.cnt+int64(cnt[hi(i)]) > 0
	}
	if isInt && sp.Func == Sum {
		v := intValues(in)
		// pre[j]: the sum of the rows before row j, from the carried sum.
		pre := make([]int64, n+1)
		pre[0] = st.sumI
		for j := range n {
			x := v[j]
			if in.IsNull(j) {
				x = 0
			}
			r := pre[j] + x
			if (x > 0 && r < pre[j]) || (x < 0 && r > pre[j]) {
				return nil, fmt.Errorf("integer sum: %w", aggregate.ErrOverflow)
			}
			pre[j+1] = r
		}
		out := make([]int64, n)
		for i := range out {
			out[i] = pre[hi(i)]
		}
		st.sumI, st.cnt = pre[n], st.cnt+int64(cnt[n])
		return int64Array(mem, out, valid), nil
	}
	var v []float64
	if isInt {
		iv := intValues(in)
		v = make([]float64, n)
		for i, x := range iv {
			v[i] = float64(x)
		}
	} else {
		v = floatValues(in)
	}
	pre := make([]float64, n+1)
	pre[0] = st.sumF
	for j := range n {
		x := v[j]
		if in.IsNull(j) {
			x = 0
		}
		pre[j+1] = pre[j] + x
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = pre[hi(i)]
		if c := st.cnt + int64(cnt[hi(i)]); sp.Func == Avg && c > 0 {
			out[i] /= float64(c)
		}
	}
	st.sumF, st.cnt = pre[n], st.cnt+int64(cnt[n])
	return float64Array(mem, out, valid), nil
}

func constFloat64(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// selectValue evaluates min, max, first_value or last_value over running
// frames: the carried result of the rows before is evaluated again as an
// extra first row of every frame.
func (h *hugeStream) selectValue(st *funcState, sp Spec, in arrow.Array, n int, hi func(int) int) (arrow.Array, error) {
	mem := h.s.op.env.Mem
	if st.done {
		return takeAny(mem, st.total, make([]int32, n))
	}
	ext, off := in, 0
	if st.carry != nil {
		var err error
		if ext, err = array.Concatenate([]arrow.Array{st.carry, in}, mem); err != nil {
			return nil, err
		}
		defer ext.Release()
		off = 1
	}
	en := n + off
	lo := make([]int32, en)
	his := make([]int32, en)
	for i := range n {
		his[off+i] = int32(off + hi(i))
	}
	if off == 1 {
		his[0] = 1
	}
	g := &group{mem: mem, n: en, parts: []int{0, en}}
	run := sp
	run.Frame = Frame{Start: Bound{Kind: UnboundedPreceding}, End: Bound{Kind: CurrentRow}}
	res, err := g.eval(run, ext, lo, his)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	if st.carry != nil {
		st.carry.Release()
	}
	st.carry = array.NewSlice(res, int64(en-1), int64(en))
	return array.NewSlice(res, int64(off), int64(en)), nil
}

// lag evaluates lag over the carried last input rows followed by the chunk.
func (h *hugeStream) lag(st *funcState, sp Spec, in arrow.Array, n int) (arrow.Array, error) {
	mem := h.s.op.env.Mem
	ext, off := in, 0
	if st.carry != nil {
		var err error
		if ext, err = array.Concatenate([]arrow.Array{st.carry, in}, mem); err != nil {
			return nil, err
		}
		defer ext.Release()
		off = st.carry.Len()
	}
	en := ext.Len()
	g := &group{mem: mem, n: en, parts: []int{0, en}}
	res, err := g.eval(sp, ext, nil, nil)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	if st.carry != nil {
		st.carry.Release()
	}
	st.carry = array.NewSlice(ext, max(0, int64(en)-sp.N), int64(en))
	return array.NewSlice(res, int64(off), int64(en)), nil
}
