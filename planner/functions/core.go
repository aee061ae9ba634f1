package functions

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/strfn"
	"github.com/gspark/gspark/planner/logical"
)

// coreFunctions are the string and date functions of the engine foundation.
func coreFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: "upper", Aliases: []string{"ucase"}, MinArgs: 1, MaxArgs: 1, Resolve: resolveString1, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return expr.Upper(a[0]), nil
		}},
		{Name: "lower", Aliases: []string{"lcase"}, MinArgs: 1, MaxArgs: 1, Resolve: resolveString1, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return expr.Lower(a[0]), nil
		}},
		{Name: "substring", Aliases: []string{"substr"}, MinArgs: 2, MaxArgs: 3, Resolve: resolveSubstring, Compile: compileSubstring},
		{Name: "year", MinArgs: 1, MaxArgs: 1, Resolve: resolveDatePart, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return expr.Year(a[0])
		}},
		// grouping and grouping_id are rewritten with GROUPING SETS, ROLLUP
		// and CUBE (see resolveGroupingSets); anywhere else they are errors.
		{Name: "grouping", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return &logical.Func{Name: name, Args: args, Type: arrow.PrimitiveTypes.Int8}, nil
		}, Compile: outsideGroupingSets},
		{Name: "grouping_id", MinArgs: 0, MaxArgs: -1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return &logical.Func{Name: name, Args: args, Type: arrow.PrimitiveTypes.Int64}, nil
		}, Compile: outsideGroupingSets},
	}
}

func outsideGroupingSets(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
	return nil, logical.AnalysisErr("%s() is allowed only in the select list, HAVING or ORDER BY of an aggregation with GROUPING SETS, ROLLUP or CUBE", call.Name)
}

func resolveString1(name string, args []logical.Expr) (logical.Expr, error) {
	if !logical.IsString(args[0].DataType()) {
		return nil, ArgError(name, args[0], "a string argument")
	}
	return &logical.Func{Name: name, Args: args, Type: arrow.BinaryTypes.String}, nil
}

func resolveSubstring(name string, args []logical.Expr) (logical.Expr, error) {
	if !logical.IsString(args[0].DataType()) && !isBinary(args[0].DataType()) {
		return nil, ArgError(name, args[0], "a string or binary argument")
	}
	for _, a := range args[1:] {
		if _, err := IntLiteralArg(name, a); err != nil {
			return nil, logical.AnalysisErr("substring position and length must be integer literals, got %s", logical.StripIDs(a.String()))
		}
	}
	if isBinary(args[0].DataType()) {
		return &logical.Func{Name: name, Args: args, Type: arrow.BinaryTypes.Binary}, nil
	}
	return &logical.Func{Name: name, Args: args, Type: arrow.BinaryTypes.String}, nil
}

func compileSubstring(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	pos, _ := logical.IntValue(call.Args[1].(*logical.Literal).Value)
	length := int64(math.MaxInt32)
	if len(call.Args) > 2 {
		length, _ = logical.IntValue(call.Args[2].(*logical.Literal).Value)
	}
	if isBinary(call.Type) {
		return strfn.BinarySubstring(a[0], pos, length)
	}
	return expr.Substring(a[0], pos, length), nil
}

// resolveDatePart types a function of one date: strings are cast to date,
// timestamps are accepted as they are.
func resolveDatePart(name string, args []logical.Expr) (logical.Expr, error) {
	arg := args[0]
	t := arg.DataType()
	if logical.IsString(t) {
		arg = logical.CastTo(arg, arrow.FixedWidthTypes.Date32)
	} else if t.ID() != arrow.DATE32 && t.ID() != arrow.TIMESTAMP {
		return nil, ArgError(name, args[0], "a date argument")
	}
	return &logical.Func{Name: name, Args: []logical.Expr{arg}, Type: arrow.PrimitiveTypes.Int32}, nil
}
