package aggregate

import (
	"fmt"
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
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
