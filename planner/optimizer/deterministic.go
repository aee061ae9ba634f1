package optimizer

import (
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// nondeterministic reports whether e calls a function whose value is not
// fixed by its arguments (rand, monotonically_increasing_id, ...):
// evaluated below a projection instead of in it, such a call would answer
// differently, so predicates over it stay where they are, as in Spark.
func nondeterministic(e logical.Expr) bool {
	found := false
	logical.Walk(e, func(x logical.Expr) bool {
		if f, ok := x.(*logical.Func); ok {
			if d, ok := functions.Builtins().Lookup(f.Name); ok && d.Nondeterministic {
				found = true
			}
		}
		return !found
	})
	return found
}
