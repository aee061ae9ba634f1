package values

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// The Arrow types of Spark's interval types. A year-month interval
// (INTERVAL YEAR TO MONTH) is a number of months in an Arrow month interval
// (int32); a day-time interval (INTERVAL DAY TO SECOND) is a number of
// microseconds in an Arrow duration of microseconds (int64); the legacy
// CalendarInterval of make_interval (months, days and microseconds kept
// apart) is an Arrow month-day-nano interval whose nanoseconds are whole
// microseconds. Arrow types carry no start and end fields, so gspark's
// interval types are always the widest ranges of each kind.
var (
	YearMonthIntervalType arrow.DataType = arrow.FixedWidthTypes.MonthInterval
	DayTimeIntervalType   arrow.DataType = &arrow.DurationType{Unit: arrow.Microsecond}
	CalendarIntervalType  arrow.DataType = arrow.FixedWidthTypes.MonthDayNanoInterval
)

// IsYearMonthInterval reports whether t is the year-month interval type.
func IsYearMonthInterval(t arrow.DataType) bool { return t != nil && t.ID() == arrow.INTERVAL_MONTHS }

// IsDayTimeInterval reports whether t is the day-time interval type (any
// Arrow duration).
func IsDayTimeInterval(t arrow.DataType) bool { return t != nil && t.ID() == arrow.DURATION }

// IsCalendarInterval reports whether t is the legacy calendar interval type.
func IsCalendarInterval(t arrow.DataType) bool {
	return t != nil && t.ID() == arrow.INTERVAL_MONTH_DAY_NANO
}

// IsInterval reports whether t is any interval type.
func IsInterval(t arrow.DataType) bool {
	return IsYearMonthInterval(t) || IsDayTimeInterval(t) || IsCalendarInterval(t)
}

// YearMonthInterval is the row form of a year-month interval: months.
type YearMonthInterval int32

// String renders the interval as Spark's SQL CLI and documented examples
// do (the Hive style): years-months with the sign in front, "-1-2".
func (v YearMonthInterval) String() string {
	m := int64(v)
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d-%d", sign, m/12, m%12)
}

// ANSI renders the interval as Spark's CAST(... AS STRING) does for the type
// INTERVAL YEAR TO MONTH: INTERVAL '1-2' YEAR TO MONTH.
func (v YearMonthInterval) ANSI() string { return "INTERVAL '" + v.String() + "' YEAR TO MONTH" }

// DayTimeInterval is the row form of a day-time interval: microseconds.
type DayTimeInterval int64

const (
	microsPerMinute = 60_000_000
	microsPerHour   = 60 * microsPerMinute
	microsPerDay    = 24 * microsPerHour
)

// dtParts splits |v| into days, hours, minutes and microseconds of the
// minute, with the sign.
func (v DayTimeInterval) dtParts() (sign string, days, hours, minutes, secMicros uint64) {
	u := uint64(v)
	if v < 0 {
		sign = "-"
		u = uint64(-(v + 1)) + 1 // |MinInt64| without overflow
	}
	return sign, u / microsPerDay, u % microsPerDay / microsPerHour, u % microsPerHour / microsPerMinute, u % microsPerMinute
}

// String renders the interval as Spark's SQL CLI and documented examples
// do (the Hive style): days hh:mm:ss.nnnnnnnnn, "1 12:30:01.001001000".
func (v DayTimeInterval) String() string {
	sign, d, h, m, s := v.dtParts()
	return fmt.Sprintf("%s%d %02d:%02d:%02d.%09d", sign, d, h, m, s/1e6, s%1e6*1000)
}

// ANSI renders the interval as Spark's CAST(... AS STRING) does for the type
// INTERVAL DAY TO SECOND: INTERVAL '1 02:03:04.5' DAY TO SECOND, the
// fraction without trailing zeros.
func (v DayTimeInterval) ANSI() string {
	sign, d, h, m, s := v.dtParts()
	return fmt.Sprintf("INTERVAL '%s%d %02d:%02d:%s' DAY TO SECOND", sign, d, h, m, secondsText(s))
}

// secondsText renders microseconds of a minute as ss[.ffffff] without
// trailing zeros of the fraction.
func secondsText(us uint64) string {
	s := fmt.Sprintf("%02d", us/1e6)
	if f := us % 1e6; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%06d", f), "0")
	}
	return s
}

// CalendarInterval is the row form of Spark's legacy interval type
// (CalendarIntervalType, the result of make_interval): months, days and
// microseconds, each kept apart since a month has no fixed number of days
// and a day no fixed number of microseconds across a daylight saving change.
type CalendarInterval struct {
	Months, Days int32
	Micros       int64
}

// String renders the interval as Spark does: "1 years 2 months 3 days 4
// hours 5 minutes 6.000007 seconds", zero fields left out, "0 seconds" for
// the zero interval.
func (v CalendarInterval) String() string {
	var parts []string
	add := func(n int64, unit string) {
		if n != 0 {
			parts = append(parts, strconv.FormatInt(n, 10)+" "+unit)
		}
	}
	add(int64(v.Months/12), "years")
	add(int64(v.Months%12), "months")
	add(int64(v.Days), "days")
	us := v.Micros
	add(us/microsPerHour, "hours")
	us %= microsPerHour
	add(us/microsPerMinute, "minutes")
	us %= microsPerMinute
	if us != 0 {
		sign := ""
		if us < 0 {
			sign, us = "-", -us
		}
		s := strconv.FormatInt(us/1e6, 10)
		if f := us % 1e6; f != 0 {
			s += "." + strings.TrimRight(fmt.Sprintf("%06d", f), "0")
		}
		parts = append(parts, sign+s+" seconds")
	}
	if len(parts) == 0 {
		return "0 seconds"
	}
	return strings.Join(parts, " ")
}

// intervalValue is Value for the interval arrays.
func intervalValue(arr arrow.Array, i int) (any, bool) {
	switch arr.DataType().ID() {
	case arrow.INTERVAL_MONTHS:
		return YearMonthInterval(arrow.GetValues[int32](arr.Data(), 1)[i]), true
	case arrow.DURATION:
		v := arrow.GetValues[int64](arr.Data(), 1)[i]
		switch arr.DataType().(*arrow.DurationType).Unit {
		case arrow.Second:
			v = satMul(v, 1e6)
		case arrow.Millisecond:
			v = satMul(v, 1e3)
		case arrow.Nanosecond:
			v /= 1e3
		}
		return DayTimeInterval(v), true
	case arrow.INTERVAL_MONTH_DAY_NANO:
		x := arrow.GetValues[arrow.MonthDayNanoInterval](arr.Data(), 1)[i]
		return CalendarInterval{Months: x.Months, Days: x.Days, Micros: x.Nanoseconds / 1e3}, true
	}
	return nil, false
}

func satMul(v, f int64) int64 {
	if v > math.MaxInt64/f {
		return math.MaxInt64
	}
	if v < math.MinInt64/f {
		return math.MinInt64
	}
	return v * f
}
