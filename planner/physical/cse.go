package physical

import (
	"sort"

	"github.com/gspark/gspark/planner/logical"
)

// commonSubexpressions returns the non-trivial subexpressions that occur more
// than once in list at positions every row evaluates (not inside a CASE branch
// or the right side of AND/OR, whose evaluation is conditional), largest
// first, leaving out those that only occur inside a larger one.
func commonSubexpressions(list []logical.Expr) []logical.Expr {
	// Subexpressions are told apart structurally; distinct ones are numbered
	// in the order they are first met.
	type seen struct {
		expr        logical.Expr
		count, size int
		inside      int // occurrences within a chosen larger candidate
	}
	var index logical.ExprMap[int]
	var subs []*seen
	var visit func(e logical.Expr) int
	visit = func(e logical.Expr) int {
		n := 1
		switch x := e.(type) {
		case *logical.Attribute, *logical.Literal:
			return 1
		case *logical.Alias:
			return visit(x.E)
		case *logical.CaseWhen, *logical.AggregateCall, *logical.Lambda:
			return 1 // conditional, not a scalar or per element: leave alone
		case *logical.Binary:
			if x.Op == logical.OpAnd || x.Op == logical.OpOr {
				n += visit(x.L) + 1
			} else {
				n += visit(x.L) + visit(x.R)
			}
		default:
			for _, c := range e.Children() {
				n += visit(c)
			}
		}
		i, ok := index.Get(e)
		if !ok {
			i = len(subs)
			index.Set(e, i)
			subs = append(subs, &seen{expr: e, size: n})
		}
		subs[i].count++
		return n
	}
	for _, e := range list {
		visit(e)
	}
	var cands []*seen
	for _, s := range subs {
		if s.count > 1 {
			cands = append(cands, s)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].size > cands[j].size })
	// Drop a candidate whose every occurrence is inside a chosen larger one.
	var out []logical.Expr
	for _, k := range cands {
		if k.count-k.inside < 2 {
			continue
		}
		out = append(out, k.expr)
		// Occurrences of k's subexpressions within k's occurrences are covered.
		occ := k.count - k.inside
		logical.Walk(k.expr, func(x logical.Expr) bool {
			if x != k.expr {
				if i, ok := index.Get(x); ok {
					subs[i].inside += occ
				}
			}
			return true
		})
	}
	return out
}

// hoistCommon rewrites list so that each common subexpression is computed
// once: it returns the expressions of a first projection (the input
// attributes list reads, then the common subexpressions as new columns) and
// list rewritten over that projection's output. ok is false when there is
// nothing to share.
func (pp *PhysicalPlanner) hoistCommon(list []logical.Expr, input []*logical.Attribute) (first, rewritten []logical.Expr, ok bool) {
	common := commonSubexpressions(list)
	if len(common) == 0 {
		return nil, nil, false
	}
	for _, a := range input {
		first = append(first, a)
	}
	var repl logical.ExprMap[*logical.Attribute]
	for _, c := range common {
		a := pp.tempAttr("cse", c.DataType(), c.Nullable())
		// A common subexpression may contain an earlier, larger one's
		// columns only through the input, so it is computed from the input.
		first = append(first, &logical.Alias{E: c, Name: a.Name, ID: a.ID})
		repl.Set(c, a)
	}
	rewritten = make([]logical.Expr, len(list))
	for i, e := range list {
		if _, named := e.(*logical.Alias); named {
			rewritten[i] = replaceTopDown(e, &repl)
		} else {
			rewritten[i] = e // keep an unnamed item's own output name
		}
	}
	return first, rewritten, true
}

// replaceTopDown replaces the outermost subexpressions of e found in repl.
func replaceTopDown(e logical.Expr, repl *logical.ExprMap[*logical.Attribute]) logical.Expr {
	if _, isAlias := e.(*logical.Alias); !isAlias {
		if a, ok := repl.Get(e); ok {
			return a
		}
	}
	kids := e.Children()
	if len(kids) == 0 {
		return e
	}
	nk := make([]logical.Expr, len(kids))
	changed := false
	for i, k := range kids {
		nk[i] = replaceTopDown(k, repl)
		changed = changed || nk[i] != k
	}
	if !changed {
		return e
	}
	return e.WithChildren(nk)
}
