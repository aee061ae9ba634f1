package aggregate

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

type countAcc struct {
	star, merge bool
	cnt         []int64
	rows        *batchRows // shared row counts of the current batch, or nil
}

func (a *countAcc) setRows(r *batchRows) { a.rows = r }

func (a *countAcc) grow(n int) { a.cnt = growTo(a.cnt, n) }

func (a *countAcc) reserve(n int) { a.cnt = reserveTo(a.cnt, n) }

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
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Int64, a.cnt[lo:hi], hi-lo, nil), nil
}

// countIfAcc counts the rows whose boolean input is true.
type countIfAcc struct{ countAcc }

func (a *countIfAcc) update(gids []uint32, cols []arrow.Array) error {
	c, ok := cols[0].(*array.Boolean)
	if !ok {
		return fmt.Errorf("count_if: input type %s, expected boolean", cols[0].DataType())
	}
	cnt := a.cnt
	for i, g := range gids {
		if c.IsValid(i) && c.Value(i) {
			cnt[g]++
		}
	}
	return nil
}
