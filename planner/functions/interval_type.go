package functions

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// The interval types (Spark's ANSI interval types and the legacy
// CalendarInterval of make_interval); see values.YearMonthIntervalType.
var (
	YearMonthInterval = values.YearMonthIntervalType
	DayTimeInterval   = values.DayTimeIntervalType
	CalendarInterval  = values.CalendarIntervalType
)

// Internal functions of the interval operators. Names starting with "__"
// are left out of SHOW FUNCTIONS.
const (
	// reinterpretName(x) reads x's values as the call's type, of the same
	// width (an interval as its months or microseconds and back).
	reinterpretName = "__reinterpret"
	// intervalScaleName(amount, num, div, lo, hi) multiplies or divides a
	// bigint interval amount by a bigint or double, rounding half up.
	intervalScaleName = "__interval_scale"
)

// ansiIntervalFunctions are the internal functions of the interval
// operators and make_dt_interval, make_ym_interval and make_interval.
func ansiIntervalFunctions() []FunctionDef {
	internal := func(_ string, _ []logical.Expr) (logical.Expr, error) {
		return nil, logical.AnalysisErr("internal interval function called directly")
	}
	return append([]FunctionDef{
		{Name: reinterpretName, MinArgs: 1, MaxArgs: 1, Resolve: internal,
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) { return expr.Reinterpret(a[0], call.Type) }},
		{Name: intervalScaleName, MinArgs: 5, MaxArgs: 5, Resolve: internal,
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				lit := func(i int) int64 { v, _ := logical.IntValue(call.Args[i].(*logical.Literal).Value); return v }
				return expr.IntervalScale(a[0], a[1], lit(2) != 0, lit(3), lit(4))
			}},
	}, append(makeIntervalFunctions(), zoneShiftFunctions()...)...)
}

func reinterpret(e logical.Expr, t arrow.DataType) logical.Expr {
	if arrow.TypeEqual(e.DataType(), t) {
		return e
	}
	return &logical.Func{Name: reinterpretName, Args: []logical.Expr{e}, Type: t}
}

func i64Lit(v int64) logical.Expr {
	return &logical.Literal{Value: v, Type: arrow.PrimitiveTypes.Int64}
}

// intervalAmount is an interval expression as its bigint amount: months of
// a year-month interval, microseconds of a day-time one.
func intervalAmount(e logical.Expr) logical.Expr {
	if values.IsYearMonthInterval(e.DataType()) {
		return logical.CastTo(reinterpret(e, arrow.PrimitiveTypes.Int32), arrow.PrimitiveTypes.Int64)
	}
	return reinterpret(e, arrow.PrimitiveTypes.Int64)
}

// fromAmount turns a bigint amount back into an interval of type t (a
// year-month amount must fit an int: the cast checks it).
func fromAmount(e logical.Expr, t arrow.DataType) logical.Expr {
	if values.IsYearMonthInterval(t) {
		if f, ok := e.(*logical.Func); !ok || f.Name != intervalScaleName {
			// Scaling by 1 checks the range: an overflow names the interval.
			e = &logical.Func{Name: intervalScaleName, Type: arrow.PrimitiveTypes.Int64,
				Args: []logical.Expr{e, i64Lit(1), i64Lit(0), i64Lit(math.MinInt32), i64Lit(math.MaxInt32)}}
		}
		return reinterpret(logical.CastTo(e, arrow.PrimitiveTypes.Int32), t)
	}
	return reinterpret(e, t)
}

func arith(op logical.BinaryOp, l, r logical.Expr) logical.Expr {
	return &logical.Binary{Op: op, L: l, R: r, Type: arrow.PrimitiveTypes.Int64}
}

func isANSIInterval(t arrow.DataType) bool {
	return values.IsYearMonthInterval(t) || values.IsDayTimeInterval(t)
}

func isNullType(t arrow.DataType) bool { return t.ID() == arrow.NULL }

