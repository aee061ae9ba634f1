package planner

// rewriteDistinctAggregates plans aggregates over distinct values
// (count(DISTINCT x), sum(DISTINCT x), …) as two aggregations: the inner one
// groups by the grouping expressions and the distinct arguments, so each
// distinct value survives once; the outer one aggregates those values per
// group. Every aggregate of the list must then be DISTINCT (mixing them with
// plain aggregates needs an expand step that is not built yet).
func (a *Analyzer) rewriteDistinctAggregates(n *Aggregate) (Plan, error) {
	var calls []*AggregateCall
	for _, e := range n.List {
		Walk(e, func(x Expr) bool {
			if c, ok := x.(*AggregateCall); ok {
				calls = append(calls, c)
				return false
			}
			return true
		})
	}
	distinct := false
	for _, c := range calls {
		distinct = distinct || c.Distinct
	}
	if !distinct {
		return n, nil
	}
	for _, c := range calls {
		if !c.Distinct && !(c.Func == AggMin || c.Func == AggMax) {
			return nil, analysisErr("%s: mixing DISTINCT and plain aggregates in one aggregation is not supported yet", stripIDs(c.String()))
		}
	}
	// Inner aggregation: the groups and every argument, as named columns.
	var innerList []Expr
	byText := map[string]*Attribute{}
	add := func(e Expr) *Attribute {
		if at, ok := byText[e.String()]; ok {
			return at
		}
		at := &Attribute{ID: a.IDs.Next(), Name: outputName(e), Type: e.DataType(), Null: e.Nullable()}
		if src, ok := e.(*Attribute); ok {
			at = src
			innerList = append(innerList, src)
		} else {
			innerList = append(innerList, &Alias{E: e, Name: at.Name, ID: at.ID})
		}
		byText[e.String()] = at
		return at
	}
	outerGroups := make([]Expr, len(n.Groups))
	for i, g := range n.Groups {
		outerGroups[i] = add(g)
	}
	for _, c := range calls {
		for _, arg := range c.Children() {
			add(arg)
		}
	}
	innerGroups := append([]Expr(nil), innerList...)
	for i, g := range innerGroups {
		if al, ok := g.(*Alias); ok {
			innerGroups[i] = al.E
		}
	}
	inner := &Aggregate{Groups: innerGroups, List: innerList, Child: n.Child}
	// Outer aggregation: the same list over the inner columns.
	outerList := make([]Expr, len(n.List))
	for i, e := range n.List {
		outerList[i], _ = TransformDownExpr(e, func(x Expr) (Expr, bool) {
			if c, ok := x.(*AggregateCall); ok {
				out := *c
				out.Distinct = false
				if c.Arg != nil {
					out.Arg = byText[c.Arg.String()]
				}
				if c.Arg2 != nil {
					out.Arg2 = byText[c.Arg2.String()]
				}
				return &out, true
			}
			if _, isAlias := x.(*Alias); !isAlias {
				if at, ok := byText[x.String()]; ok {
					return at, true
				}
			}
			return x, false
		})
	}
	return &Aggregate{Groups: outerGroups, List: outerList, Child: inner}, nil
}

// TransformDownExpr rewrites e top-down: where fn replaces a node, its
// result is kept as it is (not descended into).
func TransformDownExpr(e Expr, fn func(Expr) (Expr, bool)) (Expr, bool) {
	if ne, ok := fn(e); ok {
		return ne, true
	}
	kids := e.Children()
	if len(kids) == 0 {
		return e, false
	}
	nk := make([]Expr, len(kids))
	changed := false
	for i, k := range kids {
		var c bool
		nk[i], c = TransformDownExpr(k, fn)
		changed = changed || c
	}
	if !changed {
		return e, false
	}
	return e.WithChildren(nk), true
}
