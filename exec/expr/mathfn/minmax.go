package mathfn

import (
	"bytes"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

type extremum struct {
	args     []expr.Expr
	greatest bool
	t        arrow.DataType
}

// Greatest is the largest non-null value of args (all of one type), null
// only when every argument is; NaN is larger than any other double, as in
// Spark's ordering.
func Greatest(args ...expr.Expr) (expr.Expr, error) { return newExtremum(true, args) }

// Least is the smallest non-null value of args (all of one type), null only
// when every argument is.
func Least(args ...expr.Expr) (expr.Expr, error) { return newExtremum(false, args) }

func newExtremum(greatest bool, args []expr.Expr) (expr.Expr, error) {
	e := &extremum{args: args, greatest: greatest}
	if len(args) < 2 {
		return nil, fmt.Errorf("%s needs at least 2 arguments", e.name())
	}
	for _, a := range args {
		t := a.DataType()
		if d, ok := t.(*arrow.DictionaryType); ok {
			t = d.ValueType
		}
		if t.ID() == arrow.NULL {
			continue
		}
		if e.t == nil {
			e.t = t
		} else if !arrow.TypeEqual(e.t, t) {
			return nil, fmt.Errorf("%s: arguments have different types %s and %s", e, values.TypeName(e.t), values.TypeName(t))
		}
	}
	if e.t == nil {
		e.t = arrow.Null
	}
	switch e.t.ID() {
	case arrow.NULL, arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL64, arrow.DECIMAL128, arrow.STRING, arrow.BINARY:
	default:
		return nil, fmt.Errorf("%s: values of type %s cannot be ordered", e, values.TypeName(e.t))
	}
	return e, nil
}

func (e *extremum) name() string {
	if e.greatest {
		return "greatest"
	}
	return "least"
}

func (e *extremum) DataType() arrow.DataType { return e.t }
func (e *extremum) String() string           { return expr.CallString(e.name(), e.args...) }

func (e *extremum) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	if e.t.ID() == arrow.NULL {
		return array.NewNull(n), nil
	}
	in, err := expr.EvalArgs(mem, batch, e.args...)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(in)
	live := in[:0:0]
	for _, a := range in {
		if a.DataType().ID() != arrow.NULL {
			live = append(live, a)
		}
	}
	// win[i] is the argument holding row i's result, -1 while none is valid.
	win := make([]int32, n)
	for i := range win {
		win[i] = -1
	}
	switch e.t.ID() {
	case arrow.INT8:
		return pickFixed[int8](mem, e.t, live, win, e.greatest, lessOrd[int8]), nil
	case arrow.INT16:
		return pickFixed[int16](mem, e.t, live, win, e.greatest, lessOrd[int16]), nil
	case arrow.INT32, arrow.DATE32:
		return pickFixed[int32](mem, e.t, live, win, e.greatest, lessOrd[int32]), nil
	case arrow.INT64, arrow.TIMESTAMP, arrow.DECIMAL64:
		return pickFixed[int64](mem, e.t, live, win, e.greatest, lessOrd[int64]), nil
	case arrow.FLOAT32:
		return pickFixed[float32](mem, e.t, live, win, e.greatest, lessFloat[float32]), nil
	case arrow.FLOAT64:
		return pickFixed[float64](mem, e.t, live, win, e.greatest, lessFloat[float64]), nil
	case arrow.DECIMAL128:
		return pickFixed[decimal128.Num](mem, e.t, live, win, e.greatest, func(x, y decimal128.Num) bool { return x.Less(y) }), nil
	case arrow.BOOL:
		pick(live, win, e.greatest, func(a arrow.Array, i int) bool { return a.(*array.Boolean).Value(i) },
			func(x, y bool) bool { return !x && y })
	case arrow.STRING:
		pick(live, win, e.greatest, func(a arrow.Array, i int) string { return a.(*array.String).Value(i) }, func(x, y string) bool { return x < y })
	case arrow.BINARY:
		pick(live, win, e.greatest, func(a arrow.Array, i int) []byte { return a.(*array.Binary).Value(i) }, func(x, y []byte) bool { return bytes.Compare(x, y) < 0 })
	}
	return gather(mem, e.t, live, win)
}

type ordered interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~float32 | ~float64
}

func lessOrd[T ordered](x, y T) bool { return x < y }

// lessFloat orders NaN above every other value, as Spark does.
func lessFloat[T ~float32 | ~float64](x, y T) bool {
	if y != y {
		return x == x
	}
	return x < y
}

// pickFixed builds the result directly: for each row the greatest (or
// least) valid value among the arguments, null when none is valid.
func pickFixed[T arrow.FixedWidthType](mem memory.Allocator, t arrow.DataType, args []arrow.Array, win []int32, greatest bool, less func(x, y T) bool) arrow.Array {
	n := len(win)
	buf, out := newFixed[T](mem, n)
	v := &validity{mem: mem, n: n}
	if len(args) == 0 {
		for i := range out {
			v.setNull(i)
		}
		clear(out)
		return v.finish(t, buf)
	}
	vals := make([][]T, len(args))
	for k, a := range args {
		vals[k] = kernels.FixedValues[T](a)
	}
	for i := range out {
		best := -1
		var bv T
		for k, a := range args {
			if a.NullN() > 0 && a.IsNull(i) {
				continue
			}
			x := vals[k][i]
			if best < 0 || (greatest && less(bv, x)) || (!greatest && less(x, bv)) {
				best, bv = k, x
			}
		}
		out[i] = bv
		if best < 0 {
			v.setNull(i)
		}
	}
	return v.finish(t, buf)
}

// pick is pickFixed for values read through get.
func pick[T any](args []arrow.Array, win []int32, greatest bool, get func(arrow.Array, int) T, less func(x, y T) bool) {
	for i := range win {
		best := int32(-1)
		var bv T
		for k, a := range args {
			if a.IsNull(i) {
				continue
			}
			v := get(a, i)
			if best < 0 || (greatest && less(bv, v)) || (!greatest && less(v, bv)) {
				best, bv = int32(k), v
			}
		}
		win[i] = best
	}
}

// gather builds the result taking row i from args[win[i]] (null for -1).
func gather(mem memory.Allocator, t arrow.DataType, args []arrow.Array, win []int32) (arrow.Array, error) {
	b := array.NewBuilder(mem, t)
	defer b.Release()
	b.Reserve(len(win))
	if sb, ok := b.(*array.StringBuilder); ok {
		size := 0
		for i, k := range win {
			if k >= 0 {
				size += len(args[k].(*array.String).Value(i))
			}
		}
		sb.ReserveData(size)
	}
	for i, k := range win {
		if k < 0 {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
		case *array.StringBuilder:
			bb.Append(args[k].(*array.String).Value(i))
		case *array.BinaryBuilder:
			bb.Append(args[k].(*array.Binary).Value(i))
		case *array.BooleanBuilder:
			bb.UnsafeAppend(args[k].(*array.Boolean).Value(i))
		default:
			return nil, fmt.Errorf("greatest/least: unsupported type %s", t)
		}
	}
	return b.NewArray(), nil
}
