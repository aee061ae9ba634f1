package functions

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// TimeWindowName is Spark's window(time, duration[, slide[, start]]): the
// struct<start, end> of the tumbling window holding the time. The SQL
// builder gives the column the name window, as Spark does.
const TimeWindowName = "window"

// TimeWindowsName is the internal function the SQL builder expands a
// sliding window with: __time_windows(time, duration, slide[, start]) is the
// array of the ceil(duration/slide) windows that may hold the time, the last
// one starting at or before it first, as Spark's TimeWindowing computes them.
const TimeWindowsName = "__time_windows"

// InTimeWindowName is the internal predicate __in_time_window(time, window):
// window.start <= time < window.end, which keeps the candidate windows of a
// sliding window that hold the time.
const InTimeWindowName = "__in_time_window"

// timeWindowFunctions are window, window_time, session_window and the
// internal functions the SQL builder rewrites them with.
func timeWindowFunctions() []FunctionDef {
	return append([]FunctionDef{
		{Name: TimeWindowName, MinArgs: 2, MaxArgs: 4, Resolve: resolveTimeWindow},
		{Name: "window_time", MinArgs: 1, MaxArgs: 1, Resolve: resolveWindowTime},
		{Name: TimeWindowsName, MinArgs: 2, MaxArgs: 4, Resolve: resolveTimeWindows},
		{Name: InTimeWindowName, MinArgs: 2, MaxArgs: 2, Resolve: resolveInTimeWindow},
	}, append(sessionWindowFunctions(), intervalCastFunctions()...)...)
}

// TimeWindowSpec reads the durations of window(time, duration[, slide[,
// start]]) in microseconds: the slide defaults to the duration and the
// start to 0. Spark's checks apply: positive durations, a slide no longer
// than the window, a start shorter than the slide.
func TimeWindowSpec(args []logical.Expr) (dur, slide, start int64, err error) {
	if len(args) < 2 || len(args) > 4 {
		return 0, 0, 0, logical.AnalysisErr("window takes 2 to 4 arguments (time, window duration[, slide duration[, start time]]), got %d", len(args))
	}
	what := []string{"", "window duration", "slide duration", "start time"}
	vals := make([]int64, 4)
	for i := 1; i < len(args); i++ {
		v, err := windowDuration(args[i])
		if err != nil {
			return 0, 0, 0, logical.AnalysisErr("window: the %s %s", what[i], err)
		}
		vals[i] = v
	}
	dur, slide, start = vals[1], vals[1], int64(0)
	if len(args) > 2 {
		slide = vals[2]
	}
	if len(args) > 3 {
		start = vals[3]
	}
	switch {
	case dur <= 0:
		return 0, 0, 0, logical.AnalysisErr("window: the window duration must be greater than 0, got %s", logical.StripIDs(args[1].String()))
	case slide <= 0:
		return 0, 0, 0, logical.AnalysisErr("window: the slide duration must be greater than 0, got %s", logical.StripIDs(args[2].String()))
	case slide > dur:
		return 0, 0, 0, logical.AnalysisErr("window: the slide duration (%s) must be less than or equal to the window duration (%s)", logical.StripIDs(args[2].String()), logical.StripIDs(args[1].String()))
	case start >= slide || -start >= slide:
		return 0, 0, 0, logical.AnalysisErr("window: the absolute value of the start time (%s) must be less than the slide duration", logical.StripIDs(args[3].String()))
	}
	return dur, slide, start, nil
}

// windowDuration reads a duration: a string such as '5 minutes' or
// '1 hour 30 seconds', or a day-time interval literal.
func windowDuration(e logical.Expr) (int64, error) {
	lit, ok := e.(*logical.Literal)
	if !ok || lit.Value == nil {
		return 0, fmt.Errorf("must be a constant string such as '5 minutes', got %s", logical.StripIDs(e.String()))
	}
	switch v := lit.Value.(type) {
	case string:
		return parseWindowDuration(v)
	case values.DayTimeInterval:
		return int64(v), nil
	}
	return 0, fmt.Errorf("must be a constant string such as '5 minutes', got %s of type %s", logical.StripIDs(e.String()), logical.TypeName(e.DataType()))
}

