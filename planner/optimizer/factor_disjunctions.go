package optimizer

import (
	"github.com/gspark/gspark/planner/logical"
)

// FactorDisjunctions pulls the conditions every branch of an OR shares out
// of it: (a AND b) OR (a AND c) becomes a AND (b OR c). TPC-H Q19 joins this
// way: each branch repeats p_partkey = l_partkey, which only once factored
// out becomes a hash join key instead of a condition a nested-loop join
// evaluates for every pair.
func FactorDisjunctions() Rule {
	return Rule{Name: "FactorDisjunctions", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformUp(p, func(n logical.Plan) (logical.Plan, bool, error) {
			switch x := n.(type) {
			case *logical.Filter:
				if c, ok := factorConjuncts(x.Cond); ok {
					return &logical.Filter{Cond: c, Child: x.Child}, true, nil
				}
			case *logical.Join:
				if x.Cond != nil {
					if c, ok := factorConjuncts(x.Cond); ok {
						return &logical.Join{Left: x.Left, Right: x.Right, Kind: x.Kind, Cond: c}, true, nil
					}
				}
			}
			return n, false, nil
		})
	}}
}

// splitDisjuncts flattens a tree of ORs.
func splitDisjuncts(e logical.Expr) []logical.Expr { return logical.SplitBinary(e, logical.OpOr) }

// factorConjuncts factors every OR among the conjuncts of e.
func factorConjuncts(e logical.Expr) (logical.Expr, bool) {
	changed := false
	var out []logical.Expr
	for _, c := range logical.SplitConjuncts(e) {
		ds := splitDisjuncts(c)
		if len(ds) < 2 {
			out = append(out, c)
			continue
		}
		branches := make([][]logical.Expr, len(ds))
		for i, d := range ds {
			branches[i] = logical.SplitConjuncts(d)
		}
		var common []logical.Expr
		for _, x := range branches[0] {
			inAll := true
			for _, br := range branches[1:] {
				inAll = inAll && logical.IndexOf(br, x) >= 0
			}
			if inAll && logical.IndexOf(common, x) < 0 {
				common = append(common, x)
			}
		}
		if len(common) == 0 {
			out = append(out, c)
			continue
		}
		changed = true
		out = append(out, common...)
		var rest []logical.Expr
		always := false
		for _, br := range branches {
			var left []logical.Expr
			for _, y := range br {
				if logical.IndexOf(common, y) < 0 {
					left = append(left, y)
				}
			}
			if len(left) == 0 {
				always = true // this branch holds whenever the common part does
				break
			}
			rest = append(rest, logical.And(left...))
		}
		if !always {
			or := rest[0]
			for _, r := range rest[1:] {
				or = &logical.Binary{Op: logical.OpOr, L: or, R: r, Type: or.DataType()}
			}
			out = append(out, or)
		}
	}
	if !changed {
		return e, false
	}
	return logical.And(out...), true
}
