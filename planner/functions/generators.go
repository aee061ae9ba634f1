package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/planner/logical"
)

// generatorFunctions are explode and its forms: the analyzer lifts a call in
// a select list into a Generate; anywhere else it is an error.
func generatorFunctions() []FunctionDef {
	var defs []FunctionDef
	for _, outer := range []bool{false, true} {
		for _, pos := range []bool{false, true} {
			defs = append(defs, FunctionDef{Name: logical.GeneratorName(outer, pos), MinArgs: 1, MaxArgs: 1, Params: []Param{{Name: "collection"}},
				Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
					switch t := args[0].DataType().(type) {
					case *arrow.ListType:
						return &logical.Func{Name: name, Args: args, Type: t.Elem(), MayBeNull: true}, nil
					case *arrow.MapType:
						return &logical.Func{Name: name, Args: args, Type: t.ItemType(), MayBeNull: true}, nil
					}
					return nil, ArgError(name, args[0], "an array or a map")
				},
				Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
					return nil, logical.AnalysisErr("%s is allowed only as a top-level item of a select list", call.Name)
				}})
		}
	}
	return defs
}
