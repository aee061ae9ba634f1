package optimizer

import (
	"github.com/gspark/gspark/planner/logical"
)

// ReorderJoins rebuilds every tree of inner and cross joins so that each
// join has an equality condition where one exists: FROM part, supplier,
// partsupp WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey would
// otherwise cross part with supplier first. It keeps the written order
// except where that order would cross two inputs: the inputs join left-deep
// in order, each step taking the first input not yet joined that an
// equality connects to what is joined so far (a tiny one, such as a
// filtered nation, before the others); inputs with no connection are
// crossed in order, last. (Without column statistics the written order is
// the better guide to selective joins than table sizes: TPC-H Q5 joins
// customer to the rest by nation alone if customer goes early by size.)
// Before that, a tiny input that an equality connects to one other input
// only is joined to that input first (see joinTinyBranches). A projection
// on top keeps the original column order.
func ReorderJoins() Rule {
	return Rule{Name: "ReorderJoins", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformDown(p, func(n logical.Plan) (logical.Plan, bool, error) {
			j, ok := n.(*logical.Join)
			if !ok || j.Kind != logical.InnerJoin {
				return n, false, nil
			}
			var leaves []logical.Plan
			var conds []logical.Expr
			flattenInner(j, &leaves, &conds)
			if len(leaves) < 3 {
				return n, false, nil
			}
			leaves, conds = joinTinyBranches(leaves, conds)
			out, err := greedyJoin(leaves, conds)
			if err != nil || sameJoinTree(out, n) {
				return n, false, err
			}
			// Keep the original column order.
			list := make([]logical.Expr, 0, len(n.Output()))
			for _, a := range n.Output() {
				list = append(list, a)
			}
			res := logical.Plan(&logical.Project{List: list, Child: out})
			if isPassThrough(list, out) {
				res = out
			}
			if sameJoinTree(res, n) {
				return n, false, nil
			}
			return res, true, nil
		})
	}}
}

// sameJoinTree reports whether two trees built by greedyJoin (or the
// original join tree) are the same: inner joins, a filter and a projection
// with equal expressions over the very same inputs, which greedyJoin reuses
// without copying.
func sameJoinTree(a, b logical.Plan) bool {
	switch x := a.(type) {
	case *logical.Join:
		y, ok := b.(*logical.Join)
		return ok && x.Kind == y.Kind && logical.Equal(x.Cond, y.Cond) &&
			sameJoinTree(x.Left, y.Left) && sameJoinTree(x.Right, y.Right)
	case *logical.Filter:
		y, ok := b.(*logical.Filter)
		return ok && logical.Equal(x.Cond, y.Cond) && sameJoinTree(x.Child, y.Child)
	case *logical.Project:
		y, ok := b.(*logical.Project)
		return ok && logical.EqualLists(x.List, y.List) && sameJoinTree(x.Child, y.Child)
	}
	return a == b
}

// flattenInner collects the inputs and conditions of a tree of inner joins.
func flattenInner(p logical.Plan, leaves *[]logical.Plan, conds *[]logical.Expr) {
	if j, ok := p.(*logical.Join); ok && j.Kind == logical.InnerJoin {
		flattenInner(j.Left, leaves, conds)
		flattenInner(j.Right, leaves, conds)
		if j.Cond != nil {
			*conds = append(*conds, logical.SplitConjuncts(j.Cond)...)
		}
		return
	}
	*leaves = append(*leaves, p)
}

// tinyRows is the estimated size up to which ReorderJoins joins a connected
// input before the written order would.
const tinyRows = 100

