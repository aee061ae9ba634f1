package expr

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/values"
)

// intervalLiteral fills l for a literal of an interval type (see
// values.YearMonthIntervalType); ok is false when t is no interval type or v
// does not fit it.
func intervalLiteral(l *literalExpr, v any, putInt func(int64, int)) bool {
	switch {
	case values.IsYearMonthInterval(l.t):
		var m int64
		switch x := v.(type) {
		case values.YearMonthInterval:
			m = int64(x)
		case int64:
			m = x
		default:
			return false
		}
		if m < math.MinInt32 || m > math.MaxInt32 {
			return false
		}
		putInt(m, 4)
		l.text = values.YearMonthInterval(m).ANSI()
		return true
	case values.IsDayTimeInterval(l.t) && l.t.(*arrow.DurationType).Unit == arrow.Microsecond:
		var us int64
		switch x := v.(type) {
		case values.DayTimeInterval:
			us = int64(x)
		case int64:
			us = x
		default:
			return false
		}
		putInt(us, 8)
		l.text = values.DayTimeInterval(us).ANSI()
		return true
	case values.IsCalendarInterval(l.t):
		x, ok := v.(values.CalendarInterval)
		if !ok || x.Micros > math.MaxInt64/1000 || x.Micros < math.MinInt64/1000 {
			return false
		}
		l.elem = binary.LittleEndian.AppendUint32(nil, uint32(x.Months))
		l.elem = binary.LittleEndian.AppendUint32(l.elem, uint32(x.Days))
		l.elem = binary.LittleEndian.AppendUint64(l.elem, uint64(x.Micros*1000))
		l.text = "INTERVAL '" + x.String() + "'"
		return true
	}
	return false
}

// reinterpretExpr relabels the values of e as another fixed-width type of
// the same width, without copying: an interval as its months or
// microseconds, a timestamp as its microseconds, and back.
type reinterpretExpr struct {
	e  Expr
	to arrow.DataType
}

// Reinterpret returns e's values read as type to, which must have e's bit
// width (year-month interval and int32, day-time interval, timestamp and
// int64, ...). The interval operators use it to reach the integer kernels.
func Reinterpret(e Expr, to arrow.DataType) (Expr, error) {
	from := valueType(e.DataType())
	fw, ok1 := from.(arrow.FixedWidthDataType)
	tw, ok2 := to.(arrow.FixedWidthDataType)
	if !ok1 || !ok2 || fw.BitWidth() != tw.BitWidth() || fw.BitWidth() < 8 || from.ID() == arrow.BOOL {
		return nil, fmt.Errorf("cannot reinterpret %s of type %s as %s", e, sqlType(from), sqlType(to))
	}
	return &reinterpretExpr{e: e, to: to}, nil
}

func (r *reinterpretExpr) DataType() arrow.DataType { return r.to }
func (r *reinterpretExpr) String() string           { return r.e.String() }

