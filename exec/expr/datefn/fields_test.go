package datefn

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// refField computes a field with Go's time package.
func refField(p Part, tm time.Time) int32 {
	switch p {
	case Quarter:
		return int32((tm.Month()-1)/3 + 1)
	case Month:
		return int32(tm.Month())
	case DayOfMonth:
		return int32(tm.Day())
	case DayOfWeek:
		return int32(tm.Weekday()) + 1
	case Weekday:
		return int32((tm.Weekday() + 6) % 7)
	case DayOfYear:
		return int32(tm.YearDay())
	case WeekOfYear:
		_, w := tm.ISOWeek()
		return int32(w)
	case Hour:
		return int32(tm.Hour())
	case Minute:
		return int32(tm.Minute())
	case Second:
		return int32(tm.Second())
	case DayOfWeekISO:
		return int32((tm.Weekday()+6)%7) + 1
	case YearOfWeek:
		y, _ := tm.ISOWeek()
		return int32(y)
	}
	panic(p)
}

func TestFieldRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for p := Quarter; p <= YearOfWeek; p++ {
		for _, n := range sizes {
			days := randDays(mem, r, n)
			ts := randMicros(mem, r, n)
			for _, in := range []arrow.Array{days, ts} {
				e, err := Field(p, colExpr(0, in))
				if err != nil {
					t.Fatal(err)
				}
				out := mustEval(t, mem, e, in)
				check(t, e.String(), out, func(i int) (int32, bool) {
					if in.IsNull(i) {
						return 0, false
					}
					var tm time.Time
					if d, ok := in.(*array.Date32); ok {
						tm = toTime(int64(d.Value(i)))
					} else {
						tm = microTime(int64(in.(*array.Timestamp).Value(i)))
					}
					return refField(p, tm), true
				})
				out.Release()
			}
			days.Release()
			ts.Release()
		}
	}
}

func TestFieldRejectsOtherTypes(t *testing.T) {
	if _, err := Field(Month, colExpr(0, arrayOfType(t, arrow.BinaryTypes.String))); err == nil {
		t.Fatal("month of a string compiled")
	}
}

func arrayOfType(t *testing.T, typ arrow.DataType) arrow.Array {
	t.Helper()
	b := array.NewBuilder(exectest.Alloc(t), typ)
	defer b.Release()
	a := b.NewArray()
	t.Cleanup(a.Release)
	return a
}

func TestFieldOtherUnits(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, unit := range []arrow.TimeUnit{arrow.Second, arrow.Millisecond, arrow.Nanosecond} {
		typ := &arrow.TimestampType{Unit: unit, TimeZone: "UTC"}
		b := array.NewTimestampBuilder(mem, typ)
		var want []time.Time
		for range 200 {
			tm := time.Unix(r.Int64N(8_000_000_000)-4_000_000_000, r.Int64N(1e9)).UTC()
			v, _ := arrow.TimestampFromTime(tm, unit)
			b.Append(v)
			want = append(want, v.ToTime(unit).UTC())
		}
		in := b.NewArray()
		b.Release()
		for p := Quarter; p <= YearOfWeek; p++ {
			e, err := Field(p, colExpr(0, in))
			if err != nil {
				t.Fatal(err)
			}
			out := mustEval(t, mem, e, in)
			check(t, e.String(), out, func(i int) (int32, bool) { return refField(p, want[i]), true })
			out.Release()
		}
		in.Release()
	}
}

func TestNullTypedInput(t *testing.T) {
	mem := exectest.Alloc(t)
	in := array.NewNull(5)
	defer in.Release()
	c := colExpr(0, in)
	mk := []func() (expr.Expr, error){
		func() (expr.Expr, error) { return Field(Month, c) },
		func() (expr.Expr, error) { return LastDay(c) },
		func() (expr.Expr, error) { return DateDiff(c, c) },
		func() (expr.Expr, error) { return DateFormat(c, "yyyy") },
		func() (expr.Expr, error) { return ToTimestamp(c, "yyyy", false) },
		func() (expr.Expr, error) { return MakeDate(c, c, c) },
	}
	for _, f := range mk {
		e, err := f()
		if err != nil {
			t.Fatal(err)
		}
		out := mustEval(t, mem, e, in)
		if out.NullN() != 5 || !arrow.TypeEqual(out.DataType(), e.DataType()) {
			t.Errorf("%s: %d nulls, type %s", e, out.NullN(), out.DataType())
		}
		out.Release()
	}
}