// windowUnits are the units of a window duration in microseconds; months
// and years have no fixed length, so Spark rejects them.
var windowUnits = map[string]int64{
	"week": 7 * 86400_000_000, "day": 86400_000_000, "hour": 3600_000_000, "minute": 60_000_000,
	"second": 1_000_000, "millisecond": 1000, "microsecond": 1,
}

// errMonthInterval is the error of a window or gap duration in months or
// years.
var errMonthInterval = errors.New("intervals of months or years are not supported")

// parseWindowDuration reads an interval string of number-unit pairs,
// optionally after the word interval.
func parseWindowDuration(s string) (int64, error) {
	f := strings.Fields(strings.ToLower(s))
	if len(f) > 0 && f[0] == "interval" {
		f = f[1:]
	}
	if len(f) == 0 || len(f)%2 != 0 {
		return 0, fmt.Errorf("%q is not an interval such as '5 minutes'", s)
	}
	var total int64
	for i := 0; i < len(f); i += 2 {
		unit := strings.TrimSuffix(f[i+1], "s")
		per, ok := windowUnits[unit]
		if !ok {
			if unit == "month" || unit == "year" {
				return 0, fmt.Errorf("%q: %w", s, errMonthInterval)
			}
			return 0, fmt.Errorf("%q: unknown unit %q (use week, day, hour, minute, second, millisecond or microsecond)", s, f[i+1])
		}
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q: %q is not a whole number", s, f[i])
		}
		if n > 1<<62/per || n < -(1<<62)/per {
			return 0, fmt.Errorf("%q is out of range", s)
		}
		total += n * per
	}
	return total, nil
}

// TimeWindowType is the type of window(...) over a TIMESTAMP:
// struct<start, end> of timestamps.
func TimeWindowType() arrow.DataType { return windowTypeOf(datefn.Timestamp) }

// windowTypeOf is the struct<start, end> of a window over times of type t
// (TIMESTAMP or TIMESTAMP_NTZ, as Spark keeps the time column's type).
func windowTypeOf(t arrow.DataType) arrow.DataType {
	return arrow.StructOf(
		arrow.Field{Name: "start", Type: t, Nullable: true},
		arrow.Field{Name: "end", Type: t, Nullable: true})
}

// windowTimeArg types the time argument of window and session_window: a
// TIMESTAMP_NTZ stays one, anything else is read as a TIMESTAMP.
func windowTimeArg(name string, e logical.Expr) (logical.Expr, error) {
	if t := dtValueType(e.DataType()); t.ID() == arrow.TIMESTAMP && datefn.IsNTZ(t) && t.(*arrow.TimestampType).Unit == arrow.Microsecond {
		return e, nil
	}
	return dtTimestampArg(name, e)
}

// TimeWindowAt is the window of the given duration that starts k slides
// before the last window start at or before the time ts (a TIMESTAMP or
// TIMESTAMP_NTZ, whose type the window keeps):
// start = ts - floormod(ts - startTime, slide) - k*slide.
func TimeWindowAt(ts logical.Expr, dur, slide, start, k int64) logical.Expr {
	typ := ts.DataType()
	us := reinterpret(ts, arrow.PrimitiveTypes.Int64)
	rem := arith(logical.OpMod, arith(logical.OpSub, us, i64Lit(start)), i64Lit(slide))
	rem = arith(logical.OpMod, arith(logical.OpAdd, rem, i64Lit(slide)), i64Lit(slide))
	first := arith(logical.OpSub, us, rem)
	if k != 0 {
		first = arith(logical.OpSub, first, i64Lit(k*slide))
	}
	end := arith(logical.OpAdd, first, i64Lit(dur))
	return windowStruct(first, end, typ)
}

// windowStruct is named_struct('start', start, 'end', end) of two
// microsecond counts read as times of type t.
func windowStruct(start, end logical.Expr, t arrow.DataType) logical.Expr {
	return &logical.Func{Name: "named_struct", Type: windowTypeOf(t), Args: []logical.Expr{
		&logical.Literal{Value: "start", Type: arrow.BinaryTypes.String}, reinterpret(start, t),
		&logical.Literal{Value: "end", Type: arrow.BinaryTypes.String}, reinterpret(end, t)}}
}

