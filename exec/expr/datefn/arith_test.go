package datefn

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

func days32(a arrow.Array, i int) int64  { return int64(a.(*array.Date32).Value(i)) }
func int32At(a arrow.Array, i int) int64 { return int64(a.(*array.Int32).Value(i)) }
func micros(a arrow.Array, i int) int64  { return int64(a.(*array.Timestamp).Value(i)) }

func valid(as ...arrow.Array) func(i int) bool {
	return func(i int) bool {
		for _, a := range as {
			if a.IsNull(i) {
				return false
			}
		}
		return true
	}
}

// binaryCase runs a two-argument kernel over random inputs against want.
func binaryCase[T int32 | int64 | float64](t *testing.T, mem memory.Allocator, mk func(a, b expr.Expr) (expr.Expr, error), a, b arrow.Array, want func(i int) T) {
	t.Helper()
	e, err := mk(colExpr(0, a), colExpr(1, b))
	if err != nil {
		t.Fatal(err)
	}
	out := mustEval(t, mem, e, a, b)
	defer out.Release()
	ok := valid(a, b)
	check(t, e.String(), out, func(i int) (T, bool) {
		if !ok(i) {
			return 0, false
		}
		return want(i), true
	})
}

func TestDateArithRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		d1, d2 := randDays(mem, r, n), randDays(mem, r, n)
		k := randInt32s(mem, r, n, -100_000, 100_000)
		months := randInt32s(mem, r, n, -3000, 3000)
		binaryCase(t, mem, func(a, b expr.Expr) (expr.Expr, error) { return DateAdd(a, b, false) }, d1, k,
			func(i int) int32 { return int32(daysOf(toTime(days32(d1, i)).AddDate(0, 0, int(int32At(k, i))))) })
		binaryCase(t, mem, func(a, b expr.Expr) (expr.Expr, error) { return DateAdd(a, b, true) }, d1, k,
			func(i int) int32 { return int32(daysOf(toTime(days32(d1, i)).AddDate(0, 0, -int(int32At(k, i))))) })
		binaryCase(t, mem, DateDiff, d1, d2, func(i int) int32 {
			return int32((toTime(days32(d1, i)).Unix() - toTime(days32(d2, i)).Unix()) / 86400)
		})
		binaryCase(t, mem, AddMonths, d1, months, func(i int) int32 {
			tm := toTime(days32(d1, i))
			first := time.Date(tm.Year(), tm.Month()+time.Month(int32At(months, i)), 1, 0, 0, 0, 0, time.UTC)
			last := first.AddDate(0, 1, -1).Day()
			return int32(daysOf(first.AddDate(0, 0, min(tm.Day(), last)-1)))
		})
		e, err := LastDay(colExpr(0, d1))
		if err != nil {
			t.Fatal(err)
		}
		out := mustEval(t, mem, e, d1)
		check(t, e.String(), out, func(i int) (int32, bool) {
			if d1.IsNull(i) {
				return 0, false
			}
			tm := toTime(days32(d1, i))
			return int32(daysOf(time.Date(tm.Year(), tm.Month()+1, 0, 0, 0, 0, 0, time.UTC))), true
		})
		out.Release()
		for _, v := range []arrow.Array{d1, d2, k, months} {
			v.Release()
		}
	}
}

// refMonthsBetween is Spark's rule written with Go's time package.
func refMonthsBetween(a, b time.Time, roundOff bool) float64 {
	md := float64((a.Year()*12 + int(a.Month())) - (b.Year()*12 + int(b.Month())))
	endA := a.AddDate(0, 0, 1).Day() == 1
	endB := b.AddDate(0, 0, 1).Day() == 1
	if a.Day() == b.Day() || endA && endB {
		return md
	}
	sa := a.Hour()*3600 + a.Minute()*60 + a.Second()
	sb := b.Hour()*3600 + b.Minute()*60 + b.Second()
	diff := md + float64((a.Day()-b.Day())*86400+sa-sb)/(31*86400)
	if roundOff {
		return float64(int64(math.Floor(diff*1e8+0.5))) / 1e8
	}
	return diff
}

func TestMonthsBetweenRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		a, b := randMicros(mem, r, n), randMicros(mem, r, n)
		for _, round := range []bool{true, false} {
			binaryCase(t, mem, func(x, y expr.Expr) (expr.Expr, error) { return MonthsBetween(x, y, round) }, a, b,
				func(i int) float64 { return refMonthsBetween(microTime(micros(a, i)), microTime(micros(b, i)), round) })
		}
		a.Release()
		b.Release()
	}
}

func TestNextDayRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	names := []string{"SU", "mon", "Tuesday", "wE", "THU", "friday", "Sat"}
	for _, n := range sizes {
		d := randDays(mem, r, n)
		sb := array.NewStringBuilder(mem)
		for range n {
			if r.IntN(10) == 0 {
				sb.AppendNull()
			} else {
				sb.Append(names[r.IntN(len(names))])
			}
		}
		s := sb.NewArray()
		sb.Release()
		e, err := NextDay(colExpr(0, d), colExpr(1, s))
		if err != nil {
			t.Fatal(err)
		}
		out := mustEval(t, mem, e, d, s)
		ok := valid(d, s)
		check(t, e.String(), out, func(i int) (int32, bool) {
			if !ok(i) {
				return 0, false
			}
			want, _ := ParseDayOfWeek(s.(*array.String).Value(i))
			tm := toTime(days32(d, i)).AddDate(0, 0, 1)
			for int(tm.Weekday())+1 != want {
				tm = tm.AddDate(0, 0, 1)
			}
			return int32(daysOf(tm)), true
		})
		out.Release()
		d.Release()
		s.Release()
	}
}

func TestMakeDateRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		y := randInt32s(mem, r, n, -3000, 5000)
		m := randInt32s(mem, r, n, 1, 13)
		d := randInt32s(mem, r, n, 1, 29)
		e, err := MakeDate(colExpr(0, y), colExpr(1, m), colExpr(2, d))
		if err != nil {
			t.Fatal(err)
		}
		out := mustEval(t, mem, e, y, m, d)
		ok := valid(y, m, d)
		check(t, e.String(), out, func(i int) (int32, bool) {
			if !ok(i) {
				return 0, false
			}
			return int32(daysOf(time.Date(int(int32At(y, i)), time.Month(int32At(m, i)), int(int32At(d, i)), 0, 0, 0, 0, time.UTC))), true
		})
		out.Release()
		for _, a := range []arrow.Array{y, m, d} {
			a.Release()
		}
	}
}

// int32Array builds an int32 array; nil is null.
func int32Array(mem memory.Allocator, vs ...any) arrow.Array {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	for _, v := range vs {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(int32(v.(int)))
		}
	}
	return b.NewArray()
}

func TestArithErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	// make_date: an invalid date is an error only on a non-null row.
	y, m, d := int32Array(mem, 2019, nil), int32Array(mem, 7, 13), int32Array(mem, 1, 1)
	defer y.Release()
	defer m.Release()
	defer d.Release()
	e, _ := MakeDate(colExpr(0, y), colExpr(1, m), colExpr(2, d))
	out := mustEval(t, mem, e, y, m, d)
	if out.IsNull(0) || out.IsValid(1) {
		t.Fatalf("make_date: %v", out)
	}
	out.Release()
	m2 := int32Array(mem, 2, 13)
	defer m2.Release()
	d2 := int32Array(mem, 30, 1)
	defer d2.Release()
	// One prefix (the call), then the cause: 2019 is not a leap year.
	want := "make_date(c0, c1, c2): invalid date: February 2019 has 28 days, not 30"
	if _, err := evalOn(t, mem, e, y, m2, d2); !errors.Is(err, expr.ErrInvalidCast) || err.Error() != want {
		t.Fatalf("make_date(2019, 2, 30): got %v, want %q", err, want)
	}
	lits, _ := MakeDate(intLit(t, 2023), intLit(t, 2), intLit(t, 29))
	want = "make_date(2023, 2, 29): invalid date: February 2023 has 28 days, not 29"
	if _, err := scalar(t, mem, lits); !errors.Is(err, expr.ErrInvalidCast) || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}

	cases := []struct {
		e   func() (expr.Expr, error)
		err error
	}{
		{func() (expr.Expr, error) { return DateAdd(lit(t, int64(math.MaxInt32-1), Date), intLit(t, 5), false) }, expr.ErrOverflow},
		{func() (expr.Expr, error) { return DateAdd(lit(t, int64(math.MinInt32+1), Date), intLit(t, 5), true) }, expr.ErrOverflow},
		{func() (expr.Expr, error) { return AddMonths(lit(t, int64(math.MaxInt32-40), Date), intLit(t, 3)) }, expr.ErrOverflow},
		{func() (expr.Expr, error) { return NextDay(dateLit(t, "2015-01-14"), strLit(t, "xx")) }, expr.ErrInvalidCast},
		{func() (expr.Expr, error) {
			return DateDiff(lit(t, int64(math.MaxInt32), Date), lit(t, int64(math.MinInt32), Date))
		}, expr.ErrOverflow},
	}
	for _, c := range cases {
		e, err := c.e()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := scalar(t, mem, e); !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want %v", e, err, c.err)
		}
	}
}

func TestUnixTimestampOfDatesAndTimestamps(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		d, ts := randDays(mem, r, n), randMicros(mem, r, n)
		for k, in := range []arrow.Array{d, ts} {
			e, err := UnixTimestamp(colExpr(0, in), DefaultPattern)
			if err != nil {
				t.Fatal(err)
			}
			out := mustEval(t, mem, e, in)
			check(t, e.String(), out, func(i int) (int64, bool) {
				if in.IsNull(i) {
					return 0, false
				}
				if k == 0 {
					return toTime(days32(in, i)).Unix(), true
				}
				return microTime(micros(in, i)).Unix(), true
			})
			out.Release()
		}
		d.Release()
		ts.Release()
	}
}
