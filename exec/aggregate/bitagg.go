package aggregate

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// bitAcc is bit_and, bit_or or bit_xor of an integer column per group: the
// fold of the non-null values, null for a group without one. The partial
// state is the same fold, so merging applies the same operation to states.
type bitAcc[T int8 | int16 | int32 | int64] struct {
	f    Func
	dt   arrow.DataType
	vals []T
	seen []bool
}

func newBitAcc(f Func, rt arrow.DataType) (accumulator, error) {
	switch rt.ID() {
	case arrow.INT8:
		return &bitAcc[int8]{f: f, dt: rt}, nil
	case arrow.INT16:
		return &bitAcc[int16]{f: f, dt: rt}, nil
	case arrow.INT32:
		return &bitAcc[int32]{f: f, dt: rt}, nil
	case arrow.INT64:
		return &bitAcc[int64]{f: f, dt: rt}, nil
	}
	return nil, fmt.Errorf("%s of %s is not supported", f, rt)
}

func (a *bitAcc[T]) grow(n int) { a.vals, a.seen = growTo(a.vals, n), growTo(a.seen, n) }

func (a *bitAcc[T]) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	if !arrow.TypeEqual(c.DataType(), a.dt) {
		return fmt.Errorf("%s: input type %s, expected %s", a.f, c.DataType(), a.dt)
	}
	in := kernels.FixedValues[T](c)
	noNulls := c.NullN() == 0
	for i, g := range gids {
		if !noNulls && c.IsNull(i) {
			continue
		}
		v := in[i]
		switch {
		case !a.seen[g]:
			a.vals[g], a.seen[g] = v, true
		case a.f == BitAnd:
			a.vals[g] &= v
		case a.f == BitOr:
			a.vals[g] |= v
		default:
			a.vals[g] ^= v
		}
	}
	return nil
}

func (a *bitAcc[T]) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	r, err := a.result(mem, lo, hi)
	return []arrow.Array{r}, err
}

func (a *bitAcc[T]) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return kernels.NewFixedArray(mem, a.dt, a.vals[lo:hi], hi-lo, validFromSeen(a.seen[lo:hi])), nil
}
