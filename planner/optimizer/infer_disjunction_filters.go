package optimizer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// InferDisjunctionFilters adds to a filter holding an OR what the OR implies
// for single columns, which pushdown can then take to the scans:
// (n1 = 'A' AND n2 = 'B') OR (n1 = 'B' AND n2 = 'A') implies n1 = 'A' OR
// n1 = 'B' (TPC-H Q7's nations). The OR stays. It runs once, before the
// optimizer's passes, since the filters it adds move away from the OR.
func InferDisjunctionFilters() Rule {
	return Rule{Name: "InferDisjunctionFilters", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformUp(p, func(n logical.Plan) (logical.Plan, bool, error) {
			f, ok := n.(*logical.Filter)
			if !ok {
				return n, false, nil
			}
			conj := logical.SplitConjuncts(f.Cond)
			out := append([]logical.Expr(nil), conj...)
			for _, c := range conj {
				ds := splitDisjuncts(c)
				if len(ds) < 2 {
					continue
				}
				branches := make([][]logical.Expr, len(ds))
				compound := false
				for i, d := range ds {
					branches[i] = logical.SplitConjuncts(d)
					compound = compound || len(branches[i]) > 1
				}
				if !compound {
					// Branches of one conjunct each (an IN list) imply the
					// OR itself or nothing.
					continue
				}
				for _, d := range impliedPerColumn(branches) {
					if logical.IndexOf(out, d) < 0 {
						out = append(out, d)
					}
				}
			}
			if len(out) == len(conj) {
				return n, false, nil
			}
			return &logical.Filter{Cond: logical.And(out...), Child: f.Child}, true, nil
		})
	}}
}

// impliedPerColumn returns, for every column that each branch constrains
// on its own (conjuncts reading only that column), the OR over the branches
// of those constraints: a condition the disjunction implies.
func impliedPerColumn(branches [][]logical.Expr) []logical.Expr {
	single := func(c logical.Expr) (int64, bool) {
		refs := logical.References(c)
		if len(refs) != 1 || len(logical.SubqueriesIn(c)) > 0 {
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
	var out []logical.Expr
	for _, id := range cols {
		var ors []logical.Expr
		for _, br := range branches {
			var mine []logical.Expr
			for _, c := range br {
				if cid, ok := single(c); ok && cid == id {
					mine = append(mine, c)
				}
			}
			if len(mine) == 0 {
				ors = nil
				break
			}
			ors = append(ors, logical.And(mine...))
		}
		if len(ors) == 0 {
			continue
		}
		same := true
		for _, o := range ors[1:] {
			same = same && logical.Equal(o, ors[0])
		}
		if same {
			continue // common to every branch: FactorDisjunctions takes it out
		}
		d := ors[0]
		for _, o := range ors[1:] {
			d = &logical.Binary{Op: logical.OpOr, L: d, R: o, Type: arrow.FixedWidthTypes.Boolean}
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
