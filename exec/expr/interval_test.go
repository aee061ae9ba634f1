package expr_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// naiveScale is IntervalScale for one row by exact rational arithmetic:
// a*b or a/b rounded half away from zero; ok is false on a zero divisor or a
// result outside [lo, hi].
func naiveScale(a int64, b any, div bool, lo, hi int64) (int64, bool) {
	x := new(big.Rat).SetInt64(a)
	var y *big.Rat
	switch v := b.(type) {
	case int64:
		y = new(big.Rat).SetInt64(v)
	case float64:
		if div {
			// The kernel divides in floating point, as Spark's double path does.
			r := math.Round(float64(a) / v)
			if math.IsNaN(r) || math.IsInf(r, 0) || r >= math.MaxInt64 || r < math.MinInt64 || int64(r) < lo || int64(r) > hi {
				return 0, false
			}
			return int64(r), true
		}
		r := math.Round(float64(a) * v)
		if math.IsNaN(r) || r >= math.MaxInt64 || r < math.MinInt64 || int64(r) < lo || int64(r) > hi {
			return 0, false
		}
		return int64(r), true
	}
	if div {
		if y.Sign() == 0 {
			return 0, false
		}
		x.Quo(x, y)
	} else {
		x.Mul(x, y)
	}
	q := roundHalfUp(x, 0)
	if !q.IsInt64() || q.Int64() < lo || q.Int64() > hi {
		return 0, false
	}
	return q.Int64(), true
}

func TestIntervalScaleMatchesNaive(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	r := rand.New(rand.NewPCG(7, 13))
	i64, f64 := arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64
	for _, n := range sizes {
		for _, numT := range []arrow.DataType{i64, f64} {
			for _, div := range []bool{false, true} {
				for _, bounds := range [][2]int64{{math.MinInt64, math.MaxInt64}, {math.MinInt32, math.MaxInt32}} {
					as := make([]any, n)
					bs := make([]any, n)
					for i := range as {
						if r.IntN(8) > 0 {
							as[i] = r.Int64N(1<<40) - 1<<39
							if r.IntN(10) == 0 {
								as[i] = int64(math.MaxInt64 - r.IntN(3))
							}
						}
						if r.IntN(8) > 0 {
							if numT == i64 {
								bs[i] = r.Int64N(7) - 3
							} else {
								bs[i] = float64(r.IntN(9)-4) / 2
							}
						}
					}
					ca, cb := build(mem, i64, as), build(mem, numT, bs)
					e := must(expr.IntervalScale(col(0, i64), col(1, numT), div, bounds[0], bounds[1]))
					got, err := evalCols(mem, e, n, ca, cb)
					want := make([]any, n)
					wantErr := false
					for i := range as {
						if as[i] == nil || bs[i] == nil {
							continue
						}
						v, ok := naiveScale(as[i].(int64), bs[i], div, bounds[0], bounds[1])
						if !ok {
							wantErr = true
						}
						want[i] = v
					}
					switch {
					case wantErr && err == nil:
						got.Release()
						t.Fatalf("n=%d %s div=%v: no error, want one", n, numT, div)
					case !wantErr && err != nil:
						t.Fatalf("n=%d %s div=%v: %v", n, numT, div, err)
					case err == nil:
						checkRows(t, "interval scale", got, want)
						got.Release()
					}
					ca.Release()
					cb.Release()
				}
			}
		}
	}
}

// TestIntervalScaleRounding checks Spark's HALF_UP rounding and errors on
// hand-computed cases.
func TestIntervalScaleRounding(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	i64 := arrow.PrimitiveTypes.Int64
	cases := []struct {
		a, b int64
		div  bool
		want int64
	}{
		{1_000_000, 3, true, 333_333},
		{2_000_000, 3, true, 666_667},
		{-1, 2, true, -1},
		{1, 2, true, 1},
		{5, -2, true, -3},
		{-7, 3, false, -21},
	}
	for _, c := range cases {
		e := must(expr.IntervalScale(col(0, i64), col(1, i64), c.div, math.MinInt64, math.MaxInt64))
		ca, cb := build(mem, i64, []any{c.a}), build(mem, i64, []any{c.b})
		got := must(evalCols(mem, e, 1, ca, cb))
		checkRows(t, e.String(), got, []any{c.want})
		got.Release()
		ca.Release()
		cb.Release()
	}
	e := must(expr.IntervalScale(col(0, i64), col(1, i64), true, math.MinInt64, math.MaxInt64))
	ca, cb := build(mem, i64, []any{int64(1)}), build(mem, i64, []any{int64(0)})
	defer ca.Release()
	defer cb.Release()
	if _, err := evalCols(mem, e, 1, ca, cb); !isErr(err, expr.ErrDivideByZero) {
		t.Fatalf("division by zero: got %v", err)
	}
}

// TestReinterpretInterval reads a day-time interval as its microseconds and
// a month count as a year-month interval, without copying.
func TestReinterpretInterval(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	i32 := arrow.PrimitiveTypes.Int32
	c := build(mem, i32, []any{int64(14), nil, int64(-11)})
	defer c.Release()
	got := must(evalCols(mem, must(expr.Reinterpret(col(0, i32), values.YearMonthIntervalType)), 3, c))
	defer got.Release()
	checkRows(t, "reinterpret", got, []any{values.YearMonthInterval(14), nil, values.YearMonthInterval(-11)})
	if _, err := expr.Reinterpret(col(0, i32), arrow.PrimitiveTypes.Int64); err == nil {
		t.Fatal("reinterpreting int as bigint: no error")
	}
}
