package aggregate

import (
	"bytes"
	"cmp"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

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

func (a *minMaxNum[T]) setRows(r *batchRows) { a.rows = r }

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

func (a *minMaxNum[T]) reserve(n int) { a.vals, a.seen = reserveTo(a.vals, n), reserveTo(a.seen, n) }

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
	return kernels.NewFixedArray(mem, a.dt, a.vals[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
}

type minMaxDec128 struct {
	isMax bool
	dt    arrow.DataType
	vals  []decimal128.Num
	seen  []bool
}

func (a *minMaxDec128) grow(n int) { a.vals, a.seen = growTo(a.vals, n), growTo(a.seen, n) }

func (a *minMaxDec128) reserve(n int) { a.vals, a.seen = reserveTo(a.vals, n), reserveTo(a.seen, n) }

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
	return kernels.NewFixedArray(mem, a.dt, a.vals[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
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
	isMax  bool
	binary bool // BINARY values: the same byte-wise order, a binary result
	vals   [][]byte
	seen   []bool
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
	case *array.Binary:
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
	b := newBytesBuilder(mem, a.binary)
	defer b.Release()
	b.Reserve(hi - lo)
	for g := lo; g < hi; g++ {
		if a.seen[g] {
			b.Append(a.vals[g])
		} else {
			b.AppendNull()
		}
	}
	return finishBytes(b, a.binary), nil
}
