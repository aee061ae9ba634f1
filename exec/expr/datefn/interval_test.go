package datefn

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// randInt64s returns n int64 values in [lo, hi), a tenth null.
func randInt64s(mem memory.Allocator, r interface {
	Int64N(int64) int64
	IntN(int) int
}, n int, lo, hi int64) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	for range n {
		if r.IntN(10) == 0 {
			b.AppendNull()
		} else {
			b.Append(lo + r.Int64N(hi-lo))
		}
	}
	return b.NewArray()
}

// refAddMonths is the naive reference of a timestamp plus n months with
// time.Time: the same time of day on the same day of the target month, or
// on its last day when the month is shorter.
func refAddMonths(us, n int64) int64 {
	t := microTime(us)
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1).UnixMicro()
}

// refMonthsUntil follows java.time's LocalDateTime.until(end, MONTHS) step
// by step with time.Time: the end date moves a day towards the start when
// its time of day has not been reached, then whole months are counted by
// (month, day) as LocalDate.until does.
func refMonthsUntil(a, b int64) int64 {
	ta, tb := microTime(a), microTime(b)
	tod := func(t time.Time) time.Duration { return t.Sub(t.Truncate(24 * time.Hour)) }
	da, db := ta.Truncate(24*time.Hour), tb.Truncate(24*time.Hour)
	if db.After(da) && tod(tb) < tod(ta) {
		db = db.AddDate(0, 0, -1)
	} else if db.Before(da) && tod(tb) > tod(ta) {
		db = db.AddDate(0, 0, 1)
	}
	months := int64(db.Year()-da.Year())*12 + int64(db.Month()-da.Month())
	if months > 0 && db.Day() < da.Day() {
		months--
	} else if months < 0 && db.Day() > da.Day() {
		months++
	}
	return months
}

func TestTimestampAddRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		ts := randMicros(mem, r, n)
		months := randInt64s(mem, r, n, -3000, 3000)
		us := randInt64s(mem, r, n, -100_000*usPerDay, 100_000*usPerDay)
		binaryCase(t, mem, func(a, b expr.Expr) (expr.Expr, error) { return TimestampAdd(MonthUnit, a, b) }, months, ts,
			func(i int) int64 { return refAddMonths(micros(ts, i), months.(*array.Int64).Value(i)) })
		binaryCase(t, mem, func(a, b expr.Expr) (expr.Expr, error) { return TimestampAdd(MicrosecondUnit, a, b) }, us, ts,
			func(i int) int64 {
				return microTime(micros(ts, i)).Add(time.Duration(us.(*array.Int64).Value(i)) * time.Microsecond).UnixMicro()
			})
		quarter, _ := ParseAddUnit("quarter")
		binaryCase(t, mem, func(a, b expr.Expr) (expr.Expr, error) { return TimestampAdd(quarter, a, b) }, months, ts,
			func(i int) int64 { return refAddMonths(micros(ts, i), 3*months.(*array.Int64).Value(i)) })
		ts2 := randMicros(mem, r, n)
		for _, name := range []string{"YEAR", "QUARTER", "MONTH"} {
			u, _ := ParseAddUnit(name)
			binaryCase(t, mem, func(a, b expr.Expr) (expr.Expr, error) { return TimestampDiff(u, a, b) }, ts, ts2,
				func(i int) int64 { return refMonthsUntil(micros(ts, i), micros(ts2, i)) / u.months })
		}
		for _, name := range []string{"WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"} {
			u, _ := ParseAddUnit(name)
			per := map[string]time.Duration{"WEEK": 7 * 24 * time.Hour, "DAY": 24 * time.Hour, "HOUR": time.Hour, "MINUTE": time.Minute,
				"SECOND": time.Second, "MILLISECOND": time.Millisecond, "MICROSECOND": time.Microsecond}[name]
			binaryCase(t, mem, func(a, b expr.Expr) (expr.Expr, error) { return TimestampDiff(u, a, b) }, ts, ts2,
				func(i int) int64 {
					// Whole units between the instants, truncated toward zero.
					d := new(big.Int).Sub(big.NewInt(micros(ts2, i)), big.NewInt(micros(ts, i)))
					return d.Quo(d, big.NewInt(per.Microseconds())).Int64()
				})
		}
		for _, a := range []arrow.Array{ts, months, us, ts2} {
			a.Release()
		}
	}
}

