package aggregate

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
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
	return append(s, make([]T, n-len(s))...)
}

// --- count ---

type countAcc struct {
	star, merge bool
	cnt         []int64
}

func (a *countAcc) grow(n int) { a.cnt = growTo(a.cnt, n) }

func (a *countAcc) update(gids []uint32, cols []arrow.Array) error {
	cnt := a.cnt
	switch {
	case a.merge:
		c := cols[0]
		vals := fixedValues[int64](c)
		for i, g := range gids {
			if c.IsValid(i) {
				cnt[g] += vals[i]
			}
		}
	case a.star || cols[0].NullN() == 0:
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
		return sumInts(a.sum, a.seen, gids, fixedValues[int8](c), c)
	case *array.Int16:
		return sumInts(a.sum, a.seen, gids, fixedValues[int16](c), c)
	case *array.Int32:
		return sumInts(a.sum, a.seen, gids, fixedValues[int32](c), c)
	case *array.Int64:
		return sumInts(a.sum, a.seen, gids, fixedValues[int64](c), c)
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
		sumFloats(a.sum, a.seen, gids, fixedValues[int8](c), c)
	case *array.Int16:
		sumFloats(a.sum, a.seen, gids, fixedValues[int16](c), c)
	case *array.Int32:
		sumFloats(a.sum, a.seen, gids, fixedValues[int32](c), c)
	case *array.Int64:
		sumFloats(a.sum, a.seen, gids, fixedValues[int64](c), c)
	case *array.Float32:
		sumFloats(a.sum, a.seen, gids, fixedValues[float32](c), c)
	case *array.Float64:
		sumFloats(a.sum, a.seen, gids, fixedValues[float64](c), c)
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

type sumDecAcc struct {
	dt   arrow.DataType // decimal(min(38,p+10), s)
	prec int32
	lo   []uint64
	hi   []int64
	seen []bool
}

func (a *sumDecAcc) grow(n int) {
	a.lo, a.hi, a.seen = growTo(a.lo, n), growTo(a.hi, n), growTo(a.seen, n)
}

func (a *sumDecAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	los, his, seen := a.lo, a.hi, a.seen
	noNulls := c.NullN() == 0
	switch c.(type) {
	case *array.Decimal64:
		vals := fixedValues[int64](c)[:len(gids)]
		for i, g := range gids {
			if noNulls || c.IsValid(i) {
				v := vals[i]
				l, carry := bits.Add64(los[g], uint64(v), 0)
				los[g] = l
				his[g] += (v >> 63) + int64(carry)
				seen[g] = true
			}
		}
	case *array.Decimal128:
		vals := fixedValues[decimal128.Num](c)[:len(gids)]
		for i, g := range gids {
			if noNulls || c.IsValid(i) {
				v := vals[i]
				l, carry := bits.Add64(los[g], v.LowBits(), 0)
				h0 := his[g]
				vh := v.HighBits()
				h := h0 + vh
				over := (h0^h)&(vh^h) < 0
				h2 := h + int64(carry)
				if over || (carry == 1 && h == math.MaxInt64) {
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
		v := decimal128.New(a.hi[g], a.lo[g])
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
}

func (a *minMaxNum[T]) grow(n int) { a.vals, a.seen = growTo(a.vals, n), growTo(a.seen, n) }

func (a *minMaxNum[T]) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	if !arrow.TypeEqual(c.DataType(), a.dt) {
		return fmt.Errorf("min/max: input type %s, expected %s", c.DataType(), a.dt)
	}
	in := fixedValues[T](c)[:len(gids)]
	vals, seen := a.vals, a.seen
	noNulls := c.NullN() == 0
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
