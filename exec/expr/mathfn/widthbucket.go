package mathfn

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

type widthBucket struct{ v, lo, hi, n expr.Expr }

// WidthBucket is width_bucket(value, min, max, n) (three DOUBLEs and a
// BIGINT): the number, from 1 to n, of the equal-width bucket of [min, max)
// holding value, 0 below the range and n+1 above it (min > max reverses the
// range). It is null when n ≤ 0 or n is the maximum BIGINT, when value is
// NaN, when min = max, or when min or max is NaN or infinite, as Spark.
func WidthBucket(v, lo, hi, n expr.Expr) (expr.Expr, error) {
	for _, d := range []expr.Expr{v, lo, hi} {
		if d.DataType().ID() != arrow.FLOAT64 {
			return nil, fmt.Errorf("width_bucket needs DOUBLE value, min and max, %s is %s", d, d.DataType())
		}
	}
	if n.DataType().ID() != arrow.INT64 {
		return nil, fmt.Errorf("width_bucket needs a BIGINT bucket count, %s is %s", n, n.DataType())
	}
	return &widthBucket{v: v, lo: lo, hi: hi, n: n}, nil
}

func (e *widthBucket) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int64 }
func (e *widthBucket) String() string {
	return expr.CallString("width_bucket", e.v, e.lo, e.hi, e.n)
}

func (e *widthBucket) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	args, err := expr.EvalArgs(mem, batch, e.v, e.lo, e.hi, e.n)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(args)
	v := andValidity(mem, args[0].Len(), args...)
	xs, los, his := kernels.FixedValues[float64](args[0]), kernels.FixedValues[float64](args[1]), kernels.FixedValues[float64](args[2])
	ns := kernels.FixedValues[int64](args[3])
	buf, out := newFixed[int64](mem, v.n)
	for i := range out {
		b, ok := bucketOf(xs[i], los[i], his[i], ns[i])
		out[i] = b
		if !ok && v.valid(i) {
			v.setNull(i)
		}
	}
	return v.finish(arrow.PrimitiveTypes.Int64, buf), nil
}

func bucketOf(x, min, max float64, n int64) (int64, bool) {
	bad := func(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }
	if n <= 0 || n == math.MaxInt64 || math.IsNaN(x) || min == max || bad(min) || bad(max) {
		return 0, false
	}
	lower, upper := math.Min(min, max), math.Max(min, max)
	if min < max {
		switch {
		case x < lower:
			return 0, true
		case x >= upper:
			return n + 1, true
		}
		return int64(float64(n)*(x-lower)/(upper-lower)) + 1, true
	}
	switch {
	case x > upper:
		return 0, true
	case x <= lower:
		return n + 1, true
	}
	return int64(float64(n)*(upper-x)/(upper-lower)) + 1, true
}
