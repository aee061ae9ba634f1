package compile

import (
	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/logical"
)

// WindowFuncOf maps a window expression's function to the operator's.
func WindowFuncOf(f logical.Expr) (window.Func, error) {
	switch x := f.(type) {
	case *logical.WindowFunction:
		return x.Func, nil
	case *logical.AggregateCall:
		if x.Distinct {
			return 0, logical.AnalysisErr("DISTINCT aggregate %s is not supported as a window function", logical.StripIDs(x.String()))
		}
		switch x.Func {
		case logical.AggCount:
			if x.Arg == nil {
				return window.CountStar, nil
			}
			return window.Count, nil
		case logical.AggSum:
			return window.Sum, nil
		case logical.AggAvg:
			return window.Avg, nil
		case logical.AggMin:
			return window.Min, nil
		case logical.AggMax:
			return window.Max, nil
		}
		return window.Agg, nil
	}
	return 0, logical.AnalysisErr("%s is not a window function", logical.StripIDs(f.String()))
}
