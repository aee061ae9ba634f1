package functions

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// SessionWindowName is Spark's session_window(time, gap): the
// struct<start, end> of the session holding the time. The SQL builder
// names the column session_window, as Spark does, and merges the sessions
// of an aggregation (see planner/sql).
const SessionWindowName = "session_window"

// intervalMicrosName is the internal function reading a gap string or
// CalendarInterval per row: __interval_micros('5 minutes') = 300000000,
// null for a string that is no interval (as Spark's cast of a string to an
// interval).
const intervalMicrosName = "__interval_micros"

// sessionWindowFunctions are session_window and its gap reader.
func sessionWindowFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: SessionWindowName, MinArgs: 2, MaxArgs: 2, Resolve: resolveSessionWindow},
		{Name: intervalMicrosName, MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return &logical.Func{Name: name, Args: args, Type: arrow.PrimitiveTypes.Int64, MayBeNull: true}, nil
		}, Compile: compileIntervalMicros},
	}
}

// resolveSessionWindow types session_window(time, gap) for one row: the
// window [time, time + gap). A gap that is null, zero or negative gives an
// end not after the start, and the SQL builder drops such rows as Spark
// does. The gap is a constant or per-row interval string ('5 minutes') or
// a day-time interval.
func resolveSessionWindow(name string, args []logical.Expr) (logical.Expr, error) {
	ts, err := windowTimeArg(name, args[0])
	if err != nil {
		return nil, err
	}
	gap, err := sessionGap(name, args[1])
	if err != nil {
		return nil, err
	}
	start := reinterpret(ts, arrow.PrimitiveTypes.Int64)
	return windowStruct(start, arith(logical.OpAdd, start, gap), ts.DataType()), nil
}

// sessionGap is the gap of session_window in microseconds (a bigint
// expression).
func sessionGap(name string, e logical.Expr) (logical.Expr, error) {
	if lit, ok := e.(*logical.Literal); ok {
		switch v := lit.Value.(type) {
		case nil:
			return &logical.Literal{Value: nil, Type: arrow.PrimitiveTypes.Int64}, nil
		case string:
			us, err := parseWindowDuration(v)
			if err != nil {
				return nil, logical.AnalysisErr("%s: the gap duration %s", name, err)
			}
			return i64Lit(us), nil
		}
	}
	t := dtValueType(e.DataType())
	switch {
	case values.IsDayTimeInterval(t) && t.(*arrow.DurationType).Unit == arrow.Microsecond:
		return reinterpret(e, arrow.PrimitiveTypes.Int64), nil
	case logical.IsString(t), values.IsCalendarInterval(t):
		return &logical.Func{Name: intervalMicrosName, Args: []logical.Expr{e}, Type: arrow.PrimitiveTypes.Int64, MayBeNull: true}, nil
	case t.ID() == arrow.NULL:
		return &logical.Literal{Value: nil, Type: arrow.PrimitiveTypes.Int64}, nil
	}
	return nil, ArgError(name, e, "a gap duration: an interval string such as '5 minutes', a day-time interval or an interval of make_interval")
}

// compileIntervalMicros reads each string as an interval of number-unit
// pairs in microseconds; a string that is no such interval gives null, and
// months or years (no fixed length) are an error naming the value.
func compileIntervalMicros(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	return expr.UDF(call.Name, arrow.PrimitiveTypes.Int64, a, func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		if ci, ok := args[0].(*array.MonthDayNanoInterval); ok {
			return calendarMicros(mem, ci)
		}
		in, ok := args[0].(interface {
			arrow.Array
			Value(int) string
		})
		if !ok {
			return nil, fmt.Errorf("a gap duration must be a string, got %s", args[0].DataType())
		}
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Reserve(in.Len())
		for i := 0; i < in.Len(); i++ {
			if in.IsNull(i) {
				b.AppendNull()
				continue
			}
			us, err := parseWindowDuration(in.Value(i))
			switch {
			case err == nil:
				b.Append(us)
			case errors.Is(err, errMonthInterval):
				return nil, fmt.Errorf("session_window: the gap duration %w", err)
			default:
				b.AppendNull()
			}
		}
		return b.NewArray(), nil
	}), nil
}

// calendarMicros reads CalendarIntervals (make_interval) as microseconds:
// days of 24 hours plus the time part; months, which have no fixed length,
// are an error.
func calendarMicros(mem memory.Allocator, in *array.MonthDayNanoInterval) (arrow.Array, error) {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.Reserve(in.Len())
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			b.AppendNull()
			continue
		}
		v := in.Value(i)
		if v.Months != 0 {
			return nil, fmt.Errorf("session_window: the gap duration has %d months: %w", v.Months, errMonthInterval)
		}
		b.Append(int64(v.Days)*86400_000_000 + v.Nanoseconds/1000)
	}
	return b.NewArray(), nil
}
