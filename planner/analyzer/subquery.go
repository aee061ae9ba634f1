package analyzer

import (
	"github.com/gspark/gspark/planner/logical"
)

// RestrictToOuterKeys puts, below the aggregation in agg, a semi join of its
// input with the distinct keys the outer plan has, when every condition is
// outer attribute = inner attribute. The outer plan is copied with fresh
// attribute IDs for it.
func (a *Analyzer) RestrictToOuterKeys(agg logical.Plan, conds []logical.Expr, outer logical.Plan) (logical.Plan, error) {
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
