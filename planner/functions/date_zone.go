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
		{Name: "make_timestamp_ntz", MinArgs: 6, MaxArgs: 6, Resolve: ntzResult(resolveMakeTimestamp), Compile: ntzCompile(compileMakeTimestamp(false))},
		{Name: "try_make_timestamp_ntz", MinArgs: 6, MaxArgs: 6, Resolve: ntzResult(resolveMakeTimestamp), Compile: ntzCompile(compileMakeTimestamp(true))},
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
	if len(args) == 2 { // from the session time zone (see InZone)
		out = append(out, &logical.Literal{Value: sessionZoneMarker, Type: arrow.BinaryTypes.String})
	}
	for _, z := range args[:len(args)-1] {
		if _, err := zoneArg(name, z); err != nil {
			return nil, err
		}
		out = append(out, z)
	}
	// A wall clock: a TIMESTAMP_NTZ as it is, anything else cast to one.
	ts := args[len(args)-1]
	switch t := dtValueType(ts.DataType()); {
	case datefn.IsNTZ(t):
	case t.ID() == arrow.TIMESTAMP, logical.IsString(t), t.ID() == arrow.DATE32, t.ID() == arrow.NULL:
		ts = logical.CastTo(ts, datefn.TimestampNTZ)
	default:
		return nil, ArgError(name, ts, "a timestamp argument")
	}
	return &logical.Func{Name: name, Args: append(out, ts), Type: datefn.TimestampNTZ}, nil
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
	k, err := datefn.ShiftZone(call.Name, a[2], time.UTC, from, to, time.UTC)
	if err != nil {
		return nil, err
	}
	return expr.Reinterpret(k, datefn.TimestampNTZ)
}

// ntzResult types a function as resolve does, with a TIMESTAMP_NTZ result:
// the wall clock the kernel computes in UTC.
func ntzResult(resolve func(string, []logical.Expr) (logical.Expr, error)) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		e, err := resolve(name, args)
		if err != nil {
			return nil, err
		}
		f := *e.(*logical.Func)
		f.Type = datefn.TimestampNTZ
		return &f, nil
	}
}

// ntzCompile compiles as compile does, the result relabelled TIMESTAMP_NTZ.
func ntzCompile(compile func(*logical.Func, []expr.Expr) (expr.Expr, error)) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		k, err := compile(call, a)
		if err != nil {
			return nil, err
		}
		return expr.Reinterpret(k, datefn.TimestampNTZ)
	}
}

// resolveToTimestampNTZ types to_timestamp_ntz(s[, pattern]): the text
// parsed as a wall clock (a TIMESTAMP_NTZ); a TIMESTAMP is its session-zone
// wall clock, a DATE its midnight.
func resolveToTimestampNTZ(name string, args []logical.Expr) (logical.Expr, error) {
	in := dtValueType(args[0].DataType())
	if len(args) == 1 || !logical.IsString(in) {
		switch {
		case logical.IsString(in), in.ID() == arrow.DATE32, in.ID() == arrow.TIMESTAMP, in.ID() == arrow.NULL:
			return logical.CastTo(args[0], datefn.TimestampNTZ), nil
		}
		return nil, ArgError(name, args[0], "a string, date or timestamp argument")
	}
	call, err := resolveParse(datefn.Timestamp)("to_timestamp", args)
	if err != nil {
		return nil, err
	}
	f := *call.(*logical.Func)
	f.Name, f.Type = name, datefn.TimestampNTZ
	return &f, nil
}

func compileToTimestampNTZ(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	k, err := datefn.ToTimestamp(a[0], call.Args[1].(*logical.Literal).Value.(string), false)
	if err != nil {
		return nil, err
	}
	return expr.Reinterpret(k, datefn.TimestampNTZ)
}
