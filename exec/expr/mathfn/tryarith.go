package mathfn

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

type tryArith struct {
	name string
	op   expr.BinaryOp
	l, r expr.Expr
}

// TryArith is try_add, try_subtract, try_multiply or try_mod (op Add, Sub,
// Mul or Mod) of two integers of one type: the result of that type, null
// where it overflows or the divisor is zero instead of the ANSI error.
func TryArith(name string, op expr.BinaryOp, l, r expr.Expr) (expr.Expr, error) {
	lt := l.DataType()
	if !isSignedInt(lt) || !arrow.TypeEqual(lt, r.DataType()) {
		return nil, fmt.Errorf("%s needs two integers of one type, %s is %s and %s is %s", name, l, values.TypeName(lt), r, values.TypeName(r.DataType()))
	}
	switch op {
	case expr.Add, expr.Sub, expr.Mul, expr.Mod:
	default:
		return nil, fmt.Errorf("%s: unsupported operation", name)
	}
	return &tryArith{name: name, op: op, l: l, r: r}, nil
}

func (e *tryArith) DataType() arrow.DataType { return e.l.DataType() }
func (e *tryArith) String() string           { return expr.CallString(e.name, e.l, e.r) }

func (e *tryArith) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	args, err := expr.EvalArgs(mem, batch, e.l, e.r)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(args)
	l, r := args[0], args[1]
	v := andValidity(mem, l.Len(), l, r)
	switch l.DataType().ID() {
	case arrow.INT8:
		return tryKernel(mem, v, e.op, kernels.FixedValues[int8](l), kernels.FixedValues[int8](r), math.MinInt8, math.MaxInt8), nil
	case arrow.INT16:
		return tryKernel(mem, v, e.op, kernels.FixedValues[int16](l), kernels.FixedValues[int16](r), math.MinInt16, math.MaxInt16), nil
	case arrow.INT32:
		return tryKernel(mem, v, e.op, kernels.FixedValues[int32](l), kernels.FixedValues[int32](r), math.MinInt32, math.MaxInt32), nil
	}
	return tryKernel(mem, v, e.op, kernels.FixedValues[int64](l), kernels.FixedValues[int64](r), math.MinInt64, math.MaxInt64), nil
}

func tryKernel[T signedInt](mem memory.Allocator, v *validity, op expr.BinaryOp, l, r []T, lo, hi int64) arrow.Array {
	buf, out := newFixed[T](mem, v.n)
	for i := range out {
		a, b := l[i], r[i]
		var res T
		ok := true
		switch op {
		case expr.Add:
			res = a + b
			ok = (a^res)&(b^res) >= 0
		case expr.Sub:
			res = a - b
			ok = (a^b)&(a^res) >= 0
		case expr.Mul:
			res = a * b
			if a != 0 {
				ok = res/a == b && !(a == -1 && int64(b) == lo)
			}
			if x, y := int64(a), int64(b); ok && lo > math.MinInt64 {
				ok = x*y >= lo && x*y <= hi
			}
		default: // Mod
			if b == 0 {
				ok = false
			} else if b != -1 {
				res = a % b
			}
		}
		out[i] = res
		if !ok && v.valid(i) {
			v.setNull(i)
		}
	}
	return v.finish(arrowType[T](), buf)
}
