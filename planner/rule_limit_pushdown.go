package planner

// LimitPushdown moves limits towards the data: below projections, into the
// left side of a left outer join, merged with an inner limit, and into scans
// (as a per-partition bound; the limit above still applies globally).
func LimitPushdown() Rule {
	return Rule{Name: "LimitPushdown", Apply: func(p Plan) (Plan, bool, error) {
		return TransformDown(p, func(n Plan) (Plan, bool, error) {
			l, ok := n.(*Limit)
			if !ok {
				return n, false, nil
			}
			switch c := l.Child.(type) {
			case *Project:
				return &Project{List: c.List, Child: &Limit{N: l.N, Child: c.Child}}, true, nil
			case *Limit:
				return &Limit{N: min(l.N, c.N), Child: c.Child}, true, nil
			case *Offset:
				// The first n rows after skipping m are among the first n + m.
				return &Offset{N: c.N, Child: &Limit{N: l.N + c.N, Child: c.Child}}, true, nil
			case *Union:
				// Each input needs to give no more than N rows.
				inputs := make([]Plan, len(c.Inputs))
				changed := false
				for i, in := range c.Inputs {
					if il, ok := in.(*Limit); ok && il.N <= l.N {
						inputs[i] = in
						continue
					}
					inputs[i] = &Limit{N: l.N, Child: in}
					changed = true
				}
				if !changed {
					return n, false, nil
				}
				return &Limit{N: l.N, Child: &Union{Inputs: inputs}}, true, nil
			case *Join:
				if c.Kind != LeftJoin {
					return n, false, nil
				}
				if inner, ok := c.Left.(*Limit); ok && inner.N <= l.N {
					return n, false, nil
				}
				j := &Join{Left: &Limit{N: l.N, Child: c.Left}, Right: c.Right, Kind: c.Kind, Cond: c.Cond}
				return &Limit{N: l.N, Child: j}, true, nil
			case *Scan:
				if c.Limit >= 0 && c.Limit <= l.N {
					return n, false, nil
				}
				s := *c
				s.Limit = l.N
				return &Limit{N: l.N, Child: &s}, true, nil
			}
			return n, false, nil
		})
	}}
}
