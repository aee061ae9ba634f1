package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
)

// epochFunctions convert between timestamps or dates and counts since the
// epoch, and name days and months.
func epochFunctions() []FunctionDef {
	unix := func(name string, per int64) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 1, MaxArgs: 1,
			Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
				ts, err := dtTimestampArg(name, args[0])
				if err != nil {
					return nil, err
				}
				return &logical.Func{Name: name, Args: []logical.Expr{ts}, Type: arrow.PrimitiveTypes.Int64}, nil
			},
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return datefn.UnixUnits(call.Name, a[0], per)
			}}
	}
	fromUnits := func(name string, per int64) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 1, MaxArgs: 1,
			Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
				n := args[0]
				switch t := dtValueType(n.DataType()); {
				case logical.IsInteger(t), t.ID() == arrow.NULL:
					n = logical.CastTo(n, arrow.PrimitiveTypes.Int64)
				case per == 1_000_000 && logical.IsDecimal(t):
					n = logical.CastTo(n, logical.DecimalType(18, 6))
				case per == 1_000_000 && (t.ID() == arrow.FLOAT64 || t.ID() == arrow.FLOAT32):
					n = logical.CastTo(n, arrow.PrimitiveTypes.Float64)
				default:
					return nil, ArgError(name, n, "a numeric argument")
				}
				return &logical.Func{Name: name, Args: []logical.Expr{n}, Type: datefn.Timestamp}, nil
			},
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return datefn.TimestampFromUnits(call.Name, a[0], per)
			}}
	}
	name := func(fn string, month bool) FunctionDef {
		return FunctionDef{Name: fn, MinArgs: 1, MaxArgs: 1,
			Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
				d, err := dtDateArg(name, args[0])
				if err != nil {
					return nil, err
				}
				return &logical.Func{Name: name, Args: []logical.Expr{d}, Type: arrow.BinaryTypes.String}, nil
			},
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.DayOrMonthName(a[0], month) }}
	}
	return []FunctionDef{
		unix("unix_seconds", 1_000_000),
		unix("unix_millis", 1000),
		unix("unix_micros", 1),
		fromUnits("timestamp_seconds", 1_000_000),
		fromUnits("timestamp_millis", 1000),
		fromUnits("timestamp_micros", 1),
		{Name: "unix_date", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			d, err := dtDateArg(name, args[0])
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: []logical.Expr{d}, Type: arrow.PrimitiveTypes.Int32}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.UnixDate(a[0]) }},
		{Name: "date_from_unix_date", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			n, err := dtIntArg(name, args[0])
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: []logical.Expr{n}, Type: datefn.Date}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.DateFromUnixDate(a[0]) }},
		{Name: "to_unix_timestamp", MinArgs: 1, MaxArgs: 2, Resolve: resolveUnixTimestamp, Compile: compileUnixTimestamp},
		name("dayname", false),
		name("monthname", true),
		{Name: "current_timezone", MinArgs: 0, MaxArgs: 0,
			Resolve: func(name string, _ []logical.Expr) (logical.Expr, error) {
				return &logical.Func{Name: name, Type: arrow.BinaryTypes.String}, nil
			},
			Compile: func(_ *logical.Func, _ []expr.Expr) (expr.Expr, error) {
				return expr.Literal("UTC", arrow.BinaryTypes.String) // the session time zone
			}},
	}
}
