package aggregate

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
)

// batchRows holds the group ids of the batch being aggregated and, built on
// first use, the number of its rows in each group, so every count(*) (and
// count of a column without nulls) over few groups adds per group instead of
// per row.
type batchRows struct {
	gids  []uint32
	ng    int
	hist  []int64
	built bool
	buf   []uint64
	// Lane sums (see sum64Lanes) of the input columns summed so far in this
	// batch: a column summed twice (sum and avg of one column) is read once.
	memo  []laneMemo
	nmemo int
}

type laneMemo struct {
	col   arrow.ArrayData
	lanes []int64
}

// memoLanes returns the lane sums of col in this batch, or nil.
func (b *batchRows) memoLanes(col arrow.ArrayData) []int64 {
	for _, m := range b.memo[:b.nmemo] {
		if m.col == col {
			return m.lanes
		}
	}
	return nil
}

// lanesBuf returns n zeroed int64s that keepLanes can then record.
func (b *batchRows) lanesBuf(n int) []int64 {
	if b.nmemo == len(b.memo) {
		b.memo = append(b.memo, laneMemo{})
	}
	m := &b.memo[b.nmemo]
	if cap(m.lanes) < n {
		m.lanes = make([]int64, n)
	}
	m.lanes = m.lanes[:n]
	clear(m.lanes)
	return m.lanes
}

// keepLanes records the buffer last returned by lanesBuf as the lane sums of col.
func (b *batchRows) keepLanes(col arrow.ArrayData) {
	b.memo[b.nmemo].col = col
	b.nmemo++
}

// scratch returns n zeroed words, reused across calls.
func (b *batchRows) scratch(n int) []uint64 {
	if cap(b.buf) < n {
		b.buf = make([]uint64, n)
	}
	s := b.buf[:n]
	clear(s)
	return s
}

// int64s views words as int64s.
func int64s(w []uint64) []int64 {
	return unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(w))), len(w))
}

// histLanes is the number of interleaved histograms; consecutive rows of the
// same group then update different words.
const histLanes = 4

func (b *batchRows) reset(gids []uint32, ng int) {
	b.gids, b.ng, b.built = gids, ng, false
	for i := range b.memo[:b.nmemo] {
		b.memo[i].col = nil
	}
	b.nmemo = 0
}

// counts returns the rows per group of gids, or nil when it is not the
// current batch or has too few rows per group for the histogram to pay.
func (b *batchRows) counts(gids []uint32) []int64 {
	if b == nil || len(gids) == 0 || len(b.gids) != len(gids) || &b.gids[0] != &gids[0] || b.ng*8 > len(gids) {
		return nil
	}
	if b.built {
		return b.hist[:b.ng]
	}
	ng := b.ng
	if cap(b.hist) < histLanes*ng {
		b.hist = make([]int64, histLanes*ng)
	}
	h := b.hist[:histLanes*ng]
	clear(h)
	h0, h1, h2, h3 := h[:ng], h[ng:2*ng], h[2*ng:3*ng], h[3*ng:]
	i := 0
	for ; i+histLanes <= len(gids); i += histLanes {
		g := gids[i : i+histLanes : i+histLanes]
		h0[g[0]]++
		h1[g[1]]++
		h2[g[2]]++
		h3[g[3]]++
	}
	for ; i < len(gids); i++ {
		h0[gids[i]]++
	}
	for g := range h0 {
		h0[g] += h1[g] + h2[g] + h3[g]
	}
	b.built = true
	return h0
}
