package mathfn

import (
	"errors"
	"fmt"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// BitOp is a bitwise operation of two integers.
type BitOp int

// The bitwise operations of Spark's &, | and ^ and its shift functions.
const (
	BitAnd BitOp = iota
	BitOr
	BitXor
	ShiftLeft
	ShiftRight
	ShiftRightUnsigned
)

// String is the operator or function name of op.
func (op BitOp) String() string {
	switch op {
	case BitAnd:
		return "&"
	case BitOr:
		return "|"
	case BitXor:
		return "^"
	case ShiftLeft:
		return "shiftleft"
	case ShiftRight:
		return "shiftright"
	case ShiftRightUnsigned:
		return "shiftrightunsigned"
	}
	return fmt.Sprintf("BitOp(%d)", int(op))
}

// ErrBitPosition is wrapped by bit_get's error for a position outside the
// argument's bits (Spark's INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE).
var ErrBitPosition = errors.New("INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE")

func isSignedInt(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

type bitBinary struct {
	op   BitOp
	l, r expr.Expr
}

// Bitwise is l op r. For BitAnd, BitOr and BitXor both operands have the
// same signed integer type, the result's. For the shifts l is INT or BIGINT
// and r INT; the result has l's type, and the shift distance is taken
// modulo the width of l (Java's <<, >> and >>>), as in Spark.
func Bitwise(op BitOp, l, r expr.Expr) (expr.Expr, error) {
	lt, rt := l.DataType(), r.DataType()
	switch op {
	case BitAnd, BitOr, BitXor:
		if !isSignedInt(lt) || !arrow.TypeEqual(lt, rt) {
			return nil, fmt.Errorf("%s needs two integers of one type, %s is %s and %s is %s", op.String(), l, values.TypeName(lt), r, values.TypeName(rt))
		}
	case ShiftLeft, ShiftRight, ShiftRightUnsigned:
		if (lt.ID() != arrow.INT32 && lt.ID() != arrow.INT64) || rt.ID() != arrow.INT32 {
			return nil, fmt.Errorf("%s needs an INT or BIGINT and an INT, %s is %s and %s is %s", op.String(), l, values.TypeName(lt), r, values.TypeName(rt))
		}
	default:
		return nil, fmt.Errorf("unknown bitwise operation %d", op)
	}
	return &bitBinary{op: op, l: l, r: r}, nil
}

func (b *bitBinary) DataType() arrow.DataType { return b.l.DataType() }
func (b *bitBinary) String() string {
	if b.op <= BitXor {
		return "(" + b.l.String() + " " + b.op.String() + " " + b.r.String() + ")"
	}
	return expr.CallString(b.op.String(), b.l, b.r)
}

func (b *bitBinary) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	args, err := expr.EvalArgs(mem, batch, b.l, b.r)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(args)
	l, r := args[0], args[1]
	v := andValidity(mem, l.Len(), l, r)
	if b.op >= ShiftLeft {
		n := kernels.FixedValues[int32](r)
		if l.DataType().ID() == arrow.INT32 {
			return shiftKernel[int32, uint32](mem, v, b.op, kernels.FixedValues[int32](l), n, 31), nil
		}
		return shiftKernel[int64, uint64](mem, v, b.op, kernels.FixedValues[int64](l), n, 63), nil
	}
	switch l.DataType().ID() {
	case arrow.INT8:
		return bitKernel(mem, v, b.op, kernels.FixedValues[int8](l), kernels.FixedValues[int8](r)), nil
	case arrow.INT16:
		return bitKernel(mem, v, b.op, kernels.FixedValues[int16](l), kernels.FixedValues[int16](r)), nil
	case arrow.INT32:
		return bitKernel(mem, v, b.op, kernels.FixedValues[int32](l), kernels.FixedValues[int32](r)), nil
	}
	return bitKernel(mem, v, b.op, kernels.FixedValues[int64](l), kernels.FixedValues[int64](r)), nil
}

func bitKernel[T signedInt](mem memory.Allocator, v *validity, op BitOp, l, r []T) arrow.Array {
	buf, out := newFixed[T](mem, v.n)
	switch op {
	case BitAnd:
		for i := range out {
			out[i] = l[i] & r[i]
		}
	case BitOr:
		for i := range out {
			out[i] = l[i] | r[i]
		}
	default:
		for i := range out {
			out[i] = l[i] ^ r[i]
		}
	}
	return v.finish(arrowType[T](), buf)
}

func shiftKernel[T int32 | int64, U uint32 | uint64](mem memory.Allocator, v *validity, op BitOp, x []T, n []int32, mask int32) arrow.Array {
	buf, out := newFixed[T](mem, v.n)
	for i := range out {
		s := uint(n[i] & mask)
		switch op {
		case ShiftLeft:
			out[i] = x[i] << s
		case ShiftRight:
			out[i] = x[i] >> s
		default:
			out[i] = T(U(x[i]) >> s)
		}
	}
	return v.finish(arrowType[T](), buf)
}

func arrowType[T signedInt]() arrow.DataType {
	var z T
	switch any(z).(type) {
	case int8:
		return arrow.PrimitiveTypes.Int8
	case int16:
		return arrow.PrimitiveTypes.Int16
	case int32:
		return arrow.PrimitiveTypes.Int32
	}
	return arrow.PrimitiveTypes.Int64
}

type bitNot struct{ x expr.Expr }

// BitNot is ~x of a signed integer, typed as x.
func BitNot(x expr.Expr) (expr.Expr, error) {
	if !isSignedInt(x.DataType()) {
		return nil, fmt.Errorf("~ needs an integer, %s is %s", x, values.TypeName(x.DataType()))
	}
	return &bitNot{x: x}, nil
}

func (e *bitNot) DataType() arrow.DataType { return e.x.DataType() }
func (e *bitNot) String() string           { return "~" + e.x.String() }

func (e *bitNot) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	v := andValidity(mem, in.Len(), in)
	switch in.DataType().ID() {
	case arrow.INT8:
		return notKernel(mem, v, kernels.FixedValues[int8](in)), nil
	case arrow.INT16:
		return notKernel(mem, v, kernels.FixedValues[int16](in)), nil
	case arrow.INT32:
		return notKernel(mem, v, kernels.FixedValues[int32](in)), nil
	}
	return notKernel(mem, v, kernels.FixedValues[int64](in)), nil
}

