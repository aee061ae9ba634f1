package window

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/kernels"
)

// decimalSumAvg evaluates sum or avg of a decimal input over the frames,
// with Spark's result types; a result beyond its precision is an overflow error.
func (g *group) decimalSumAvg(sp Spec, in arrow.Array, lo, hi []int32) (arrow.Array, error) {
	n := g.n
	rt, err := ResultType(sp.Func, in.DataType())
	if err != nil {
		return nil, err
	}
	rp, rs := kernels.DecimalParams(rt)
	_, s := kernels.DecimalParams(in.DataType())
	v := make([]decimal128.Num, n)
	switch a := in.(type) {
	case *array.Decimal64:
		for i, x := range a.Values() {
			v[i] = decimal128.FromI64(int64(x))
		}
	case *array.Decimal128:
		copy(v, a.Values())
	default:
		return nil, fmt.Errorf("unsupported input type %s", in.DataType())
	}
	if in.NullN() > 0 {
		for i := range v {
			if in.IsNull(i) {
				v[i] = decimal128.Num{}
			}
		}
	}
	cnt, _ := validPrefix(in)
	add := func(x, y decimal128.Num) (decimal128.Num, bool) {
		r := x.Add(y)
		if (x.Sign() > 0 && y.Sign() > 0 && r.Sign() <= 0) || (x.Sign() < 0 && y.Sign() < 0 && r.Sign() >= 0) || !r.FitsInPrecision(38) {
			return r, false
		}
		return r, true
	}
	sums := make([]decimal128.Num, n)
	ok := true
	if running(sp) {
		for pi := 0; pi+1 < len(g.parts) && ok; pi++ {
			ps, pe := g.parts[pi], g.parts[pi+1]
			var acc decimal128.Num
			r := ps
			for i := ps; i < pe && ok; i++ {
				for ; r < int(hi[i]) && ok; r++ {
					acc, ok = add(acc, v[r])
				}
				sums[i] = acc
			}
		}
	} else if suffix(sp) {
		for pi := 0; pi+1 < len(g.parts) && ok; pi++ {
			ps, pe := g.parts[pi], g.parts[pi+1]
			var acc decimal128.Num
			r := pe
			for i := pe - 1; i >= ps && ok; i-- {
				for r > int(lo[i]) && ok {
					r--
					acc, ok = add(acc, v[r])
				}
				sums[i] = acc
			}
		}
	} else {
		for i := 0; i < n && ok; i++ {
			var acc decimal128.Num
			for r := lo[i]; r < hi[i] && ok; r++ {
				acc, ok = add(acc, v[r])
			}
			sums[i] = acc
		}
	}
	if !ok {
		return nil, fmt.Errorf("decimal sum: %w", aggregate.ErrOverflow)
	}
	valid := make([]bool, n)
	for i := range valid {
		valid[i] = cnt[hi[i]] > cnt[lo[i]]
		if !valid[i] {
			sums[i] = decimal128.Num{}
			continue
		}
		if sp.Func == Avg {
			q, ok := kernels.DivHalfUp(sums[i], int(rs-s), int64(cnt[hi[i]]-cnt[lo[i]]))
			if !ok {
				return nil, fmt.Errorf("decimal avg: %w", aggregate.ErrOverflow)
			}
			sums[i] = q
		}
		if !sums[i].FitsInPrecision(rp) {
			return nil, fmt.Errorf("decimal %s: %w", sp.Func, aggregate.ErrOverflow)
		}
	}
	return kernels.DecimalArray(g.mem, rt, sums, valid), nil
}
