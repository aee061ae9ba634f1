package aggregate

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// ErrOverflow is returned when a sum or average does not fit its result type.
var ErrOverflow = errors.New("arithmetic overflow")

// accumulator holds the state of one aggregate for every group. update takes,
// per row, the group id and the row's input (partial mode: the input column,
// or none for count(*)) or partial state columns (final mode).
type accumulator interface {
	grow(n int)
	update(gids []uint32, cols []arrow.Array) error
	state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error)
	result(mem memory.Allocator, lo, hi int) (arrow.Array, error)
}

func growTo[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		t := s[:n]
		clear(t[len(s):])
		return t
	}
	t := make([]T, n, max(n, 2*cap(s)))
	copy(t, s)
	return t
}

// --- count ---

type countAcc struct {
	star, merge bool
	cnt         []int64
	rows        *batchRows // shared row counts of the current batch, or nil
}

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

func (a *countAcc) setRows(r *batchRows) { a.rows = r }

func (a *sumDecAcc) setRows(r *batchRows) { a.rows = r }

func (a *minMaxNum[T]) setRows(r *batchRows) { a.rows = r }

func (a *avgAcc) setRows(r *batchRows) {
	a.cnt.rows = r
	if a.dsum != nil {
		a.dsum.rows = r
	}
}

func (a *countAcc) grow(n int) { a.cnt = growTo(a.cnt, n) }

func (a *countAcc) update(gids []uint32, cols []arrow.Array) error {
	cnt := a.cnt
	switch {
	case a.merge:
		c := cols[0]
		vals := kernels.FixedValues[int64](c)
		for i, g := range gids {
			if c.IsValid(i) {
				cnt[g] += vals[i]
			}
		}
	case a.star || cols[0].NullN() == 0:
		if h := a.rows.counts(gids); h != nil {
			for g, c := range h {
				cnt[g] += c
			}
			return nil
		}
		for _, g := range gids {
			cnt[g]++
		}
	default:
		c := cols[0]
		for i, g := range gids {
			if c.IsValid(i) {
				cnt[g]++
			}
		}
	}
	return nil
}

func (a *countAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	return []arrow.Array{r}, err
}

func (a *countAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return newFixedArray(mem, arrow.PrimitiveTypes.Int64, a.cnt[lo:hi], hi-lo, nil), nil
}

// --- sum of integers ---

type sumIntAcc struct {
	sum  []int64
	seen []bool
}

func (a *sumIntAcc) grow(n int) { a.sum, a.seen = growTo(a.sum, n), growTo(a.seen, n) }

func sumInts[T int8 | int16 | int32 | int64](sum []int64, seen []bool, gids []uint32, vals []T, c arrow.Array) error {
	vals = vals[:len(gids)]
	noNulls := c.NullN() == 0
	for i, g := range gids {
		if noNulls || c.IsValid(i) {
			v := int64(vals[i])
			s := sum[g] + v
			if (sum[g]^s)&(v^s) < 0 {
				return fmt.Errorf("sum: %w (bigint)", ErrOverflow)
			}
			sum[g] = s
			seen[g] = true
		}
	}
	return nil
}

func (a *sumIntAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	switch c.(type) {
	case *array.Int8:
		return sumInts(a.sum, a.seen, gids, kernels.FixedValues[int8](c), c)
	case *array.Int16:
		return sumInts(a.sum, a.seen, gids, kernels.FixedValues[int16](c), c)
	case *array.Int32:
		return sumInts(a.sum, a.seen, gids, kernels.FixedValues[int32](c), c)
	case *array.Int64:
		return sumInts(a.sum, a.seen, gids, kernels.FixedValues[int64](c), c)
	}
	return fmt.Errorf("sum: unsupported input type %s", c.DataType())
}

func (a *sumIntAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	return []arrow.Array{r}, err
}