// TypeIntervalBinary types a binary operation that involves an interval, or
// the difference of two dates or timestamps (a day-time interval), as Spark
// does in ANSI mode; handled is false for any other operation.
//
//   - interval ± interval of the same kind: that interval, overflow an error;
//   - interval * number, number * interval, interval / number: that
//     interval, rounded half up, overflow and division by zero errors;
//   - DATE/TIMESTAMP ± interval, interval + DATE/TIMESTAMP: as the literal
//     forms (see resolveAddInterval), a year-month interval added as months;
//   - TIMESTAMP - TIMESTAMP, DATE - DATE (and mixed, the date as a
//     timestamp): a day-time interval;
//   - comparisons of two intervals of one kind.
func TypeIntervalBinary(b *logical.Binary) (e logical.Expr, handled bool, err error) {
	lt, rt := dtValueType(b.L.DataType()), dtValueType(b.R.DataType())
	li, ri := isANSIInterval(lt), isANSIInterval(rt)
	isDT := func(t arrow.DataType) bool { return t.ID() == arrow.DATE32 || t.ID() == arrow.TIMESTAMP }
	if !li && !ri {
		if b.Op.IsComparison() && lt.ID() == arrow.TIMESTAMP && rt.ID() == arrow.TIMESTAMP && datefn.IsNTZ(lt) != datefn.IsNTZ(rt) {
			// TIMESTAMP_NTZ against TIMESTAMP: the wall clock read in the session zone, as Spark.
			l, r := logical.CastTo(b.L, datefn.Timestamp), logical.CastTo(b.R, datefn.Timestamp)
			return &logical.Binary{Op: b.Op, L: l, R: r, Type: arrow.FixedWidthTypes.Boolean}, true, nil
		}
		if b.Op.IsComparison() && (datefn.IsNTZ(lt) && rt.ID() == arrow.DATE32 || lt.ID() == arrow.DATE32 && datefn.IsNTZ(rt)) {
			// A DATE against a TIMESTAMP_NTZ: its midnight wall clock.
			l, r := logical.CastTo(b.L, datefn.TimestampNTZ), logical.CastTo(b.R, datefn.TimestampNTZ)
			return &logical.Binary{Op: b.Op, L: l, R: r, Type: arrow.FixedWidthTypes.Boolean}, true, nil
		}
		if b.Op == logical.OpSub && isDT(lt) && isDT(rt) {
			e, err := datetimeDiff(b.L, b.R)
			return e, true, err
		}
		return nil, false, nil
	}
	mismatch := func() (logical.Expr, bool, error) {
		return nil, true, logical.AnalysisErr("type mismatch in %s: %s is not defined for %s and %s",
			logical.StripIDs(b.String()), b.Op, logical.TypeName(b.L.DataType()), logical.TypeName(b.R.DataType()))
	}
	l, r := b.L, b.R
	if li && isNullType(rt) {
		r, rt, ri = logical.CastTo(r, lt), lt, true
	} else if ri && isNullType(lt) {
		l, lt, li = logical.CastTo(l, rt), rt, true
	}
	switch {
	case b.Op.IsComparison():
		if !li || !ri || lt.ID() != rt.ID() {
			return mismatch()
		}
		return &logical.Binary{Op: b.Op, L: intervalAmount(l), R: intervalAmount(r), Type: arrow.FixedWidthTypes.Boolean}, true, nil
	case b.Op == logical.OpAdd || b.Op == logical.OpSub:
		switch {
		case li && ri:
			if lt.ID() != rt.ID() {
				return mismatch()
			}
			return fromAmount(arith(b.Op, intervalAmount(l), intervalAmount(r)), lt), true, nil
		case li && b.Op == logical.OpAdd:
			e, err := addIntervalExpr(r, l, false)
			return e, true, err
		case ri:
			e, err := addIntervalExpr(l, r, b.Op == logical.OpSub)
			return e, true, err
		}
		return mismatch()
	case b.Op == logical.OpMul || b.Op == logical.OpDiv:
		iv, num, it, nt := l, r, lt, rt
		if !li {
			if b.Op == logical.OpDiv {
				return mismatch()
			}
			iv, num, it, nt = r, l, rt, lt
		}
		if !logical.IsNumeric(nt) && !isNullType(nt) {
			return mismatch()
		}
		if logical.IsInteger(nt) || isNullType(nt) {
			num = logical.CastTo(num, arrow.PrimitiveTypes.Int64)
		} else {
			num = logical.CastTo(num, arrow.PrimitiveTypes.Float64)
		}
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		if values.IsYearMonthInterval(it) {
			lo, hi = math.MinInt32, math.MaxInt32
		}
		div := int64(0)
		if b.Op == logical.OpDiv {
			div = 1
		}
		scaled := &logical.Func{Name: intervalScaleName, Type: arrow.PrimitiveTypes.Int64,
			Args: []logical.Expr{intervalAmount(iv), num, i64Lit(div), i64Lit(lo), i64Lit(hi)}}
		return fromAmount(scaled, it), true, nil
	}
	return mismatch()
}

