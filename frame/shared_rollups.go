package frame

import (
	"github.com/gspark/gspark/planner/logical"
)

// groupedAggregates returns the grouped aggregations of p (not inside its
// subqueries' plans) by the key of their input (subplanKey).
func groupedAggregates(p logical.Plan) map[string][]*logical.Aggregate {
	out := map[string][]*logical.Aggregate{}
	var walk func(n logical.Plan)
	walk = func(n logical.Plan) {
		if a, isAgg := n.(*logical.Aggregate); isAgg && len(a.Groups) > 0 && a.GroupingSets == nil {
			if key, ok := subplanKey(a.Child); ok {
				out[key] = append(out[key], a)
			}
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(p)
	return out
}

// rollUpAggregates rewrites each aggregation without groups in a
// subquery's plan q whose input is that of a grouped aggregation of the
// query (the same subtree up to attribute ids) into an aggregation of that
// grouped aggregation's result, when its aggregates can be computed from
// the groups' values: min of the groups' mins, max of their maxes, and sum
// of their sums for exact (decimal) sums. The grouped aggregation then has
// the same key in both plans, so shareSubplans runs it once. TPC-H Q11
// compares each part's stock value with a fraction of the total over the
// same join: the total is then the sum of the parts' values instead of a
// second pass over partsupp. shared lists the keys of the aggregations
// shareSubplans can share; newID hands out attribute ids.
func rollUpAggregates(q logical.Plan, grouped map[string][]*logical.Aggregate, shared map[string]*logical.Aggregate, newID func() int64) logical.Plan {
	out, _, _ := logical.TransformDown(q, func(n logical.Plan) (logical.Plan, bool, error) {
		g, isAgg := n.(*logical.Aggregate)
		if !isAgg || len(g.Groups) > 0 || g.GroupingSets != nil {
			return n, false, nil
		}
		key, ok := subplanKey(g.Child)
		if !ok {
			return n, false, nil
		}
		for _, m := range grouped[key] {
			if r := rollUp(g, m, shared, newID); r != nil {
				return r, true, nil
			}
		}
		return n, false, nil
	})
	return out
}

// rollUp returns g computed from the groups of m, whose input is g's up to
// attribute ids, or nil when it cannot be (see rollUpAggregates).
func rollUp(g, m *logical.Aggregate, shared map[string]*logical.Aggregate, newID func() int64) logical.Plan {
	// The ids of m's input, matched with g's in order of appearance.
	from := attrRef.FindAllString(subplanText(m.Child), -1)
	to := attrRef.FindAllString(subplanText(g.Child), -1)
	if len(from) != len(to) {
		return nil
	}
	ids := map[string]string{}
	for i, f := range from {
		if t, seen := ids[f]; seen && t != to[i] {
			return nil
		}
		ids[f] = to[i]
	}
	byID := map[int64]int64{}
	for f, t := range ids {
		fi, err1 := parseRef(f)
		ti, err2 := parseRef(t)
		if err1 != nil || err2 != nil {
			return nil
		}
		byID[fi] = ti
	}
	remap := func(e logical.Expr) logical.Expr {
		out, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
			a, isAttr := x.(*logical.Attribute)
			if !isAttr {
				return x, false
			}
			id, known := byID[a.ID]
			if !known {
				return x, false
			}
			na := *a
			na.ID = id
			return &na, true
		})
		return out
	}
	// m over g's input, with new ids for its results.
	groups := make([]logical.Expr, len(m.Groups))
	for i, e := range m.Groups {
		groups[i] = remap(e)
	}
	list := make([]logical.Expr, len(m.List))
	for i, e := range m.List {
		e = remap(e)
		if a, isAlias := e.(*logical.Alias); isAlias {
			e = &logical.Alias{E: a.E, Name: a.Name, ID: newID(), Meta: a.Meta}
		}
		list[i] = e
	}
	groupsOf := &logical.Aggregate{Groups: groups, List: list, Child: g.Child}
	key, ok := subplanKey(groupsOf)
	if !ok || shared[key] == nil {
		return nil
	}
	attrs := groupsOf.Output()
	failed := false
	glist := make([]logical.Expr, len(g.List))
	for i, e := range g.List {
		glist[i], _ = logical.TransformDownExpr(e, func(x logical.Expr) (logical.Expr, bool) {
			switch c := x.(type) {
			case *logical.Attribute:
				failed = true // a column outside the aggregates
			case *logical.AggregateCall:
				k := rolledUpFrom(c, list)
				if k < 0 {
					failed = true
					return x, false
				}
				return &logical.AggregateCall{Func: c.Func, Arg: attrs[k], Type: c.Type}, true
			}
			return x, false
		})
	}
	if failed {
		return nil
	}
	return &logical.Aggregate{List: glist, Child: groupsOf}
}

// rolledUpFrom returns the position in list of an aggregate c can be
// computed from group by group, or -1: the same min or max, or the same
// sum of decimals (exact, so the sum of the groups' sums is the same
// number).
func rolledUpFrom(c *logical.AggregateCall, list []logical.Expr) int {
	if c.Distinct || c.Arg2 != nil || c.Arg == nil {
		return -1
	}
	switch c.Func {
	case logical.AggMin, logical.AggMax:
	case logical.AggSum:
		if !logical.IsDecimal(c.Type) {
			return -1
		}
	default:
		return -1
	}
	for i, e := range list {
		if a, isAlias := e.(*logical.Alias); isAlias && logical.Equal(a.E, c) {
			return i
		}
	}
	return -1
}
