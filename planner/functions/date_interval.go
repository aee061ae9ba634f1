package functions

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
)

// AddIntervalName is the internal function the SQL parser turns
// `x ± INTERVAL ...` into: AddIntervalName(x, kind, amount) with kind one of
// IntervalYearMonth (amount in months), IntervalDays (amount in days) and
// IntervalDayTime (amount in microseconds), amount already negated for a
// subtraction. gspark has no interval type yet, so the interval literal
// lives only as these two arguments. Names starting with "__" are left out
// of Names (SHOW FUNCTIONS).
const AddIntervalName = "__add_interval"

// The kinds of interval AddIntervalName adds, after Spark's ANSI interval
// types: a year-month interval, a day-time interval with only a DAY field,
// and any other day-time interval.
const (
	IntervalYearMonth = "ym"
	IntervalDays      = "day"
	IntervalDayTime   = "dt"
)

// intervalFunctions are timestampadd, timestampdiff and the internal
// interval addition.
func intervalFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: AddIntervalName, MinArgs: 3, MaxArgs: 3, Resolve: resolveAddInterval,
			Compile: func(_ *logical.Func, _ []expr.Expr) (expr.Expr, error) {
				return nil, logical.AnalysisErr("interval addition was not resolved") // Resolve rewrites every call
			}},
		{Name: "timestampadd", MinArgs: 3, MaxArgs: 3, Resolve: resolveTimestampAdd, Compile: compileTimestampAdd},
		{Name: "timestampdiff", MinArgs: 3, MaxArgs: 3, Resolve: resolveTimestampDiff, Compile: compileTimestampDiff},
	}
}

// tsAddCall is timestampadd(unit, q, ts) typed, ts already a timestamp.
func tsAddCall(unit string, q int64, ts logical.Expr) logical.Expr {
	return &logical.Func{Name: "timestampadd", Type: datefn.Timestamp, Args: []logical.Expr{
		&logical.Literal{Value: unit, Type: arrow.BinaryTypes.String},
		&logical.Literal{Value: q, Type: arrow.PrimitiveTypes.Int64},
		ts,
	}}
}

// resolveAddInterval types x + interval as Spark does (ANSI mode):
//
//   - DATE + year-month interval: add_months, a DATE;
//   - DATE + day interval (only a DAY field): date_add, a DATE;
//   - DATE + other day-time interval: the date as a TIMESTAMP plus the
//     interval, a TIMESTAMP;
//   - TIMESTAMP + any interval: a TIMESTAMP, the time of day kept (a
//     year-month interval clamps the day to the end of the month);
//   - STRING + day-time interval: the string as a TIMESTAMP plus the
//     interval, cast back to STRING.
func resolveAddInterval(_ string, args []logical.Expr) (logical.Expr, error) {
	x := args[0]
	kind, err := StringLiteralArg(AddIntervalName, args[1])
	if err != nil {
		return nil, err
	}
	amount, err := IntLiteralArg(AddIntervalName, args[2])
	if err != nil {
		return nil, err
	}
	int32Lit := func(what string) (logical.Expr, error) {
		if amount > math.MaxInt32 || amount < math.MinInt32 {
			return nil, logical.AnalysisErr("interval of %d %s does not fit an int", amount, what)
		}
		return &logical.Literal{Value: int32(amount), Type: arrow.PrimitiveTypes.Int32}, nil
	}
	if isANSIInterval(dtValueType(x.DataType())) {
		return intervalLiteralArith(x, kind, amount)
	}
	micros := amount
	if kind == IntervalDays {
		if amount > math.MaxInt64/86400_000_000 || amount < math.MinInt64/86400_000_000 {
			return nil, logical.AnalysisErr("interval of %d days does not fit a day-time interval", amount)
		}
		micros = amount * 86400_000_000
	}
	switch t := dtValueType(x.DataType()); {
	case t.ID() == arrow.DATE32:
		switch kind {
		case IntervalYearMonth:
			n, err := int32Lit("months")
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: "add_months", Args: []logical.Expr{x, n}, Type: datefn.Date}, nil
		case IntervalDays:
			n, err := int32Lit("days")
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: "date_add", Args: []logical.Expr{x, n}, Type: datefn.Date}, nil
		}
		return tsAddCall("MICROSECOND", micros, logical.CastTo(x, datefn.Timestamp)), nil
	case t.ID() == arrow.TIMESTAMP:
		ts := logical.CastTo(x, datefn.Timestamp)
		if kind == IntervalYearMonth {
			return tsAddCall("MONTH", amount, ts), nil
		}
		return tsAddCall("MICROSECOND", micros, ts), nil
	case logical.IsString(t) && kind != IntervalYearMonth:
		return logical.CastTo(tsAddCall("MICROSECOND", micros, logical.CastTo(x, datefn.Timestamp)), arrow.BinaryTypes.String), nil
	}
	return nil, logical.AnalysisErr("an INTERVAL can be added to or subtracted from a date or timestamp, not %s of type %s",
		logical.StripIDs(x.String()), logical.TypeName(x.DataType()))
}

