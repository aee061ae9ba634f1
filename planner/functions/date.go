package functions

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
)

// dateFunctions are the built-in date and time functions. The session time
// zone is UTC: timestamps are interpreted and rendered in UTC.
func dateFunctions() []FunctionDef {
	field := func(name string, aliases []string, p datefn.Part, resolve func(string, []logical.Expr) (logical.Expr, error)) FunctionDef {
		return FunctionDef{Name: name, Aliases: aliases, MinArgs: 1, MaxArgs: 1, Resolve: resolve,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.Field(p, a[0]) }}
	}
	return append([]FunctionDef{
		field("quarter", nil, datefn.Quarter, resolveDatePart),
		field("month", nil, datefn.Month, resolveDatePart),
		field("dayofmonth", []string{"day"}, datefn.DayOfMonth, resolveDatePart),
		field("dayofweek", nil, datefn.DayOfWeek, resolveDatePart),
		field("weekday", nil, datefn.Weekday, resolveDatePart),
		field("dayofyear", nil, datefn.DayOfYear, resolveDatePart),
		field("weekofyear", nil, datefn.WeekOfYear, resolveDatePart),
		field("hour", nil, datefn.Hour, resolveTimePart),
		field("minute", nil, datefn.Minute, resolveTimePart),
		field("second", nil, datefn.Second, resolveTimePart),
		{Name: "date_add", Aliases: []string{"dateadd"}, MinArgs: 2, MaxArgs: 3, Resolve: orThreeArgs(resolveDateInt(datefn.Date), resolveTimestampAdd),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.DateAdd(a[0], a[1], false) }},
		{Name: "date_sub", MinArgs: 2, MaxArgs: 2, Resolve: resolveDateInt(datefn.Date),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.DateAdd(a[0], a[1], true) }},
		{Name: "add_months", MinArgs: 2, MaxArgs: 2, Resolve: resolveDateInt(datefn.Date),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.AddMonths(a[0], a[1]) }},
		{Name: "datediff", Aliases: []string{"date_diff"}, MinArgs: 2, MaxArgs: 3, Resolve: orThreeArgs(resolveDateDiff, resolveTimestampDiff),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.DateDiff(a[0], a[1]) }},
		{Name: "months_between", MinArgs: 2, MaxArgs: 3, Resolve: resolveMonthsBetween, Compile: compileMonthsBetween},
		{Name: "last_day", MinArgs: 1, MaxArgs: 1, Resolve: resolveDate1,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.LastDay(a[0]) }},
		{Name: "next_day", MinArgs: 2, MaxArgs: 2, Resolve: resolveNextDay,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.NextDay(a[0], a[1]) }},
		{Name: "date_trunc", MinArgs: 2, MaxArgs: 2, Resolve: resolveDateTrunc, Compile: compileDateTrunc},
		{Name: "trunc", MinArgs: 2, MaxArgs: 2, Resolve: resolveTrunc, Compile: compileTrunc},
		{Name: "to_date", MinArgs: 1, MaxArgs: 2, Resolve: resolveParse(datefn.Date), Compile: compileParse},
		{Name: "try_to_date", MinArgs: 1, MaxArgs: 2, Resolve: resolveParse(datefn.Date), Compile: compileParse},
		{Name: "to_timestamp", Aliases: []string{"to_timestamp_ltz"}, MinArgs: 1, MaxArgs: 2, Resolve: resolveParse(datefn.Timestamp), Compile: compileParse},
		{Name: "to_timestamp_ntz", MinArgs: 1, MaxArgs: 2, Resolve: resolveToTimestampNTZ, Compile: compileToTimestampNTZ},
		{Name: "try_to_timestamp", MinArgs: 2, MaxArgs: 2, Resolve: resolveParse(datefn.Timestamp), Compile: compileParse},
		{Name: "date_format", MinArgs: 2, MaxArgs: 2, Resolve: resolveDateFormat, Compile: compileDateFormat},
		{Name: "unix_timestamp", MinArgs: 0, MaxArgs: 2, Resolve: resolveUnixTimestamp, Compile: compileUnixTimestamp},
		{Name: "from_unixtime", MinArgs: 1, MaxArgs: 2, Resolve: resolveFromUnixtime, Compile: compileFromUnixtime},
		{Name: "current_date", Aliases: []string{"curdate"}, MinArgs: 0, MaxArgs: 0,
			Resolve: func(name string, _ []logical.Expr) (logical.Expr, error) {
				return &logical.Func{Name: name, Type: datefn.Date}, nil
			},
			Compile: func(_ *logical.Func, _ []expr.Expr) (expr.Expr, error) {
				return expr.Literal(time.Now().UTC().UnixMicro()/86400_000_000, datefn.Date)
			}},
		{Name: "current_timestamp", Aliases: []string{"now"}, MinArgs: 0, MaxArgs: 0,
			Resolve: func(name string, _ []logical.Expr) (logical.Expr, error) {
				return &logical.Func{Name: name, Type: datefn.Timestamp}, nil
			},
			Compile: func(_ *logical.Func, _ []expr.Expr) (expr.Expr, error) {
				return expr.Literal(time.Now().UTC().UnixMicro(), datefn.Timestamp)
			}},
		{Name: "make_date", MinArgs: 3, MaxArgs: 3, Resolve: resolveMakeDate,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.MakeDate(a[0], a[1], a[2]) }},
	}, append(append(append(append(append(intervalFunctions(), ansiIntervalFunctions()...), datePartFunctions()...), zoneFunctions()...), epochFunctions()...), timeWindowFunctions()...)...)
}

