package aggregate

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// maxFrameRows bounds the number of (frame, row) pairs fed to one
// accumulator by EvalFrames, so that long running or sliding frames are
// aggregated a chunk of frames at a time.
const maxFrameRows = 1 << 20

// EvalFrames evaluates the aggregate sp once per output row i over the rows
// [lo[i], hi[i]) of in (and of in2 for two-input functions; nil otherwise),
// as a window function does over its frames. A frame with hi <= lo is empty:
// its result is the aggregate of no rows (null for most functions, 0 for
// count_if, an empty array for collect_list). sp.Input and sp.Input2 are
// ignored.
//
// Consecutive rows with the same frame share one aggregation, so a frame
// covering the whole partition costs one pass over it. Other frames are
// aggregated independently: the cost is the sum of the frame sizes (n²/2
// for a running frame over n rows, n·w for a sliding frame of w rows).
func EvalFrames(mem memory.Allocator, sp Spec, in, in2 arrow.Array, lo, hi []int32) (arrow.Array, error) {
	if len(lo) != len(hi) {
		return nil, fmt.Errorf("%s over frames: %d frame starts but %d ends", sp.Func, len(lo), len(hi))
	}
	if in == nil {
		return nil, fmt.Errorf("%s over frames: missing input", sp.Func)
	}
	var in2Type arrow.DataType
	if sp.Func.TwoInputs() {
		if in2 == nil {
			return nil, fmt.Errorf("%s over frames: missing second input", sp.Func)
		}
		in2Type = in2.DataType()
	}
	n := len(lo)
	// rowGroup[i] is the distinct frame of row i; fl/fh are the distinct frames.
	rowGroup := make([]int32, n)
	var fl, fh []int32
	for i := range n {
		l, h := lo[i], hi[i]
		if h < l {
			h = l
		}
		if l < 0 || int(h) > in.Len() {
			return nil, fmt.Errorf("%s over frames: frame [%d, %d) of row %d is outside the %d input rows", sp.Func, l, h, i, in.Len())
		}
		if k := len(fl) - 1; k >= 0 && fl[k] == l && fh[k] == h {
			rowGroup[i] = int32(k)
			continue
		}
		rowGroup[i] = int32(len(fl))
		fl, fh = append(fl, l), append(fh, h)
	}
	var parts []arrow.Array
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	for start := 0; start < len(fl); {
		end, total := start, 0
		for end < len(fl) && (end == start || total+int(fh[end]-fl[end]) <= maxFrameRows) {
			total += int(fh[end] - fl[end])
			end++
		}
		res, err := evalFrameChunk(mem, sp, in, in2, in2Type, fl[start:end], fh[start:end], total)
		if err != nil {
			return nil, err
		}
		parts = append(parts, res)
		start = end
	}
	if len(parts) == 0 {
		rt, err := ResultType2(sp.Func, in.DataType(), in2Type)
		if err != nil {
			return nil, err
		}
		return array.MakeArrayOfNull(mem, rt, 0), nil
	}
	all := parts[0]
	if len(parts) > 1 {
		var err error
		if all, err = array.Concatenate(parts, mem); err != nil {
			return nil, fmt.Errorf("%s over frames: %w", sp.Func, err)
		}
		defer all.Release()
	}
	if len(fl) == n {
		all.Retain()
		return all, nil
	}
	return kernels.Take(mem, all, rowGroup)
}

// evalFrameChunk aggregates each frame [fl[g], fh[g]) as group g of a fresh
// accumulator; total is the sum of the frame sizes.
func evalFrameChunk(mem memory.Allocator, sp Spec, in, in2 arrow.Array, in2Type arrow.DataType, fl, fh []int32, total int) (arrow.Array, error) {
	acc, err := newAccumulator(sp, in.DataType(), in2Type, false)
	if err != nil {
		return nil, err
	}
	acc.grow(len(fl))
	if total > 0 {
		idx := make([]int32, 0, total)
		gids := make([]uint32, 0, total)
		for g := range fl {
			for j := fl[g]; j < fh[g]; j++ {
				idx = append(idx, j)
				gids = append(gids, uint32(g))
			}
		}
		cols := make([]arrow.Array, 0, 2)
		defer func() {
			for _, c := range cols {
				c.Release()
			}
		}()
		for _, a := range []arrow.Array{in, in2} {
			if a == nil || (a == in2 && in2Type == nil) {
				continue
			}
			t, err := kernels.Take(mem, a, idx)
			if err != nil {
				return nil, fmt.Errorf("%s over frames: %w", sp.Func, err)
			}
			cols = append(cols, t)
		}
		if err := acc.update(gids, cols); err != nil {
			return nil, fmt.Errorf("%s over frames: %w", sp.Func, err)
		}
	}
	return acc.result(mem, 0, len(fl))
}
