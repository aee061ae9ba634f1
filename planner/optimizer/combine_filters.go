package optimizer

import (
	"github.com/gspark/gspark/planner/logical"
)

// CombineFilters merges a filter directly over another filter into one filter
// whose condition is the conjunction of both.
func CombineFilters() Rule {
	return Rule{Name: "CombineFilters", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformUp(p, func(n logical.Plan) (logical.Plan, bool, error) {
			f, ok := n.(*logical.Filter)
			if !ok {
				return n, false, nil
			}
			inner, ok := f.Child.(*logical.Filter)
			if !ok || len(logical.SubqueriesIn(f.Cond)) > 0 {
				// A filter holding a subquery stays apart (see pushFilter).
				return n, false, nil
			}
			return &logical.Filter{Cond: logical.And(inner.Cond, f.Cond), Child: inner.Child}, true, nil
		})
	}}
}
