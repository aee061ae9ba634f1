package planner

// PushDownSemiJoins moves a left semi or anti join below an inner join (and
// below a projection of plain columns) when its condition reads only one
// side of it and the other side is the larger: the rows of that side are
// filtered before the inner join multiplies them. TPC-H Q18 keeps 57 orders by an IN subquery; joined with
// lineitem first, all six million line items would be joined and dropped.
func PushDownSemiJoins() Rule {
	return Rule{Name: "PushDownSemiJoins", Apply: func(p Plan) (Plan, bool, error) {
		return TransformDown(p, func(n Plan) (Plan, bool, error) {
			sj, ok := n.(*Join)
			if !ok || (sj.Kind != LeftSemiJoin && sj.Kind != LeftAntiJoin) || sj.Cond == nil {
				return n, false, nil
			}
			rightIDs := map[int64]bool{}
			for _, a := range sj.Right.Output() {
				rightIDs[a.ID] = true
			}
			leftRefs := map[int64]bool{}
			for id := range References(sj.Cond) {
				if !rightIDs[id] {
					leftRefs[id] = true
				}
			}
			ids := func(p Plan) map[int64]bool {
				m := map[int64]bool{}
				for _, a := range p.Output() {
					m[a.ID] = true
				}
				return m
			}
			switch l := sj.Left.(type) {
			case *Project:
				for _, e := range l.List {
					if _, ok := e.(*Attribute); !ok {
						return n, false, nil
					}
				}
				if !subset(leftRefs, ids(l.Child)) {
					return n, false, nil
				}
				return &Project{List: l.List, Child: &Join{Left: l.Child, Right: sj.Right, Kind: sj.Kind, Cond: sj.Cond}}, true, nil
			case *Join:
				if l.Kind != InnerJoin {
					return n, false, nil
				}
				// Only below a join that would multiply the rows: the other
				// side is the larger one (by estimate). A smaller other side
				// is a selective join better done before the semi join.
				switch {
				case subset(leftRefs, ids(l.Left)) && estimateRows(l.Right) > estimateRows(l.Left):
					return &Join{Left: &Join{Left: l.Left, Right: sj.Right, Kind: sj.Kind, Cond: sj.Cond}, Right: l.Right, Kind: InnerJoin, Cond: l.Cond}, true, nil
				case subset(leftRefs, ids(l.Right)) && estimateRows(l.Left) > estimateRows(l.Right):
					return &Join{Left: l.Left, Right: &Join{Left: l.Right, Right: sj.Right, Kind: sj.Kind, Cond: sj.Cond}, Kind: InnerJoin, Cond: l.Cond}, true, nil
				}
			}
			return n, false, nil
		})
	}}
}