// addUnitArg reads the unit of timestampadd/timestampdiff (the parser turns
// the bare unit word into a string literal).
func addUnitArg(name string, e logical.Expr) (datefn.AddUnit, error) {
	s, err := StringLiteralArg(name, e)
	if err != nil {
		return datefn.AddUnit{}, err
	}
	u, ok := datefn.ParseAddUnit(s)
	if !ok {
		return u, logical.AnalysisErr("%s: invalid unit %q; expected YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND, MILLISECOND or MICROSECOND", name, s)
	}
	return u, nil
}

// resolveTimestampAdd types timestampadd(unit, quantity, ts): the quantity
// is a bigint, a date or string ts is cast to a timestamp; the result is a
// timestamp.
func resolveTimestampAdd(name string, args []logical.Expr) (logical.Expr, error) {
	if _, err := addUnitArg(name, args[0]); err != nil {
		return nil, err
	}
	q := args[1]
	switch t := dtValueType(q.DataType()); {
	case logical.IsInteger(t), t.ID() == arrow.NULL:
		q = logical.CastTo(q, arrow.PrimitiveTypes.Int64)
	default:
		return nil, ArgError(name, q, "an integer quantity")
	}
	ts, err := dtTimestampArg(name, args[2])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: "timestampadd", Args: []logical.Expr{args[0], q, ts}, Type: datefn.Timestamp}, nil
}

func compileTimestampAdd(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	u, _ := datefn.ParseAddUnit(call.Args[0].(*logical.Literal).Value.(string))
	return datefn.TimestampAdd(u, a[1], a[2])
}

// resolveTimestampDiff types timestampdiff(unit, start, end): dates and
// strings are cast to timestamps; the result is a bigint.
func resolveTimestampDiff(name string, args []logical.Expr) (logical.Expr, error) {
	u, err := addUnitArg(name, args[0])
	if err != nil {
		return nil, err
	}
	if u.Name == "DAYOFYEAR" { // timestampadd takes it, timestampdiff does not (as in Spark)
		return nil, logical.AnalysisErr("%s: invalid unit DAYOFYEAR", name)
	}
	out := []logical.Expr{args[0], nil, nil}
	for i, a := range args[1:] {
		ts, err := dtTimestampArg(name, a)
		if err != nil {
			return nil, err
		}
		out[i+1] = ts
	}
	return &logical.Func{Name: "timestampdiff", Args: out, Type: arrow.PrimitiveTypes.Int64}, nil
}

func compileTimestampDiff(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	u, _ := datefn.ParseAddUnit(call.Args[0].(*logical.Literal).Value.(string))
	return datefn.TimestampDiff(u, a[1], a[2])
}
