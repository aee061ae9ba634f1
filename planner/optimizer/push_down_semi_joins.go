package optimizer

import (
	"github.com/gspark/gspark/planner/logical"
)

// PushDownSemiJoins moves a left semi or anti join below an inner join (and
// below a projection of plain columns) when its condition reads only one
// side of it and the other side is the larger: the rows of that side are
// filtered before the inner join multiplies them. TPC-H Q18 keeps 57 orders by an IN subquery; joined with
// lineitem first, all six million line items would be joined and dropped.
func PushDownSemiJoins() Rule {
	return Rule{Name: "PushDownSemiJoins", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformDown(p, func(n logical.Plan) (logical.Plan, bool, error) {
			sj, ok := n.(*logical.Join)
			if !ok || (sj.Kind != logical.LeftSemiJoin && sj.Kind != logical.LeftAntiJoin) || sj.Cond == nil {
				return n, false, nil
			}
			rightIDs := map[int64]bool{}
			for _, a := range sj.Right.Output() {
				rightIDs[a.ID] = true
			}
			leftRefs := map[int64]bool{}
			for id := range logical.References(sj.Cond) {
				if !rightIDs[id] {
					leftRefs[id] = true
				}
			}
			ids := func(p logical.Plan) map[int64]bool {
				m := map[int64]bool{}
				for _, a := range p.Output() {
					m[a.ID] = true
				}
				return m
			}
			switch l := sj.Left.(type) {
			case *logical.Project:
				for _, e := range l.List {
					if _, ok := e.(*logical.Attribute); !ok {
						return n, false, nil
					}
				}
				if !logical.Subset(leftRefs, ids(l.Child)) {
					return n, false, nil
				}
				return &logical.Project{List: l.List, Child: &logical.Join{Left: l.Child, Right: sj.Right, Kind: sj.Kind, Cond: sj.Cond}}, true, nil
			case *logical.Join:
				if l.Kind != logical.InnerJoin {
					return n, false, nil
				}
				// Only below a join that does not drop rows of the side the
				// semi join reads (by estimate): one that multiplies them
				// (the other side is the larger), or a foreign-key join
				// that keeps them all (Q18's customer ⋈ orders, whose 1.5
				// million rows the semi join cuts to 57 before customer
				// names are copied through the join). A join that filters
				// that side (the other side is filtered, and so smaller
				// than the join's input) is better done before the semi
				// join.
				joined := logical.EstimateRows(l)
				keeps := func(side, other logical.Plan) bool {
					rows := logical.EstimateRows(side)
					return logical.EstimateRows(other) > rows || joined >= rows
				}
				switch {
				case logical.Subset(leftRefs, ids(l.Left)) && keeps(l.Left, l.Right):
					return &logical.Join{Left: &logical.Join{Left: l.Left, Right: sj.Right, Kind: sj.Kind, Cond: sj.Cond}, Right: l.Right, Kind: logical.InnerJoin, Cond: l.Cond}, true, nil
				case logical.Subset(leftRefs, ids(l.Right)) && keeps(l.Right, l.Left):
					return &logical.Join{Left: l.Left, Right: &logical.Join{Left: l.Right, Right: sj.Right, Kind: sj.Kind, Cond: sj.Cond}, Kind: logical.InnerJoin, Cond: l.Cond}, true, nil
				}
			}
			return n, false, nil
		})
	}}
}
