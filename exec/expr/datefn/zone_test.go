package datefn

import (
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

func mustZone(t *testing.T, s string) *time.Location {
	t.Helper()
	loc, err := ParseZone(s)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func wallUs(s string) int64 {
	tm, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return tm.UnixMicro()
}

func TestLocalToUTCJavaRules(t *testing.T) {
	la := mustZone(t, "America/Los_Angeles")
	cases := []struct{ wall, want string }{
		{"2021-01-15 12:00:00", "2021-01-15 20:00:00"}, // PST, -8
		{"2021-07-15 12:00:00", "2021-07-15 19:00:00"}, // PDT, -7
		// In the spring gap the wall clock moves forward by the gap (02:30 is 03:30 PDT).
		{"2021-03-14 02:30:00", "2021-03-14 10:30:00"},
		// In the autumn overlap the earlier offset (PDT) wins.
		{"2021-11-07 01:30:00", "2021-11-07 08:30:00"},
	}
	for _, c := range cases {
		if got := localToUTC(wallUs(c.wall), la); got != wallUs(c.want) {
			t.Errorf("%s in LA: got %s, want %s UTC", c.wall, tsText(got), c.want)
		}
	}
	seoul := mustZone(t, "Asia/Seoul")
	if got := utcToLocal(wallUs("2016-08-31 00:00:00"), seoul); got != wallUs("2016-08-31 09:00:00") {
		t.Errorf("Seoul wall clock: got %s", tsText(got))
	}
	for _, s := range []string{"+05:30", "UTC+5:30", "GMT+05:30"} {
		if got := localToUTC(wallUs("2021-01-01 00:00:00"), mustZone(t, s)); got != wallUs("2020-12-31 18:30:00") {
			t.Errorf("%s: got %s", s, tsText(got))
		}
	}
	for _, s := range []string{"Nowhere/City", "+25:00", "+1:2", ""} {
		if _, err := ParseZone(s); err == nil {
			t.Errorf("ParseZone(%q) accepted", s)
		}
	}
}

// TestZoneRoundTripRandom checks, for random instants, that the wall clock
// matches time.Time's and that reading it back gives the instant, or the
// earlier instant of an overlap with the same wall clock.
func TestZoneRoundTripRandom(t *testing.T) {
	r := newRng(t)
	for _, name := range []string{"America/Los_Angeles", "Europe/Brussels", "Australia/Lord_Howe", "Asia/Kolkata"} {
		loc := mustZone(t, name)
		for range 20000 {
			x := r.Int64N(200*365*usPerDay) - 100*365*usPerDay
			tm := time.UnixMicro(x).In(loc)
			_, off := tm.Zone()
			w := utcToLocal(x, loc)
			if w != x+int64(off)*usPerSec {
				t.Fatalf("%s: wall clock of %s: got %s", name, tsText(x), tsText(w))
			}
			back := localToUTC(w, loc)
			if back != x && (back > x || utcToLocal(back, loc) != w) {
				t.Fatalf("%s: %s → wall %s → %s", name, tsText(x), tsText(w), tsText(back))
			}
		}
	}
}

func TestMakeTimestamp(t *testing.T) {
	mem := exectest.Alloc(t)
	i32 := func(v int64) expr.Expr { return intLit(t, v) }
	sec := func(us int64) expr.Expr {
		d, err := values.ParseDecimal(strconv.FormatFloat(float64(us)/1e6, 'f', 6, 64))
		if err != nil {
			t.Fatal(err)
		}
		return lit(t, d, SecondsArgType)
	}
	cases := []struct {
		y, mo, d, h, mi, us int64
		zone                string
		want                string
	}{
		// Spark's make_timestamp examples (the CET one in a UTC session).
		{2014, 12, 28, 6, 30, 45_887_000, "UTC", "2014-12-28 06:30:45.887000"},
		{2014, 12, 28, 6, 30, 45_887_000, "CET", "2014-12-28 05:30:45.887000"},
		{2019, 6, 30, 23, 59, 60_000_000, "UTC", "2019-07-01 00:00:00"},
		{2019, 6, 30, 23, 59, 1_000_000, "UTC", "2019-06-30 23:59:01"},
		{1969, 12, 31, 23, 59, 59_999_999, "UTC", "1969-12-31 23:59:59.999999"},
	}
	for _, c := range cases {
		e, err := MakeTimestamp([]expr.Expr{i32(c.y), i32(c.mo), i32(c.d), i32(c.h), i32(c.mi), sec(c.us)}, mustZone(t, c.zone), false)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scalar(t, mem, e)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s in %s: got %s, want %s", e, c.zone, got, c.want)
		}
	}
	bad := [][6]int64{{2024, 13, 22, 15, 30, 0}, {2019, 2, 29, 0, 0, 0}, {2019, 6, 30, 24, 0, 0}, {2019, 6, 30, 23, 60, 0}, {2019, 6, 30, 23, 59, 60_500_000}, {2019, 6, 30, 23, 59, -1}}
	for _, b := range bad {
		args := []expr.Expr{i32(b[0]), i32(b[1]), i32(b[2]), i32(b[3]), i32(b[4]), sec(b[5])}
		e, _ := MakeTimestamp(args, time.UTC, false)
		if got, err := scalar(t, mem, e); err == nil {
			t.Errorf("%s: got %s, want an error", e, got)
		}
		e, _ = MakeTimestamp(args, time.UTC, true)
		if got, err := scalar(t, mem, e); err != nil || got != "(null)" && got != "NULL" {
			t.Errorf("%s: got %s, %v, want NULL", e, got, err)
		}
	}
}

func TestMakeTimestampRandom(t *testing.T) {
	mem := exectest.Alloc(t)
	r := newRng(t)
	for _, n := range sizes {
		ts := randMicros(mem, r, n)
		cols := make([]arrow.Array, 6)
		bs := []*array.Int32Builder{}
		for range 5 {
			bs = append(bs, array.NewInt32Builder(mem))
		}
		sb := array.NewDecimal64Builder(mem, SecondsArgType)
		for i := range n {
			if ts.IsNull(i) {
				for _, b := range bs {
					b.AppendNull()
				}
				sb.AppendNull()
				continue
			}
			tm := microTime(micros(ts, i))
			for j, v := range []int{tm.Year(), int(tm.Month()), tm.Day(), tm.Hour(), tm.Minute()} {
				bs[j].Append(int32(v))
			}
			sb.Append(decimal.Decimal64(int64(tm.Second())*1_000_000 + int64(tm.Nanosecond()/1000)))
		}
		for j, b := range bs {
			cols[j] = b.NewArray()
			b.Release()
		}
		cols[5] = sb.NewArray()
		sb.Release()
		args := make([]expr.Expr, 6)
		for j, c := range cols {
			args[j] = colExpr(j, c)
		}
		e, err := MakeTimestamp(args, time.UTC, false)
		if err != nil {
			t.Fatal(err)
		}
		out := mustEval(t, mem, e, cols...)
		check(t, e.String(), out, func(i int) (int64, bool) { return micros(ts, i), !ts.IsNull(i) })
		out.Release()
		for _, c := range cols {
			c.Release()
		}
		ts.Release()
	}
}
