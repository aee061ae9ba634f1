package optimizer

import (
	"github.com/gspark/gspark/planner/logical"
)

// LimitPushdown moves limits towards the data: below projections, into the
// left side of a left outer join, merged with an inner limit, and into scans
// (as a per-partition bound; the limit above still applies globally).
func LimitPushdown() Rule {
	return Rule{Name: "LimitPushdown", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformDown(p, func(n logical.Plan) (logical.Plan, bool, error) {
			l, ok := n.(*logical.Limit)
			if !ok {
				return n, false, nil
			}
			switch c := l.Child.(type) {
			case *logical.Project:
				return &logical.Project{List: c.List, Child: &logical.Limit{N: l.N, Child: c.Child}}, true, nil
			case *logical.Limit:
				return &logical.Limit{N: min(l.N, c.N), Child: c.Child}, true, nil
			case *logical.Offset:
				// The first n rows after skipping m are among the first n + m.
				return &logical.Offset{N: c.N, Child: &logical.Limit{N: l.N + c.N, Child: c.Child}}, true, nil
			case *logical.Union:
				// Each input needs to give no more than N rows.
				inputs := make([]logical.Plan, len(c.Inputs))
				changed := false
				for i, in := range c.Inputs {
					if il, ok := in.(*logical.Limit); ok && il.N <= l.N {
						inputs[i] = in
						continue
					}
					inputs[i] = &logical.Limit{N: l.N, Child: in}
					changed = true
				}
				if !changed {
					return n, false, nil
				}
				return &logical.Limit{N: l.N, Child: &logical.Union{Inputs: inputs}}, true, nil
			case *logical.Join:
				if c.Kind != logical.LeftJoin {
					return n, false, nil
				}
				if inner, ok := c.Left.(*logical.Limit); ok && inner.N <= l.N {
					return n, false, nil
				}
				j := &logical.Join{Left: &logical.Limit{N: l.N, Child: c.Left}, Right: c.Right, Kind: c.Kind, Cond: c.Cond}
				return &logical.Limit{N: l.N, Child: j}, true, nil
			case *logical.Scan:
				if c.Limit >= 0 && c.Limit <= l.N {
					return n, false, nil
				}
				s := *c
				s.Limit = l.N
				return &logical.Limit{N: l.N, Child: &s}, true, nil
			}
			return n, false, nil
		})
	}}
}
