package optimizer

import (
	"github.com/gspark/gspark/planner/analyzer"
	"github.com/gspark/gspark/planner/logical"
)

// pullCorrelated removes the conjuncts that read outer columns from the
// filters of a subquery plan and returns them with the outer references
// unwrapped, widening projections on the way up so that the columns those
// conditions read stay visible.
func pullCorrelated(p logical.Plan) (logical.Plan, []logical.Expr, error) {
	if !logical.PlanHasOuterRef(p) {
		return p, nil, nil
	}
	switch n := p.(type) {
	case *logical.Filter:
		child, preds, err := pullCorrelated(n.Child)
		if err != nil {
			return nil, nil, err
		}
		var keep []logical.Expr
		for _, c := range logical.SplitConjuncts(n.Cond) {
			if logical.HasOuterRef(c) {
				if len(logical.SubqueriesIn(c)) > 0 {
					return nil, nil, logical.AnalysisErr("a correlated condition containing a subquery is not supported: %s", logical.StripIDs(c.String()))
				}
				preds = append(preds, logical.UnwrapOuter(c))
				continue
			}
			keep = append(keep, c)
		}
		if len(keep) == 0 {
			return child, preds, nil
		}
		return &logical.Filter{Cond: logical.And(keep...), Child: child}, preds, nil
	case *logical.Project:
		for _, e := range n.List {
			if logical.HasOuterRef(e) {
				return nil, nil, logical.AnalysisErr("a subquery selecting an outer column (%s) is not supported", logical.StripIDs(e.String()))
			}
		}
		child, preds, err := pullCorrelated(n.Child)
		if err != nil {
			return nil, nil, err
		}
		return &logical.Project{List: widen(n.List, n.Output(), child.Output(), preds), Child: child}, preds, nil
	case *logical.SubqueryAlias:
		child, preds, err := pullCorrelated(n.Child)
		if err != nil {
			return nil, nil, err
		}
		return &logical.SubqueryAlias{Alias: n.Alias, Child: child}, preds, nil
	case *logical.Join:
		if n.Cond != nil && logical.HasOuterRef(n.Cond) {
			return nil, nil, logical.AnalysisErr("a correlated join condition in a subquery is not supported: %s", logical.StripIDs(n.Cond.String()))
		}
		if n.Kind != logical.InnerJoin && logical.PlanHasOuterRef(n.Right) || (n.Kind == logical.RightJoin || n.Kind == logical.FullJoin) && logical.PlanHasOuterRef(n.Left) {
			return nil, nil, logical.AnalysisErr("a correlated condition under the null-supplying side of an outer join is not supported")
		}
		l, lp, err := pullCorrelated(n.Left)
		if err != nil {
			return nil, nil, err
		}
		r, rp, err := pullCorrelated(n.Right)
		if err != nil {
			return nil, nil, err
		}
		return &logical.Join{Left: l, Right: r, Kind: n.Kind, Cond: n.Cond}, append(lp, rp...), nil
	}
	return nil, nil, logical.AnalysisErr("a correlated condition under %s in a subquery is not supported", analyzer.NodeName(p))
}

// widen appends to a projection list the attributes of childOut that preds
// read but the projection drops.
func widen(list []logical.Expr, out, childOut []*logical.Attribute, preds []logical.Expr) []logical.Expr {
	have := map[int64]bool{}
	for _, a := range out {
		have[a.ID] = true
	}
	need := map[int64]bool{}
	for _, c := range preds {
		for id := range logical.References(c) {
			need[id] = true
		}
	}
	res := append([]logical.Expr(nil), list...)
	for _, a := range childOut {
		if need[a.ID] && !have[a.ID] {
			res = append(res, a)
			have[a.ID] = true
		}
	}
	return res
}

// RewriteCorrelatedScalarSubqueries turns a correlated scalar subquery
// over an aggregate, correlated by equalities (… WHERE inner.k = outer.k),
// into a left join with that aggregate grouped by the inner keys; the
// subquery's value becomes the joined aggregate column (null where no group
// matched, as the subquery over no rows would give).
func RewriteCorrelatedScalarSubqueries() Rule { return rewriteCorrelatedScalarSubqueries(nil) }