// NegateInterval types -x for an interval x; handled is false for other
// types.
func NegateInterval(x logical.Expr) (logical.Expr, bool) {
	t := dtValueType(x.DataType())
	if !isANSIInterval(t) {
		return nil, false
	}
	neg := &logical.Unary{Op: logical.OpNegate, E: intervalAmount(x)}
	return fromAmount(neg, t), true
}

// addIntervalExpr is x + iv (x - iv when sub) for an interval expression
// iv, typed by x's type as resolveAddInterval types the literal forms;
// without the field range of a literal, a day-time interval added to a
// DATE gives a TIMESTAMP.
func addIntervalExpr(x, iv logical.Expr, sub bool) (logical.Expr, error) {
	amount := intervalAmount(iv)
	if sub {
		amount = &logical.Unary{Op: logical.OpNegate, E: amount}
	}
	ym := values.IsYearMonthInterval(iv.DataType())
	switch t := dtValueType(x.DataType()); {
	case t.ID() == arrow.DATE32 && ym:
		months := reinterpret(iv, arrow.PrimitiveTypes.Int32)
		if sub {
			months = &logical.Unary{Op: logical.OpNegate, E: months}
		}
		return &logical.Func{Name: "add_months", Args: []logical.Expr{x, months}, Type: datefn.Date}, nil
	case t.ID() == arrow.DATE32, t.ID() == arrow.TIMESTAMP, isNullType(t), logical.IsString(t) && !ym:
		unit := "MICROSECOND"
		if ym {
			unit = "MONTH"
		}
		ts := &logical.Func{Name: "timestampadd", Type: datefn.Timestamp, Args: []logical.Expr{
			&logical.Literal{Value: unit, Type: arrow.BinaryTypes.String}, amount, logical.CastTo(x, datefn.Timestamp)}}
		if logical.IsString(t) {
			return logical.CastTo(ts, arrow.BinaryTypes.String), nil
		}
		return ts, nil
	}
	return nil, logical.AnalysisErr("an INTERVAL can be added to or subtracted from a date, timestamp or interval, not %s of type %s",
		logical.StripIDs(x.String()), logical.TypeName(x.DataType()))
}

// datetimeDiff is l - r for dates and timestamps: a day-time interval, as
// Spark gives (DATE - DATE is a whole number of days).
func datetimeDiff(l, r logical.Expr) (logical.Expr, error) {
	lt, rt := dtValueType(l.DataType()), dtValueType(r.DataType())
	if lt.ID() == arrow.DATE32 && rt.ID() == arrow.DATE32 {
		days := func(e logical.Expr) logical.Expr {
			return logical.CastTo(reinterpret(e, arrow.PrimitiveTypes.Int32), arrow.PrimitiveTypes.Int64)
		}
		diff := arith(logical.OpSub, days(l), days(r))
		return reinterpret(arith(logical.OpMul, diff, i64Lit(86400_000_000)), DayTimeInterval), nil
	}
	micros := func(e logical.Expr) logical.Expr {
		return reinterpret(logical.CastTo(e, datefn.Timestamp), arrow.PrimitiveTypes.Int64)
	}
	return reinterpret(arith(logical.OpSub, micros(l), micros(r)), DayTimeInterval), nil
}

