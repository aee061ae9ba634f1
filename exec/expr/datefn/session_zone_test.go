package datefn

import (
	"math/big"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestZoneShiftMatchesNaive checks ZoneShift against time.Time: an
// instant's wall clock in the zone, and back (a wall clock of a gap moves
// forward by the gap; in an overlap the earlier offset wins, which a wall
// clock of a real instant reproduces).
func TestZoneShiftMatchesNaive(t *testing.T) {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	r := newRng(t)
	for _, n := range sizes {
		in := randMicros(mem, r, n)
		vals := arrow.GetValues[int64](in.Data(), 1)
		local := mustEval(t, mem, must(ZoneShift(colExpr(0, in), loc, true, 1, Timestamp)), in)
		lv := arrow.GetValues[int64](local.Data(), 1)
		check(t, "to local", local, func(i int) (int64, bool) {
			if in.IsNull(i) {
				return 0, false
			}
			w := time.UnixMicro(vals[i]).In(loc)
			_, off := w.Zone()
			return vals[i] + int64(off)*1_000_000, true
		})
		back := mustEval(t, mem, must(ZoneShift(colExpr(0, local), loc, false, 1, Timestamp)), local)
		check(t, "from local", back, func(i int) (int64, bool) {
			if in.IsNull(i) {
				return 0, false
			}
			// The wall clock of an instant in an overlap maps back to the
			// earlier offset, so compare with the instant that wall clock
			// first names.
			w := time.UnixMicro(lv[i]).UTC()
			first := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
			if e := first.Add(-time.Hour); e.Hour() == first.Hour() && e.Minute() == first.Minute() {
				first = e
			}
			return first.UnixMicro(), true
		})
		local.Release()
		back.Release()
		in.Release()
	}
}

// TestZoneShiftGap checks the gap and overlap rules on Los Angeles' 2024
// changes (hand computed): 02:30 on March 10 does not exist and is 03:30
// PDT (10:30 UTC); 01:30 on November 3 happens twice and is the PDT one
// (08:30 UTC).
func TestZoneShiftGap(t *testing.T) {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	cases := map[string]string{
		"2024-03-10 02:30:00": "2024-03-10 10:30:00",
		"2024-11-03 01:30:00": "2024-11-03 08:30:00",
		"2024-07-01 12:00:00": "2024-07-01 19:00:00",
	}
	for wall, want := range cases {
		w, _ := time.Parse(time.DateTime, wall)
		if got := time.UnixMicro(LocalToUTC(w.UnixMicro(), loc)).UTC().Format(time.DateTime); got != want {
			t.Errorf("%s in Los Angeles: %s, want %s UTC", wall, got, want)
		}
	}
}

// TestMakeDTIntervalMatchesNaive checks make_dt_interval against exact
// big-integer arithmetic on random fields, nulls and overflows included.
func TestMakeDTIntervalMatchesNaive(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	r := newRng(t)
	secT := &arrow.Decimal64Type{Precision: 18, Scale: 6}
	for _, n := range sizes {
		lo, hi := int32(-1_000_000), int32(1_000_000)
		if n == 7 { // beyond 106751991 days: an overflow in some row
			lo, hi = -200_000_000, 200_000_000
		}
		days := randInt32s(mem, r, n, lo, hi)
		hours := randInt32s(mem, r, n, -100, 100)
		mins := randInt32s(mem, r, n, -100, 100)
		sb := array.NewDecimal64Builder(mem, secT)
		for range n {
			if r.IntN(10) == 0 {
				sb.AppendNull()
				continue
			}
			sb.Append(decimal.Decimal64(1_000_000*(r.Int64N(200)-100) + r.Int64N(1_000_000)))
		}
		secs := sb.NewArray()
		sb.Release()
		e := must(MakeDTInterval(colExpr(0, days), colExpr(1, hours), colExpr(2, mins), colExpr(3, secs)))
		want := func(i int) (int64, bool, bool) { // value, valid, overflow
			if days.IsNull(i) || hours.IsNull(i) || mins.IsNull(i) || secs.IsNull(i) {
				return 0, false, false
			}
			v := new(big.Int).Mul(big.NewInt(int64(days.(*array.Int32).Value(i))), big.NewInt(usPerDay))
			v.Add(v, new(big.Int).Mul(big.NewInt(int64(hours.(*array.Int32).Value(i))), big.NewInt(3600*usPerSec)))
			v.Add(v, new(big.Int).Mul(big.NewInt(int64(mins.(*array.Int32).Value(i))), big.NewInt(60*usPerSec)))
			v.Add(v, big.NewInt(int64(secs.(*array.Decimal64).Value(i))))
			return v.Int64(), true, !v.IsInt64()
		}
		overflow := false
		for i := range n {
			if _, _, o := want(i); o {
				overflow = true
			}
		}
		out, err := evalOn(t, mem, e, days, hours, mins, secs)
		switch {
		case overflow && err == nil:
			out.Release()
			t.Fatalf("n=%d: no overflow error", n)
		case !overflow && err != nil:
			t.Fatalf("n=%d: %v", n, err)
		case err == nil:
			check(t, "make_dt_interval", out, func(i int) (int64, bool) { v, ok, _ := want(i); return v, ok })
			out.Release()
		}
		for _, a := range []arrow.Array{days, hours, mins, secs} {
			a.Release()
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