// rewriteCorrelatedScalarSubqueries is RewriteCorrelatedScalarSubqueries;
// with an analyzer (for fresh attribute IDs) the aggregate's input is first
// semi-joined with the distinct correlation keys of the outer query (a
// second copy of it), so that it aggregates only the groups the outer rows
// will look up — TPC-H Q17 averages the lineitems of 200 parts, not 200,000.
// Where the subquery aggregates the very input the outer query joins by the
// key, it is instead a window over the outer rows (scalarWindow): one read
// of that input instead of two.
func rewriteCorrelatedScalarSubqueries(a *analyzer.Analyzer) Rule {
	return Rule{Name: "RewriteCorrelatedScalarSubqueries", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformUp(p, func(n logical.Plan) (logical.Plan, bool, error) {
			var subs []*logical.Subquery
			for _, e := range n.Expressions() {
				for _, s := range logical.SubqueriesIn(e) {
					if s.Kind == logical.ScalarSubquery && logical.PlanHasOuterRef(s.Plan) {
						subs = append(subs, s)
					}
				}
			}
			if len(subs) == 0 {
				return n, false, nil
			}
			var child logical.Plan
			var keep []logical.Expr // a filter's conditions without subqueries
			switch x := n.(type) {
			case *logical.Filter:
				child = x.Child
				var with []logical.Expr
				for _, c := range logical.SplitConjuncts(x.Cond) {
					if len(logical.SubqueriesIn(c)) == 0 {
						keep = append(keep, c)
					} else {
						with = append(with, c)
					}
				}
				if len(keep) > 0 {
					// They filter (and, in a FROM list, join) before the subquery's
					// join, and the outer keys are read from what they leave.
					child = &logical.Filter{Cond: logical.And(keep...), Child: child}
					n = &logical.Filter{Cond: logical.And(with...), Child: x.Child}
				}
			case *logical.Project:
				child = x.Child
			default:
				return nil, false, logical.AnalysisErr("correlated scalar subqueries are supported in WHERE, HAVING and SELECT lists only, not in %s", analyzer.NodeName(n))
			}
			values := map[int64]logical.Expr{}
			for _, s := range subs {
				agg, value, conds, err := decorrelateScalar(s.Plan)
				if err != nil {
					return nil, false, err
				}
				if err := checkCorrelationDepth(conds, child, agg); err != nil {
					return nil, false, err
				}
				if a != nil {
					if w, v, ok := scalarWindow(a.IDs, child, s.Plan, conds); ok {
						child, values[s.ID] = w, v
						continue
					}
				}
				if a != nil {
					if agg, err = a.RestrictToOuterKeys(agg, conds, child); err != nil {
						return nil, false, err
					}
				}
				child = &logical.Join{Left: child, Right: agg, Kind: logical.LeftJoin, Cond: logical.And(conds...)}
				values[s.ID] = value.WithNullable(true)
				if empty, ok, err := emptyScalarValue(s.Plan); err != nil {
					return nil, false, err
				} else if ok {
					if values[s.ID], err = countBugValue(values[s.ID], empty, conds); err != nil {
						return nil, false, err
					}
				}
			}
			exprs := n.Expressions()
			ne := make([]logical.Expr, len(exprs))
			for i, e := range exprs {
				ne[i], _ = logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
					if s, ok := x.(*logical.Subquery); ok && s.Kind == logical.ScalarSubquery {
						if v, ok := values[s.ID]; ok {
							return v, true
						}
					}
					return x, false
				})
			}
			switch x := n.(type) {
			case *logical.Filter:
				out := x.Output()
				list := make([]logical.Expr, len(out))
				for i, a := range out {
					list[i] = a
				}
				return &logical.Project{List: list, Child: &logical.Filter{Cond: ne[0], Child: child}}, true, nil
			default:
				return &logical.Project{List: ne, Child: child}, true, nil
			}
		})
	}}
}

