package analyzer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// rewriteDistinctAggregates plans aggregates over distinct values
// (count(DISTINCT x), sum(DISTINCT x), …) as two aggregations: the inner one
// groups by the grouping expressions and the distinct arguments, so each
// distinct value survives once; the outer one aggregates those values per
// group. That holds when every aggregate is DISTINCT over the same
// arguments; other mixes go through rewriteAggregatesBySet.
func (a *Analyzer) rewriteDistinctAggregates(n *logical.Aggregate) (logical.Plan, error) {
	var calls []*logical.AggregateCall
	for _, e := range n.List {
		logical.Walk(e, func(x logical.Expr) bool {
			if c, ok := x.(*logical.AggregateCall); ok {
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
	for _, c := range calls {
		if !c.Distinct || !logical.EqualLists(c.Children(), calls[0].Children()) {
			return a.rewriteAggregatesBySet(n, calls)
		}
	}
	// Inner aggregation: the groups and every argument, as named columns.
	var innerList []logical.Expr
	var byExpr logical.ExprMap[*logical.Attribute]
	add := func(e logical.Expr) *logical.Attribute {
		if at, ok := byExpr.Get(e); ok {
			return at
		}
		at := &logical.Attribute{ID: a.IDs.Next(), Name: logical.OutputName(e), Type: e.DataType(), Null: e.Nullable()}
		if src, ok := e.(*logical.Attribute); ok {
			at = src
			innerList = append(innerList, src)
		} else {
			innerList = append(innerList, &logical.Alias{E: e, Name: at.Name, ID: at.ID})
		}
		byExpr.Set(e, at)
		return at
	}
	outerGroups := make([]logical.Expr, len(n.Groups))
	for i, g := range n.Groups {
		outerGroups[i] = add(g)
	}
	for _, c := range calls {
		for _, arg := range c.Children() {
			add(arg)
		}
	}
	innerGroups := append([]logical.Expr(nil), innerList...)
	for i, g := range innerGroups {
		if al, ok := g.(*logical.Alias); ok {
			innerGroups[i] = al.E
		}
	}
	inner := &logical.Aggregate{Groups: innerGroups, List: innerList, Child: n.Child}
	// Outer aggregation: the same list over the inner columns.
	outerList := make([]logical.Expr, len(n.List))
	for i, e := range n.List {
		outerList[i], _ = logical.TransformDownExpr(e, func(x logical.Expr) (logical.Expr, bool) {
			if c, ok := x.(*logical.AggregateCall); ok {
				out := *c
				out.Distinct = false
				if c.Arg != nil {
					out.Arg, _ = byExpr.Get(c.Arg)
				}
				if c.Arg2 != nil {
					out.Arg2, _ = byExpr.Get(c.Arg2)
				}
				return &out, true
			}
			if _, isAlias := x.(*logical.Alias); !isAlias {
				if at, ok := byExpr.Get(x); ok {
					return at, true
				}
			}
			return x, false
		})
	}
	return &logical.Aggregate{Groups: outerGroups, List: outerList, Child: inner}, nil
}

// rewriteMixedAggregates plans an aggregation mixing DISTINCT and plain
// aggregates with an Expand: projection 0 carries the plain aggregates'
// arguments, projection k the arguments of the k-th set of distinct
// arguments, each tagged with its number gid. An inner aggregation groups by
// the groups, gid and the distinct arguments (so gid 0 holds each group's
// rows once and gid k each distinct value once) and computes the plain
// aggregates; the outer one groups by the groups, takes the plain results
// from gid 0 and aggregates the distinct values of gid k.
func (a *Analyzer) rewriteMixedAggregates(n *logical.Aggregate, calls []*logical.AggregateCall) (logical.Plan, error) {
	int32T := arrow.PrimitiveTypes.Int32
	newAttr := func(e logical.Expr, name string) *logical.Attribute {
		return &logical.Attribute{ID: a.IDs.Next(), Name: name, Type: e.DataType(), Null: true}
	}
	// Grouping expressions, gid, plain arguments, distinct arguments.
	var attrs []*logical.Attribute
	var slots []logical.Expr // the expression each attribute carries
	groupAttr := make([]*logical.Attribute, len(n.Groups))
	for i, g := range n.Groups {
		groupAttr[i] = newAttr(g, logical.OutputName(g))
		attrs, slots = append(attrs, groupAttr[i]), append(slots, g)
	}
	gid := &logical.Attribute{ID: a.IDs.Next(), Name: "gid", Type: int32T}
	attrs, slots = append(attrs, gid), append(slots, nil)
	// Each distinct argument list is a set (1, 2, …; 0 holds the plain
	// aggregates' arguments); slotOf[set] maps an argument to its attribute.
	slotOf := map[int]*logical.ExprMap[int]{}
	setOf := map[*logical.AggregateCall]int{}
	var setKeys [][]logical.Expr
	setOfSlot := make([]int, len(attrs))
	for _, c := range calls {
		set := 0
		if c.Distinct {
			set = -1
			for k, key := range setKeys {
				if logical.EqualLists(key, c.Children()) {
					set = k + 1
					break
				}
			}
			if set < 0 {
				setKeys = append(setKeys, c.Children())
				set = len(setKeys)
			}
		}
		setOf[c] = set
		if slotOf[set] == nil {
			slotOf[set] = &logical.ExprMap[int]{}
		}
		for _, arg := range c.Children() {
			if _, ok := slotOf[set].Get(arg); !ok {
				slotOf[set].Set(arg, len(attrs))
				attrs, slots = append(attrs, newAttr(arg, logical.OutputName(arg))), append(slots, arg)
				setOfSlot = append(setOfSlot, set)
			}
		}
	}
	projections := make([][]logical.Expr, len(setKeys)+1)
	for k := range projections {
		row := make([]logical.Expr, len(attrs))
		for i, at := range attrs {
			switch {
			case i < len(n.Groups):
				row[i] = slots[i]
			case at == gid:
				row[i] = &logical.Literal{Value: int32(k), Type: int32T}
			case setOfSlot[i] == k:
				row[i] = slots[i]
			default:
				row[i] = &logical.Literal{Type: at.Type}
			}
		}
		projections[k] = row
	}
	expand := &logical.Expand{Projections: projections, Attrs: attrs, Child: n.Child}
	// Inner aggregation.
	var innerGroups []logical.Expr
	for i, at := range attrs {
		if i <= len(n.Groups) || setOfSlot[i] > 0 {
			innerGroups = append(innerGroups, at)
		}
	}
	innerList := append([]logical.Expr(nil), innerGroups...)
	argOf := func(c *logical.AggregateCall, e logical.Expr) logical.Expr {
		if e == nil {
			return nil
		}
		i, _ := slotOf[setOf[c]].Get(e)
		return attrs[i]
	}
	plainResult := map[*logical.AggregateCall]*logical.Attribute{}
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
		al := &logical.Alias{E: typed, Name: logical.OutputName(c), ID: a.IDs.Next()}
		innerList = append(innerList, al)
		plainResult[c] = &logical.Attribute{ID: al.ID, Name: al.Name, Type: typed.DataType(), Null: true}
	}
	inner := &logical.Aggregate{Groups: innerGroups, List: innerList, Child: expand}
	// Outer aggregation.
	onlyGid := func(k int, e logical.Expr) (logical.Expr, error) {
		cond := &logical.Binary{Op: logical.OpEq, L: gid, R: &logical.Literal{Value: int32(k), Type: int32T}, Type: arrow.FixedWidthTypes.Boolean}
		return TypeCheck(&logical.CaseWhen{Whens: []logical.Expr{cond}, Thens: []logical.Expr{e}})
	}
	var byExpr logical.ExprMap[*logical.Attribute]
	for i, g := range n.Groups {
		byExpr.Set(g, groupAttr[i])
	}
	var ferr error
	outerList := make([]logical.Expr, len(n.List))
	for i, e := range n.List {
		outerList[i], _ = logical.TransformDownExpr(e, func(x logical.Expr) (logical.Expr, bool) {
			c, ok := x.(*logical.AggregateCall)
			if !ok {
				if _, isAlias := x.(*logical.Alias); !isAlias {
					if at, ok := byExpr.Get(x); ok {
						return at, true
					}
				}
				return x, false
			}
			var out logical.Expr
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
				var v logical.Expr
				if v, err = onlyGid(0, plainResult[c]); err == nil {
					out, err = typeAggregate(&logical.AggregateCall{Func: logical.AggFirst, Arg: v, IgnoreNulls: true})
				}
				if err == nil && len(n.Groups) == 0 && (c.Func == logical.AggCount || c.Func == logical.AggCountIf || c.Func == logical.AggApproxCountDistinct) {
					// Over no rows at all there is no gid 0 row: counts are 0.
					out, err = functions.TypeFunc(&logical.Func{Name: "coalesce", Args: []logical.Expr{out, &logical.Literal{Value: int64(0), Type: arrow.PrimitiveTypes.Int64}}})
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
	return &logical.Aggregate{Groups: logical.AttrsAsExprs(groupAttr), List: outerList, Child: inner}, nil
}

// rewriteAggregatesBySet plans an aggregation mixing aggregates over
// different sets of distinct arguments, or DISTINCT with plain aggregates,
// as one aggregation per set — the plain aggregates together, each set of
// distinct arguments in its own two-level aggregation — joined on the
// grouping keys (null-safe: a NULL key is a group like any other; a global
// aggregation joins single rows). Each aggregation is what the query would
// cost alone, so the whole costs about the sum of its parts; the Expand of
// rewriteMixedAggregates instead multiplies the rows and makes every inner
// group carry every plain aggregate's state (an approx_count_distinct sketch
// per distinct value), which made count(DISTINCT a) with
// approx_count_distinct(b) many times slower than both apart. The input is
// read once per set, so an input with nondeterministic expressions, which
// must be read once, keeps the Expand.
func (a *Analyzer) rewriteAggregatesBySet(n *logical.Aggregate, calls []*logical.AggregateCall) (logical.Plan, error) {
	if planNondeterministic(n.Child) {
		return a.rewriteMixedAggregates(n, calls)
	}
	// sets[0] holds the plain calls, sets[k] the calls over the k-th
	// distinct argument list.
	sets := [][]*logical.AggregateCall{nil}
	var keys [][]logical.Expr
	for _, c := range calls {
		if !c.Distinct {
			sets[0] = append(sets[0], c)
			continue
		}
		k := -1
		for i, key := range keys {
			if logical.EqualLists(key, c.Children()) {
				k = i + 1
				break
			}
		}
		if k < 0 {
			keys = append(keys, c.Children())
			sets = append(sets, nil)
			k = len(keys)
		}
		sets[k] = append(sets[k], c)
	}
	result := map[*logical.AggregateCall]*logical.Attribute{}
	var join logical.Plan
	var keyAttrs []*logical.Attribute // the grouping keys of the first set
	for _, set := range sets {
		if len(set) == 0 {
			continue
		}
		list := make([]logical.Expr, 0, len(n.Groups)+len(set))
		for _, g := range n.Groups {
			list = append(list, &logical.Alias{E: g, Name: logical.OutputName(g), ID: a.IDs.Next()})
		}
		for _, c := range set {
			list = append(list, &logical.Alias{E: c, Name: logical.OutputName(c), ID: a.IDs.Next()})
		}
		side, err := a.rewriteDistinctAggregates(&logical.Aggregate{Groups: n.Groups, List: list, Child: n.Child})
		if err != nil {
			return nil, err
		}
		out := side.Output()
		for i, c := range set {
			result[c] = out[len(n.Groups)+i]
		}
		if join == nil {
			join, keyAttrs = side, out[:len(n.Groups)]
			continue
		}
		var conds []logical.Expr
		for i, k := range keyAttrs {
			conds = append(conds, &logical.Binary{Op: logical.OpNullSafeEq, L: k, R: out[i], Type: arrow.FixedWidthTypes.Boolean})
		}
		var cond logical.Expr
		if len(conds) > 0 {
			cond = logical.And(conds...)
		}
		join = &logical.Join{Left: join, Right: side, Kind: logical.InnerJoin, Cond: cond}
	}
	var byExpr logical.ExprMap[*logical.Attribute]
	for i, g := range n.Groups {
		byExpr.Set(g, keyAttrs[i])
	}
	list := make([]logical.Expr, len(n.List))
	for i, e := range n.List {
		list[i], _ = logical.TransformDownExpr(e, func(x logical.Expr) (logical.Expr, bool) {
			if c, ok := x.(*logical.AggregateCall); ok {
				return result[c], true
			}
			if _, isAlias := x.(*logical.Alias); !isAlias {
				if at, ok := byExpr.Get(x); ok {
					return at, true
				}
			}
			return x, false
		})
	}
	return &logical.Project{List: list, Child: join}, nil
}

// planNondeterministic reports whether an expression of p or below calls a
// nondeterministic function (rand, uuid, …): such an input gives other values
// each time it is read.
func planNondeterministic(p logical.Plan) bool {
	found := false
	var walk func(logical.Plan)
	walk = func(n logical.Plan) {
		for _, e := range n.Expressions() {
			logical.Walk(e, func(x logical.Expr) bool {
				if f, ok := x.(*logical.Func); ok {
					if d, ok := functions.Builtins().Lookup(f.Name); ok && d.Nondeterministic {
						found = true
					}
				}
				return !found
			})
		}
		for _, c := range n.Children() {
			if !found {
				walk(c)
			}
		}
	}
	walk(p)
	return found
}
