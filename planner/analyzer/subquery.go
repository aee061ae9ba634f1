package analyzer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// RestrictToOuterKeys puts, below the aggregation in agg, a semi join of its
// input with the distinct keys the outer plan has, when every condition is
// outer attribute = inner attribute. The outer plan is copied with fresh
// attribute IDs for it.
func (a *Analyzer) RestrictToOuterKeys(agg logical.Plan, conds []logical.Expr, outer logical.Plan) (logical.Plan, error) {
	keyIDs := map[int64]bool{}
	for _, c := range conds {
		if b, ok := c.(*logical.Binary); ok {
			if o, ok := b.L.(*logical.Attribute); ok {
				keyIDs[o.ID] = true
			}
		}
	}
	outer = keySource(outer, keyIDs, nil)
	if src, subst, ok := narrowerKeySource(outer, keyIDs); ok {
		// Restrict by the keys the smaller side supplies, the others not.
		outer = src
		var kept []logical.Expr
		for _, c := range conds {
			b, isBin := c.(*logical.Binary)
			if !isBin {
				return agg, nil
			}
			o, isAttr := b.L.(*logical.Attribute)
			if !isAttr {
				return agg, nil
			}
			if to, found := subst[o.ID]; found {
				kept = append(kept, &logical.Binary{Op: b.Op, L: to, R: b.R, Type: b.Type})
			}
		}
		conds = kept
	}
	pos := map[int64]int{}
	for i, at := range outer.Output() {
		pos[at.ID] = i
	}
	var outerIdx []int
	var inner []*logical.Attribute
	for _, c := range conds {
		b, ok := c.(*logical.Binary)
		if !ok {
			return agg, nil
		}
		o, ok1 := b.L.(*logical.Attribute)
		in, ok2 := b.R.(*logical.Attribute)
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
	keys := make([]logical.Expr, len(outerIdx))
	for k, i := range outerIdx {
		keys[k] = cpOut[i]
	}
	keyPlan := logical.DistinctOf(&logical.Project{List: keys, Child: cp})
	keyAttrs := keyPlan.Output()
	var on []logical.Expr
	for k, in := range inner {
		eq, err := logical.TypeBinary(&logical.Binary{Op: logical.OpEq, L: in, R: keyAttrs[k]})
		if err != nil {
			return agg, nil
		}
		on = append(on, eq)
	}
	// decorrelateScalar made agg an Aggregate under projections and aliases.
	var restrict func(logical.Plan) logical.Plan
	restrict = func(n logical.Plan) logical.Plan {
		switch x := n.(type) {
		case *logical.Aggregate:
			return &logical.Aggregate{Groups: x.Groups, List: x.List, Child: &logical.Join{Left: x.Child, Right: keyPlan, Kind: logical.LeftSemiJoin, Cond: logical.And(on...)}}
		case *logical.Project, *logical.SubqueryAlias:
			return x.WithChildren([]logical.Plan{restrict(x.Children()[0])})
		}
		return n
	}
	return restrict(agg), nil
}

// keySource returns the smallest part of outer whose rows carry every value
// of the attributes keys that outer's rows carry: below filters and inner
// joins (rows only removed or matched, never made up) down to the side that
// produces all the keys, with the conditions conds and the filters and join
// conditions met on the way that read that side alone. Its keys are a
// superset of outer's, which is all a semi join restricting an aggregate to
// the outer keys needs: TPC-H Q17's keys come from the filtered part table,
// not from lineitem joined with it.
func keySource(outer logical.Plan, keys map[int64]bool, conds []logical.Expr) logical.Plan {
	outIDs := func(p logical.Plan) map[int64]bool {
		m := map[int64]bool{}
		for _, a := range p.Output() {
			m[a.ID] = true
		}
		return m
	}
	switch x := outer.(type) {
	case *logical.Filter:
		return keySource(x.Child, keys, append(append([]logical.Expr{}, conds...), logical.SplitConjuncts(x.Cond)...))
	case *logical.Join:
		if x.Kind != logical.InnerJoin || len(keys) == 0 {
			break
		}
		all := conds
		if x.Cond != nil {
			all = append(append([]logical.Expr{}, conds...), logical.SplitConjuncts(x.Cond)...)
		}
		for _, side := range []logical.Plan{x.Left, x.Right} {
			ids := outIDs(side)
			if !logical.Subset(keys, ids) {
				continue
			}
			var own []logical.Expr
			for _, c := range all {
				if refs := logical.References(c); logical.Subset(refs, ids) && len(logical.SubqueriesIn(c)) == 0 {
					own = append(own, c)
				}
			}
			return keySource(side, keys, own)
		}
	}
	if len(conds) == 0 {
		return outer
	}
	return &logical.Filter{Cond: logical.And(conds...), Child: outer}
}

// narrowerKeySource finds, for a key source that is a semi or inner join
// whose one side carries the keys, a smaller source of some of them: the
// other side, where the join's condition equates a key with one of its
// columns (same type, equal values identical), so every key value the join
// keeps is among that column's values. It returns the part of the other side
// that carries those columns and the key each of them stands for; the keys
// it does not supply no longer restrict. TPC-H Q20's partsupp rows semi-
// joined with the parts named 'forest%' have the ps_partkey values of those
// parts: lineitem is restricted by the 2,000 part keys rather than by the
// (part, supplier) pairs of a second read of partsupp. Taken only where the
// other side is estimated at most a quarter of the keys' side.
func narrowerKeySource(src logical.Plan, keys map[int64]bool) (logical.Plan, map[int64]*logical.Attribute, bool) {
	j, ok := src.(*logical.Join)
	if !ok || j.Cond == nil || (j.Kind != logical.LeftSemiJoin && j.Kind != logical.InnerJoin) {
		return nil, nil, false
	}
	keySide, other := j.Left, j.Right
	if !logical.Subset(keys, logical.OutputIDs(keySide)) {
		if j.Kind != logical.InnerJoin {
			return nil, nil, false
		}
		keySide, other = j.Right, j.Left
		if !logical.Subset(keys, logical.OutputIDs(keySide)) {
			return nil, nil, false
		}
	}
	if logical.EstimateRows(other)*4 > logical.EstimateRows(keySide) {
		return nil, nil, false
	}
	otherIDs := logical.OutputIDs(other)
	subst := map[int64]*logical.Attribute{}
	cols := map[int64]bool{}
	for _, c := range logical.SplitConjuncts(j.Cond) {
		b, ok := c.(*logical.Binary)
		if !ok || b.Op != logical.OpEq {
			continue
		}
		l, lok := b.L.(*logical.Attribute)
		r, rok := b.R.(*logical.Attribute)
		if !lok || !rok {
			continue
		}
		if !keys[l.ID] {
			l, r = r, l
		}
		if !keys[l.ID] || !otherIDs[r.ID] || subst[l.ID] != nil || !arrow.TypeEqual(l.Type, r.Type) || !logical.EqualMeansIdentical(l.Type) {
			continue
		}
		subst[l.ID] = r
		cols[r.ID] = true
	}
	if len(subst) == 0 {
		return nil, nil, false
	}
	return keySource(other, cols, nil), subst, true
}

// resolveSubquery analyzes a subquery's plan with the enclosing input as its
// outer scope and gives every attribute it defines a fresh ID, so that a
// table read both outside and inside (a view, a self-correlation) stays two.
func (a *Analyzer) resolveSubquery(x *logical.Subquery, in []*logical.Attribute, where string) (logical.Expr, error) {
	sub := &Analyzer{Catalog: a.Catalog, IDs: a.IDs, outer: append([][]*logical.Attribute{in}, a.outer...)}
	p, err := sub.Analyze(x.Plan)
	if err != nil {
		return nil, err
	}
	p, err = a.reinstance(p)
	if err != nil {
		return nil, err
	}
	out := *x
	out.Plan = p
	if out.ID == 0 {
		out.ID = a.IDs.Next()
	}
	cols := p.Output()
	switch x.Kind {
	case logical.ScalarSubquery:
		if len(cols) != 1 {
			return nil, logical.AnalysisErr("a scalar subquery in %s must return one column, this one returns %d", where, len(cols))
		}
	case logical.InSubquery:
		v, err := a.resolveExpr(x.Value, in, where)
		if err != nil {
			return nil, err
		}
		out.Value = v
		vals := logical.InValues(&out, len(cols))
		if len(cols) != len(vals) && len(vals) == 1 {
			return nil, logical.AnalysisErr("the subquery of IN in %s must return one column, this one returns %d", where, len(cols))
		}
		if len(cols) != len(vals) {
			return nil, logical.AnalysisErr("the subquery of IN in %s must return %d columns, one per value compared, this one returns %d", where, len(vals), len(cols))
		}
		for i, v := range vals {
			if _, err := logical.TypeBinary(&logical.Binary{Op: logical.OpEq, L: v, R: cols[i]}); err != nil {
				return nil, err
			}
		}
	}
	return &out, nil
}