func TestTimestampAddExamples(t *testing.T) {
	mem := exectest.Alloc(t)
	cases := []struct {
		unit string
		q    int64
		ts   string
		want string
	}{
		// Spark's timestampadd examples, and month ends.
		{"HOUR", 8, "2022-02-11 20:30:00", "2022-02-12 04:30:00"},
		{"MONTH", 1, "2022-01-31 00:00:00", "2022-02-28 00:00:00"},
		{"SECOND", -10, "2022-01-01 00:00:00", "2021-12-31 23:59:50"},
		{"YEAR", 1, "2022-02-15 00:00:00", "2023-02-15 00:00:00"},
		{"MONTH", 1, "2020-01-31 10:00:00.5", "2020-02-29 10:00:00.500000"},
		{"YEAR", -1, "2020-02-29 23:59:59.999999", "2019-02-28 23:59:59.999999"},
		{"DAY", 1, "2020-01-01 10:00:00.5", "2020-01-02 10:00:00.500000"},
		{"WEEK", -1, "1970-01-03 12:00:00", "1969-12-27 12:00:00"},
	}
	for _, c := range cases {
		u, ok := ParseAddUnit(c.unit)
		if !ok {
			t.Fatalf("unit %s", c.unit)
		}
		e, err := TimestampAdd(u, lit(t, c.q, int64Type), tsLit(t, c.ts))
		if err != nil {
			t.Fatal(err)
		}
		got, err := scalar(t, mem, e)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: got %s, want %s", e, got, c.want)
		}
	}
	diffs := []struct {
		unit       string
		start, end string
		want       string
	}{
		// Spark's timestampdiff examples.
		{"HOUR", "2022-02-11 20:30:00", "2022-02-12 04:30:00", "8"},
		{"MONTH", "2022-01-01 00:00:00", "2022-02-28 00:00:00", "1"},
		{"SECOND", "2022-01-01 00:00:00", "2021-12-31 23:59:50", "-10"},
		{"YEAR", "2022-01-01 00:00:00", "2021-01-01 00:00:00", "-1"},
		// A month is complete when the day and time of day are reached.
		{"MONTH", "2020-01-31 10:00:00", "2020-03-01 09:00:00", "0"},
		{"MONTH", "2020-01-31 10:00:00", "2020-03-31 10:00:00", "2"},
		{"MONTH", "2020-03-31 10:00:00", "2020-01-31 10:00:01", "-1"},
	}
	for _, c := range diffs {
		u, _ := ParseAddUnit(c.unit)
		e, err := TimestampDiff(u, tsLit(t, c.start), tsLit(t, c.end))
		if err != nil {
			t.Fatal(err)
		}
		got, err := scalar(t, mem, e)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: got %s, want %s", e, got, c.want)
		}
	}
	// Overflow is an error, not a wrapped value.
	e, err := TimestampAdd(MicrosecondUnit, lit(t, int64(math.MaxInt64), int64Type), tsLit(t, "2020-01-01 00:00:00"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scalar(t, mem, e); !errors.Is(err, expr.ErrOverflow) {
		t.Errorf("%s: got %v, want an overflow error", e, err)
	}
	e, err = TimestampDiff(MicrosecondUnit, lit(t, int64(math.MinInt64), Timestamp), lit(t, int64(math.MaxInt64), Timestamp))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scalar(t, mem, e); !errors.Is(err, expr.ErrOverflow) {
		t.Errorf("%s: got %v, want an overflow error", e, err)
	}
}

func TestSecondWithFractionRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		ts := randMicros(mem, r, n)
		days := randDays(mem, r, n)
		for _, in := range []arrow.Array{ts, days} {
			e, err := SecondWithFraction(colExpr(0, in))
			if err != nil {
				t.Fatal(err)
			}
			out := mustEval(t, mem, e, in)
			check(t, e.String(), out, func(i int) (int64, bool) {
				if in.IsNull(i) {
					return 0, false
				}
				a, ok := in.(*array.Timestamp)
				if !ok {
					return 0, true // a date is at midnight
				}
				tm := microTime(int64(a.Value(i)))
				return int64(tm.Second())*1_000_000 + int64(tm.Nanosecond()/1000), true
			})
			out.Release()
		}
		ts.Release()
		days.Release()
	}
}
