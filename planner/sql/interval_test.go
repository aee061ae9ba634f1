package sql

import (
	"strings"
	"testing"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// TestIntervalLiterals checks the kind and amount (months, days or
// microseconds, computed by hand) each interval spelling adds to a column.
func TestIntervalLiterals(t *testing.T) {
	const day, hour, minute, sec = 86400_000_000, 3600_000_000, 60_000_000, 1_000_000
	cases := []struct {
		sql    string
		kind   string
		amount int64
	}{
		{"ts + INTERVAL '1' DAY", functions.IntervalDays, 1},
		{"ts + INTERVAL 1 DAY", functions.IntervalDays, 1},
		{"ts - INTERVAL '1' DAY", functions.IntervalDays, -1},
		{"ts + INTERVAL '-3' DAYS", functions.IntervalDays, -3},
		{"ts + INTERVAL -'3' DAY", functions.IntervalDays, -3},
		{"ts - INTERVAL -3 DAY", functions.IntervalDays, 3},
		{"ts + INTERVAL 2 WEEKS", functions.IntervalDays, 14},
		{"ts + INTERVAL 1 DAY 2 DAYS", functions.IntervalDays, 3},
		{"ts + INTERVAL '1' MONTH", functions.IntervalYearMonth, 1},
		{"ts + INTERVAL 2 YEARS 3 MONTHS", functions.IntervalYearMonth, 27},
		{"ts + INTERVAL '1-2' YEAR TO MONTH", functions.IntervalYearMonth, 14},
		{"ts - INTERVAL '-1-2' YEAR TO MONTH", functions.IntervalYearMonth, 14},
		{"ts + INTERVAL '2' HOUR", functions.IntervalDayTime, 2 * hour},
		{"ts + INTERVAL '24' HOURS", functions.IntervalDayTime, 24 * hour},
		{"ts + INTERVAL 1 DAY 2 HOURS", functions.IntervalDayTime, day + 2*hour},
		{"ts + INTERVAL '1.5' SECOND", functions.IntervalDayTime, 1500_000},
		{"ts + INTERVAL 250 MILLISECONDS 7 MICROSECONDS", functions.IntervalDayTime, 250_007},
		{"ts + INTERVAL '1 2:03:04.25' DAY TO SECOND", functions.IntervalDayTime, day + 2*hour + 3*minute + 4*sec + 250_000},
		{"ts + INTERVAL '-1 2' DAY TO HOUR", functions.IntervalDayTime, -(day + 2*hour)},
		{"ts + INTERVAL '1 2:03' DAY TO MINUTE", functions.IntervalDayTime, day + 2*hour + 3*minute},
		{"ts + INTERVAL '30:00' HOUR TO MINUTE", functions.IntervalDayTime, 30 * hour},
		{"ts + INTERVAL '2:03:04' HOUR TO SECOND", functions.IntervalDayTime, 2*hour + 3*minute + 4*sec},
		{"ts + INTERVAL '3:04.5' MINUTE TO SECOND", functions.IntervalDayTime, 3*minute + 4*sec + 500_000},
		{"ts + INTERVAL '1 day 2 hours'", functions.IntervalDayTime, day + 2*hour},
		{"INTERVAL '1' DAY + ts", functions.IntervalDays, 1},
	}
	for _, c := range cases {
		e := parseExpr(t, c.sql)
		f, ok := e.(*logical.Func)
		if !ok || f.Name != functions.AddIntervalName || len(f.Args) != 3 {
			t.Errorf("%s: got %s", c.sql, logical.StripIDs(e.String()))
			continue
		}
		kind := f.Args[1].(*logical.Literal).Value.(string)
		amount := f.Args[2].(*logical.Literal).Value.(int64)
		if kind != c.kind || amount != c.amount {
			t.Errorf("%s: got %s %d, want %s %d", c.sql, kind, amount, c.kind, c.amount)
		}
	}
}

func TestIntervalErrors(t *testing.T) {
	cases := map[string]string{
		"ts + INTERVAL 1 YEAR 2 DAYS":                    "mixes year-month and day-time fields",
		"ts + INTERVAL '1 25:00' DAY TO MINUTE":          "hour 25 is out of range [0, 23]",
		"ts + INTERVAL '1-12' YEAR TO MONTH":             "month 12 is out of range [0, 11]",
		"ts + INTERVAL '1:60' HOUR TO MINUTE":            "minute 60 is out of range [0, 59]",
		"ts + INTERVAL '1 2' DAY TO SECOND":              "expected the format 'd h:m:s'",
		"ts + INTERVAL '1' YEAR TO DAY":                  "unsupported interval range YEAR TO DAY",
		"ts + INTERVAL 1.5 DAYS":                         "only seconds can have a fractional part",
		"ts + INTERVAL '0.0000001' SECOND":               "finer than a microsecond",
		"ts + INTERVAL 1 FORTNIGHT":                      "expected an interval unit",
		"ts + INTERVAL '1 fortnight'":                    "unknown unit fortnight",
		"ts + INTERVAL 2147483648 MONTHS":                "out of the year-month interval range",
		"ts + INTERVAL 106751992 DAYS 0 SECONDS":         "out of the day-time interval range",
		"date_part('DAY', INTERVAL '1-2' YEAR TO MONTH)": "the field DAY is not supported for a year-month interval",
	}
	for sql, want := range cases {
		_, err := ParseQuery("SELECT " + sql + " FROM t")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", sql, err, want)
		}
	}
}

// TestIntervalFields checks date_part and EXTRACT of interval literals,
// folded to literals (values by hand, fields truncated toward zero).
func TestIntervalFields(t *testing.T) {
	cases := map[string]string{
		"date_part('days', INTERVAL 5 DAYS 3 HOURS 7 MINUTES)":                            "5",
		"date_part('seconds', INTERVAL 5 HOURS 30 SECONDS 1 MILLISECONDS 1 MICROSECONDS)": "30.001001",
		"date_part('MONTH', INTERVAL '2021-11' YEAR TO MONTH)":                            "11",
		"EXTRACT(YEAR FROM INTERVAL '2021-11' YEAR TO MONTH)":                             "2021",
		"EXTRACT(MINUTE FROM INTERVAL '123 23:55:59.002001' DAY TO SECOND)":               "55",
		"EXTRACT(HOUR FROM INTERVAL '-1 2:03' DAY TO MINUTE)":                             "-2",
		"EXTRACT(SECOND FROM INTERVAL '-0.5' SECOND)":                                     "-0.500000",
	}
	for sql, want := range cases {
		e := parseExpr(t, sql)
		lit, ok := e.(*logical.Literal)
		if !ok {
			t.Errorf("%s: got %s, want a literal", sql, e)
			continue
		}
		if got := lit.String(); got != want {
			t.Errorf("%s: got %s, want %s", sql, got, want)
		}
	}
}
