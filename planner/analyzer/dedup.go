package analyzer

import (
	"github.com/gspark/gspark/planner/logical"
)

// dedupRight gives the right side of a join fresh attribute IDs where they
// collide with the left side's, as happens when a table is joined with itself:
// every attribute the right side defines (scan columns, aliases) is
// re-instanced and the references above it are rewritten.
func (a *Analyzer) dedupRight(left, right logical.Plan) (logical.Plan, error) {
	seen := map[int64]bool{}
	for _, at := range left.Output() {
		seen[at.ID] = true
	}
	conflict := false
	for _, at := range right.Output() {
		conflict = conflict || seen[at.ID]
	}
	if !conflict {
		return right, nil
	}
	return a.reinstance(right)
}

// reinstance gives every attribute p defines (scan columns, aliases) a fresh
// ID and rewrites the references above it, including outer references in
// nested subqueries.
func (a *Analyzer) reinstance(right logical.Plan) (logical.Plan, error) {
	remap := map[int64]int64{}
	rewrite := func(e logical.Expr) logical.Expr {
		out, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
			switch v := x.(type) {
			case *logical.Attribute:
				if id, ok := remap[v.ID]; ok {
					c := *v
					c.ID = id
					return &c, true
				}
			case *logical.Alias:
				id, ok := remap[v.ID]
				if !ok {
					id = a.IDs.Next()
					remap[v.ID] = id
				}
				return &logical.Alias{E: v.E, Name: v.Name, ID: id, Meta: v.Meta}, true
			case *logical.Subquery:
				return logical.RemapOuterRefs(v, remap), true
			}
			return x, false
		})
		return out
	}
	out, _, err := logical.TransformUp(right, func(n logical.Plan) (logical.Plan, bool, error) {
		if s, ok := n.(*logical.Scan); ok {
			c := *s
			c.Attrs = make([]*logical.Attribute, len(s.Attrs))
			for i, at := range s.Attrs {
				na := *at
				na.ID = a.IDs.Next()
				remap[at.ID] = na.ID
				c.Attrs[i] = &na
			}
			n = &c
		}
		exprs := n.Expressions()
		if len(exprs) == 0 {
			return n, true, nil
		}
		ne := make([]logical.Expr, len(exprs))
		for i, e := range exprs {
			ne[i] = rewrite(e)
		}
		return n.WithExpressions(ne), true, nil
	})
	return out, err
}

// DedupRight returns right with fresh attribute IDs wherever they collide
// with left's, so that a condition built over both sides (a self join) can
// tell them apart before the join itself is analyzed.
func (a *Analyzer) DedupRight(left, right logical.Plan) (logical.Plan, error) {
	return a.dedupRight(left, right)
}
