package planner

import "fmt"

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
func Decorrelate(p Plan, ids *IDs) (Plan, map[string]int, error) {
	rules := SubqueryRules()
	if ids != nil {
		rules[1] = rewriteCorrelatedScalarSubqueries(&Analyzer{IDs: ids})
	}
	fired := map[string]int{}
	var run func(Plan) (Plan, error)
	run = func(p Plan) (Plan, error) {
		// Subqueries nested in subqueries first.
		p, _, err := TransformUp(p, func(n Plan) (Plan, bool, error) {
			exprs := n.Expressions()
			changed := false
			ne := make([]Expr, len(exprs))
			for i, e := range exprs {
				var ferr error
				r, c := Transform(e, func(x Expr) (Expr, bool) {
					s, ok := x.(*Subquery)
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

// asPredicateSubquery recognizes EXISTS (…), x IN (…) and their negations.
func asPredicateSubquery(e Expr) (*Subquery, bool) {
	not := false
	if u, ok := e.(*Unary); ok && u.Op == OpNot {
		e, not = u.E, true
	}
	if s, ok := e.(*Subquery); ok && s.Kind != ScalarSubquery {
		return s, not
	}
	return nil, false
}

func containsPredicateSubquery(e Expr) bool {
	for _, s := range subqueriesIn(e) {
		if s.Kind != ScalarSubquery {
			return true
		}
	}
	return false
}

// RewritePredicateSubqueries turns EXISTS and IN subqueries that are
// conjuncts of a filter into left semi joins (NOT EXISTS, NOT IN: left anti
// joins), their correlated predicates becoming the join condition. NOT IN
// keeps SQL's null semantics: a null on either side makes the row fail.
func RewritePredicateSubqueries() Rule {
	return Rule{Name: "RewritePredicateSubqueries", Apply: func(p Plan) (Plan, bool, error) {
		return TransformUp(p, func(n Plan) (Plan, bool, error) {
			for _, e := range n.Expressions() {
				if _, isFilter := n.(*Filter); !isFilter && containsPredicateSubquery(e) {
					return nil, false, analysisErr("EXISTS and IN (subquery) are supported in WHERE and HAVING conditions only, not in %s", nodeName(n))
				}
			}
			f, ok := n.(*Filter)
			if !ok || !containsPredicateSubquery(f.Cond) {
				return n, false, nil
			}
			var rest []Expr
			type pending struct {
				s   *Subquery
				not bool
			}
			var subs []pending
			for _, c := range SplitConjuncts(f.Cond) {
				if s, not := asPredicateSubquery(c); s != nil {
					subs = append(subs, pending{s, not})
					continue
				}
				if containsPredicateSubquery(c) {
					return nil, false, analysisErr("EXISTS and IN (subquery) must be AND-ed conditions of WHERE or HAVING; %s is not supported", stripIDs(c.String()))
				}
				rest = append(rest, c)
			}
			child := f.Child
			// Conditions holding (scalar) subqueries go above the semi and
			// anti joins, which usually shrink what those must look at;
			// the others below, where they filter first.
			var restAbove []Expr
			if len(rest) > 0 {
				var below []Expr
				for _, c := range rest {
					if len(subqueriesIn(c)) > 0 {
						restAbove = append(restAbove, c)
					} else {
						below = append(below, c)
					}
				}
				if len(below) > 0 {
					child = &Filter{Cond: And(below...), Child: child}
				}
			}
			for _, ps := range subs {
				inner, conds, err := pullCorrelated(ps.s.Plan)
				if err != nil {
					return nil, false, err
				}
				if ps.s.Kind == InSubquery {
					col := inner.Output()[0]
					eq, err := typeBinary(&Binary{Op: OpEq, L: ps.s.Value, R: col})
					if err != nil {
						return nil, false, err
					}
					if ps.not && (ps.s.Value.Nullable() || col.Nullable()) {
						isNull, err := typeCheck(&Unary{Op: OpIsNull, E: eq})
						if err != nil {
							return nil, false, err
						}
						eq, err = typeBinary(&Binary{Op: OpOr, L: eq, R: isNull})
						if err != nil {
							return nil, false, err
						}
					}
					conds = append(conds, eq)
				}
				if err := checkCorrelationDepth(conds, child, inner); err != nil {
					return nil, false, err
				}
				kind := LeftSemiJoin
				if ps.not {
					kind = LeftAntiJoin
				}
				j := &Join{Left: child, Right: inner, Kind: kind}
				if len(conds) > 0 {
					j.Cond = And(conds...)
				}
				child = j
			}
			if len(restAbove) > 0 {
				child = &Filter{Cond: And(restAbove...), Child: child}
			}
			return child, true, nil
		})
	}}
}

// pullCorrelated removes the conjuncts that read outer columns from the
// filters of a subquery plan and returns them with the outer references
// unwrapped, widening projections on the way up so that the columns those
// conditions read stay visible.
func pullCorrelated(p Plan) (Plan, []Expr, error) {
	if !planHasOuterRef(p) {
		return p, nil, nil
	}
	switch n := p.(type) {
	case *Filter:
		child, preds, err := pullCorrelated(n.Child)
		if err != nil {
			return nil, nil, err
		}
		var keep []Expr
		for _, c := range SplitConjuncts(n.Cond) {
			if hasOuterRef(c) {
				if len(subqueriesIn(c)) > 0 {
					return nil, nil, analysisErr("a correlated condition containing a subquery is not supported: %s", stripIDs(c.String()))
				}
				preds = append(preds, unwrapOuter(c))
				continue
			}
			keep = append(keep, c)
		}
		if len(keep) == 0 {
			return child, preds, nil
		}
		return &Filter{Cond: And(keep...), Child: child}, preds, nil
	case *Project:
		for _, e := range n.List {
			if hasOuterRef(e) {
				return nil, nil, analysisErr("a subquery selecting an outer column (%s) is not supported", stripIDs(e.String()))
			}
		}
		child, preds, err := pullCorrelated(n.Child)
		if err != nil {
			return nil, nil, err
		}
		return &Project{List: widen(n.List, n.Output(), child.Output(), preds), Child: child}, preds, nil
	case *SubqueryAlias:
		child, preds, err := pullCorrelated(n.Child)
		if err != nil {
			return nil, nil, err
		}
		return &SubqueryAlias{Alias: n.Alias, Child: child}, preds, nil
	case *Join:
		if n.Cond != nil && hasOuterRef(n.Cond) {
			return nil, nil, analysisErr("a correlated join condition in a subquery is not supported: %s", stripIDs(n.Cond.String()))
		}
		if n.Kind != InnerJoin && planHasOuterRef(n.Right) || (n.Kind == RightJoin || n.Kind == FullJoin) && planHasOuterRef(n.Left) {
			return nil, nil, analysisErr("a correlated condition under the null-supplying side of an outer join is not supported")
		}
		l, lp, err := pullCorrelated(n.Left)
		if err != nil {
			return nil, nil, err
		}
		r, rp, err := pullCorrelated(n.Right)
		if err != nil {
			return nil, nil, err
		}
		return &Join{Left: l, Right: r, Kind: n.Kind, Cond: n.Cond}, append(lp, rp...), nil
	}
	return nil, nil, analysisErr("a correlated condition under %s in a subquery is not supported", nodeName(p))
}

// widen appends to a projection list the attributes of childOut that preds
// read but the projection drops.
func widen(list []Expr, out, childOut []*Attribute, preds []Expr) []Expr {
	have := map[int64]bool{}
	for _, a := range out {
		have[a.ID] = true
	}
	need := map[int64]bool{}
	for _, c := range preds {
		for id := range References(c) {
			need[id] = true
		}
	}
	res := append([]Expr(nil), list...)
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
func rewriteCorrelatedScalarSubqueries(a *Analyzer) Rule {
	return Rule{Name: "RewriteCorrelatedScalarSubqueries", Apply: func(p Plan) (Plan, bool, error) {
		return TransformUp(p, func(n Plan) (Plan, bool, error) {
			var subs []*Subquery
			for _, e := range n.Expressions() {
				for _, s := range subqueriesIn(e) {
					if s.Kind == ScalarSubquery && planHasOuterRef(s.Plan) {
						subs = append(subs, s)
					}
				}
			}
			if len(subs) == 0 {
				return n, false, nil
			}
			var child Plan
			var keep []Expr // a filter's conditions without subqueries
			switch x := n.(type) {
			case *Filter:
				child = x.Child
				var with []Expr
				for _, c := range SplitConjuncts(x.Cond) {
					if len(subqueriesIn(c)) == 0 {
						keep = append(keep, c)
					} else {
						with = append(with, c)
					}
				}
				if len(keep) > 0 {
					// They filter (and, in a FROM list, join) before the subquery's
					// join, and the outer keys are read from what they leave.
					child = &Filter{Cond: And(keep...), Child: child}
					n = &Filter{Cond: And(with...), Child: x.Child}
				}
			case *Project:
				child = x.Child
			default:
				return nil, false, analysisErr("correlated scalar subqueries are supported in WHERE, HAVING and SELECT lists only, not in %s", nodeName(n))
			}
			values := map[int64]Expr{}
			for _, s := range subs {
				agg, value, conds, err := decorrelateScalar(s.Plan)
				if err != nil {
					return nil, false, err
				}
				if err := checkCorrelationDepth(conds, child, agg); err != nil {
					return nil, false, err
				}
				if a != nil {
					if agg, err = a.restrictToOuterKeys(agg, conds, child); err != nil {
						return nil, false, err
					}
				}
				child = &Join{Left: child, Right: agg, Kind: LeftJoin, Cond: And(conds...)}
				values[s.ID] = value.withNullable(true)
			}
			exprs := n.Expressions()
			ne := make([]Expr, len(exprs))
			for i, e := range exprs {
				ne[i], _ = Transform(e, func(x Expr) (Expr, bool) {
					if s, ok := x.(*Subquery); ok && s.Kind == ScalarSubquery {
						if v, ok := values[s.ID]; ok {
							return v, true
						}
					}
					return x, false
				})
			}
			switch x := n.(type) {
			case *Filter:
				out := x.Output()
				list := make([]Expr, len(out))
				for i, a := range out {
					list[i] = a
				}
				return &Project{List: list, Child: &Filter{Cond: ne[0], Child: child}}, true, nil
			default:
				return &Project{List: ne, Child: child}, true, nil
			}
		})
	}}
}

// decorrelateScalar rewrites the plan of a correlated scalar subquery —
// [Project or SubqueryAlias over] a global Aggregate whose input filters
// compare inner columns with outer ones — into the aggregate grouped by
// those inner columns. It returns that plan, the attribute carrying the
// subquery's value, and the join conditions (outer = inner).
func decorrelateScalar(p Plan) (Plan, *Attribute, []Expr, error) {
	switch n := p.(type) {
	case *SubqueryAlias:
		child, v, conds, err := decorrelateScalar(n.Child)
		if err != nil {
			return nil, nil, nil, err
		}
		return &SubqueryAlias{Alias: n.Alias, Child: child}, v, conds, nil
	case *Project:
		for _, e := range n.List {
			if hasOuterRef(e) {
				return nil, nil, nil, analysisErr("a scalar subquery selecting an outer column (%s) is not supported", stripIDs(e.String()))
			}
		}
		child, _, conds, err := decorrelateScalar(n.Child)
		if err != nil {
			return nil, nil, nil, err
		}
		list := widen(n.List, n.Output(), child.Output(), conds)
		proj := &Project{List: list, Child: child}
		return proj, proj.Output()[0], conds, nil
	case *Aggregate:
		if len(n.Groups) > 0 {
			return nil, nil, nil, analysisErr("a correlated scalar subquery with GROUP BY is not supported")
		}
		counts := false
		for _, e := range n.List {
			Walk(e, func(x Expr) bool {
				if a, ok := x.(*AggregateCall); ok && a.Func == AggCount {
					counts = true
				}
				return !counts
			})
		}
		if counts {
			return nil, nil, nil, analysisErr("a correlated scalar subquery computing count() is not supported yet")
		}
		child, preds, err := pullCorrelated(n.Child)
		if err != nil {
			return nil, nil, nil, err
		}
		var groups []Expr
		var conds []Expr
		for _, c := range preds {
			b, ok := c.(*Binary)
			if !ok || b.Op != OpEq {
				return nil, nil, nil, analysisErr("a correlated scalar subquery may compare inner and outer columns with = only, not %s", stripIDs(c.String()))
			}
			inner, outer := b.L, b.R
			childIDs := map[int64]bool{}
			for _, a := range child.Output() {
				childIDs[a.ID] = true
			}
			if !subset(References(inner), childIDs) {
				inner, outer = outer, inner
			}
			ia, ok := inner.(*Attribute)
			if !ok || !childIDs[ia.ID] || subset(References(outer), childIDs) {
				return nil, nil, nil, analysisErr("a correlated scalar subquery must equate an inner column with an outer expression, not %s", stripIDs(c.String()))
			}
			groups = append(groups, ia)
			conds = append(conds, &Binary{Op: OpEq, L: outer, R: ia, Type: b.Type})
		}
		list := append([]Expr(nil), n.List...)
		seen := map[int64]bool{}
		for _, g := range groups {
			a := g.(*Attribute)
			if !seen[a.ID] {
				seen[a.ID] = true
				list = append(list, a)
			}
		}
		agg := &Aggregate{Groups: groups, List: list, Child: child}
		return agg, agg.Output()[0], conds, nil
	}
	return nil, nil, nil, analysisErr("a correlated scalar subquery must compute an aggregate (… SELECT max(x) FROM … WHERE inner = outer), got %s", nodeName(p))
}

// checkCorrelationDepth reports a correlated condition that reads a column
// of neither side of the join it becomes: one of a query two or more
// levels out, which the rewrites do not support.
func checkCorrelationDepth(conds []Expr, left, right Plan) error {
	ids := map[int64]bool{}
	for _, p := range []Plan{left, right} {
		for _, a := range p.Output() {
			ids[a.ID] = true
		}
	}
	for _, c := range conds {
		if !subset(References(c), ids) {
			return analysisErr("a subquery referring to a query two or more levels out is not supported: %s", stripIDs(c.String()))
		}
	}
	return nil
}

// restrictToOuterKeys puts, below the aggregation in agg, a semi join of its
// input with the distinct keys the outer plan has, when every condition is
// outer attribute = inner attribute. The outer plan is copied with fresh
// attribute IDs for it.
func (a *Analyzer) restrictToOuterKeys(agg Plan, conds []Expr, outer Plan) (Plan, error) {
	pos := map[int64]int{}
	for i, at := range outer.Output() {
		pos[at.ID] = i
	}
	var outerIdx []int
	var inner []*Attribute
	for _, c := range conds {
		b, ok := c.(*Binary)
		if !ok {
			return agg, nil
		}
		o, ok1 := b.L.(*Attribute)
		in, ok2 := b.R.(*Attribute)
		if !ok1 || !ok2 {
			return agg, nil // an outer expression, not a column: aggregate everything
		}
		i, ok := pos[o.ID]
		if !ok {
			return agg, nil
		}
		outerIdx = append(outerIdx, i)
		inner = append(inner, in)
	}
	cp, err := a.reinstance(outer)
	if err != nil {
		return nil, err
	}
	cpOut := cp.Output()
	keys := make([]Expr, len(outerIdx))
	for k, i := range outerIdx {
		keys[k] = cpOut[i]
	}
	keyPlan := DistinctOf(&Project{List: keys, Child: cp})
	keyAttrs := keyPlan.Output()
	var on []Expr
	for k, in := range inner {
		eq, err := typeBinary(&Binary{Op: OpEq, L: in, R: keyAttrs[k]})
		if err != nil {
			return agg, nil
		}
		on = append(on, eq)
	}
	// decorrelateScalar made agg an Aggregate under projections and aliases.
	var restrict func(Plan) Plan
	restrict = func(n Plan) Plan {
		switch x := n.(type) {
		case *Aggregate:
			return &Aggregate{Groups: x.Groups, List: x.List, Child: &Join{Left: x.Child, Right: keyPlan, Kind: LeftSemiJoin, Cond: And(on...)}}
		case *Project, *SubqueryAlias:
			return x.WithChildren([]Plan{restrict(x.Children()[0])})
		}
		return n
	}
	return restrict(agg), nil
}