// orThreeArgs resolves a call with three arguments by three (the
// timestampadd form of date_add and dateadd, the timestampdiff form of
// datediff and date_diff) and any other by two.
func orThreeArgs(two, three func(string, []logical.Expr) (logical.Expr, error)) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		if len(args) == 3 {
			return three(name, args)
		}
		return two(name, args)
	}
}

// dtValueType is t, or the value type of a dictionary.
func dtValueType(t arrow.DataType) arrow.DataType {
	if d, ok := t.(*arrow.DictionaryType); ok {
		return d.ValueType
	}
	return t
}

// dtDateArg converts a date function's argument to a date as Spark coerces
// it: strings and timestamps are cast, dates kept.
func dtDateArg(name string, e logical.Expr) (logical.Expr, error) {
	switch t := dtValueType(e.DataType()); {
	case t.ID() == arrow.DATE32:
		return e, nil
	case logical.IsString(t), t.ID() == arrow.TIMESTAMP, t.ID() == arrow.NULL:
		return logical.CastTo(e, datefn.Date), nil
	}
	return nil, ArgError(name, e, "a date argument")
}

// dtTimestampArg converts an argument to a microsecond timestamp: strings
// and dates are cast.
func dtTimestampArg(name string, e logical.Expr) (logical.Expr, error) {
	switch t := dtValueType(e.DataType()); {
	case t.ID() == arrow.TIMESTAMP && t.(*arrow.TimestampType).Unit == arrow.Microsecond && !datefn.IsNTZ(t):
		return e, nil
	case logical.IsString(t), t.ID() == arrow.DATE32, t.ID() == arrow.NULL, t.ID() == arrow.TIMESTAMP:
		// A TIMESTAMP_NTZ is read in the session time zone, as Spark's implicit cast.
		return logical.CastTo(e, datefn.Timestamp), nil
	}
	return nil, ArgError(name, e, "a timestamp argument")
}

// dtIntArg converts an int, smallint, tinyint or string argument to int;
// bigint is rejected as in Spark.
func dtIntArg(name string, e logical.Expr) (logical.Expr, error) {
	switch t := dtValueType(e.DataType()); t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.STRING, arrow.NULL:
		return logical.CastTo(e, arrow.PrimitiveTypes.Int32), nil
	}
	return nil, ArgError(name, e, "an int argument")
}

func dtStringArg(name string, e logical.Expr) (logical.Expr, error) {
	switch t := dtValueType(e.DataType()); {
	case t.ID() == arrow.STRING:
		return e, nil
	case t.ID() == arrow.NULL:
		return logical.CastTo(e, arrow.BinaryTypes.String), nil
	}
	return nil, ArgError(name, e, "a string argument")
}

// resolveTimePart types hour, minute and second: strings are cast to
// timestamp; dates and timestamps (of any unit) are taken as they are.
func resolveTimePart(name string, args []logical.Expr) (logical.Expr, error) {
	arg := args[0]
	if t := dtValueType(arg.DataType()); t.ID() != arrow.DATE32 && t.ID() != arrow.TIMESTAMP {
		var err error
		if arg, err = dtTimestampArg(name, arg); err != nil {
			return nil, err
		}
	}
	return &logical.Func{Name: name, Args: []logical.Expr{arg}, Type: arrow.PrimitiveTypes.Int32}, nil
}

func resolveDate1(name string, args []logical.Expr) (logical.Expr, error) {
	d, err := dtDateArg(name, args[0])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{d}, Type: datefn.Date}, nil
}

