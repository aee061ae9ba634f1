package mathfn

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

type intDiv struct{ l, r expr.Expr }

// IntDiv is Spark's l div r of two BIGINTs: the quotient truncated toward
// zero. Under ANSI a zero divisor is an error wrapping expr.ErrDivideByZero
// and the minimum BIGINT div -1 one wrapping expr.ErrOverflow.
func IntDiv(l, r expr.Expr) (expr.Expr, error) {
	if l.DataType().ID() != arrow.INT64 || r.DataType().ID() != arrow.INT64 {
		return nil, fmt.Errorf("div needs two BIGINTs, %s is %s and %s is %s", l, values.TypeName(l.DataType()), r, values.TypeName(r.DataType()))
	}
	return &intDiv{l: l, r: r}, nil
}

func (e *intDiv) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int64 }
func (e *intDiv) String() string           { return "(" + e.l.String() + " div " + e.r.String() + ")" }

func (e *intDiv) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	args, err := expr.EvalArgs(mem, batch, e.l, e.r)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(args)
	v := andValidity(mem, args[0].Len(), args[0], args[1])
	l, r := kernels.FixedValues[int64](args[0]), kernels.FixedValues[int64](args[1])
	buf, out := newFixed[int64](mem, v.n)
	for i := range out {
		if !v.valid(i) {
			continue
		}
		switch {
		case r[i] == 0:
			buf.Release()
			v.release()
			return nil, fmt.Errorf("%s: row %d: [DIVIDE_BY_ZERO] %w", e, i, expr.ErrDivideByZero)
		case r[i] == -1 && l[i] == math.MinInt64:
			buf.Release()
			v.release()
			return nil, fmt.Errorf("%s: row %d: [ARITHMETIC_OVERFLOW] integral divide: %w", e, i, expr.ErrOverflow)
		}
		out[i] = l[i] / r[i]
	}
	return v.finish(arrow.PrimitiveTypes.Int64, buf), nil
}

type factorial struct{ x expr.Expr }

// Factorial is x! of an INT as a BIGINT; null outside [0, 20], as Spark.
func Factorial(x expr.Expr) (expr.Expr, error) {
	if x.DataType().ID() != arrow.INT32 {
		return nil, fmt.Errorf("factorial needs an INT, %s is %s", x, values.TypeName(x.DataType()))
	}
	return &factorial{x: x}, nil
}

func (e *factorial) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int64 }
func (e *factorial) String() string           { return expr.CallString("factorial", e.x) }

func (e *factorial) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	v := andValidity(mem, in.Len(), in)
	xs := kernels.FixedValues[int32](in)
	buf, out := newFixed[int64](mem, v.n)
	for i := range out {
		x := xs[i]
		if x < 0 || x > 20 {
			if v.valid(i) {
				v.setNull(i)
			}
			continue
		}
		f := int64(1)
		for k := int64(2); k <= int64(x); k++ {
			f *= k
		}
		out[i] = f
	}
	return v.finish(arrow.PrimitiveTypes.Int64, buf), nil
}

type radixString struct {
	name string
	x    expr.Expr
}

// Bin is the binary digits of a BIGINT's two's complement bits without
// leading zeros (Java's Long.toBinaryString), a STRING.
func Bin(x expr.Expr) (expr.Expr, error) { return newRadix("bin", x) }

// Hex is the upper-case hexadecimal digits of a BIGINT's two's complement
// bits without leading zeros, or of each byte of a STRING (its UTF-8) or
// BINARY, a STRING.
func Hex(x expr.Expr) (expr.Expr, error) { return newRadix("hex", x) }

func newRadix(name string, x expr.Expr) (expr.Expr, error) {
	switch t := x.DataType(); {
	case t.ID() == arrow.INT64:
	case name == "hex" && (t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING || t.ID() == arrow.BINARY):
	default:
		return nil, fmt.Errorf("%s needs a BIGINT, %s is %s", name, x, values.TypeName(t))
	}
	return &radixString{name: name, x: x}, nil
}

func (e *radixString) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (e *radixString) String() string           { return expr.CallString(e.name, e.x) }

func (e *radixString) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	b := array.NewStringBuilder(mem)
	defer b.Release()
	n := in.Len()
	b.Reserve(n)
	var xs []int64
	if in.DataType().ID() == arrow.INT64 {
		xs = kernels.FixedValues[int64](in)
	}
	for i := 0; i < n; i++ {
		if in.IsNull(i) {
			b.AppendNull()
			continue
		}
		switch {
		case xs != nil && e.name == "bin":
			b.Append(strconv.FormatUint(uint64(xs[i]), 2))
		case xs != nil:
			b.Append(strings.ToUpper(strconv.FormatUint(uint64(xs[i]), 16)))
		default:
			b.Append(strings.ToUpper(hex.EncodeToString(byteValue(in, i))))
		}
	}
	return b.NewArray(), nil
}

// byteValue is row i of a STRING, LARGE_STRING or BINARY array as bytes.
func byteValue(a arrow.Array, i int) []byte {
	switch x := a.(type) {
	case *array.String:
		return []byte(x.Value(i))
	case *array.LargeString:
		return []byte(x.Value(i))
	case *array.Binary:
		return x.Value(i)
	}
	return nil
}
