package mathfn

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// DoubleFn is a function of one DOUBLE returning a DOUBLE; ok false makes
// the row null.
type DoubleFn func(x float64) (v float64, ok bool)

type doubleUnary struct {
	name string
	arg  expr.Expr
	f    DoubleFn
}

// Sqrt is sqrt(x) of a DOUBLE (NaN for negative input, as Java's Math.sqrt).
func Sqrt(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("sqrt", x, func(v float64) (float64, bool) { return math.Sqrt(v), true })
}

// Exp is e raised to a DOUBLE.
func Exp(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("exp", x, func(v float64) (float64, bool) { return math.Exp(v), true })
}

// Ln is the natural logarithm of a DOUBLE; null for x ≤ 0, as Spark's log.
func Ln(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("ln", x, func(v float64) (float64, bool) { return math.Log(v), !(v <= 0) })
}

// Log10 is the base-10 logarithm of a DOUBLE; null for x ≤ 0.
func Log10(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("log10", x, func(v float64) (float64, bool) { return log10(v), !(v <= 0) })
}

// Log2 is the base-2 logarithm of a DOUBLE, computed as ln(x)/ln(2) like
// Spark; null for x ≤ 0.
func Log2(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("log2", x, func(v float64) (float64, bool) { return math.Log(v) / math.Ln2, !(v <= 0) })
}

// Signum is -1.0, 0.0 or 1.0 by the sign of a DOUBLE (NaN stays NaN).
func Signum(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("signum", x, func(v float64) (float64, bool) {
		switch {
		case v > 0:
			return 1, true
		case v < 0:
			return -1, true
		}
		return v, true // 0, -0 and NaN are their own sign
	})
}

// log10 is the base-10 logarithm, exact on powers of ten (math.Log10 is
// off by one ulp on some, where Java's StrictMath.log10 is exact).
func log10(v float64) float64 {
	r := math.Log10(v)
	if e := math.Round(r); e >= -300 && e <= 300 && math.Abs(r-e) < 1e-9 && math.Pow(10, e) == v {
		return e
	}
	return r
}

func newDoubleUnary(name string, x expr.Expr, f DoubleFn) (expr.Expr, error) {
	if x.DataType().ID() != arrow.FLOAT64 {
		return nil, fmt.Errorf("%s needs a DOUBLE argument, %s is %s", name, x, values.TypeName(x.DataType()))
	}
	return &doubleUnary{name: name, arg: x, f: f}, nil
}

func (u *doubleUnary) DataType() arrow.DataType { return arrow.PrimitiveTypes.Float64 }
func (u *doubleUnary) String() string           { return expr.CallString(u.name, u.arg) }

func (u *doubleUnary) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArg(mem, u.arg, batch)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	n := in.Len()
	v := andValidity(mem, n, in)
	buf, out := newFixed[float64](mem, n)
	xs := kernels.FixedValues[float64](in)
	for i, x := range xs {
		r, ok := u.f(x)
		out[i] = r
		if !ok && v.valid(i) {
			v.setNull(i)
		}
	}
	return v.finish(arrow.PrimitiveTypes.Float64, buf), nil
}

// DoubleFn2 is a function of two DOUBLEs; ok false makes the row null.
type DoubleFn2 func(x, y float64) (v float64, ok bool)

type doubleBinary struct {
	name string
	l, r expr.Expr
	f    DoubleFn2
}

// Pow is x raised to y, both DOUBLE, with Java's Math.pow special cases
// (pow(x, NaN) and pow(±1, ±Inf) are NaN).
func Pow(x, y expr.Expr) (expr.Expr, error) {
	return newDoubleBinary("pow", x, y, func(a, b float64) (float64, bool) { return javaPow(a, b), true })
}

// Log is the logarithm of x in base b, both DOUBLE; null when b ≤ 0 or
// x ≤ 0, as Spark's log(base, x).
func Log(base, x expr.Expr) (expr.Expr, error) {
	return newDoubleBinary("log", base, x, func(b, a float64) (float64, bool) {
		if b <= 0 || a <= 0 {
			return 0, false
		}
		return math.Log(a) / math.Log(b), true
	})
}

// NaNvl is x unless x is NaN, else y (both DOUBLE).
func NaNvl(x, y expr.Expr) (expr.Expr, error) {
	return &nanvl{x: x, y: y}, checkDoubles("nanvl", x, y)
}

func javaPow(a, b float64) float64 {
	if math.IsNaN(b) {
		return math.NaN()
	}
	if math.IsInf(b, 0) && (a == 1 || a == -1) {
		return math.NaN()
	}
	return math.Pow(a, b)
}

func checkDoubles(name string, es ...expr.Expr) error {
	for _, e := range es {
		if e.DataType().ID() != arrow.FLOAT64 {
			return fmt.Errorf("%s needs DOUBLE arguments, %s is %s", name, e, values.TypeName(e.DataType()))
		}
	}
	return nil
}

func newDoubleBinary(name string, l, r expr.Expr, f DoubleFn2) (expr.Expr, error) {
	if err := checkDoubles(name, l, r); err != nil {
		return nil, err
	}
	return &doubleBinary{name: name, l: l, r: r, f: f}, nil
}

func (b *doubleBinary) DataType() arrow.DataType { return arrow.PrimitiveTypes.Float64 }
func (b *doubleBinary) String() string           { return expr.CallString(b.name, b.l, b.r) }