func (r *reinterpretExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := EvalArg(mem, r.e, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	if a.DataType().ID() == arrow.NULL {
		return nullArray(mem, r.to, a.Len()), nil
	}
	d := a.Data()
	nd := array.NewData(r.to, d.Len(), d.Buffers(), nil, d.NullN(), d.Offset())
	defer nd.Release()
	return array.MakeFromData(nd), nil
}

// intervalStringExpr is CAST(interval AS STRING), Spark's ANSI form.
type intervalStringExpr struct{ e Expr }

func (c *intervalStringExpr) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (c *intervalStringExpr) String() string {
	return "CAST(" + c.e.String() + " AS STRING)"
}

func (c *intervalStringExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := EvalArg(mem, c.e, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(a.Len())
	for i := range a.Len() {
		switch v := values.Value(a, i).(type) {
		case nil:
			b.AppendNull()
		case values.YearMonthInterval:
			b.Append(v.ANSI())
		case values.DayTimeInterval:
			b.Append(v.ANSI())
		default:
			b.Append(fmt.Sprint(v))
		}
	}
	return b.NewArray(), nil
}

// IntervalScale multiplies (or, with div, divides) the int64 interval
// amounts of e (months or microseconds) by the numbers of num, an int64 or
// float64 expression, rounding half away from zero as Spark's interval
// multiplication and division do (HALF_UP). A result outside [lo, hi], a
// non-finite product and a division by zero are errors.
func IntervalScale(e, num Expr, div bool, lo, hi int64) (Expr, error) {
	if valueType(e.DataType()).ID() != arrow.INT64 {
		return nil, fmt.Errorf("interval scaling: %s is %s, not bigint", e, sqlType(e.DataType()))
	}
	switch valueType(num.DataType()).ID() {
	case arrow.INT64, arrow.FLOAT64:
	default:
		return nil, fmt.Errorf("interval scaling: %s is %s, not bigint or double", num, sqlType(num.DataType()))
	}
	return &intervalScaleExpr{e: e, num: num, div: div, lo: lo, hi: hi}, nil
}

type intervalScaleExpr struct {
	e, num Expr
	div    bool
	lo, hi int64
}

func (s *intervalScaleExpr) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int64 }
func (s *intervalScaleExpr) String() string {
	op := " * "
	if s.div {
		op = " / "
	}
	return "(" + s.e.String() + op + s.num.String() + ")"
}

func (s *intervalScaleExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	as, err := EvalArgs(mem, batch, s.e, s.num)
	if err != nil {
		return nil, err
	}
	defer ReleaseAll(as)
	n := as[0].Len()
	if isAllNull(as[0]) || isAllNull(as[1]) {
		return nullArray(mem, arrow.PrimitiveTypes.Int64, n), nil
	}
	valid, nulls := andValidity(mem, n, as...)
	var vb []byte
	if valid != nil {
		vb = valid.Bytes()
	}
	out := newBuf(mem, 8*n)
	dst := arrow.Int64Traits.CastFromBytes(out.Bytes())
	amounts := arrow.GetValues[int64](as[0].Data(), 1)
	fail := func(err error) (arrow.Array, error) {
		out.Release()
		if valid != nil {
			valid.Release()
		}
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	ints, _ := as[1].(*array.Int64)
	floats, _ := as[1].(*array.Float64)
	for i := range n {
		if vb != nil && vb[i>>3]&(1<<(i&7)) == 0 {
			continue
		}
		a := amounts[i]
		var r int64
		var ok bool
		if ints != nil {
			r, ok = scaleInt(a, ints.Value(i), s.div)
			if !ok && s.div && ints.Value(i) == 0 {
				return fail(fmt.Errorf("interval divided by zero: %w", ErrDivideByZero))
			}
		} else {
			f := floats.Value(i)
			if s.div && f == 0 {
				return fail(fmt.Errorf("interval divided by zero: %w", ErrDivideByZero))
			}
			r, ok = scaleFloat(a, f, s.div)
		}
		if !ok || r < s.lo || r > s.hi {
			return fail(fmt.Errorf("interval overflow: %w", ErrOverflow))
		}
		dst[i] = r
	}
	return makeArray(arrow.PrimitiveTypes.Int64, n, nulls, valid, out), nil
}

// scaleInt is a*b, or a/b rounded half away from zero; ok is false on
// overflow or a zero divisor.
func scaleInt(a, b int64, div bool) (int64, bool) {
	if !div {
		if a == 0 || b == 0 {
			return 0, true
		}
		r := a * b
		if r/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
			return 0, false
		}
		return r, true
	}
	if b == 0 || (a == math.MinInt64 && b == -1) {
		return 0, false
	}
	q, rem := a/b, a%b
	if rem != 0 {
		// |rem|*2 >= |b| rounds away from zero.
		ar, ab := uint64(rem), uint64(b)
		if rem < 0 {
			ar = uint64(-rem)
		}
		if b < 0 {
			ab = uint64(-(b + 1)) + 1
		}
		if 2*ar >= ab {
			if (a < 0) != (b < 0) {
				q--
			} else {
				q++
			}
		}
	}
	return q, true
}

// scaleFloat is a*f, or a/f, rounded half away from zero; ok is false when
// the result is not finite or does not fit an int64.
func scaleFloat(a int64, f float64, div bool) (int64, bool) {
	var r float64
	if div {
		r = float64(a) / f
	} else {
		r = float64(a) * f
	}
	r = math.Round(r)
	if math.IsNaN(r) || r >= math.MaxInt64 || r < math.MinInt64 {
		return 0, false
	}
	return int64(r), true
}
