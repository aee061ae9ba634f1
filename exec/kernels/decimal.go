package kernels

import (
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// DecimalParams returns the precision and scale of a decimal64 or decimal128
// type, and 0, 0 for any other type.
func DecimalParams(dt arrow.DataType) (p, s int32) {
	switch t := dt.(type) {
	case *arrow.Decimal64Type:
		return t.Precision, t.Scale
	case *arrow.Decimal128Type:
		return t.Precision, t.Scale
	}
	return 0, 0
}

// DecimalArray builds a decimal array of type dt (decimal64 or decimal128)
// from vals and validity valid (nil: all valid), allocating from mem; the
// values must fit dt's precision.
func DecimalArray(mem memory.Allocator, dt arrow.DataType, vals []decimal128.Num, valid []bool) arrow.Array {
	if _, ok := dt.(*arrow.Decimal64Type); ok {
		v64 := make([]int64, len(vals))
		for i, v := range vals {
			v64[i] = int64(v.LowBits())
		}
		return NewFixedArray(mem, dt, v64, len(vals), valid)
	}
	return NewFixedArray(mem, dt, vals, len(vals), valid)
}

var bigTen = big.NewInt(10)

// DivHalfUp returns sum·10^shift / cnt rounded half away from zero (Spark's
// HALF_UP): the average of cnt decimals whose sum is sum, with shift more
// digits of scale. cnt must be positive and shift in [0, 38]; ok is false
// when the quotient does not fit 128 bits.
func DivHalfUp(sum decimal128.Num, shift int, cnt int64) (q decimal128.Num, ok bool) {
	mul := decimal128.GetScaleMultiplier(shift)
	if sum.HighBits() == int64(sum.LowBits())>>63 && mul.HighBits() == 0 && mul.LowBits() <= math.MaxInt64 { // both fit int64
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
			return decimal128.FromI64(q), true
		}
	}
	n := sum.BigInt()
	n.Mul(n, new(big.Int).Exp(bigTen, big.NewInt(int64(shift)), nil))
	c := big.NewInt(cnt)
	bq, r := new(big.Int).QuoRem(n, c, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(c) >= 0 {
		if n.Sign() < 0 {
			bq.Sub(bq, big.NewInt(1))
		} else {
			bq.Add(bq, big.NewInt(1))
		}
	}
	if bq.BitLen() > 127 {
		return decimal128.Num{}, false
	}
	return decimal128.FromBigInt(bq), true
}
