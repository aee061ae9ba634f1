package functions

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
)

// zoneFunctions are make_timestamp and the time zone conversions. The
// session time zone is UTC; a zone argument must be a string literal.
func zoneFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: "make_timestamp", Aliases: []string{"make_timestamp_ltz"}, MinArgs: 6, MaxArgs: 7, Resolve: resolveMakeTimestamp, Compile: compileMakeTimestamp(false)},
		{Name: "make_timestamp_ntz", MinArgs: 6, MaxArgs: 6, Resolve: resolveMakeTimestamp, Compile: compileMakeTimestamp(false)},
		{Name: "try_make_timestamp_ntz", MinArgs: 6, MaxArgs: 6, Resolve: resolveMakeTimestamp, Compile: compileMakeTimestamp(true)},
		{Name: "try_make_timestamp", Aliases: []string{"try_make_timestamp_ltz"}, MinArgs: 6, MaxArgs: 7, Resolve: resolveMakeTimestamp, Compile: compileMakeTimestamp(true)},
		{Name: "from_utc_timestamp", MinArgs: 2, MaxArgs: 2, Resolve: resolveZoneShift, Compile: compileZoneShift},
		{Name: "to_utc_timestamp", MinArgs: 2, MaxArgs: 2, Resolve: resolveZoneShift, Compile: compileZoneShift},
		{Name: "convert_timezone", MinArgs: 2, MaxArgs: 3, Resolve: resolveConvertTimezone, Compile: compileConvertTimezone},
	}
}

// zoneArg reads a time zone literal argument.
func zoneArg(name string, e logical.Expr) (*time.Location, error) {
	s, err := StringLiteralArg(name, e)
	if err != nil {
		return nil, err
	}
	loc, err := datefn.ParseZone(s)
	if err != nil {
		return nil, logical.AnalysisErr("%s: %v", name, err)
	}
	return loc, nil
}

// resolveMakeTimestamp types make_timestamp(year, month, day, hour, min,
// sec[, timezone]): the first five as int, sec as DECIMAL(16,6), the
// optional zone a string literal; the result is a timestamp.
func resolveMakeTimestamp(name string, args []logical.Expr) (logical.Expr, error) {
	out := make([]logical.Expr, len(args))
	for i, a := range args[:6] {
		switch t := dtValueType(a.DataType()); {
		case logical.IsInteger(t), t.ID() == arrow.NULL, logical.IsString(t):
		case i == 5 && (logical.IsDecimal(t) || t.ID() == arrow.FLOAT64 || t.ID() == arrow.FLOAT32):
		default:
			return nil, ArgError(name, a, "numeric arguments")
		}
		if i < 5 {
			out[i] = logical.CastTo(a, arrow.PrimitiveTypes.Int32)
		} else {
			out[i] = logical.CastTo(a, datefn.SecondsArgType)
		}
	}
	if len(args) == 7 {
		if _, err := zoneArg(name, args[6]); err != nil {
			return nil, err
		}
		out[6] = args[6]
	}
	return &logical.Func{Name: name, Args: out, Type: datefn.Timestamp, MayBeNull: strings.HasPrefix(name, "try_")}, nil
}

func compileMakeTimestamp(try bool) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		loc := time.UTC
		if len(call.Args) == 7 {
			l, err := datefn.ParseZone(call.Args[6].(*logical.Literal).Value.(string))
			if err != nil {
				return nil, err
			}
			loc = l
		}
		return datefn.MakeTimestamp(a[:6], loc, try)
	}
}

// resolveZoneShift types from_utc_timestamp(ts, tz) and
// to_utc_timestamp(ts, tz): a timestamp (dates and strings cast) and a zone
// literal.
func resolveZoneShift(name string, args []logical.Expr) (logical.Expr, error) {
	ts, err := dtTimestampArg(name, args[0])
	if err != nil {
		return nil, err
	}
	if _, err := zoneArg(name, args[1]); err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{ts, args[1]}, Type: datefn.Timestamp}, nil
}

func compileZoneShift(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	loc, err := datefn.ParseZone(call.Args[1].(*logical.Literal).Value.(string))
	if err != nil {
		return nil, err
	}
	if call.Name == "from_utc_timestamp" {
		return datefn.ShiftZone(call.Name, a[0], loc, time.UTC)
	}
	return datefn.ShiftZone(call.Name, a[0], time.UTC, loc)
}

// resolveConvertTimezone types convert_timezone([sourceTz, ]targetTz,
// sourceTs): sourceTs is a wall clock in sourceTz (the session zone, UTC,
// when omitted) and the result the same instant's wall clock in targetTz.
// gspark's timestamps stand in for Spark's TIMESTAMP_NTZ here: a wall clock
// read as UTC.
func resolveConvertTimezone(name string, args []logical.Expr) (logical.Expr, error) {
	out := make([]logical.Expr, 0, 3)
	if len(args) == 2 {
		out = append(out, &logical.Literal{Value: "UTC", Type: arrow.BinaryTypes.String})
	}
	for _, z := range args[:len(args)-1] {
		if _, err := zoneArg(name, z); err != nil {
			return nil, err
		}
		out = append(out, z)
	}
	ts, err := dtTimestampArg(name, args[len(args)-1])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: append(out, ts), Type: datefn.Timestamp}, nil
}

func compileConvertTimezone(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	from, err := datefn.ParseZone(call.Args[0].(*logical.Literal).Value.(string))
	if err != nil {
		return nil, err
	}
	to, err := datefn.ParseZone(call.Args[1].(*logical.Literal).Value.(string))
	if err != nil {
		return nil, err
	}
	return datefn.ShiftZone(call.Name, a[2], time.UTC, from, to, time.UTC)
}