// decorrelateScalar rewrites the plan of a correlated scalar subquery —
// [Project or SubqueryAlias over] a global Aggregate whose input filters
// compare inner columns with outer ones — into the aggregate grouped by
// those inner columns. It returns that plan, the attribute carrying the
// subquery's value, and the join conditions (outer = inner).
func decorrelateScalar(p logical.Plan) (logical.Plan, *logical.Attribute, []logical.Expr, error) {
	switch n := p.(type) {
	case *logical.SubqueryAlias:
		child, v, conds, err := decorrelateScalar(n.Child)
		if err != nil {
			return nil, nil, nil, err
		}
		return &logical.SubqueryAlias{Alias: n.Alias, Child: child}, v, conds, nil
	case *logical.Project:
		for _, e := range n.List {
			if logical.HasOuterRef(e) {
				return nil, nil, nil, logical.AnalysisErr("a scalar subquery selecting an outer column (%s) is not supported", logical.StripIDs(e.String()))
			}
		}
		child, _, conds, err := decorrelateScalar(n.Child)
		if err != nil {
			return nil, nil, nil, err
		}
		list := widen(n.List, n.Output(), child.Output(), conds)
		proj := &logical.Project{List: list, Child: child}
		return proj, proj.Output()[0], conds, nil
	case *logical.Aggregate:
		if len(n.Groups) > 0 {
			return nil, nil, nil, logical.AnalysisErr("a correlated scalar subquery with GROUP BY is not supported")
		}
		// count's value over no rows is 0, not null: see emptyScalarValue.
		child, preds, err := pullCorrelated(n.Child)
		if err != nil {
			return nil, nil, nil, err
		}
		var groups []logical.Expr
		var conds []logical.Expr
		for _, c := range preds {
			b, ok := c.(*logical.Binary)
			if !ok || b.Op != logical.OpEq {
				return nil, nil, nil, logical.AnalysisErr("a correlated scalar subquery may compare inner and outer columns with = only, not %s", logical.StripIDs(c.String()))
			}
			inner, outer := b.L, b.R
			childIDs := map[int64]bool{}
			for _, a := range child.Output() {
				childIDs[a.ID] = true
			}
			if !logical.Subset(logical.References(inner), childIDs) {
				inner, outer = outer, inner
			}
			ia, ok := inner.(*logical.Attribute)
			if !ok || !childIDs[ia.ID] || logical.Subset(logical.References(outer), childIDs) {
				return nil, nil, nil, logical.AnalysisErr("a correlated scalar subquery must equate an inner column with an outer expression, not %s", logical.StripIDs(c.String()))
			}
			groups = append(groups, ia)
			conds = append(conds, &logical.Binary{Op: logical.OpEq, L: outer, R: ia, Type: b.Type})
		}
		list := append([]logical.Expr(nil), n.List...)
		seen := map[int64]bool{}
		for _, g := range groups {
			a := g.(*logical.Attribute)
			if !seen[a.ID] {
				seen[a.ID] = true
				list = append(list, a)
			}
		}
		agg := &logical.Aggregate{Groups: groups, List: list, Child: child}
		return agg, agg.Output()[0], conds, nil
	}
	return nil, nil, nil, logical.AnalysisErr("a correlated scalar subquery must compute an aggregate (… SELECT max(x) FROM … WHERE inner = outer), got %s", analyzer.NodeName(p))
}

// checkCorrelationDepth reports a correlated condition that reads a column
// of neither side of the join it becomes: one of a query two or more
// levels out, which the rewrites do not support.
func checkCorrelationDepth(conds []logical.Expr, left, right logical.Plan) error {
	ids := map[int64]bool{}
	for _, p := range []logical.Plan{left, right} {
		for _, a := range p.Output() {
			ids[a.ID] = true
		}
	}
	for _, c := range conds {
		if !logical.Subset(logical.References(c), ids) {
			return logical.AnalysisErr("a subquery referring to a query two or more levels out is not supported: %s", logical.StripIDs(c.String()))
		}
	}
	return nil
}