// intervalLiteralArith is x ± the interval literal of resolveAddInterval
// when x is itself an interval: interval arithmetic.
func intervalLiteralArith(x logical.Expr, kind string, amount int64) (logical.Expr, error) {
	var lit logical.Expr
	switch kind {
	case IntervalYearMonth:
		if amount > math.MaxInt32 || amount < math.MinInt32 {
			return nil, logical.AnalysisErr("interval of %d months does not fit a year-month interval", amount)
		}
		lit = &logical.Literal{Value: values.YearMonthInterval(amount), Type: YearMonthInterval}
	case IntervalDays:
		if amount > math.MaxInt64/86400_000_000 || amount < math.MinInt64/86400_000_000 {
			return nil, logical.AnalysisErr("interval of %d days does not fit a day-time interval", amount)
		}
		lit = &logical.Literal{Value: values.DayTimeInterval(amount * 86400_000_000), Type: DayTimeInterval}
	default:
		lit = &logical.Literal{Value: values.DayTimeInterval(amount), Type: DayTimeInterval}
	}
	e, _, err := TypeIntervalBinary(&logical.Binary{Op: logical.OpAdd, L: x, R: lit})
	return e, err
}

// makeIntervalFunctions are make_dt_interval, make_ym_interval and
// make_interval. Omitted trailing arguments are 0, as in Spark.
func makeIntervalFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: "make_dt_interval", MinArgs: 0, MaxArgs: 4, Resolve: resolveMakeInterval(4, DayTimeInterval),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return datefn.MakeDTInterval(a[0], a[1], a[2], a[3])
			}},
		{Name: "make_ym_interval", MinArgs: 0, MaxArgs: 2, Resolve: resolveMakeInterval(2, YearMonthInterval),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.MakeYMInterval(a[0], a[1]) }},
		{Name: "make_interval", MinArgs: 0, MaxArgs: 7, Resolve: resolveMakeInterval(7, CalendarInterval),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.MakeInterval(a) }},
	}
}

// secondsType is the type of the seconds argument of the make_*interval
// functions: DECIMAL(18,6), as Spark's.
var secondsType = logical.DecimalType(18, 6)

// resolveMakeInterval types a make_*interval call of n arguments, the
// missing ones 0: integer (or string) arguments as ints, the seconds (the
// last argument of make_dt_interval and make_interval) as DECIMAL(18,6).
func resolveMakeInterval(n int, result arrow.DataType) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		secs := !values.IsYearMonthInterval(result)
		out := make([]logical.Expr, n)
		for i := range out {
			isSecs := secs && i == n-1
			if i >= len(args) {
				if isSecs {
					out[i] = &logical.Literal{Value: values.Decimal{Scale: 6}, Type: secondsType}
				} else {
					out[i] = &logical.Literal{Value: int32(0), Type: arrow.PrimitiveTypes.Int32}
				}
				continue
			}
			a := args[i]
			t := dtValueType(a.DataType())
			switch {
			case isSecs && (logical.IsNumeric(t) || isNullType(t) || logical.IsString(t)):
				out[i] = logical.CastTo(a, secondsType)
			case logical.IsInteger(t) || isNullType(t) || logical.IsString(t):
				out[i] = logical.CastTo(a, arrow.PrimitiveTypes.Int32)
			default:
				want := "integer arguments"
				if secs {
					want = "integer arguments and a number of seconds last"
				}
				return nil, ArgError(name, a, want)
			}
		}
		return &logical.Func{Name: name, Args: out, Type: result}, nil
	}
}