func (b *doubleBinary) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArgs(mem, batch, b.l, b.r)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(in)
	n := int(batch.NumRows())
	v := andValidity(mem, n, in...)
	buf, out := newFixed[float64](mem, n)
	xs, ys := kernels.FixedValues[float64](in[0]), kernels.FixedValues[float64](in[1])
	if xs == nil || ys == nil { // an all-null (NULL-typed) argument
		clear(out)
		return v.finish(arrow.PrimitiveTypes.Float64, buf), nil
	}
	for i := range out {
		r, ok := b.f(xs[i], ys[i])
		out[i] = r
		if !ok && v.valid(i) {
			v.setNull(i)
		}
	}
	return v.finish(arrow.PrimitiveTypes.Float64, buf), nil
}

type nanvl struct{ x, y expr.Expr }

func (e *nanvl) DataType() arrow.DataType { return arrow.PrimitiveTypes.Float64 }
func (e *nanvl) String() string           { return expr.CallString("nanvl", e.x, e.y) }

// Eval evaluates y only on batches where some x is NaN; a row is null when x
// is null, or x is NaN and y is null.
func (e *nanvl) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	x, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	n := x.Len()
	v := andValidity(mem, n, x)
	buf, out := newFixed[float64](mem, n)
	xs := kernels.FixedValues[float64](x)
	copy(out, xs)
	anyNaN := false
	for i, f := range xs {
		if f != f && v.valid(i) {
			anyNaN = true
			break
		}
	}
	if anyNaN {
		y, err := expr.EvalArg(mem, e.y, batch)
		if err != nil {
			buf.Release()
			v.release()
			return nil, err
		}
		defer y.Release()
		ys := kernels.FixedValues[float64](y)
		for i, f := range xs {
			if f == f || !v.valid(i) {
				continue
			}
			if y.IsNull(i) {
				v.setNull(i)
			} else {
				out[i] = ys[i]
			}
		}
	}
	if xs == nil {
		clear(out)
	}
	return v.finish(arrow.PrimitiveTypes.Float64, buf), nil
}

type isNaN struct{ x expr.Expr }

// IsNaN is true when a DOUBLE is NaN; false for null input (never null).
func IsNaN(x expr.Expr) (expr.Expr, error) {
	return &isNaN{x: x}, checkDoubles("isnan", x)
}

func (e *isNaN) DataType() arrow.DataType { return arrow.FixedWidthTypes.Boolean }
func (e *isNaN) String() string           { return expr.CallString("isnan", e.x) }

func (e *isNaN) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	x, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	n := x.Len()
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(n))))
	bits := buf.Bytes()
	clear(bits)
	for i, f := range kernels.FixedValues[float64](x) {
		if f != f && x.IsValid(i) {
			bitutil.SetBit(bits, i)
		}
	}
	v := &validity{mem: mem, n: n}
	return v.finish(arrow.FixedWidthTypes.Boolean, buf), nil
}

type absExpr struct{ x expr.Expr }

// Abs is the absolute value of a number, of the same type; the minimum
// value of an integer type overflows (ANSI error).
func Abs(x expr.Expr) (expr.Expr, error) {
	switch x.DataType().ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL64, arrow.DECIMAL128:
		return &absExpr{x: x}, nil
	}
	return nil, fmt.Errorf("abs needs a numeric argument, %s is %s", x, values.TypeName(x.DataType()))
}

func (e *absExpr) DataType() arrow.DataType { return e.x.DataType() }
func (e *absExpr) String() string           { return expr.CallString("abs", e.x) }

func (e *absExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	x, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	v := andValidity(mem, x.Len(), x)
	dt := e.x.DataType()
	switch dt.ID() {
	case arrow.INT8:
		return absInt[int8](mem, e, x, v, math.MinInt8)
	case arrow.INT16:
		return absInt[int16](mem, e, x, v, math.MinInt16)
	case arrow.INT32:
		return absInt[int32](mem, e, x, v, math.MinInt32)
	case arrow.INT64:
		return absInt[int64](mem, e, x, v, math.MinInt64)
	case arrow.DECIMAL64:
		// precision ≤ 18 digits, so negation never overflows
		return absInt[int64](mem, e, x, v, 0)
	case arrow.FLOAT32:
		buf, out := newFixed[float32](mem, x.Len())
		for i, f := range kernels.FixedValues[float32](x) {
			out[i] = float32(math.Abs(float64(f)))
		}
		return v.finish(dt, buf), nil
	case arrow.FLOAT64:
		buf, out := newFixed[float64](mem, x.Len())
		for i, f := range kernels.FixedValues[float64](x) {
			out[i] = math.Abs(f)
		}
		return v.finish(dt, buf), nil
	}
	buf, out := newFixed[decimal128.Num](mem, x.Len())
	for i, d := range kernels.FixedValues[decimal128.Num](x) {
		out[i] = d.Abs()
	}
	return v.finish(dt, buf), nil
}

type signedInt interface {
	~int8 | ~int16 | ~int32 | ~int64
}

func absInt[T signedInt](mem memory.Allocator, e *absExpr, x arrow.Array, v *validity, minVal T) (arrow.Array, error) {
	buf, out := newFixed[T](mem, x.Len())
	for i, a := range kernels.FixedValues[T](x) {
		if a < 0 {
			if minVal != 0 && a == minVal && v.valid(i) {
				buf.Release()
				v.release()
				return nil, fmt.Errorf("%s: abs of %d does not fit %s: %w", e, a, values.TypeName(x.DataType()), expr.ErrOverflow)
			}
			a = -a
		}
		out[i] = a
	}
	return v.finish(x.DataType(), buf), nil
}
