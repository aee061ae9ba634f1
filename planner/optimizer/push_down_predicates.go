package optimizer

import (
	"github.com/gspark/gspark/planner/logical"
)

// PushDownPredicates moves filter conditions towards the scans: through
// projections (substituting aliases), sorts, table aliases and the grouping
// columns of aggregates, into the sides of joins (and conditions over both
// sides into an inner join's condition), and finally into the scan itself.
func PushDownPredicates() Rule {
	return Rule{Name: "PushDownPredicates", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformDown(p, func(n logical.Plan) (logical.Plan, bool, error) {
			switch x := n.(type) {
			case *logical.Filter:
				return pushFilter(x)
			case *logical.Join:
				return pushJoinCondition(x)
			}
			return n, false, nil
		})
	}}
}

func pushFilter(f *logical.Filter) (logical.Plan, bool, error) {
	if nondeterministic(f.Cond) {
		return f, false, nil
	}
	if len(logical.SubqueriesIn(f.Cond)) > 0 {
		// Conditions with subqueries stay for the subquery rules (or until
		// their values are known); the others move on below them.
		var with, without []logical.Expr
		for _, c := range logical.SplitConjuncts(f.Cond) {
			if len(logical.SubqueriesIn(c)) > 0 {
				with = append(with, c)
			} else {
				without = append(without, c)
			}
		}
		if len(without) == 0 {
			return f, false, nil
		}
		return &logical.Filter{Cond: logical.And(with...), Child: &logical.Filter{Cond: logical.And(without...), Child: f.Child}}, true, nil
	}
	switch c := f.Child.(type) {
	case *logical.Project:
		aliases := map[int64]logical.Expr{}
		for _, e := range c.List {
			if a, ok := e.(*logical.Alias); ok {
				aliases[a.ID] = a.E
			}
		}
		cond, _ := logical.Transform(f.Cond, func(e logical.Expr) (logical.Expr, bool) {
			if a, ok := e.(*logical.Attribute); ok {
				if sub, ok := aliases[a.ID]; ok {
					return sub, true
				}
			}
			return e, false
		})
		if nondeterministic(cond) {
			return f, false, nil
		}
		return &logical.Project{List: c.List, Child: &logical.Filter{Cond: cond, Child: c.Child}}, true, nil
	case *logical.Sort:
		return &logical.Sort{Orders: c.Orders, Child: &logical.Filter{Cond: f.Cond, Child: c.Child}}, true, nil
	case *logical.Repartition:
		// Filtering commutes with moving rows between partitions.
		return c.WithChildren([]logical.Plan{&logical.Filter{Cond: f.Cond, Child: c.Child}}), true, nil
	case *logical.Union:
		// The filter applies to every input, its columns renamed by position.
		out := c.Output()
		inputs := make([]logical.Plan, len(c.Inputs))
		for i, in := range c.Inputs {
			io := in.Output()
			byID := map[int64]logical.Expr{}
			for k, a := range out {
				byID[a.ID] = io[k]
			}
			cond, _ := logical.Transform(f.Cond, func(e logical.Expr) (logical.Expr, bool) {
				if a, ok := e.(*logical.Attribute); ok {
					if sub, ok := byID[a.ID]; ok {
						return sub, true
					}
				}
				return e, false
			})
			inputs[i] = &logical.Filter{Cond: cond, Child: in}
		}
		return &logical.Union{Inputs: inputs}, true, nil
	case *logical.SubqueryAlias:
		return &logical.SubqueryAlias{Alias: c.Alias, Child: &logical.Filter{Cond: f.Cond, Child: c.Child}}, true, nil
	case *logical.Window:
		return pushFilterWindow(f, c)
	case *logical.Aggregate:
		groupAttrs := map[int64]bool{}
		for _, g := range c.Groups {
			if a, ok := g.(*logical.Attribute); ok {
				groupAttrs[a.ID] = true
			}
		}
		var down, up []logical.Expr
		for _, cj := range logical.SplitConjuncts(f.Cond) {
			if logical.Subset(logical.References(cj), groupAttrs) {
				down = append(down, cj)
			} else {
				up = append(up, cj)
			}
		}
		if len(down) == 0 {
			return f, false, nil
		}
		var out logical.Plan = &logical.Aggregate{Groups: c.Groups, List: c.List, Child: &logical.Filter{Cond: logical.And(down...), Child: c.Child}}
		if len(up) > 0 {
			out = &logical.Filter{Cond: logical.And(up...), Child: out}
		}
		return out, true, nil
	case *logical.Join:
		left, right := logical.OutputIDs(c.Left), logical.OutputIDs(c.Right)
		var toLeft, toRight, toJoin, keep []logical.Expr
		// A filter above a join may move into a side whose rows the join
		// cannot resurrect with nulls: not into the null-supplying side of
		// an outer join.
		for _, cj := range logical.SplitConjuncts(f.Cond) {
			refs := logical.References(cj)
			switch {
			case len(refs) > 0 && logical.Subset(refs, left) && !c.Kind.RightPreserved():
				toLeft = append(toLeft, cj)
			case len(refs) > 0 && logical.Subset(refs, right) && !c.Kind.LeftPreserved() && c.Kind.OutputsRight():
				toRight = append(toRight, cj)
			case c.Kind == logical.InnerJoin:
				toJoin = append(toJoin, cj)
			default:
				keep = append(keep, cj)
			}
		}
		if len(toLeft)+len(toRight)+len(toJoin) == 0 {
			return f, false, nil
		}
		j := &logical.Join{Left: c.Left, Right: c.Right, Kind: c.Kind, Cond: c.Cond}
		if len(toLeft) > 0 {
			j.Left = &logical.Filter{Cond: logical.And(toLeft...), Child: c.Left}
		}
		if len(toRight) > 0 {
			j.Right = &logical.Filter{Cond: logical.And(toRight...), Child: c.Right}
		}
		if len(toJoin) > 0 {
			if j.Cond != nil {
				toJoin = append([]logical.Expr{j.Cond}, toJoin...)
			}
			j.Cond = logical.And(toJoin...)
		}
		if len(keep) > 0 {
			return &logical.Filter{Cond: logical.And(keep...), Child: j}, true, nil
		}
		return j, true, nil
	case *logical.Scan:
		s := *c
		s.Filters = append(append([]logical.Expr{}, c.Filters...), logical.SplitConjuncts(f.Cond)...)
		return &s, true, nil
	}
	return f, false, nil
}

