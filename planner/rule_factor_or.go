package planner

// FactorDisjunctions pulls the conditions every branch of an OR shares out
// of it: (a AND b) OR (a AND c) becomes a AND (b OR c). TPC-H Q19 joins this
// way: each branch repeats p_partkey = l_partkey, which only once factored
// out becomes a hash join key instead of a condition a nested-loop join
// evaluates for every pair.
func FactorDisjunctions() Rule {
	return Rule{Name: "FactorDisjunctions", Apply: func(p Plan) (Plan, bool, error) {
		return TransformUp(p, func(n Plan) (Plan, bool, error) {
			switch x := n.(type) {
			case *Filter:
				if c, ok := factorConjuncts(x.Cond); ok {
					return &Filter{Cond: c, Child: x.Child}, true, nil
				}
			case *Join:
				if x.Cond != nil {
					if c, ok := factorConjuncts(x.Cond); ok {
						return &Join{Left: x.Left, Right: x.Right, Kind: x.Kind, Cond: c}, true, nil
					}
				}
			}
			return n, false, nil
		})
	}}
}

// splitDisjuncts flattens a tree of ORs.
func splitDisjuncts(e Expr) []Expr {
	if b, ok := e.(*Binary); ok && b.Op == OpOr {
		return append(splitDisjuncts(b.L), splitDisjuncts(b.R)...)
	}
	return []Expr{e}
}

// factorConjuncts factors every OR among the conjuncts of e.
func factorConjuncts(e Expr) (Expr, bool) {
	changed := false
	var out []Expr
	for _, c := range SplitConjuncts(e) {
		ds := splitDisjuncts(c)
		if len(ds) < 2 {
			out = append(out, c)
			continue
		}
		branches := make([][]Expr, len(ds))
		for i, d := range ds {
			branches[i] = SplitConjuncts(d)
		}
		var common []Expr
		for _, x := range branches[0] {
			k := x.String()
			inAll := true
			for _, br := range branches[1:] {
				found := false
				for _, y := range br {
					found = found || y.String() == k
				}
				inAll = inAll && found
			}
			if inAll && !containsString(common, k) {
				common = append(common, x)
			}
		}
		if len(common) == 0 {
			out = append(out, c)
			continue
		}
		changed = true
		out = append(out, common...)
		var rest []Expr
		always := false
		for _, br := range branches {
			var left []Expr
			for _, y := range br {
				if !containsString(common, y.String()) {
					left = append(left, y)
				}
			}
			if len(left) == 0 {
				always = true // this branch holds whenever the common part does
				break
			}
			rest = append(rest, And(left...))
		}
		if !always {
			or := rest[0]
			for _, r := range rest[1:] {
				or = &Binary{Op: OpOr, L: or, R: r, Type: or.DataType()}
			}
			out = append(out, or)
		}
	}
	if !changed {
		return e, false
	}
	return And(out...), true
}

func containsString(es []Expr, k string) bool {
	for _, e := range es {
		if e.String() == k {
			return true
		}
	}
	return false
}
