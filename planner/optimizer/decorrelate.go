package optimizer

import (
	"fmt"

	"github.com/gspark/gspark/planner/analyzer"
	"github.com/gspark/gspark/planner/logical"
)

// SubqueryRules are the rewrites that turn subquery expressions into joins.
// They run on every query, with the optimizer on or off, since the physical
// planner has no operator for EXISTS, IN (subquery) or correlated scalar
// subqueries; uncorrelated scalar subqueries stay and are evaluated first.
func SubqueryRules() []Rule {
	return []Rule{RewritePredicateSubqueries(), RewriteCorrelatedScalarSubqueries()}
}

// Decorrelate applies SubqueryRules to p and to the plans of the subqueries
// inside it (innermost first), returning how often each rule fired. With
// ids (the session's attribute IDs), a correlated aggregate only reads the
// rows whose keys the outer query has (see RewriteCorrelatedScalarSubqueries).
func Decorrelate(p logical.Plan, ids *logical.IDs) (logical.Plan, map[string]int, error) {
	rules := SubqueryRules()
	if ids != nil {
		rules[1] = rewriteCorrelatedScalarSubqueries(&analyzer.Analyzer{IDs: ids})
	}
	fired := map[string]int{}
	var run func(logical.Plan) (logical.Plan, error)
	run = func(p logical.Plan) (logical.Plan, error) {
		// Subqueries nested in subqueries first.
		p, _, err := logical.TransformUp(p, func(n logical.Plan) (logical.Plan, bool, error) {
			exprs := n.Expressions()
			changed := false
			ne := make([]logical.Expr, len(exprs))
			for i, e := range exprs {
				var ferr error
				r, c := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
					s, ok := x.(*logical.Subquery)
					if !ok || ferr != nil {
						return x, false
					}
					sp, err := run(s.Plan)
					if err != nil {
						ferr = err
						return x, false
					}
					cp := *s
					cp.Plan = sp
					return &cp, true
				})
				if ferr != nil {
					return nil, false, ferr
				}
				ne[i] = r
				changed = changed || c
			}
			if changed {
				n = n.WithExpressions(ne)
			}
			return n, changed, nil
		})
		if err != nil {
			return nil, err
		}
		for _, r := range rules {
			np, changed, err := r.Apply(p)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r.Name, err)
			}
			if changed {
				fired[r.Name]++
				p = np
			}
		}
		return p, nil
	}
	out, err := run(p)
	return out, fired, err
}