// pushJoinCondition moves conjuncts of a join condition that read only one
// side into a filter on that side, where the join kind allows it.
func pushJoinCondition(j *logical.Join) (logical.Plan, bool, error) {
	if j.Cond == nil {
		return j, false, nil
	}
	left, right := logical.OutputIDs(j.Left), logical.OutputIDs(j.Right)
	var toLeft, toRight, keep []logical.Expr
	for _, cj := range logical.SplitConjuncts(j.Cond) {
		refs := logical.References(cj)
		switch {
		case len(refs) == 0:
			keep = append(keep, cj)
		// A condition on one side only restricts which rows of that side
		// can match: it may filter that side's input unless the join keeps
		// that side's unmatched rows (an anti join keeps the left rows that
		// fail it).
		case logical.Subset(refs, left) && !j.Kind.LeftPreserved():
			toLeft = append(toLeft, cj)
		case logical.Subset(refs, right) && !j.Kind.RightPreserved():
			toRight = append(toRight, cj)
		default:
			keep = append(keep, cj)
		}
	}
	if len(toLeft)+len(toRight) == 0 {
		return j, false, nil
	}
	out := &logical.Join{Left: j.Left, Right: j.Right, Kind: j.Kind, Cond: logical.And(keep...)}
	if len(toLeft) > 0 {
		out.Left = &logical.Filter{Cond: logical.And(toLeft...), Child: j.Left}
	}
	if len(toRight) > 0 {
		out.Right = &logical.Filter{Cond: logical.And(toRight...), Child: j.Right}
	}
	return out, true, nil
}

// pushFilterWindow moves the conjuncts of a filter above a Window that read
// only partition columns below it: they keep or drop whole window partitions.
func pushFilterWindow(f *logical.Filter, w *logical.Window) (logical.Plan, bool, error) {
	var part map[int64]bool
	for _, e := range w.Exprs {
		we := logical.WindowOf(e)
		if we == nil {
			return f, false, nil
		}
		ids := map[int64]bool{}
		for _, p := range we.PartitionBy {
			if a, ok := p.(*logical.Attribute); ok && (part == nil || part[a.ID]) {
				ids[a.ID] = true
			}
		}
		part = ids
	}
	var down, up []logical.Expr
	for _, cj := range logical.SplitConjuncts(f.Cond) {
		refs := logical.References(cj)
		if len(refs) > 0 && logical.Subset(refs, part) {
			down = append(down, cj)
		} else {
			up = append(up, cj)
		}
	}
	if len(down) == 0 {
		return f, false, nil
	}
	var out logical.Plan = &logical.Window{Exprs: w.Exprs, Child: &logical.Filter{Cond: logical.And(down...), Child: w.Child}}
	if len(up) > 0 {
		out = &logical.Filter{Cond: logical.And(up...), Child: out}
	}
	return out, true, nil
}
