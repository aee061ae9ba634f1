package aggregate

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

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

func (a *avgAcc) reserve(n int) {
	if r, ok := a.sum().(reserver); ok {
		r.reserve(n)
	}
	a.cnt.reserve(n)
}

func (a *avgAcc) setRows(r *batchRows) {
	a.cnt.rows = r
	if a.dsum != nil {
		a.dsum.rows = r
	}
}

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
		return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Float64, out, hi-lo, valid), nil
	}
	sums, err := a.dsum.nums(lo, hi)
	if err != nil {
		return nil, fmt.Errorf("avg: %w", err)
	}
	rp, rs := kernels.DecimalParams(a.res)
	_, ss := kernels.DecimalParams(a.dsum.dt)
	shift := int(rs - ss)
	out := make([]decimal128.Num, hi-lo)
	for i, c := range cnt {
		if c == 0 {
			continue
		}
		q, ok := kernels.DivHalfUp(sums[i], shift, c)
		if !ok {
			return nil, fmt.Errorf("avg: %w", ErrOverflow)
		}
		if !q.FitsInPrecision(rp) {
			return nil, fmt.Errorf("avg: %w: value does not fit %s", ErrOverflow, a.res)
		}
		out[i] = q
	}
	return kernels.DecimalArray(mem, a.res, out, valid), nil
}
