package aggregate

import (
	"fmt"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// --- sum of integers ---

type sumIntAcc struct {
	sum  []int64
	seen []bool
}

func (a *sumIntAcc) grow(n int) { a.sum, a.seen = growTo(a.sum, n), growTo(a.seen, n) }

func (a *sumIntAcc) reserve(n int) { a.sum, a.seen = reserveTo(a.sum, n), reserveTo(a.seen, n) }

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
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Int64, a.sum[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
}

// --- sum of floats (also the sum state of avg over ints and floats) ---

type sumFloatAcc struct {
	sum  []float64
	seen []bool
}

func (a *sumFloatAcc) grow(n int) { a.sum, a.seen = growTo(a.sum, n), growTo(a.seen, n) }

func (a *sumFloatAcc) reserve(n int) { a.sum, a.seen = reserveTo(a.sum, n), reserveTo(a.seen, n) }

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
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Float64, a.sum[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
}

// --- sum of decimals: 128-bit accumulators ---

// sumDecAcc sums decimals per group into 128 bits. Decimal64 inputs are
// added to an int64 per group that spills into the 128-bit part only when
// it would overflow; the value of a group is the sum of both parts. The
// 128-bit parts exist only once needed (wide): a decimal128 input or an
// int64 that overflowed; until then every group's value is its int64.
type sumDecAcc struct {
	dt    arrow.DataType // decimal(min(38,p+10), s)
	prec  int32
	wide  bool     // lo and hi are allocated, one per group
	lo    []uint64 // while wide
	hi    []int64  // while wide
	small []int64
	seen  []bool
	rows  *batchRows // shared row counts of the current batch, or nil
}

func (a *sumDecAcc) setRows(r *batchRows) { a.rows = r }

func (a *sumDecAcc) grow(n int) {
	a.small, a.seen = growTo(a.small, n), growTo(a.seen, n)
	if a.wide {
		a.lo, a.hi = growTo(a.lo, n), growTo(a.hi, n)
	}
}

// reserve makes room for n groups in the int64 parts; 128-bit parts are
// made when a sum needs them.
func (a *sumDecAcc) reserve(n int) { a.small, a.seen = reserveTo(a.small, n), reserveTo(a.seen, n) }

// widen gives every group its 128-bit part (zero).
func (a *sumDecAcc) widen() {
	a.wide = true
	a.lo, a.hi = growTo(a.lo, len(a.small)), growTo(a.hi, len(a.small))
}

// spill adds v to the 128-bit part of group g.
func (a *sumDecAcc) spill(g uint32, v int64) {
	if !a.wide {
		a.widen()
	}
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
		if !a.wide {
			a.widen()
		}
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

func (a *sumDecAcc) nums(lo, hi int) ([]decimal128.Num, error) {
	out := make([]decimal128.Num, hi-lo)
	for g := lo; g < hi; g++ {
		if !a.seen[g] {
			continue
		}
		sm := a.small[g]
		var wl uint64
		var wh int64
		if a.wide {
			wl, wh = a.lo[g], a.hi[g]
		}
		l, carry := bits.Add64(wl, uint64(sm), 0)
		h := wh + (sm >> 63) + int64(carry)
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
	return kernels.DecimalArray(mem, a.dt, vals, validFromSeen(a.seen[lo:hi])), nil
}
