package functions

import (
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/planner/logical"
)

// shuffleFunctions is shuffle(array[, seed]): a random permutation of each
// array. Without a seed one is drawn when the call is resolved and kept as
// its second argument, so that the plan stays one value (as rand does).
func shuffleFunctions() []FunctionDef {
	return []FunctionDef{{Name: "shuffle", MinArgs: 1, MaxArgs: 2, Nondeterministic: true,
		Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			if _, err := arrayArg(name, args[0]); err != nil {
				return nil, err
			}
			seed := rand.Int64()
			if len(args) == 2 {
				s, err := IntLiteralArg(name, args[1])
				if err != nil {
					return nil, err
				}
				seed = s
			}
			lit := &logical.Literal{Value: seed, Type: arrow.PrimitiveTypes.Int64}
			return &logical.Func{Name: name, Args: []logical.Expr{args[0], lit}, Type: args[0].DataType()}, nil
		},
		Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			seed, _ := logical.IntValue(call.Args[1].(*logical.Literal).Value)
			return arrayfn.Shuffle(a[0], seed)
		}}}
}