// joinTinyBranches joins each tiny input (at most tinyRows by estimate)
// that equalities connect to one other input only into that input, in that
// input's place, until two inputs are left: a filtered nation joins its
// supplier before the supplier joins partsupp, so partsupp meets one small
// table that keeps only the nation's suppliers (TPC-H Q11) instead of every
// supplier first and the nation after; a region joins its nation, which then
// joins its supplier the same way (Q2, Q5). It returns the inputs and the
// conditions not yet applied.
func joinTinyBranches(leaves []logical.Plan, conds []logical.Expr) ([]logical.Plan, []logical.Expr) {
	leaves = append([]logical.Plan(nil), leaves...)
	conds = append([]logical.Expr(nil), conds...)
	for len(leaves) > 2 {
		ids := make([]map[int64]bool, len(leaves))
		for i, l := range leaves {
			ids[i] = logical.OutputIDs(l)
		}
		// owner returns the one input whose columns are all of refs, or -1.
		owner := func(refs map[int64]bool) int {
			for i := range leaves {
				if len(refs) > 0 && logical.Subset(refs, ids[i]) {
					return i
				}
			}
			return -1
		}
		merged := false
		for s := range leaves {
			if logical.EstimateRows(leaves[s]) > tinyRows {
				continue
			}
			other := -1
			for _, c := range conds {
				b, ok := c.(*logical.Binary)
				if !ok || (b.Op != logical.OpEq && b.Op != logical.OpNullSafeEq) {
					continue
				}
				l, r := owner(logical.References(b.L)), owner(logical.References(b.R))
				if l < 0 || r < 0 || l == r || (l != s && r != s) {
					continue
				}
				d := l + r - s
				if other >= 0 && other != d {
					other = -2
					break
				}
				other = d
			}
			if other < 0 {
				continue
			}
			have := map[int64]bool{}
			for id := range ids[other] {
				have[id] = true
			}
			for id := range ids[s] {
				have[id] = true
			}
			var mine, rest []logical.Expr
			for _, c := range conds {
				if logical.Subset(logical.References(c), have) {
					mine = append(mine, c)
				} else {
					rest = append(rest, c)
				}
			}
			leaves[other] = &logical.Join{Left: leaves[other], Right: leaves[s], Kind: logical.InnerJoin, Cond: logical.And(mine...)}
			leaves = append(leaves[:s], leaves[s+1:]...)
			conds = rest
			merged = true
			break
		}
		if !merged {
			break
		}
	}
	return leaves, conds
}

// greedyJoin joins leaves left-deep as ReorderJoins describes.
func greedyJoin(leaves []logical.Plan, conds []logical.Expr) (logical.Plan, error) {
	ids := make([]map[int64]bool, len(leaves))
	for i, l := range leaves {
		ids[i] = map[int64]bool{}
		for _, a := range l.Output() {
			ids[i][a.ID] = true
		}
	}
	used := make([]bool, len(conds))
	placed := make([]bool, len(leaves))
	have := map[int64]bool{}
	cur := leaves[0]
	placed[0] = true
	for id := range ids[0] {
		have[id] = true
	}
	connects := func(i int) bool {
		for k, c := range conds {
			if used[k] {
				continue
			}
			b, ok := c.(*logical.Binary)
			if !ok || (b.Op != logical.OpEq && b.Op != logical.OpNullSafeEq) {
				continue
			}
			l, r := logical.References(b.L), logical.References(b.R)
			if len(l) > 0 && len(r) > 0 && (logical.Subset(l, have) && logical.Subset(r, ids[i]) || logical.Subset(r, have) && logical.Subset(l, ids[i])) {
				return true
			}
		}
		return false
	}
	for range len(leaves) - 1 {
		next := -1
		// A tiny connected input (a filtered dimension such as one nation)
		// goes first: it can only shrink what is joined so far.
		for i := range leaves {
			if !placed[i] && connects(i) && logical.EstimateRows(leaves[i]) <= tinyRows {
				next = i
				break
			}
		}
		for i := range leaves {
			if next < 0 && !placed[i] && connects(i) {
				next = i
				break
			}
		}
		if next < 0 { // nothing connected: cross the next input
			for i := range leaves {
				if !placed[i] {
					next = i
					break
				}
			}
		}
		placed[next] = true
		for id := range ids[next] {
			have[id] = true
		}
		var mine []logical.Expr
		for k, c := range conds {
			if !used[k] && logical.Subset(logical.References(c), have) {
				used[k] = true
				mine = append(mine, c)
			}
		}
		j := &logical.Join{Left: cur, Right: leaves[next], Kind: logical.InnerJoin}
		if len(mine) > 0 {
			j.Cond = logical.And(mine...)
		}
		cur = j
	}
	var rest []logical.Expr
	for k, c := range conds {
		if !used[k] {
			rest = append(rest, c)
		}
	}
	if len(rest) > 0 {
		cur = &logical.Filter{Cond: logical.And(rest...), Child: cur}
	}
	return cur, nil
}
