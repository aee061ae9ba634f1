package planner

// CombineFilters merges a filter directly over another filter into one filter
// whose condition is the conjunction of both.
func CombineFilters() Rule {
	return Rule{Name: "CombineFilters", Apply: func(p Plan) (Plan, bool, error) {
		return TransformUp(p, func(n Plan) (Plan, bool, error) {
			f, ok := n.(*Filter)
			if !ok {
				return n, false, nil
			}
			inner, ok := f.Child.(*Filter)
			if !ok || len(subqueriesIn(f.Cond)) > 0 {
				// A filter holding a subquery stays apart (see pushFilter).
				return n, false, nil
			}
			return &Filter{Cond: And(inner.Cond, f.Cond), Child: inner.Child}, true, nil
		})
	}}
}
