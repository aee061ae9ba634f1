package datefn

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// TruncUnit is a unit date_trunc and trunc truncate to.
type TruncUnit int

// The truncation units, coarsest first.
const (
	TruncYear TruncUnit = iota
	TruncQuarter
	TruncMonth
	TruncWeek // to the Monday of the week
	TruncDay
	TruncHour
	TruncMinute
	TruncSecond
	TruncMillisecond
	TruncMicrosecond
)

// ParseTruncUnit parses a unit name as Spark does (case-insensitive): year,
// yyyy, yy, quarter, month, mon, mm, week, day, dd, hour, minute, second,
// millisecond, microsecond. trunc accepts only units up to week (dateOnly).
func ParseTruncUnit(s string, dateOnly bool) (TruncUnit, bool) {
	var u TruncUnit
	switch strings.ToLower(s) {
	case "year", "yyyy", "yy":
		u = TruncYear
	case "quarter":
		u = TruncQuarter
	case "month", "mon", "mm":
		u = TruncMonth
	case "week":
		u = TruncWeek
	case "day", "dd":
		u = TruncDay
	case "hour":
		u = TruncHour
	case "minute":
		u = TruncMinute
	case "second":
		u = TruncSecond
	case "millisecond":
		u = TruncMillisecond
	case "microsecond":
		u = TruncMicrosecond
	default:
		return 0, false
	}
	if dateOnly && u > TruncWeek {
		return 0, false
	}
	return u, true
}

// truncDays truncates a date to a unit of at least a day.
func truncDays(days int64, u TruncUnit) int64 {
	switch u {
	case TruncYear:
		y, _, _ := civil(days)
		return daysFromCivil(y, 1, 1)
	case TruncQuarter:
		y, m, _ := civil(days)
		return daysFromCivil(y, (m-1)/3*3+1, 1)
	case TruncMonth:
		_, _, d := civil(days)
		return days - d + 1
	case TruncWeek:
		return days - isoWeekday(days) + 1
	}
	return days
}

// DateTrunc returns the timestamp ts truncated to unit (date_trunc(unit,
// ts)). An unknown unit makes every result null, as in Spark.
func DateTrunc(unit string, ts expr.Expr) (expr.Expr, error) {
	if err := checkArg("date_trunc", ts, arrow.TIMESTAMP); err != nil {
		return nil, err
	}
	u, ok := ParseTruncUnit(unit, false)
	if !ok {
		return expr.Literal(nil, Timestamp)
	}
	lit, _ := expr.Literal(unit, arrow.BinaryTypes.String)
	k := &fixedKernel{name: "date_trunc", args: []expr.Expr{ts}, typ: Timestamp, width: 8}
	k.text = "date_trunc(" + lit.String() + ", " + ts.String() + ")"
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		src := int64s(in[0])
		var step int64
		switch u {
		case TruncHour:
			step = 3600 * usPerSec
		case TruncMinute:
			step = 60 * usPerSec
		case TruncSecond:
			step = usPerSec
		case TruncMillisecond:
			step = 1000
		case TruncMicrosecond:
			copy(o, src)
			return nil
		}
		if step > 0 {
			for i, t := range src {
				o[i] = floorDiv(t, step) * step
			}
			return nil
		}
		for i, t := range src {
			o[i] = truncDays(floorDiv(t, usPerDay), u) * usPerDay
		}
		return nil
	}
	return k, nil
}

// Trunc returns the date truncated to unit (trunc(date, unit)): year,
// quarter, month or week. An unknown unit makes every result null.
func Trunc(date expr.Expr, unit string) (expr.Expr, error) {
	if err := checkArg("trunc", date, arrow.DATE32); err != nil {
		return nil, err
	}
	u, ok := ParseTruncUnit(unit, true)
	if !ok {
		return expr.Literal(nil, Date)
	}
	lit, _ := expr.Literal(unit, arrow.BinaryTypes.String)
	k := &fixedKernel{name: "trunc", args: []expr.Expr{date}, typ: Date, width: 4}
	k.text = "trunc(" + date.String() + ", " + lit.String() + ")"
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		o := arrow.GetData[int32](out)
		for i, d := range int32s(in[0]) {
			o[i] = int32(truncDays(int64(d), u))
		}
		return nil
	}
	return k, nil
}