// resolveDateInt types f(date, int) returning t.
func resolveDateInt(t arrow.DataType) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		d, err := dtDateArg(name, args[0])
		if err != nil {
			return nil, err
		}
		n, err := dtIntArg(name, args[1])
		if err != nil {
			return nil, err
		}
		return &logical.Func{Name: name, Args: []logical.Expr{d, n}, Type: t}, nil
	}
}

func resolveDateDiff(name string, args []logical.Expr) (logical.Expr, error) {
	out := make([]logical.Expr, 2)
	for i, a := range args {
		d, err := dtDateArg(name, a)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.PrimitiveTypes.Int32}, nil
}

func resolveMonthsBetween(name string, args []logical.Expr) (logical.Expr, error) {
	out := make([]logical.Expr, len(args))
	for i, a := range args[:2] {
		d, err := dtTimestampArg(name, a)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	if len(args) == 3 {
		if l, ok := args[2].(*logical.Literal); !ok || l.Value == nil || l.Type.ID() != arrow.BOOL {
			return nil, logical.AnalysisErr("%s needs a boolean literal roundOff, got %s", name, logical.StripIDs(args[2].String()))
		}
		out[2] = args[2]
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.PrimitiveTypes.Float64}, nil
}

func compileMonthsBetween(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	roundOff := true
	if len(call.Args) == 3 {
		roundOff = call.Args[2].(*logical.Literal).Value.(bool)
	}
	return datefn.MonthsBetween(a[0], a[1], roundOff)
}

func resolveNextDay(name string, args []logical.Expr) (logical.Expr, error) {
	d, err := dtDateArg(name, args[0])
	if err != nil {
		return nil, err
	}
	s, err := dtStringArg(name, args[1])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{d, s}, Type: datefn.Date}, nil
}

// resolveDateTrunc types date_trunc(unit, ts); an unknown unit literal makes
// the result null, as in Spark.
func resolveDateTrunc(name string, args []logical.Expr) (logical.Expr, error) {
	unit, err := StringLiteralArg(name, args[0])
	if err != nil {
		return nil, err
	}
	ts, err := dtTimestampArg(name, args[1])
	if err != nil {
		return nil, err
	}
	_, ok := datefn.ParseTruncUnit(unit, false)
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], ts}, Type: datefn.Timestamp, MayBeNull: !ok}, nil
}

func compileDateTrunc(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	return datefn.DateTrunc(call.Args[0].(*logical.Literal).Value.(string), a[1])
}

// resolveTrunc types trunc(date, unit); units finer than a week and unknown
// units make the result null, as in Spark.
func resolveTrunc(name string, args []logical.Expr) (logical.Expr, error) {
	d, err := dtDateArg(name, args[0])
	if err != nil {
		return nil, err
	}
	unit, err := StringLiteralArg(name, args[1])
	if err != nil {
		return nil, err
	}
	_, ok := datefn.ParseTruncUnit(unit, true)
	return &logical.Func{Name: name, Args: []logical.Expr{d, args[1]}, Type: datefn.Date, MayBeNull: !ok}, nil
}

func compileTrunc(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	return datefn.Trunc(a[0], call.Args[1].(*logical.Literal).Value.(string))
}

// resolveParse types to_date, to_timestamp and try_to_timestamp: a string
// with a pattern literal is parsed with it; without a pattern, or for a date
// or timestamp argument, the call is a cast.
func resolveParse(t arrow.DataType) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		in := dtValueType(args[0].DataType())
		switch {
		case logical.IsString(in), in.ID() == arrow.DATE32, in.ID() == arrow.TIMESTAMP && in.(*arrow.TimestampType).Unit == arrow.Microsecond:
		case in.ID() == arrow.NULL:
			args = append([]logical.Expr{logical.CastTo(args[0], arrow.BinaryTypes.String)}, args[1:]...)
		default:
			return nil, ArgError(name, args[0], "a string, date or timestamp argument")
		}
		if len(args) == 2 {
			if _, err := StringLiteralArg(name, args[1]); err != nil {
				return nil, err
			}
			if !logical.IsString(in) && in.ID() != arrow.NULL {
				args = args[:1] // a date or timestamp needs no parsing
			}
		}
		return &logical.Func{Name: name, Args: args, Type: t, MayBeNull: name == "try_to_timestamp" || name == "try_to_date"}, nil
	}
}

