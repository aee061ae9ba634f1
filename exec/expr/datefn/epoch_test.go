package datefn

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
)

func TestEpochUnitsRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		ts := randMicros(mem, r, n)
		units := []struct {
			name string
			per  int64
			ref  func(time.Time) int64
		}{
			{"unix_seconds", usPerSec, time.Time.Unix},
			{"unix_millis", 1000, time.Time.UnixMilli},
			{"unix_micros", 1, time.Time.UnixMicro},
		}
		for _, u := range units {
			e, err := UnixUnits(u.name, colExpr(0, ts), u.per)
			if err != nil {
				t.Fatal(err)
			}
			out := mustEval(t, mem, e, ts)
			check(t, e.String(), out, func(i int) (int64, bool) { return u.ref(microTime(micros(ts, i))), !ts.IsNull(i) })
			out.Release()
		}
		// Back from the counts: time.Unix / UnixMilli / UnixMicro as reference.
		secs := randInt64s(mem, r, n, -1e11, 1e11)
		for _, u := range []struct {
			name string
			per  int64
			ref  func(int64) time.Time
		}{
			{"timestamp_seconds", usPerSec, func(x int64) time.Time { return time.Unix(x, 0) }},
			{"timestamp_millis", 1000, time.UnixMilli},
			{"timestamp_micros", 1, time.UnixMicro},
		} {
			e, err := TimestampFromUnits(u.name, colExpr(0, secs), u.per)
			if err != nil {
				t.Fatal(err)
			}
			out := mustEval(t, mem, e, secs)
			sv := secs.(*array.Int64)
			check(t, e.String(), out, func(i int) (int64, bool) { return u.ref(sv.Value(i)).UnixMicro(), sv.IsValid(i) })
			out.Release()
		}
		days := randDays(mem, r, n)
		for _, month := range []bool{false, true} {
			e, err := DayOrMonthName(colExpr(0, days), month)
			if err != nil {
				t.Fatal(err)
			}
			out := mustEval(t, mem, e, days)
			s := out.(*array.String)
			for i := range n {
				if days.IsNull(i) != s.IsNull(i) {
					t.Fatalf("%s row %d: null mismatch", e, i)
				}
				if days.IsNull(i) {
					continue
				}
				tm := toTime(days32(days, i))
				want := tm.Weekday().String()[:3]
				if month {
					want = tm.Month().String()[:3]
				}
				if s.Value(i) != want {
					t.Fatalf("%s row %d (%s): got %s, want %s", e, i, tm.Format("2006-01-02"), s.Value(i), want)
				}
			}
			out.Release()
		}
		ts.Release()
		secs.Release()
		days.Release()
	}
}

func TestTimestampSecondsEdges(t *testing.T) {
	mem := exectest.Alloc(t)
	cases := []struct {
		v    float64
		want string
	}{
		{1230219000.5, "2008-12-25 15:30:00.500000"},
		{-0.5, "1969-12-31 23:59:59.500000"},
		{math.NaN(), "NULL"},
		{math.Inf(1), "NULL"},
	}
	for _, c := range cases {
		e, err := TimestampFromUnits("timestamp_seconds", lit(t, c.v, arrow.PrimitiveTypes.Float64), usPerSec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scalar(t, mem, e)
		if err != nil || got != c.want {
			t.Errorf("timestamp_seconds(%v): got %s, %v, want %s", c.v, got, err, c.want)
		}
	}
	e, _ := TimestampFromUnits("timestamp_seconds", lit(t, int64(math.MaxInt64/1000), arrow.PrimitiveTypes.Int64), usPerSec)
	if _, err := scalar(t, mem, e); err == nil {
		t.Error("timestamp_seconds overflow: no error")
	}
}
