package datefn

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/gspark/gspark/exec/expr"
)

// UnixUnits returns the whole units (per microseconds in a unit: 1e6 for
// unix_seconds, 1000 for unix_millis, 1 for unix_micros) since the epoch of
// the timestamp ts as a bigint, rounded down (an instant before the epoch
// with a fraction counts the unit it falls in).
func UnixUnits(name string, ts expr.Expr, per int64) (expr.Expr, error) {
	if err := checkArg(name, ts, arrow.TIMESTAMP); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: name, args: []expr.Expr{ts}, typ: arrow.PrimitiveTypes.Int64, width: 8}
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		for i, x := range int64s(in[0]) {
			o[i] = floorDiv(x, per)
		}
		return nil
	}
	return k, nil
}

// UnixDate returns the days since 1970-01-01 of a date as an int
// (unix_date).
func UnixDate(d expr.Expr) (expr.Expr, error) {
	if err := checkArg("unix_date", d, arrow.DATE32); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "unix_date", args: []expr.Expr{d}, typ: arrow.PrimitiveTypes.Int32, width: 4}
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		copy(arrow.GetData[int32](out), int32s(in[0]))
		return nil
	}
	return k, nil
}

// DateFromUnixDate returns the date n (an int32) days after 1970-01-01
// (date_from_unix_date).
func DateFromUnixDate(n expr.Expr) (expr.Expr, error) {
	if err := checkArg("date_from_unix_date", n, arrow.INT32); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "date_from_unix_date", args: []expr.Expr{n}, typ: Date, width: 4}
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		copy(arrow.GetData[int32](out), int32s(in[0]))
		return nil
	}
	return k, nil
}

// TimestampFromUnits returns the timestamp n units after the epoch: n is an
// int64 count of units of per microseconds (timestamp_seconds,
// timestamp_millis, timestamp_micros), or for timestamp_seconds a
// DECIMAL(18,6) (its unscaled value is microseconds) or a double (truncated
// to the microsecond; NaN and infinities give NULL, as in Spark). A result
// that does not fit a timestamp is an overflow error.
func TimestampFromUnits(name string, n expr.Expr, per int64) (expr.Expr, error) {
	t := n.DataType()
	switch {
	case t.ID() == arrow.INT64, t.ID() == arrow.NULL:
	case t.ID() == arrow.FLOAT64 && per == usPerSec:
	case t.ID() == arrow.DECIMAL64 && per == usPerSec && t.(*arrow.Decimal64Type).Scale == 6:
	default:
		return nil, checkArg(name, n, arrow.INT64)
	}
	isFloat := t.ID() == arrow.FLOAT64
	if t.ID() == arrow.DECIMAL64 {
		per = 1 // the unscaled DECIMAL(18,6) is microseconds
	}
	k := &fixedKernel{name: name, args: []expr.Expr{n}, typ: Timestamp, width: 8, mayNull: isFloat}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		if isFloat {
			for i, f := range arrow.GetValues[float64](in[0].Data(), 1) {
				us := f * 1e6
				switch {
				case math.IsNaN(f) || math.IsInf(f, 0):
					bitutil.ClearBit(valid, i)
					o[i] = 0
				case us >= math.MaxInt64 || us < math.MinInt64:
					if isValid(valid, i) {
						return overflowf("%v seconds does not fit a timestamp", f)
					}
				default:
					o[i] = int64(us)
				}
			}
			return nil
		}
		xs := int64s(in[0])
		for i, x := range xs {
			r, ok := mulAdd(0, x, per)
			if !ok {
				if isValid(valid, i) {
					return overflowf("%d does not fit a timestamp", x)
				}
				r = 0
			}
			o[i] = r
		}
		return nil
	}
	return k, nil
}

// DayOrMonthName returns the three-letter English day (dayname, month false)
// or month (monthname) name of a date.
func DayOrMonthName(d expr.Expr, month bool) (expr.Expr, error) {
	name := "dayname"
	if month {
		name = "monthname"
	}
	if err := checkArg(name, d, arrow.DATE32); err != nil {
		return nil, err
	}
	k := &stringKernel{name: name, args: []expr.Expr{d}}
	k.run = func(in []arrow.Array, valid []byte, b *array.StringBuilder) error {
		for i, x := range int32s(in[0]) {
			switch {
			case !isValid(valid, i):
				b.AppendNull()
			case month:
				_, m, _ := civil(int64(x))
				b.Append(monthNames[m-1][:3])
			default:
				b.Append(dayNames[dayOfWeek(int64(x))-1][:3])
			}
		}
		return nil
	}
	return k, nil
}
