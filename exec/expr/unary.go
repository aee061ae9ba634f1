package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

type notExpr struct{ e Expr }

// Not returns the logical negation of a boolean expression (null stays null).
func Not(e Expr) (Expr, error) {
	if t := e.DataType().ID(); t != arrow.BOOL && t != arrow.NULL {
		return nil, fmt.Errorf("NOT %s: operand is %s, not boolean", e, sqlType(e.DataType()))
	}
	return &notExpr{e}, nil
}

func (n *notExpr) DataType() arrow.DataType { return arrow.FixedWidthTypes.Boolean }
func (n *notExpr) String() string           { return "(NOT " + n.e.String() + ")" }

func (n *notExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := EvalArg(mem, n.e, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	rows := a.Len()
	if isAllNull(a) {
		return nullArray(mem, n.DataType(), rows), nil
	}
	valid, nulls := andValidity(mem, rows, a)
	out := newBuf(mem, int(bitutil.BytesForBits(int64(rows))))
	src := realign(bufBytes(a, 1), a.Data().Offset(), rows)
	ob := out.Bytes()
	for i := range ob {
		ob[i] = ^src[i]
	}
	return makeArray(n.DataType(), rows, nulls, valid, out), nil
}

type negateExpr struct{ e Expr }

// Negate returns -e for numeric e; negating the minimum integer is an
// overflow error.
func Negate(e Expr) (Expr, error) {
	t := valueType(e.DataType())
	if !isInt(t) && !isFloat(t) && !isDecimal(t) {
		return nil, fmt.Errorf("-%s: operand is %s, not numeric", e, sqlType(t))
	}
	return &negateExpr{e}, nil
}

func (n *negateExpr) DataType() arrow.DataType { return n.e.DataType() }
func (n *negateExpr) String() string           { return "(- " + n.e.String() + ")" }

func (n *negateExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := EvalArg(mem, n.e, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	rows := a.Len()
	t := a.DataType()
	valid, nulls := andValidity(mem, rows, a)
	var vb []byte
	if valid != nil {
		vb = valid.Bytes()
	}
	w := t.(arrow.FixedWidthDataType).BitWidth() / 8
	out := newDataBuf(mem, w*rows)
	d, od := a.Data(), out.Bytes()
	bad := -1
	switch t.ID() {
	case arrow.INT8:
		bad = negInts(arrow.GetValues[int8](d, 1), arrow.GetData[int8](od), vb)
	case arrow.INT16:
		bad = negInts(arrow.GetValues[int16](d, 1), arrow.GetData[int16](od), vb)
	case arrow.INT32:
		bad = negInts(arrow.GetValues[int32](d, 1), arrow.GetData[int32](od), vb)
	case arrow.INT64, arrow.DECIMAL64:
		bad = negInts(arrow.GetValues[int64](d, 1), arrow.GetData[int64](od), vb)
	case arrow.FLOAT32:
		src, dst := arrow.GetValues[float32](d, 1), arrow.GetData[float32](od)
		for i := range src {
			dst[i] = -src[i]
		}
	case arrow.FLOAT64:
		src, dst := arrow.GetValues[float64](d, 1), arrow.GetData[float64](od)
		for i := range src {
			dst[i] = -src[i]
		}
	case arrow.DECIMAL128:
		src, dst := kernels.FixedValues[decimal128.Num](a), arrow.GetData[decimal128.Num](od)
		for i := range src {
			dst[i] = src[i].Negate()
		}
	}
	if bad >= 0 {
		out.Release()
		if valid != nil {
			valid.Release()
		}
		return nil, fmt.Errorf("%s: row %d: %w", n, bad, ErrOverflow)
	}
	return makeArray(t, rows, nulls, valid, out), nil
}

func negInts[T integer](src, dst []T, valid []byte) int {
	dst = dst[:len(src)]
	var ov T
	for i, v := range src {
		dst[i] = -v
		ov |= v & -v
	}
	if ov < 0 {
		return firstBad(valid, len(src), func(i int) bool { return src[i] != 0 && src[i] == -src[i] })
	}
	return -1
}

type isNullExpr struct {
	e   Expr
	not bool
}

// IsNull returns whether e is null, never null itself.
func IsNull(e Expr) Expr { return &isNullExpr{e: e} }

// IsNotNull returns whether e is not null, never null itself.
func IsNotNull(e Expr) Expr { return &isNullExpr{e: e, not: true} }

func (n *isNullExpr) DataType() arrow.DataType { return arrow.FixedWidthTypes.Boolean }
func (n *isNullExpr) String() string {
	if n.not {
		return "(" + n.e.String() + " IS NOT NULL)"
	}
	return "(" + n.e.String() + " IS NULL)"
}

func (n *isNullExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := n.e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	rows := a.Len()
	out := newBuf(mem, int(bitutil.BytesForBits(int64(rows))))
	ob := out.Bytes()
	switch {
	case isAllNull(a):
		// all null: bits stay zero for IS NOT NULL
		if !n.not {
			bitutil.SetBitsTo(ob, 0, int64(rows), true)
		}
	case a.NullN() == 0:
		if n.not {
			bitutil.SetBitsTo(ob, 0, int64(rows), true)
		}
	default:
		bitutil.CopyBitmap(bufBytes(a, 0), a.Data().Offset(), rows, ob, 0)
		if !n.not {
			for i := range ob {
				ob[i] = ^ob[i]
			}
		}
	}
	return makeArray(n.DataType(), rows, 0, nil, out), nil
}