func (a *sumIntAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return newFixedArray(mem, arrow.PrimitiveTypes.Int64, a.sum[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
}

// --- sum of floats (also the sum state of avg over ints and floats) ---

type sumFloatAcc struct {
	sum  []float64
	seen []bool
}

func (a *sumFloatAcc) grow(n int) { a.sum, a.seen = growTo(a.sum, n), growTo(a.seen, n) }

func sumFloats[T int8 | int16 | int32 | int64 | float32 | float64](sum []float64, seen []bool, gids []uint32, vals []T, c arrow.Array) {
	vals = vals[:len(gids)]
	if c.NullN() == 0 {
		for i, g := range gids {
			sum[g] += float64(vals[i])
			seen[g] = true
		}
		return
	}
	for i, g := range gids {
		if c.IsValid(i) {
			sum[g] += float64(vals[i])
			seen[g] = true
		}
	}
}

func (a *sumFloatAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	switch c.(type) {
	case *array.Int8:
		sumFloats(a.sum, a.seen, gids, kernels.FixedValues[int8](c), c)
	case *array.Int16:
		sumFloats(a.sum, a.seen, gids, kernels.FixedValues[int16](c), c)
	case *array.Int32:
		sumFloats(a.sum, a.seen, gids, kernels.FixedValues[int32](c), c)
	case *array.Int64:
		sumFloats(a.sum, a.seen, gids, kernels.FixedValues[int64](c), c)
	case *array.Float32:
		sumFloats(a.sum, a.seen, gids, kernels.FixedValues[float32](c), c)
	case *array.Float64:
		sumFloats(a.sum, a.seen, gids, kernels.FixedValues[float64](c), c)
	default:
		return fmt.Errorf("sum: unsupported input type %s", c.DataType())
	}
	return nil
}

func (a *sumFloatAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	return []arrow.Array{r}, err
}

func (a *sumFloatAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return newFixedArray(mem, arrow.PrimitiveTypes.Float64, a.sum[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
}

// --- sum of decimals: 128-bit accumulators ---

// sumDecAcc sums decimals per group into 128 bits. Decimal64 inputs are
// added to an int64 per group that spills into the 128-bit part only when
// it would overflow; the value of a group is the sum of both parts.
type sumDecAcc struct {
	dt    arrow.DataType // decimal(min(38,p+10), s)
	prec  int32
	lo    []uint64
	hi    []int64
	small []int64
	seen  []bool
	rows  *batchRows // shared row counts of the current batch, or nil
}

func (a *sumDecAcc) grow(n int) {
	a.lo, a.hi, a.small, a.seen = growTo(a.lo, n), growTo(a.hi, n), growTo(a.small, n), growTo(a.seen, n)
}

// spill adds v to the 128-bit part of group g.
func (a *sumDecAcc) spill(g uint32, v int64) {
	l, carry := bits.Add64(a.lo[g], uint64(v), 0)
	a.lo[g] = l
	a.hi[g] += (v >> 63) + int64(carry)
}

func (a *sumDecAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	var valid []byte
	off := c.Data().Offset()
	if c.NullN() > 0 {
		valid = c.NullBitmapBytes()
	}
	var hist []int64
	if valid == nil {
		hist = a.rows.counts(gids)
	}
	switch c.(type) {
	case *array.Decimal64:
		vals := kernels.FixedValues[int64](c)[:len(gids)]
		small, seen := a.small, a.seen
		if hist != nil {
			a.sum64Lanes(c.Data(), gids, vals, hist)
			return nil
		}
		if valid == nil {
			for i, g := range gids {
				v := vals[i]
				o := small[g]
				s := o + v
				if (o^s)&(v^s) < 0 {
					a.spill(g, o)
					s = v
				}
				small[g] = s
				seen[g] = true
			}
			return nil
		}
		for i, g := range gids {
			if bitutil.BitIsSet(valid, off+i) {
				v := vals[i]
				o := small[g]
				s := o + v
				if (o^s)&(v^s) < 0 {
					a.spill(g, o)
					s = v
				}
				small[g] = s
				seen[g] = true
			}
		}
	case *array.Decimal128:
		vals := kernels.FixedValues[decimal128.Num](c)[:len(gids)]
		if hist != nil {
			return a.sum128Lanes(c.Data(), gids, vals, hist)
		}
		los, his, seen := a.lo, a.hi, a.seen
		for i, g := range gids {
			if valid == nil || bitutil.BitIsSet(valid, off+i) {
				v := vals[i]
				l, carry := bits.Add64(los[g], v.LowBits(), 0)
				h0 := his[g]
				vh := v.HighBits()
				h := h0 + vh
				h2 := h + int64(carry)
				if (h0^h)&(vh^h)|(h^h2)&^h < 0 {
					return fmt.Errorf("sum: %w (%s)", ErrOverflow, a.dt)
				}
				los[g], his[g] = l, h2
				seen[g] = true
			}
		}
	default:
		return fmt.Errorf("sum: unsupported input type %s", c.DataType())
	}
	return nil
}

// add64 adds v to lane[g], spilling the lane into the 128-bit part of
// group g when the int64 would overflow.
func (a *sumDecAcc) add64(lane []int64, g uint32, v int64) {
	o := lane[g]
	s := o + v
	if (o^s)&(v^s) < 0 {
		a.spill(g, o)
		s = v
	}
	lane[g] = s
}

// markSeen marks every group with rows in the batch.
func (a *sumDecAcc) markSeen(hist []int64) {
	seen := a.seen[:len(hist)]
	for g, n := range hist {
		if n > 0 {
			seen[g] = true
		}
	}
}

// sum64Lanes adds decimal64 values without nulls when there are few groups:
// rows go round-robin to four accumulators per group, so consecutive rows of
// one group do not wait on each other, and the lanes are then folded into
// the group sums. The lanes start at zero and add without overflow checks;
// the largest magnitude seen bounds their sums, and when the bound does not
// rule out an overflow the batch is summed again with checks.
func (a *sumDecAcc) sum64Lanes(col arrow.ArrayData, gids []uint32, vals []int64, hist []int64) {
	if l := a.rows.memoLanes(col); l != nil {
		a.foldLanes(l, hist)
		return
	}
	ng := len(hist)
	buf := a.rows.lanesBuf(histLanes * ng)
	l0, l1, l2, l3 := buf[:ng], buf[ng:2*ng], buf[2*ng:3*ng], buf[3*ng:4*ng]
	vals = vals[:len(gids)]
	var m uint64
	i := 0
	for ; i+histLanes <= len(gids); i += histLanes {
		g := gids[i : i+histLanes : i+histLanes]
		v := vals[i : i+histLanes : i+histLanes]
		v0, v1, v2, v3 := v[0], v[1], v[2], v[3]
		l0[g[0]] += v0
		l1[g[1]] += v1
		l2[g[2]] += v2
		l3[g[3]] += v3
		m |= uint64((v0 ^ v0>>63) | (v1 ^ v1>>63) | (v2 ^ v2>>63) | (v3 ^ v3>>63))
	}
	for ; i < len(gids); i++ {
		v := vals[i]
		l0[gids[i]] += v
		m |= uint64(v ^ v>>63)
	}
	if bits.Len64(m)+bits.Len(uint(len(gids))) > 62 {
		// The lanes may have wrapped: add again with checks, spilling
		// into this accumulator (so the lanes are not kept).
		clear(buf)
		for i, g := range gids {
			a.add64(buf[(i&(histLanes-1))*ng:], g, vals[i])
		}
	} else {
		a.rows.keepLanes(col)
	}
	a.foldLanes(buf, hist)
}

// foldLanes adds lane sums (histLanes runs of one int64 per group) to the
// groups and marks the groups with rows seen.
func (a *sumDecAcc) foldLanes(lanes []int64, hist []int64) {
	ng := len(hist)
	l0, l1, l2, l3 := lanes[:ng], lanes[ng:2*ng], lanes[2*ng:3*ng], lanes[3*ng:4*ng]
	small := a.small
	for g := range l0 {
		gg := uint32(g)
		a.add64(small, gg, l0[g])
		a.add64(small, gg, l1[g])
		a.add64(small, gg, l2[g])
		a.add64(small, gg, l3[g])
	}
	a.markSeen(hist)
}

// sum128Narrow sums decimal128 values without nulls that all fit an int64
// like sum64Lanes; it reports false, changing nothing, when some value does
// not fit or the lane sums might overflow.
func (a *sumDecAcc) sum128Narrow(col arrow.ArrayData, gids []uint32, vals []decimal128.Num, hist []int64) bool {
	if l := a.rows.memoLanes(col); l != nil {
		a.foldLanes(l, hist)
		return true
	}
	ng := len(hist)
	buf := a.rows.lanesBuf(histLanes * ng)
	l0, l1, l2, l3 := buf[:ng], buf[ng:2*ng], buf[2*ng:3*ng], buf[3*ng:4*ng]
	vals = vals[:len(gids)]
	// wide collects the high words that are not the sign extension of the
	// low word; m the magnitudes of the low words.
	var wide, m uint64
	i := 0
	for ; i+histLanes <= len(gids); i += histLanes {
		g := gids[i : i+histLanes : i+histLanes]
		v := vals[i : i+histLanes : i+histLanes]
		v0, v1, v2, v3 := int64(v[0].LowBits()), int64(v[1].LowBits()), int64(v[2].LowBits()), int64(v[3].LowBits())
		l0[g[0]] += v0
		l1[g[1]] += v1
		l2[g[2]] += v2
		l3[g[3]] += v3
		s0, s1, s2, s3 := v0>>63, v1>>63, v2>>63, v3>>63
		wide |= uint64((v[0].HighBits() ^ s0) | (v[1].HighBits() ^ s1) | (v[2].HighBits() ^ s2) | (v[3].HighBits() ^ s3))
		m |= uint64((v0 ^ s0) | (v1 ^ s1) | (v2 ^ s2) | (v3 ^ s3))
	}
	for ; i < len(gids); i++ {
		v := int64(vals[i].LowBits())
		l0[gids[i]] += v
		wide |= uint64(vals[i].HighBits() ^ v>>63)
		m |= uint64(v ^ v>>63)
	}
	if wide != 0 || bits.Len64(m)+bits.Len(uint(len(gids))) > 62 {
		return false
	}
	a.rows.keepLanes(col)
	a.foldLanes(buf, hist)
	return true
}

// add128 adds (vl, vh) to the 128-bit value (lo[g], hi[g]) and reports
// whether the sum overflowed.
func add128(lo []uint64, hi []int64, g uint32, vl uint64, vh int64) bool {
	l, carry := bits.Add64(lo[g], vl, 0)
	h0 := hi[g]
	h := h0 + vh
	h2 := h + int64(carry)
	lo[g], hi[g] = l, h2
	return (h0^h)&(vh^h)|(h^h2)&^h < 0
}

// sum128Lanes is sum64Lanes for decimal128 values.
func (a *sumDecAcc) sum128Lanes(col arrow.ArrayData, gids []uint32, vals []decimal128.Num, hist []int64) error {
	if a.sum128Narrow(col, gids, vals, hist) {
		return nil
	}
	ng := len(hist)
	buf := a.rows.scratch(2 * histLanes * ng)
	var lo [histLanes][]uint64
	var hi [histLanes][]int64
	for k := range histLanes {
		lo[k] = buf[2*k*ng : (2*k+1)*ng]
		hi[k] = int64s(buf[(2*k+1)*ng : (2*k+2)*ng])
	}
	lo0, lo1, lo2, lo3 := lo[0], lo[1], lo[2], lo[3]
	hi0, hi1, hi2, hi3 := hi[0], hi[1], hi[2], hi[3]
	vals = vals[:len(gids)]
	var m uint64
	i := 0
	for ; i+histLanes <= len(gids); i += histLanes {
		g := gids[i : i+histLanes : i+histLanes]
		v := vals[i : i+histLanes : i+histLanes]
		g0, g1, g2, g3 := g[0], g[1], g[2], g[3]
		h0, h1, h2, h3 := v[0].HighBits(), v[1].HighBits(), v[2].HighBits(), v[3].HighBits()
		var c0, c1, c2, c3 uint64
		lo0[g0], c0 = bits.Add64(lo0[g0], v[0].LowBits(), 0)
		hi0[g0] += h0 + int64(c0)
		lo1[g1], c1 = bits.Add64(lo1[g1], v[1].LowBits(), 0)
		hi1[g1] += h1 + int64(c1)
		lo2[g2], c2 = bits.Add64(lo2[g2], v[2].LowBits(), 0)
		hi2[g2] += h2 + int64(c2)
		lo3[g3], c3 = bits.Add64(lo3[g3], v[3].LowBits(), 0)
		hi3[g3] += h3 + int64(c3)
		m |= uint64((h0 ^ h0>>63) | (h1 ^ h1>>63) | (h2 ^ h2>>63) | (h3 ^ h3>>63))
	}
	for ; i < len(gids); i++ {
		g, h := gids[i], vals[i].HighBits()
		var c uint64
		lo0[g], c = bits.Add64(lo0[g], vals[i].LowBits(), 0)
		hi0[g] += h + int64(c)
		m |= uint64(h ^ h>>63)
	}
	over := false
	if bits.Len64(m)+bits.Len(uint(len(gids))) > 62 {
		clear(buf)
		for i, g := range gids {
			k := i & (histLanes - 1)
			if add128(lo[k], hi[k], g, vals[i].LowBits(), vals[i].HighBits()) {
				over = true
			}
		}
	}
	for g := range ng {
		for k := range histLanes {
			if add128(a.lo, a.hi, uint32(g), lo[k][g], hi[k][g]) {
				over = true
			}
		}
	}
	if over {
		return fmt.Errorf("sum: %w (%s)", ErrOverflow, a.dt)
	}
	a.markSeen(hist)
	return nil
}

// decimalArray builds a decimal array of type dt (decimal64 or decimal128) for
// the given values; values must fit dt's precision.
func decimalArray(mem memory.Allocator, dt arrow.DataType, vals []decimal128.Num, valid []bool) arrow.Array {
	if _, ok := dt.(*arrow.Decimal64Type); ok {
		v64 := make([]int64, len(vals))
		for i, v := range vals {
			v64[i] = int64(v.LowBits())
		}
		return newFixedArray(mem, dt, v64, len(vals), valid)
	}
	return newFixedArray(mem, dt, vals, len(vals), valid)
}

func (a *sumDecAcc) nums(lo, hi int) ([]decimal128.Num, error) {
	out := make([]decimal128.Num, hi-lo)
	for g := lo; g < hi; g++ {
		if !a.seen[g] {
			continue
		}
		sm := a.small[g]
		l, carry := bits.Add64(a.lo[g], uint64(sm), 0)
		h := a.hi[g] + (sm >> 63) + int64(carry)
		v := decimal128.New(h, l)
		if !v.FitsInPrecision(a.prec) {
			return nil, fmt.Errorf("sum: %w: value does not fit %s", ErrOverflow, a.dt)
		}
		out[g-lo] = v
	}
	return out, nil
}

func (a *sumDecAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	if err != nil {
		return nil, err
	}
	return []arrow.Array{r}, nil
}

func (a *sumDecAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	vals, err := a.nums(lo, hi)
	if err != nil {
		return nil, err
	}
	return decimalArray(mem, a.dt, vals, validFromSeen(a.seen[lo:hi])), nil
}

// --- avg ---

type avgAcc struct {
	merge bool
	fsum  *sumFloatAcc // float average
	dsum  *sumDecAcc   // decimal average
	cnt   countAcc
	res   arrow.DataType
}

func (a *avgAcc) sum() accumulator {
	if a.fsum != nil {
		return a.fsum
	}
	return a.dsum
}

func (a *avgAcc) grow(n int) { a.sum().grow(n); a.cnt.grow(n) }

func (a *avgAcc) update(gids []uint32, cols []arrow.Array) error {
	if err := a.sum().update(gids, cols[:1]); err != nil {
		return fmt.Errorf("avg: %w", err)
	}
	if a.merge {
		return a.cnt.update(gids, cols[1:2])
	}
	return a.cnt.update(gids, cols[:1])
}

func (a *avgAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	s, err := a.sum().state(mem, lo, hi)
	if err != nil {
		return nil, err
	}
	c, _ := a.cnt.result(mem, lo, hi)
	return append(s, c), nil
}

var bigTen = big.NewInt(10)

func (a *avgAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	cnt := a.cnt.cnt[lo:hi]
	valid := make([]bool, hi-lo)
	for i, c := range cnt {
		valid[i] = c > 0
	}
	valid = validFromSeen(valid)
	if a.fsum != nil {
		out := make([]float64, hi-lo)
		for i, c := range cnt {
			if c > 0 {
				out[i] = a.fsum.sum[lo+i] / float64(c)
			}
		}
		return newFixedArray(mem, arrow.PrimitiveTypes.Float64, out, hi-lo, valid), nil
	}
	sums, err := a.dsum.nums(lo, hi)
	if err != nil {
		return nil, fmt.Errorf("avg: %w", err)
	}
	rp, rs := decimalParams(a.res)
	_, ss := decimalParams(a.dsum.dt)
	shift := int(rs - ss)
	mul := decimal128.GetScaleMultiplier(shift)
	out := make([]decimal128.Num, hi-lo)
	for i, c := range cnt {
		if c == 0 {
			continue
		}
		q, err := divHalfUp(sums[i], shift, mul, c)
		if err != nil {
			return nil, err
		}
		if !q.FitsInPrecision(rp) {
			return nil, fmt.Errorf("avg: %w: value does not fit %s", ErrOverflow, a.res)
		}
		out[i] = q
	}
	return decimalArray(mem, a.res, out, valid), nil
}

// divHalfUp returns sum*10^shift / cnt rounded half away from zero.
func divHalfUp(sum decimal128.Num, shift int, mul decimal128.Num, cnt int64) (decimal128.Num, error) {
	if sum.HighBits() == int64(sum.LowBits())>>63 { // fits int64
		v := int64(sum.LowBits())
		m := int64(mul.LowBits())
		if abs := max(v, -v); v != math.MinInt64 && abs <= math.MaxInt64/m {
			n := v * m
			q, r := n/cnt, n%cnt
			if r < 0 {
				r = -r
			}
			if 2*r >= cnt {
				if n < 0 {
					q--
				} else {
					q++
				}
			}
			return decimal128.FromI64(q), nil
		}
	}
	n := sum.BigInt()
	n.Mul(n, new(big.Int).Exp(bigTen, big.NewInt(int64(shift)), nil))
	c := big.NewInt(cnt)
	q, r := new(big.Int).QuoRem(n, c, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(c) >= 0 {
		if n.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if q.BitLen() > 126 {
		return decimal128.Num{}, fmt.Errorf("avg: %w", ErrOverflow)
	}
	return decimal128.FromBigInt(q), nil
}

// --- min / max ---

// better reports whether v should replace cur; NaN is greater than every number.
func better[T cmp.Ordered](v, cur T, isMax bool) bool {
	if isMax {
		return v > cur || (v != v && cur == cur)
	}
	return v < cur || (cur != cur && v == v)
}

type minMaxNum[T cmp.Ordered] struct {
	isMax bool
	dt    arrow.DataType
	vals  []T
	seen  []bool
	// For integer types: ident is the value every other value beats, which
	// enables lanes (see sum64Lanes) over few groups.
	ident T
	lanes bool
	lane  []T
	rows  *batchRows
}

// newMinMaxInt returns min or max over an integer type whose range is [lo, hi].
func newMinMaxInt[T int8 | int16 | int32 | int64](isMax bool, dt arrow.DataType, lo, hi T) *minMaxNum[T] {
	ident := hi
	if isMax {
		ident = lo
	}
	return &minMaxNum[T]{isMax: isMax, dt: dt, ident: ident, lanes: true}
}

// updateLanes is update over integers without nulls and with few groups.
func (a *minMaxNum[T]) updateLanes(gids []uint32, in []T, hist []int64) {
	ng := len(hist)
	if cap(a.lane) < histLanes*ng {
		a.lane = make([]T, histLanes*ng)
	}
	buf := a.lane[:histLanes*ng]
	for i := range buf {
		buf[i] = a.ident
	}
	l0, l1, l2, l3 := buf[:ng], buf[ng:2*ng], buf[2*ng:3*ng], buf[3*ng:4*ng]
	in = in[:len(gids)]
	i := 0
	if a.isMax {
		for ; i+histLanes <= len(gids); i += histLanes {
			g := gids[i : i+histLanes : i+histLanes]
			v := in[i : i+histLanes : i+histLanes]
			l0[g[0]] = max(l0[g[0]], v[0])
			l1[g[1]] = max(l1[g[1]], v[1])
			l2[g[2]] = max(l2[g[2]], v[2])
			l3[g[3]] = max(l3[g[3]], v[3])
		}
		for ; i < len(gids); i++ {
			l0[gids[i]] = max(l0[gids[i]], in[i])
		}
	} else {
		for ; i+histLanes <= len(gids); i += histLanes {
			g := gids[i : i+histLanes : i+histLanes]
			v := in[i : i+histLanes : i+histLanes]
			l0[g[0]] = min(l0[g[0]], v[0])
			l1[g[1]] = min(l1[g[1]], v[1])
			l2[g[2]] = min(l2[g[2]], v[2])
			l3[g[3]] = min(l3[g[3]], v[3])
		}
		for ; i < len(gids); i++ {
			l0[gids[i]] = min(l0[gids[i]], in[i])
		}
	}
	vals, seen := a.vals, a.seen
	for g, n := range hist {
		if n == 0 {
			continue
		}
		var v T
		if a.isMax {
			v = max(l0[g], l1[g], l2[g], l3[g])
		} else {
			v = min(l0[g], l1[g], l2[g], l3[g])
		}
		if !seen[g] || better(v, vals[g], a.isMax) {
			vals[g] = v
			seen[g] = true
		}
	}
}

func (a *minMaxNum[T]) grow(n int) { a.vals, a.seen = growTo(a.vals, n), growTo(a.seen, n) }

func (a *minMaxNum[T]) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	if !arrow.TypeEqual(c.DataType(), a.dt) {
		return fmt.Errorf("min/max: input type %s, expected %s", c.DataType(), a.dt)
	}
	in := kernels.FixedValues[T](c)[:len(gids)]
	vals, seen := a.vals, a.seen
	noNulls := c.NullN() == 0
	if a.lanes && noNulls {
		if hist := a.rows.counts(gids); hist != nil {
			a.updateLanes(gids, in, hist)
			return nil
		}
	}
	for i, g := range gids {
		if noNulls || c.IsValid(i) {
			v := in[i]
			if !seen[g] || better(v, vals[g], a.isMax) {
				vals[g] = v
				seen[g] = true
			}
		}
	}
	return nil
}

func (a *minMaxNum[T]) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	return []arrow.Array{r}, err
}

func (a *minMaxNum[T]) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return newFixedArray(mem, a.dt, a.vals[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
}

type minMaxDec128 struct {
	isMax bool
	dt    arrow.DataType
	vals  []decimal128.Num
	seen  []bool
}

func (a *minMaxDec128) grow(n int) { a.vals, a.seen = growTo(a.vals, n), growTo(a.seen, n) }

func (a *minMaxDec128) update(gids []uint32, cols []arrow.Array) error {
	c, ok := cols[0].(*array.Decimal128)
	if !ok {
		return fmt.Errorf("min/max: input type %s, expected %s", cols[0].DataType(), a.dt)
	}
	in := c.Values()
	for i, g := range gids {
		if c.IsValid(i) {
			v := in[i]
			if !a.seen[g] || (a.isMax && v.Greater(a.vals[g])) || (!a.isMax && v.Less(a.vals[g])) {
				a.vals[g] = v
				a.seen[g] = true
			}
		}
	}
	return nil
}

func (a *minMaxDec128) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	return []arrow.Array{r}, err
}

func (a *minMaxDec128) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return newFixedArray(mem, a.dt, a.vals[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
}

type minMaxBool struct {
	isMax bool
	vals  []bool
	seen  []bool
}

func (a *minMaxBool) grow(n int) { a.vals, a.seen = growTo(a.vals, n), growTo(a.seen, n) }

func (a *minMaxBool) update(gids []uint32, cols []arrow.Array) error {
	c, ok := cols[0].(*array.Boolean)
	if !ok {
		return fmt.Errorf("min/max: input type %s, expected boolean", cols[0].DataType())
	}
	for i, g := range gids {
		if c.IsValid(i) {
			v := c.Value(i)
			switch {
			case !a.seen[g]:
				a.vals[g], a.seen[g] = v, true
			case a.isMax:
				a.vals[g] = a.vals[g] || v
			default:
				a.vals[g] = a.vals[g] && v
			}
		}
	}
	return nil
}

func (a *minMaxBool) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	return []arrow.Array{r}, err
}

func (a *minMaxBool) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(a.vals[lo:hi], a.seen[lo:hi])
	return b.NewArray(), nil
}

type minMaxString struct {
	isMax bool
	vals  [][]byte
	seen  []bool
}

func (a *minMaxString) grow(n int) { a.vals, a.seen = growTo(a.vals, n), growTo(a.seen, n) }

func (a *minMaxString) update(gids []uint32, cols []arrow.Array) error {
	switch c := cols[0].(type) {
	case *array.String:
		offs, data := c.ValueOffsets(), c.ValueBytes()
		base := offs[0]
		for i, g := range gids {
			if c.IsValid(i) {
				a.offer(g, data[offs[i]-base:offs[i+1]-base])
			}
		}
	case *array.Dictionary:
		dict, ok := c.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("min/max: unsupported input type %s", c.DataType())
		}
		offs, data := dict.ValueOffsets(), dict.ValueBytes()
		base := offs[0]
		for i, g := range gids {
			if c.IsValid(i) {
				j := c.GetValueIndex(i)
				a.offer(g, data[offs[j]-base:offs[j+1]-base])
			}
		}
	default:
		return fmt.Errorf("min/max: input type %s, expected string", c.DataType())
	}
	return nil
}

func (a *minMaxString) offer(g uint32, v []byte) {
	if a.seen[g] {
		c := bytes.Compare(v, a.vals[g])
		if (a.isMax && c <= 0) || (!a.isMax && c >= 0) {
			return
		}
	}
	a.vals[g] = append(a.vals[g][:0], v...)
	a.seen[g] = true
}

func (a *minMaxString) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	return []arrow.Array{r}, err
}

func (a *minMaxString) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(hi - lo)
	for g := lo; g < hi; g++ {
		if a.seen[g] {
			b.BinaryBuilder.Append(a.vals[g])
		} else {
			b.AppendNull()
		}
	}
	return b.NewArray(), nil
}