// IntervalAggregate types sum, avg, min and max of an interval argument as
// Spark does: over the interval's months or microseconds, the result an
// interval of the same kind (avg rounded half up, an overflowing sum an
// error). typeAgg types the aggregate of the amounts. handled is false for
// any other aggregate.
func IntervalAggregate(a *logical.AggregateCall, typeAgg func(*logical.AggregateCall) (logical.Expr, error)) (logical.Expr, bool, error) {
	if a.Arg == nil || a.Arg2 != nil {
		return nil, false, nil
	}
	t := dtValueType(a.Arg.DataType())
	if !isANSIInterval(t) {
		return nil, false, nil
	}
	amountOf := func(f logical.AggFunc) (logical.Expr, error) {
		c := *a
		c.Func, c.Arg = f, intervalAmount(a.Arg)
		return typeAgg(&c)
	}
	switch a.Func {
	case logical.AggSum, logical.AggMin, logical.AggMax:
		s, err := amountOf(a.Func)
		if err != nil {
			return nil, true, err
		}
		return fromAmount(logical.CastTo(s, arrow.PrimitiveTypes.Int64), t), true, nil
	case logical.AggAvg:
		s, err := amountOf(logical.AggSum)
		if err != nil {
			return nil, true, err
		}
		n, err := amountOf(logical.AggCount)
		if err != nil {
			return nil, true, err
		}
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		if values.IsYearMonthInterval(t) {
			lo, hi = math.MinInt32, math.MaxInt32
		}
		avg := &logical.Func{Name: intervalScaleName, Type: arrow.PrimitiveTypes.Int64,
			Args: []logical.Expr{logical.CastTo(s, arrow.PrimitiveTypes.Int64), n, i64Lit(1), i64Lit(lo), i64Lit(hi)}}
		return fromAmount(avg, t), true, nil
	}
	return nil, false, nil
}

// intervalPart is date_part(field, x) and EXTRACT(field FROM x) for an
// interval x, as Spark: YEAR (int) and MONTH (tinyint, months % 12) of a
// year-month interval; DAY (int), HOUR and MINUTE (tinyint) and SECOND
// (DECIMAL(8,6)) of a day-time interval, each truncated toward zero.
func intervalPart(name, field string, x logical.Expr) (logical.Expr, error) {
	t := dtValueType(x.DataType())
	bad := func() (logical.Expr, error) {
		kind := "day-time"
		if values.IsYearMonthInterval(t) {
			kind = "year-month"
		}
		return nil, logical.AnalysisErr("%s: the field %s is not supported for a %s interval", name, field, kind)
	}
	f, ok := DatePartField(field)
	if !ok {
		return bad()
	}
	amount := intervalAmount(x)
	quo := func(e logical.Expr, d int64) (logical.Expr, error) {
		return &logical.Func{Name: "div", Args: []logical.Expr{e, i64Lit(d)}, Type: arrow.PrimitiveTypes.Int64}, nil
	}
	rem := func(e logical.Expr, d int64) logical.Expr { return arith(logical.OpMod, e, i64Lit(d)) }
	as := func(e logical.Expr, err error, t arrow.DataType) (logical.Expr, error) {
		if err != nil {
			return nil, err
		}
		return logical.CastTo(e, t), nil
	}
	i8, i32 := arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int32
	const day, hour, minute = 86400_000_000, 3600_000_000, 60_000_000
	if values.IsYearMonthInterval(t) {
		switch f {
		case "YEAR":
			e, err := quo(amount, 12)
			return as(e, err, i32)
		case "MONTH":
			return logical.CastTo(rem(amount, 12), i8), nil
		}
		return bad()
	}
	switch f {
	case "DAY":
		e, err := quo(amount, day)
		return as(e, err, i32)
	case "HOUR":
		e, err := quo(rem(amount, day), hour)
		return as(e, err, i8)
	case "MINUTE":
		e, err := quo(rem(amount, hour), minute)
		return as(e, err, i8)
	case "SECOND":
		return logical.CastTo(reinterpret(rem(amount, minute), logical.DecimalType(18, 6)), logical.DecimalType(8, 6)), nil
	}
	return bad()
}
