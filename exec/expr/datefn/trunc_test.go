package datefn

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
)

// refTrunc truncates with Go's time package.
func refTrunc(tm time.Time, u TruncUnit) time.Time {
	switch u {
	case TruncYear:
		return time.Date(tm.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	case TruncQuarter:
		return time.Date(tm.Year(), (tm.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	case TruncMonth:
		return time.Date(tm.Year(), tm.Month(), 1, 0, 0, 0, 0, time.UTC)
	case TruncWeek:
		d := time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -int((tm.Weekday()+6)%7))
	case TruncDay:
		return time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, time.UTC)
	case TruncHour:
		return tm.Truncate(time.Hour)
	case TruncMinute:
		return tm.Truncate(time.Minute)
	case TruncSecond:
		return tm.Truncate(time.Second)
	case TruncMillisecond:
		return tm.Truncate(time.Millisecond)
	}
	return tm
}

func TestTruncRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	units := map[string]TruncUnit{"YEAR": TruncYear, "yy": TruncYear, "quarter": TruncQuarter, "MON": TruncMonth, "mm": TruncMonth,
		"week": TruncWeek, "DD": TruncDay, "hour": TruncHour, "minute": TruncMinute, "second": TruncSecond,
		"millisecond": TruncMillisecond, "microsecond": TruncMicrosecond}
	for _, n := range sizes {
		ts := randMicros(mem, r, n)
		days := randDays(mem, r, n)
		for name, u := range units {
			e, err := DateTrunc(name, colExpr(0, ts))
			if err != nil {
				t.Fatal(err)
			}
			out := mustEval(t, mem, e, ts)
			check(t, e.String(), out, func(i int) (int64, bool) {
				if ts.IsNull(i) {
					return 0, false
				}
				return refTrunc(microTime(micros(ts, i)), u).UnixMicro(), true
			})
			out.Release()
			e, err = Trunc(colExpr(0, days), name)
			if err != nil {
				t.Fatal(err)
			}
			out = mustEval(t, mem, e, days)
			check(t, e.String(), out, func(i int) (int32, bool) {
				if days.IsNull(i) || u > TruncWeek {
					return 0, false // trunc takes only units up to week; others give null
				}
				return int32(daysOf(refTrunc(toTime(days32(days, i)), u))), true
			})
			out.Release()
		}
		ts.Release()
		days.Release()
	}
}

func TestTruncUnknownUnit(t *testing.T) {
	mem := exectest.Alloc(t)
	for _, c := range []struct {
		unit string
		date bool
	}{{"decade", false}, {"", false}, {"day", true}, {"hour", true}, {"nope", true}} {
		var s string
		var err error
		if c.date {
			e, _ := Trunc(dateLit(t, "2019-08-04"), c.unit)
			s, err = scalar(t, mem, e)
			if e.DataType().ID() != arrow.DATE32 {
				t.Errorf("trunc type %s", e.DataType())
			}
		} else {
			e, _ := DateTrunc(c.unit, tsLit(t, "2015-03-05 09:32:05.359"))
			s, err = scalar(t, mem, e)
		}
		if err != nil || s != "NULL" {
			t.Errorf("unit %q (date %v): %q, %v; want NULL", c.unit, c.date, s, err)
		}
	}
}
