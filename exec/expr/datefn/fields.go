package datefn

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// Part names a field extracted from a date or timestamp.
type Part int

// The fields Field extracts. Date fields of a timestamp are those of its UTC
// date; time fields of a date are 0.
const (
	Quarter      Part = iota // 1..4
	Month                    // 1..12
	DayOfMonth               // 1..31
	DayOfWeek                // 1 = Sunday ... 7 = Saturday
	DayOfYear                // 1..366
	WeekOfYear               // ISO-8601 week, 1..53
	Hour                     // 0..23
	Minute                   // 0..59
	Second                   // 0..59, fraction truncated
	Weekday                  // 0 = Monday ... 6 = Sunday
	DayOfWeekISO             // 1 = Monday ... 7 = Sunday (date_part's DOW_ISO)
	YearOfWeek               // the ISO-8601 week-numbering year (date_part's YEAROFWEEK)
)

var partNames = [...]string{"quarter", "month", "dayofmonth", "dayofweek", "dayofyear", "weekofyear", "hour", "minute", "second", "weekday",
	"dayofweek_iso", "yearofweek"}

// String is the SQL function name of p.
func (p Part) String() string {
	if p < 0 || int(p) >= len(partNames) {
		return fmt.Sprintf("Part(%d)", int(p))
	}
	return partNames[p]
}

// datePart computes a date field of days.
func datePart(p Part, days int64) int32 {
	switch p {
	case Quarter:
		_, m, _ := civil(days)
		return int32((m-1)/3 + 1)
	case Month:
		_, m, _ := civil(days)
		return int32(m)
	case DayOfMonth:
		_, _, d := civil(days)
		return int32(d)
	case DayOfWeek:
		return int32(dayOfWeek(days))
	case DayOfYear:
		return int32(dayOfYear(days))
	case WeekOfYear:
		return int32(isoWeek(days))
	case Weekday:
		return int32(isoWeekday(days) - 1)
	case DayOfWeekISO:
		return int32(isoWeekday(days))
	case YearOfWeek:
		return int32(isoYear(days))
	}
	return 0
}

// timePart computes a time field of the micros into a day.
func timePart(p Part, us int64) int32 {
	switch p {
	case Hour:
		return int32(us / 3600_000_000)
	case Minute:
		return int32(us / 60_000_000 % 60)
	case Second:
		return int32(us / 1_000_000 % 60)
	}
	return 0
}

// unitsPerDay returns the timestamp units in a day and the factors that
// convert a time of day in those units to microseconds (v * mul / div).
func unitsPerDay(u arrow.TimeUnit) (perDay, mul, div int64) {
	switch u {
	case arrow.Second:
		return 86400, usPerSec, 1
	case arrow.Millisecond:
		return 86400_000, 1000, 1
	case arrow.Nanosecond:
		return 86400 * 1_000_000_000, 1, 1000
	}
	return usPerDay, 1, 1
}

// Field returns the field p of e (a date or a timestamp of any unit) as
// int32.
func Field(p Part, e expr.Expr) (expr.Expr, error) {
	if p < 0 || int(p) >= len(partNames) {
		return nil, fmt.Errorf("datefn: unknown field %d", int(p))
	}
	if id := e.DataType().ID(); id != arrow.DATE32 && id != arrow.TIMESTAMP && id != arrow.NULL {
		return nil, fmt.Errorf("%s: argument %s has type %s", p, e, values.TypeName(e.DataType()))
	}
	isTime := p == Hour || p == Minute || p == Second
	k := &fixedKernel{name: p.String(), args: []expr.Expr{e}, typ: arrow.PrimitiveTypes.Int32, width: 4}
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		o := arrow.GetData[int32](out)
		switch in[0].DataType().ID() {
		case arrow.DATE32:
			if isTime {
				clear(o)
				return nil
			}
			for i, d := range int32s(in[0]) {
				o[i] = datePart(p, int64(d))
			}
		case arrow.TIMESTAMP:
			ts := int64s(in[0])
			perDay, mul, div := unitsPerDay(in[0].DataType().(*arrow.TimestampType).Unit)
			if isTime {
				for i, t := range ts {
					o[i] = timePart(p, floorMod(t, perDay)*mul/div)
				}
				return nil
			}
			for i, t := range ts {
				o[i] = datePart(p, floorDiv(t, perDay))
			}
		default:
			return fmt.Errorf("input is %s, not date or timestamp", values.TypeName(in[0].DataType()))
		}
		return nil
	}
	return k, nil
}

// SecondsType is the type of SecondWithFraction: DECIMAL(8,6).
var SecondsType arrow.DataType = values.DecimalType(8, 6)

// SecondWithFraction returns the seconds of a timestamp with their fraction
// (0 to 59.999999) as DECIMAL(8,6), what Spark's EXTRACT(SECOND ...) and
// date_part('SECOND', ...) give; a date has 0.
func SecondWithFraction(e expr.Expr) (expr.Expr, error) {
	if err := checkArg("date_part", e, arrow.DATE32, arrow.TIMESTAMP); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "date_part", args: []expr.Expr{e}, typ: SecondsType, width: 8,
		text: "date_part('SECOND', " + e.String() + ")"}
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		if in[0].DataType().ID() == arrow.DATE32 {
			clear(o)
			return nil
		}
		for i, t := range int64s(in[0]) {
			o[i] = floorMod(t, 60*usPerSec)
		}
		return nil
	}
	return k, nil
}

// isoYear is the ISO-8601 week-numbering year of days: the year of the
// Thursday of its week.
func isoYear(days int64) int64 {
	y, _, _ := civil(days - isoWeekday(days) + 4)
	return y
}
