package frame

import (
	"fmt"

	"github.com/gspark/gspark/planner/logical"
)

// AggOf builds an aggregate call of f over args (one, or two for corr,
// covar_*, max_by and min_by); distinct aggregates each distinct value once
// and ignoreNulls makes first/last/any_value skip nulls.
func AggOf(f logical.AggFunc, distinct, ignoreNulls bool, args ...Column) Column {
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
		return Column{err: fmt.Errorf("%w: %s takes %d argument(s), got %d", logical.ErrAnalysis, f, want, len(args))}
	}
	call := &logical.AggregateCall{Func: f, Arg: args[0].expr, Distinct: distinct, IgnoreNulls: ignoreNulls}
	if want == 2 {
		call.Arg2 = args[1].expr
	}
	return Column{expr: call}
}

// PercentileOf makes a percentile aggregate column (percentile_approx,
// percentile, median) over c at the given percentages; array asks for the
// array form (one value per percentage) and accuracy is percentile_approx's
// (0: the default, 10000).
func PercentileOf(f logical.AggFunc, c Column, percentages []float64, array bool, accuracy int64) Column {
	if c.err != nil {
		return c
	}
	if !f.IsPercentile() {
		return Column{err: fmt.Errorf("%w: %s is not a percentile aggregate", logical.ErrAnalysis, f)}
	}
	return Column{expr: &logical.AggregateCall{Func: f, Arg: c.expr, Percentages: percentages, ArrayResult: array, Accuracy: accuracy}}
}
