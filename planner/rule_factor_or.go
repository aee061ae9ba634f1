package planner

import "github.com/apache/arrow-go/v18/arrow"

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

// InferDisjunctionFilters adds to a filter holding an OR what the OR implies
// for single columns, which pushdown can then take to the scans:
// (n1 = 'A' AND n2 = 'B') OR (n1 = 'B' AND n2 = 'A') implies n1 = 'A' OR
// n1 = 'B' (TPC-H Q7's nations). The OR stays. It runs once, before the
// optimizer's passes, since the filters it adds move away from the OR.
func InferDisjunctionFilters() Rule {
	return Rule{Name: "InferDisjunctionFilters", Apply: func(p Plan) (Plan, bool, error) {
		return TransformUp(p, func(n Plan) (Plan, bool, error) {
			f, ok := n.(*Filter)
			if !ok {
				return n, false, nil
			}
			conj := SplitConjuncts(f.Cond)
			out := append([]Expr(nil), conj...)
			for _, c := range conj {
				ds := splitDisjuncts(c)
				if len(ds) < 2 {
					continue
				}
				branches := make([][]Expr, len(ds))
				for i, d := range ds {
					branches[i] = SplitConjuncts(d)
				}
				for _, d := range impliedPerColumn(branches) {
					if !containsString(out, d.String()) {
						out = append(out, d)
					}
				}
			}
			if len(out) == len(conj) {
				return n, false, nil
			}
			return &Filter{Cond: And(out...), Child: f.Child}, true, nil
		})
	}}
}

// impliedPerColumn returns, for every column that each branch constrains
// on its own (conjuncts reading only that column), the OR over the branches
// of those constraints: a condition the disjunction implies.
func impliedPerColumn(branches [][]Expr) []Expr {
	single := func(c Expr) (int64, bool) {
		refs := References(c)
		if len(refs) != 1 || len(subqueriesIn(c)) > 0 {
			return 0, false
		}
		for id := range refs {
			return id, true
		}
		return 0, false
	}
	var cols []int64
	for _, c := range branches[0] {
		if id, ok := single(c); ok && !slicesContains(cols, id) {
			cols = append(cols, id)
		}
	}
	var out []Expr
	for _, id := range cols {
		var ors []Expr
		for _, br := range branches {
			var mine []Expr
			for _, c := range br {
				if cid, ok := single(c); ok && cid == id {
					mine = append(mine, c)
				}
			}
			if len(mine) == 0 {
				ors = nil
				break
			}
			ors = append(ors, And(mine...))
		}
		if len(ors) == 0 {
			continue
		}
		same := true
		for _, o := range ors[1:] {
			same = same && o.String() == ors[0].String()
		}
		if same {
			continue // common to every branch: FactorDisjunctions takes it out
		}
		d := ors[0]
		for _, o := range ors[1:] {
			d = &Binary{Op: OpOr, L: d, R: o, Type: arrow.FixedWidthTypes.Boolean}
		}
		out = append(out, d)
	}
	return out
}

func slicesContains(s []int64, v int64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
