package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/planner/logical"
)

// tableGeneratorFunctions are inline, inline_outer and stack: like explode,
// the analyzer lifts a call in a select list (or a FROM clause or LATERAL
// VIEW) into a Generate; each makes several columns.
func tableGeneratorFunctions() []FunctionDef {
	notHere := func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
		return nil, logical.AnalysisErr("%s is allowed only as a top-level item of a select list, in FROM or in LATERAL VIEW", call.Name)
	}
	var defs []FunctionDef
	for _, name := range []string{"inline", "inline_outer"} {
		defs = append(defs, FunctionDef{Name: name, MinArgs: 1, MaxArgs: 1,
			Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
				if t, ok := args[0].DataType().(*arrow.ListType); ok {
					if st, ok := t.Elem().(*arrow.StructType); ok {
						return &logical.Func{Name: name, Args: args, Type: st, MayBeNull: true}, nil
					}
				}
				return nil, ArgError(name, args[0], "an array of structs")
			},
			Compile: notHere})
	}
	defs = append(defs, FunctionDef{Name: "stack", MinArgs: 2, MaxArgs: -1,
		Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			if _, err := StackRows(args); err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: args, Type: arrow.Null, MayBeNull: true}, nil
		},
		Compile: notHere})
	return defs
}

// StackRows checks the arguments of stack(n, v1, …, vk) and returns n, the
// number of rows: a positive integer constant.
func StackRows(args []logical.Expr) (int, error) {
	if lit, ok := args[0].(*logical.Literal); ok {
		if n, ok := logical.IntValue(lit.Value); ok && n >= 1 && n <= 1<<20 {
			return int(n), nil
		}
	}
	return 0, ArgError("stack", args[0], "a positive integer constant (the number of rows)")
}

// DistinctTupleName is the function count(DISTINCT a, b, …) counts the
// distinct values of: one string per row that is equal for two rows exactly
// when all their arguments are equal, and null when any argument is null
// (Spark counts the rows where every argument is non-null).
const DistinctTupleName = "__distinct_tuple"

func distinctTupleFunctions() []FunctionDef {
	return []FunctionDef{{Name: DistinctTupleName, MinArgs: 2, MaxArgs: -1,
		Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			str := arrow.BinaryTypes.String
			var parts []logical.Expr
			for _, a := range args {
				switch a.DataType().(type) {
				case *arrow.ListType, *arrow.StructType, *arrow.MapType:
					return nil, ArgError("count(DISTINCT …) of several arguments", a, "values of atomic types")
				}
				v := a
				if id := a.DataType().ID(); id == arrow.FLOAT32 || id == arrow.FLOAT64 {
					// -0.0 + 0.0 is 0.0: the two zeros are one value, as in Spark.
					sum, err := logical.TypeBinary(&logical.Binary{Op: logical.OpAdd, L: a, R: &logical.Literal{Value: float64(0), Type: arrow.PrimitiveTypes.Float64}})
					if err != nil {
						return nil, err
					}
					v = sum
				}
				s := logical.CastTo(v, str)
				n, err := strfnResolve(arrow.PrimitiveTypes.Int32, strfnS)("length", []logical.Expr{s})
				if err != nil {
					return nil, err
				}
				// Each value as its length, ':', then its text: no two tuples share a key.
				parts = append(parts, logical.CastTo(n, str), &logical.Literal{Value: ":", Type: str}, s)
			}
			return strfnResolve(str, strfnS)("concat", parts)
		},
		Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
			return nil, logical.AnalysisErr("%s is resolved into concat", call.Name)
		}}}
}
