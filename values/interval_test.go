package values

import (
	"math"
	"testing"
)

// TestIntervalText checks the interval texts against Spark's documented
// outputs (make_dt_interval, make_ym_interval, make_interval examples) and
// hand-computed cases.
func TestIntervalText(t *testing.T) {
	cases := []struct {
		v    interface{ String() string }
		want string
	}{
		{YearMonthInterval(14), "1-2"},
		{YearMonthInterval(-11), "-0-11"},
		{YearMonthInterval(24), "2-0"},
		{YearMonthInterval(math.MinInt32), "-178956970-8"},
		{DayTimeInterval(((36*60+30)*60+1)*1e6 + 1001), "1 12:30:01.001001000"},
		{DayTimeInterval(2 * 86400e6), "2 00:00:00.000000000"},
		{DayTimeInterval(-3_723_500_000), "-0 01:02:03.500000000"},
		{DayTimeInterval(math.MinInt64), "-106751991 04:00:54.775808000"},
		{CalendarInterval{Months: 1211, Days: 8, Micros: (12*3600+30*60+1)*1e6 + 1001}, "100 years 11 months 8 days 12 hours 30 minutes 1.001001 seconds"},
		{CalendarInterval{Months: 1, Days: 1, Micros: 100_000_001}, "1 months 1 days 1 minutes 40.000001 seconds"},
		{CalendarInterval{}, "0 seconds"},
	}
	for _, c := range cases {
		if got := c.v.String(); got != c.want {
			t.Errorf("%#v: got %q, want %q", c.v, got, c.want)
		}
	}
	ansi := map[string]string{
		YearMonthInterval(14).ANSI():           "INTERVAL '1-2' YEAR TO MONTH",
		DayTimeInterval(93_784_500_000).ANSI(): "INTERVAL '1 02:03:04.5' DAY TO SECOND",
		DayTimeInterval(-86400e6).ANSI():       "INTERVAL '-1 00:00:00' DAY TO SECOND",
	}
	for got, want := range ansi {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
