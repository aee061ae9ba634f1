package planner

// PushDownPredicates moves filter conditions towards the scans: through
// projections (substituting aliases), sorts, table aliases and the grouping
// columns of aggregates, into the sides of joins (and conditions over both
// sides into an inner join's condition), and finally into the scan itself.
func PushDownPredicates() Rule {
	return Rule{Name: "PushDownPredicates", Apply: func(p Plan) (Plan, bool, error) {
		return TransformDown(p, func(n Plan) (Plan, bool, error) {
			switch x := n.(type) {
			case *Filter:
				return pushFilter(x)
			case *Join:
				return pushJoinCondition(x)
			}
			return n, false, nil
		})
	}}
}

func pushFilter(f *Filter) (Plan, bool, error) {
	if len(subqueriesIn(f.Cond)) > 0 {
		// Conditions with subqueries stay for the subquery rules (or until
		// their values are known); the others move on below them.
		var with, without []Expr
		for _, c := range SplitConjuncts(f.Cond) {
			if len(subqueriesIn(c)) > 0 {
				with = append(with, c)
			} else {
				without = append(without, c)
			}
		}
		if len(without) == 0 {
			return f, false, nil
		}
		return &Filter{Cond: And(with...), Child: &Filter{Cond: And(without...), Child: f.Child}}, true, nil
	}
	switch c := f.Child.(type) {
	case *Project:
		aliases := map[int64]Expr{}
		for _, e := range c.List {
			if a, ok := e.(*Alias); ok {
				aliases[a.ID] = a.E
			}
		}
		cond, _ := Transform(f.Cond, func(e Expr) (Expr, bool) {
			if a, ok := e.(*Attribute); ok {
				if sub, ok := aliases[a.ID]; ok {
					return sub, true
				}
			}
			return e, false
		})
		return &Project{List: c.List, Child: &Filter{Cond: cond, Child: c.Child}}, true, nil
	case *Sort:
		return &Sort{Orders: c.Orders, Child: &Filter{Cond: f.Cond, Child: c.Child}}, true, nil
	case *Repartition:
		// Filtering commutes with moving rows between partitions.
		return c.WithChildren([]Plan{&Filter{Cond: f.Cond, Child: c.Child}}), true, nil
	case *Union:
		// The filter applies to every input, its columns renamed by position.
		out := c.Output()
		inputs := make([]Plan, len(c.Inputs))
		for i, in := range c.Inputs {
			io := in.Output()
			byID := map[int64]Expr{}
			for k, a := range out {
				byID[a.ID] = io[k]
			}
			cond, _ := Transform(f.Cond, func(e Expr) (Expr, bool) {
				if a, ok := e.(*Attribute); ok {
					if sub, ok := byID[a.ID]; ok {
						return sub, true
					}
				}
				return e, false
			})
			inputs[i] = &Filter{Cond: cond, Child: in}
		}
		return &Union{Inputs: inputs}, true, nil
	case *SubqueryAlias:
		return &SubqueryAlias{Alias: c.Alias, Child: &Filter{Cond: f.Cond, Child: c.Child}}, true, nil
	case *Window:
		return pushFilterWindow(f, c)
	case *Aggregate:
		groupAttrs := map[int64]bool{}
		for _, g := range c.Groups {
			if a, ok := g.(*Attribute); ok {
				groupAttrs[a.ID] = true
			}
		}
		var down, up []Expr
		for _, cj := range SplitConjuncts(f.Cond) {
			if subset(References(cj), groupAttrs) {
				down = append(down, cj)
			} else {
				up = append(up, cj)
			}
		}
		if len(down) == 0 {
			return f, false, nil
		}
		var out Plan = &Aggregate{Groups: c.Groups, List: c.List, Child: &Filter{Cond: And(down...), Child: c.Child}}
		if len(up) > 0 {
			out = &Filter{Cond: And(up...), Child: out}
		}
		return out, true, nil
	case *Join:
		left, right := outputIDs(c.Left), outputIDs(c.Right)
		var toLeft, toRight, toJoin, keep []Expr
		// A filter above a join may move into a side whose rows the join
		// cannot resurrect with nulls: not into the null-supplying side of
		// an outer join.
		for _, cj := range SplitConjuncts(f.Cond) {
			refs := References(cj)
			switch {
			case len(refs) > 0 && subset(refs, left) && !c.Kind.rightPreserved():
				toLeft = append(toLeft, cj)
			case len(refs) > 0 && subset(refs, right) && !c.Kind.leftPreserved() && c.Kind.outputsRight():
				toRight = append(toRight, cj)
			case c.Kind == InnerJoin:
				toJoin = append(toJoin, cj)
			default:
				keep = append(keep, cj)
			}
		}
		if len(toLeft)+len(toRight)+len(toJoin) == 0 {
			return f, false, nil
		}
		j := &Join{Left: c.Left, Right: c.Right, Kind: c.Kind, Cond: c.Cond}
		if len(toLeft) > 0 {
			j.Left = &Filter{Cond: And(toLeft...), Child: c.Left}
		}
		if len(toRight) > 0 {
			j.Right = &Filter{Cond: And(toRight...), Child: c.Right}
		}
		if len(toJoin) > 0 {
			if j.Cond != nil {
				toJoin = append([]Expr{j.Cond}, toJoin...)
			}
			j.Cond = And(toJoin...)
		}
		if len(keep) > 0 {
			return &Filter{Cond: And(keep...), Child: j}, true, nil
		}
		return j, true, nil
	case *Scan:
		s := *c
		s.Filters = append(append([]Expr{}, c.Filters...), SplitConjuncts(f.Cond)...)
		return &s, true, nil
	}
	return f, false, nil
}

// pushJoinCondition moves conjuncts of a join condition that read only one
// side into a filter on that side, where the join kind allows it.
func pushJoinCondition(j *Join) (Plan, bool, error) {
	if j.Cond == nil {
		return j, false, nil
	}
	left, right := outputIDs(j.Left), outputIDs(j.Right)
	var toLeft, toRight, keep []Expr
	for _, cj := range SplitConjuncts(j.Cond) {
		refs := References(cj)
		switch {
		case len(refs) == 0:
			keep = append(keep, cj)
		// A condition on one side only restricts which rows of that side
		// can match: it may filter that side's input unless the join keeps
		// that side's unmatched rows (an anti join keeps the left rows that
		// fail it).
		case subset(refs, left) && !j.Kind.leftPreserved():
			toLeft = append(toLeft, cj)
		case subset(refs, right) && !j.Kind.rightPreserved():
			toRight = append(toRight, cj)
		default:
			keep = append(keep, cj)
		}
	}
	if len(toLeft)+len(toRight) == 0 {
		return j, false, nil
	}
	out := &Join{Left: j.Left, Right: j.Right, Kind: j.Kind, Cond: And(keep...)}
	if len(toLeft) > 0 {
		out.Left = &Filter{Cond: And(toLeft...), Child: j.Left}
	}
	if len(toRight) > 0 {
		out.Right = &Filter{Cond: And(toRight...), Child: j.Right}
	}
	return out, true, nil
}

func outputIDs(p Plan) map[int64]bool {
	ids := map[int64]bool{}
	for _, a := range p.Output() {
		ids[a.ID] = true
	}
	return ids
}

func subset(a, b map[int64]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