// resolveTimeWindow types a tumbling window; a sliding one (slide shorter
// than the window) gives each row several windows, which the SQL builder
// expands before it gets here.
func resolveTimeWindow(name string, args []logical.Expr) (logical.Expr, error) {
	ts, err := windowTimeArg(name, args[0])
	if err != nil {
		return nil, err
	}
	dur, slide, start, err := TimeWindowSpec(args)
	if err != nil {
		return nil, err
	}
	if slide != dur {
		return nil, logical.AnalysisErr("window with a slide duration shorter than the window duration gives several windows per row: use it in GROUP BY or the select list of a query")
	}
	return TimeWindowAt(ts, dur, slide, start, 0), nil
}

// resolveTimeWindows types __time_windows: the array of candidate windows
// of a sliding window, which the SQL builder explodes and filters with
// __in_time_window.
func resolveTimeWindows(name string, args []logical.Expr) (logical.Expr, error) {
	ts, err := windowTimeArg(TimeWindowName, args[0])
	if err != nil {
		return nil, err
	}
	dur, slide, start, err := TimeWindowSpec(args)
	if err != nil {
		return nil, err
	}
	n := (dur + slide - 1) / slide
	ws := make([]logical.Expr, n)
	for k := range ws {
		ws[k] = TimeWindowAt(ts, dur, slide, start, int64(k))
	}
	return &logical.Func{Name: "array", Args: ws, Type: arrow.ListOf(windowTypeOf(ts.DataType()))}, nil
}

// resolveInTimeWindow types __in_time_window(time, window): whether the
// window holds the time, start <= time < end.
func resolveInTimeWindow(name string, args []logical.Expr) (logical.Expr, error) {
	ts, err := windowTimeArg(TimeWindowName, args[0])
	if err != nil {
		return nil, err
	}
	st, ok := args[1].DataType().(*arrow.StructType)
	if !ok || st.NumFields() != 2 || !arrow.TypeEqual(st.Field(0).Type, ts.DataType()) {
		return nil, ArgError(name, args[1], "a time window of the time's type")
	}
	field := func(f string) (logical.Expr, error) {
		e, err := resolveSubscript(SubscriptName, []logical.Expr{args[1], &logical.Literal{Value: f, Type: arrow.BinaryTypes.String}})
		if err != nil {
			return nil, err
		}
		return reinterpret(e, arrow.PrimitiveTypes.Int64), nil
	}
	lo, err := field("start")
	if err != nil {
		return nil, err
	}
	hi, err := field("end")
	if err != nil {
		return nil, err
	}
	us := reinterpret(ts, arrow.PrimitiveTypes.Int64)
	b := arrow.FixedWidthTypes.Boolean
	return &logical.Binary{Op: logical.OpAnd, Type: b,
		L: &logical.Binary{Op: logical.OpLtEq, L: lo, R: us, Type: b},
		R: &logical.Binary{Op: logical.OpLt, L: us, R: hi, Type: b}}, nil
}

// resolveWindowTime types window_time(w): the end of the window minus one
// microsecond, the last time inside it.
func resolveWindowTime(name string, args []logical.Expr) (logical.Expr, error) {
	st, ok := args[0].DataType().(*arrow.StructType)
	if !ok || st.NumFields() != 2 || st.Field(0).Name != "start" || st.Field(1).Name != "end" || st.Field(1).Type.ID() != arrow.TIMESTAMP {
		return nil, ArgError(name, args[0], "a time window column (struct<start: timestamp, end: timestamp>)")
	}
	end, err := resolveSubscript(SubscriptName, []logical.Expr{args[0], &logical.Literal{Value: "end", Type: arrow.BinaryTypes.String}})
	if err != nil {
		return nil, err
	}
	us := arith(logical.OpSub, reinterpret(end, arrow.PrimitiveTypes.Int64), i64Lit(1))
	return reinterpret(us, st.Field(1).Type), nil
}
