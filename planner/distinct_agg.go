package planner

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// rewriteDistinctAggregates plans aggregates over distinct values
// (count(DISTINCT x), sum(DISTINCT x), …) as two aggregations: the inner one
// groups by the grouping expressions and the distinct arguments, so each
// distinct value survives once; the outer one aggregates those values per
// group. That holds when every aggregate is DISTINCT over the same
// arguments; other mixes go through rewriteMixedAggregates.
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
	// Two aggregations suffice when every call is DISTINCT over the same
	// arguments; otherwise each set of arguments needs its own copy of the
	// rows (an Expand).
	argKey := func(c *AggregateCall) string {
		key := ""
		for _, arg := range c.Children() {
			key += arg.String() + ";"
		}
		return key
	}
	for _, c := range calls {
		if !c.Distinct || argKey(c) != argKey(calls[0]) {
			return a.rewriteMixedAggregates(n, calls)
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

// rewriteMixedAggregates plans an aggregation mixing DISTINCT and plain
// aggregates with an Expand: projection 0 carries the plain aggregates'
// arguments, projection k the arguments of the k-th set of distinct
// arguments, each tagged with its number gid. An inner aggregation groups by
// the groups, gid and the distinct arguments (so gid 0 holds each group's
// rows once and gid k each distinct value once) and computes the plain
// aggregates; the outer one groups by the groups, takes the plain results
// from gid 0 and aggregates the distinct values of gid k.
func (a *Analyzer) rewriteMixedAggregates(n *Aggregate, calls []*AggregateCall) (Plan, error) {
	int32T := arrow.PrimitiveTypes.Int32
	newAttr := func(e Expr, name string) *Attribute {
		return &Attribute{ID: a.IDs.Next(), Name: name, Type: e.DataType(), Null: true}
	}
	// Grouping expressions, gid, plain arguments, distinct arguments.
	var attrs []*Attribute
	var slots []Expr // the expression each attribute carries
	groupAttr := make([]*Attribute, len(n.Groups))
	for i, g := range n.Groups {
		groupAttr[i] = newAttr(g, outputName(g))
		attrs, slots = append(attrs, groupAttr[i]), append(slots, g)
	}
	gid := &Attribute{ID: a.IDs.Next(), Name: "gid", Type: int32T}
	attrs, slots = append(attrs, gid), append(slots, nil)
	slotOf := map[string]int{} // "set:expr" → attribute position
	setOf := map[*AggregateCall]int{}
	var setKeys []string
	setIndex := map[string]int{}
	for _, c := range calls {
		set := 0
		if c.Distinct {
			key := ""
			for _, arg := range c.Children() {
				key += arg.String() + ";"
			}
			k, ok := setIndex[key]
			if !ok {
				setKeys = append(setKeys, key)
				k = len(setKeys)
				setIndex[key] = k
			}
			set = k
		}
		setOf[c] = set
		for _, arg := range c.Children() {
			key := fmt.Sprintf("%d:%s", set, arg.String())
			if _, ok := slotOf[key]; !ok {
				slotOf[key] = len(attrs)
				attrs, slots = append(attrs, newAttr(arg, outputName(arg))), append(slots, arg)
			}
		}
	}
	setOfSlot := make([]int, len(attrs))
	for key, i := range slotOf {
		fmt.Sscanf(key, "%d:", &setOfSlot[i])
	}
	projections := make([][]Expr, len(setKeys)+1)
	for k := range projections {
		row := make([]Expr, len(attrs))
		for i, at := range attrs {
			switch {
			case i < len(n.Groups):
				row[i] = slots[i]
			case at == gid:
				row[i] = &Literal{Value: int32(k), Type: int32T}
			case setOfSlot[i] == k:
				row[i] = slots[i]
			default:
				row[i] = &Literal{Type: at.Type}
			}
		}
		projections[k] = row
	}
	expand := &Expand{Projections: projections, Attrs: attrs, Child: n.Child}
	// Inner aggregation.
	var innerGroups []Expr
	for i, at := range attrs {
		if i <= len(n.Groups) || setOfSlot[i] > 0 {
			innerGroups = append(innerGroups, at)
		}
	}
	innerList := append([]Expr(nil), innerGroups...)
	argOf := func(c *AggregateCall, e Expr) Expr {
		if e == nil {
			return nil
		}
		return attrs[slotOf[fmt.Sprintf("%d:%s", setOf[c], e.String())]]
	}
	plainResult := map[*AggregateCall]*Attribute{}
	for _, c := range calls {
		if c.Distinct {
			continue
		}
		ic := *c
		ic.Arg, ic.Arg2 = argOf(c, c.Arg), argOf(c, c.Arg2)
		typed, err := typeAggregate(&ic)
		if err != nil {
			return nil, err
		}
		al := &Alias{E: typed, Name: outputName(c), ID: a.IDs.Next()}
		innerList = append(innerList, al)
		plainResult[c] = &Attribute{ID: al.ID, Name: al.Name, Type: typed.DataType(), Null: true}
	}
	inner := &Aggregate{Groups: innerGroups, List: innerList, Child: expand}
	// Outer aggregation.
	onlyGid := func(k int, e Expr) (Expr, error) {
		cond := &Binary{Op: OpEq, L: gid, R: &Literal{Value: int32(k), Type: int32T}, Type: arrow.FixedWidthTypes.Boolean}
		return typeCheck(&CaseWhen{Whens: []Expr{cond}, Thens: []Expr{e}})
	}
	byText := map[string]*Attribute{}
	for i, g := range n.Groups {
		byText[g.String()] = groupAttr[i]
	}
	var ferr error
	outerList := make([]Expr, len(n.List))
	for i, e := range n.List {
		outerList[i], _ = TransformDownExpr(e, func(x Expr) (Expr, bool) {
			c, ok := x.(*AggregateCall)
			if !ok {
				if _, isAlias := x.(*Alias); !isAlias {
					if at, ok := byText[x.String()]; ok {
						return at, true
					}
				}
				return x, false
			}
			var out Expr
			var err error
			if c.Distinct {
				oc := *c
				oc.Distinct = false
				if oc.Arg, err = onlyGid(setOf[c], argOf(c, c.Arg)); err == nil && c.Arg2 != nil {
					oc.Arg2, err = onlyGid(setOf[c], argOf(c, c.Arg2))
				}
				if err == nil {
					out, err = typeAggregate(&oc)
				}
			} else {
				var v Expr
				if v, err = onlyGid(0, plainResult[c]); err == nil {
					out, err = typeAggregate(&AggregateCall{Func: AggFirst, Arg: v, IgnoreNulls: true})
				}
				if err == nil && len(n.Groups) == 0 && (c.Func == AggCount || c.Func == AggCountIf || c.Func == AggApproxCountDistinct) {
					// Over no rows at all there is no gid 0 row: counts are 0.
					out, err = typeFunc(&Func{Name: "coalesce", Args: []Expr{out, &Literal{Value: int64(0), Type: arrow.PrimitiveTypes.Int64}}})
				}
			}
			if err != nil && ferr == nil {
				ferr = err
			}
			return out, true
		})
	}
	if ferr != nil {
		return nil, ferr
	}
	return &Aggregate{Groups: attrsAsExprs(groupAttr), List: outerList, Child: inner}, nil
}