func notKernel[T signedInt](mem memory.Allocator, v *validity, x []T) arrow.Array {
	buf, out := newFixed[T](mem, v.n)
	for i := range out {
		out[i] = ^x[i]
	}
	return v.finish(arrowType[T](), buf)
}

type bitCount struct{ x expr.Expr }

// BitCount is bit_count(x): the number of set bits of a signed integer
// sign-extended to 64 bits (bit_count(-1) is 64 for every integer type, as
// Spark's java.lang.Long.bitCount), or 1/0 for a BOOLEAN; an INT.
func BitCount(x expr.Expr) (expr.Expr, error) {
	if t := x.DataType(); !isSignedInt(t) && t.ID() != arrow.BOOL {
		return nil, fmt.Errorf("bit_count needs an integer or a boolean, %s is %s", x, values.TypeName(t))
	}
	return &bitCount{x: x}, nil
}

func (e *bitCount) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int32 }
func (e *bitCount) String() string           { return expr.CallString("bit_count", e.x) }

func (e *bitCount) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	n := in.Len()
	v := andValidity(mem, n, in)
	buf, out := newFixed[int32](mem, n)
	switch in.DataType().ID() {
	case arrow.BOOL:
		if n > 0 {
			bm, off := in.Data().Buffers()[1].Bytes(), in.Data().Offset()
			for i := range out {
				if bm[(off+i)/8]&(1<<((off+i)%8)) != 0 {
					out[i] = 1
				}
			}
		}
	case arrow.INT8:
		countKernel(out, kernels.FixedValues[int8](in))
	case arrow.INT16:
		countKernel(out, kernels.FixedValues[int16](in))
	case arrow.INT32:
		countKernel(out, kernels.FixedValues[int32](in))
	default:
		countKernel(out, kernels.FixedValues[int64](in))
	}
	return v.finish(arrow.PrimitiveTypes.Int32, buf), nil
}

func countKernel[T signedInt](out []int32, x []T) {
	for i := range out {
		out[i] = int32(bits.OnesCount64(uint64(int64(x[i]))))
	}
}

type bitGet struct {
	name   string
	x, pos expr.Expr
}

// BitGet is bit_get(x, pos) (or getbit): bit pos of the signed integer x,
// counted from the right from 0, as a TINYINT 0 or 1. A position outside
// [0, width of x) is an error wrapping ErrBitPosition.
func BitGet(name string, x, pos expr.Expr) (expr.Expr, error) {
	if !isSignedInt(x.DataType()) || pos.DataType().ID() != arrow.INT32 {
		return nil, fmt.Errorf("%s needs an integer and an INT, %s is %s and %s is %s", name, x, values.TypeName(x.DataType()), pos, values.TypeName(pos.DataType()))
	}
	return &bitGet{name: name, x: x, pos: pos}, nil
}

func (e *bitGet) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int8 }
func (e *bitGet) String() string           { return expr.CallString(e.name, e.x, e.pos) }

func (e *bitGet) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	args, err := expr.EvalArgs(mem, batch, e.x, e.pos)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(args)
	x, p := args[0], args[1]
	v := andValidity(mem, x.Len(), x, p)
	pos := kernels.FixedValues[int32](p)
	switch x.DataType().ID() {
	case arrow.INT8:
		return getKernel(mem, e.name, v, kernels.FixedValues[int8](x), pos, 8)
	case arrow.INT16:
		return getKernel(mem, e.name, v, kernels.FixedValues[int16](x), pos, 16)
	case arrow.INT32:
		return getKernel(mem, e.name, v, kernels.FixedValues[int32](x), pos, 32)
	}
	return getKernel(mem, e.name, v, kernels.FixedValues[int64](x), pos, 64)
}

func getKernel[T signedInt](mem memory.Allocator, name string, v *validity, x []T, pos []int32, width int32) (arrow.Array, error) {
	buf, out := newFixed[int8](mem, v.n)
	for i := range out {
		if !v.valid(i) {
			continue
		}
		p := pos[i]
		if p < 0 || p >= width {
			buf.Release()
			v.release()
			return nil, fmt.Errorf("%w: the value of parameter(s) `pos` in `%s` is invalid: expects an integer value in [0, %d), but got %d", ErrBitPosition, name, width, p)
		}
		out[i] = int8((int64(x[i]) >> uint(p)) & 1)
	}
	return v.finish(arrow.PrimitiveTypes.Int8, buf), nil
}
