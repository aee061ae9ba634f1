package frame

import (
	"fmt"

	"github.com/gspark/gspark/planner"
)

// AggOf builds an aggregate call of f over args (one, or two for corr,
// covar_*, max_by and min_by); distinct aggregates each distinct value once
// and ignoreNulls makes first/last/any_value skip nulls.
func AggOf(f planner.AggFunc, distinct, ignoreNulls bool, args ...Column) Column {
	for _, a := range args {
		if a.err != nil {
			return a
		}
	}
	want := 1
	if f.TwoArgs() {
		want = 2
	}
	if len(args) != want {
		return Column{err: fmt.Errorf("%w: %s takes %d argument(s), got %d", planner.ErrAnalysis, f, want, len(args))}
	}
	call := &planner.AggregateCall{Func: f, Arg: args[0].expr, Distinct: distinct, IgnoreNulls: ignoreNulls}
	if want == 2 {
		call.Arg2 = args[1].expr
	}
	return Column{expr: call}
}