func compileParse(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	if len(call.Args) == 1 {
		if arrow.TypeEqual(a[0].DataType(), call.Type) {
			return a[0], nil
		}
		if call.Name == "try_to_date" {
			return expr.TryCast(a[0], call.Type)
		}
		return expr.CastAs(call.Name, a[0], call.Type)
	}
	pattern := call.Args[1].(*logical.Literal).Value.(string)
	switch call.Name {
	case "try_to_date":
		return datefn.TryToDate(a[0], pattern)
	case "to_date":
		return datefn.ToDate(a[0], pattern)
	case "try_to_timestamp":
		return datefn.ToTimestamp(a[0], pattern, true)
	}
	return datefn.ToTimestamp(a[0], pattern, false)
}

func resolveDateFormat(name string, args []logical.Expr) (logical.Expr, error) {
	ts, err := dtTimestampArg(name, args[0])
	if err != nil {
		return nil, err
	}
	pattern, err := StringLiteralArg(name, args[1])
	if err != nil {
		return nil, err
	}
	if _, err := datefn.CompilePattern(pattern); err != nil {
		return nil, logical.AnalysisErr("%s: %v", name, err)
	}
	return &logical.Func{Name: name, Args: []logical.Expr{ts, args[1]}, Type: arrow.BinaryTypes.String}, nil
}

func compileDateFormat(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	return datefn.DateFormat(a[0], call.Args[1].(*logical.Literal).Value.(string))
}

// resolveUnixTimestamp types unix_timestamp([e[, pattern]]): no argument is
// the current time; a string is parsed with the pattern (yyyy-MM-dd
// HH:mm:ss by default); a date or timestamp is converted.
func resolveUnixTimestamp(name string, args []logical.Expr) (logical.Expr, error) {
	f := &logical.Func{Name: name, Type: arrow.PrimitiveTypes.Int64}
	if len(args) == 0 {
		return f, nil
	}
	in := dtValueType(args[0].DataType())
	switch {
	case logical.IsString(in), in.ID() == arrow.DATE32, in.ID() == arrow.TIMESTAMP && in.(*arrow.TimestampType).Unit == arrow.Microsecond:
		f.Args = []logical.Expr{args[0]}
	case in.ID() == arrow.NULL:
		f.Args = []logical.Expr{logical.CastTo(args[0], arrow.BinaryTypes.String)}
	default:
		return nil, ArgError(name, args[0], "a string, date or timestamp argument")
	}
	if len(args) == 2 {
		pattern, err := StringLiteralArg(name, args[1])
		if err != nil {
			return nil, err
		}
		if _, err := datefn.CompilePattern(pattern); err != nil {
			return nil, logical.AnalysisErr("%s: %v", name, err)
		}
		f.Args = append(f.Args, args[1])
	}
	return f, nil
}

func compileUnixTimestamp(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	if len(a) == 0 {
		return expr.Literal(time.Now().Unix(), arrow.PrimitiveTypes.Int64)
	}
	pattern := datefn.DefaultPattern
	if len(call.Args) == 2 {
		pattern = call.Args[1].(*logical.Literal).Value.(string)
	}
	return datefn.UnixTimestamp(a[0], pattern)
}

func resolveFromUnixtime(name string, args []logical.Expr) (logical.Expr, error) {
	secs := args[0]
	switch t := dtValueType(secs.DataType()); {
	case logical.IsInteger(t), t.ID() == arrow.NULL:
		secs = logical.CastTo(secs, arrow.PrimitiveTypes.Int64)
	default:
		return nil, ArgError(name, args[0], "an integer number of seconds")
	}
	out := []logical.Expr{secs}
	if len(args) == 2 {
		pattern, err := StringLiteralArg(name, args[1])
		if err != nil {
			return nil, err
		}
		if _, err := datefn.CompilePattern(pattern); err != nil {
			return nil, logical.AnalysisErr("%s: %v", name, err)
		}
		out = append(out, args[1])
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.BinaryTypes.String}, nil
}

func compileFromUnixtime(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	pattern := datefn.DefaultPattern
	if len(call.Args) == 2 {
		pattern = call.Args[1].(*logical.Literal).Value.(string)
	}
	return datefn.FromUnixtime(a[0], pattern)
}

func resolveMakeDate(name string, args []logical.Expr) (logical.Expr, error) {
	out := make([]logical.Expr, 3)
	for i, a := range args {
		switch t := dtValueType(a.DataType()); {
		case logical.IsInteger(t), t.ID() == arrow.NULL, logical.IsString(t):
			out[i] = logical.CastTo(a, arrow.PrimitiveTypes.Int32)
		default:
			return nil, ArgError(name, a, "integer arguments")
		}
	}
	return &logical.Func{Name: name, Args: out, Type: datefn.Date}, nil
}
