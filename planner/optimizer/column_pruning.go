package optimizer

import (
	"github.com/gspark/gspark/planner/logical"
)

// ColumnPruning removes the columns no ancestor needs: unused projections and
// aggregate outputs are dropped, scans read only the columns that are used,
// and projections that pass their input through unchanged disappear.
func ColumnPruning() Rule {
	return Rule{Name: "ColumnPruning", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		np, changed := prune(p, nil)
		return np, changed, nil
	}}
}

// prune rewrites p so that it produces at least the attributes in required
// (nil: keep p's output as it is) and reads nothing more than it needs.
func prune(p logical.Plan, required map[int64]bool) (logical.Plan, bool) {
	switch n := p.(type) {
	case *logical.Project:
		list := n.List
		changed := false
		if required != nil {
			var kept []logical.Expr
			for _, e := range n.List {
				if required[namedID(e)] {
					kept = append(kept, e)
				}
			}
			if len(kept) < len(n.List) {
				list, changed = kept, true
			}
		}
		need := map[int64]bool{}
		for _, e := range list {
			addRefs(need, e)
		}
		child, c := prune(n.Child, need)
		changed = changed || c
		if isPassThrough(list, child) {
			return child, true
		}
		if !changed {
			return n, false
		}
		return &logical.Project{List: list, Child: child}, true
	case *logical.Filter:
		need := copySet(required, n.Child)
		addRefs(need, n.Cond)
		child, c := prune(n.Child, need)
		if !c {
			return n, false
		}
		return &logical.Filter{Cond: n.Cond, Child: child}, true
	case *logical.Aggregate:
		list := n.List
		changed := false
		if required != nil {
			var kept []logical.Expr
			for _, e := range n.List {
				if required[namedID(e)] {
					kept = append(kept, e)
				}
			}
			if len(kept) < len(n.List) && len(kept) > 0 {
				list, changed = kept, true
			}
		}
		need := map[int64]bool{}
		for _, g := range n.Groups {
			addRefs(need, g)
		}
		for _, e := range list {
			addRefs(need, e)
		}
		child, c := prune(n.Child, need)
		if !changed && !c {
			return n, false
		}
		return &logical.Aggregate{Groups: n.Groups, List: list, Child: child}, true
	case *logical.Sort:
		need := copySet(required, n.Child)
		for _, o := range n.Orders {
			addRefs(need, o)
		}
		child, c := prune(n.Child, need)
		if !c {
			return n, false
		}
		return &logical.Sort{Orders: n.Orders, Child: child}, true
	case *logical.Window:
		return pruneWindow(n, required)
	case *logical.Limit:
		child, c := prune(n.Child, required)
		if !c {
			return n, false
		}
		return &logical.Limit{N: n.N, Child: child}, true
	case *logical.Offset:
		child, c := prune(n.Child, required)
		if !c {
			return n, false
		}
		return &logical.Offset{N: n.N, Child: child}, true
	case *logical.SubqueryAlias:
		child, c := prune(n.Child, required)
		if !c {
			return n, false
		}
		return &logical.SubqueryAlias{Alias: n.Alias, Child: child}, true
	case *logical.Join:
		need := copySet(required, n)
		if n.Cond != nil {
			addRefs(need, n.Cond)
		}
		l, lc := prune(n.Left, need)
		r, rc := prune(n.Right, need)
		if !lc && !rc {
			return n, false
		}
		return &logical.Join{Left: l, Right: r, Kind: n.Kind, Cond: n.Cond}, true
	case *logical.Sample:
		// Which rows are drawn depends on the rows only, not the columns.
		child, c := prune(n.Child, required)
		if !c {
			return n, false
		}
		return n.WithChildren([]logical.Plan{child}), true
	case *logical.Repartition:
		need := copySet(required, n.Child)
		for _, k := range n.Keys {
			addRefs(need, k)
		}
		child, c := prune(n.Child, need)
		if !c {
			return n, false
		}
		return n.WithChildren([]logical.Plan{child}), true
	case *logical.Union:
		out := n.Output()
		var keep []int
		for i, a := range out {
			if required == nil || required[a.ID] {
				keep = append(keep, i)
			}
		}
		if len(keep) == 0 {
			keep = []int{0} // rows still flow through one column
		}
		narrowed := len(keep) < len(out)
		changed := narrowed
		inputs := make([]logical.Plan, len(n.Inputs))
		for i, in := range n.Inputs {
			child := in
			if narrowed {
				io := in.Output()
				list := make([]logical.Expr, len(keep))
				for j, k := range keep {
					list[j] = io[k]
				}
				child = &logical.Project{List: list, Child: in}
			}
			c, cc := prune(child, nil)
			inputs[i] = c
			changed = changed || cc
		}
		if !changed {
			return n, false
		}
		return &logical.Union{Inputs: inputs}, true
	case *logical.Generate:
		need := copySet(required, n.Child)
		addRefs(need, n.Input)
		child, c := prune(n.Child, need)
		if !c {
			return n, false
		}
		return n.WithChildren([]logical.Plan{child}), true
	case *logical.Expand:
		need := map[int64]bool{}
		for _, e := range n.Expressions() {
			addRefs(need, e)
		}
		child, c := prune(n.Child, need)
		if !c {
			return n, false
		}
		return n.WithChildren([]logical.Plan{child}), true
	case *logical.Scan:
		if required == nil {
			return n, false
		}
		var cols []int
		for i, a := range n.Attrs {
			if required[a.ID] {
				cols = append(cols, i)
			}
		}
		if len(cols) == 0 {
			// Keep one column so that the scan still yields its rows.
			cols = []int{narrowestColumn(n.Attrs)}
		}
		if sameInts(cols, n.Columns) || (n.Columns == nil && len(cols) == len(n.Attrs)) {
			return n, false
		}
		s := *n
		s.Columns = cols
		return &s, true
	}
	return p, false
}

// namedID is the attribute ID an output expression defines.
func namedID(e logical.Expr) int64 {
	switch x := e.(type) {
	case *logical.Attribute:
		return x.ID
	case *logical.Alias:
		return x.ID
	}
	return -1
}

func addRefs(set map[int64]bool, e logical.Expr) {
	for id := range logical.References(e) {
		set[id] = true
	}
}

// copySet copies required, or takes all of p's output when required is nil.
func copySet(required map[int64]bool, p logical.Plan) map[int64]bool {
	out := map[int64]bool{}
	if required == nil {
		for _, a := range p.Output() {
			out[a.ID] = true
		}
		return out
	}
	for k := range required {
		out[k] = true
	}
	return out
}

// isPassThrough reports whether a projection list just repeats its child's output.
func isPassThrough(list []logical.Expr, child logical.Plan) bool {
	out := child.Output()
	if len(list) != len(out) {
		return false
	}
	for i, e := range list {
		a, ok := e.(*logical.Attribute)
		if !ok || a.ID != out[i].ID || a.Name != out[i].Name {
			return false
		}
	}
	return true
}

func narrowestColumn(attrs []*logical.Attribute) int {
	best, bestW := 0, 1<<30
	for i, a := range attrs {
		w := 16
		if fw, ok := a.Type.(interface{ BitWidth() int }); ok {
			w = fw.BitWidth()
		}
		if w < bestW {
			best, bestW = i, w
		}
	}
	return best
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) || b == nil {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// pruneWindow is column pruning for a Window: unused window columns are
// dropped and the child keeps what the window and its parent read.
func pruneWindow(n *logical.Window, required map[int64]bool) (logical.Plan, bool) {
	exprs := n.Exprs
	changed := false
	if required != nil {
		var kept []logical.Expr
		for _, e := range n.Exprs {
			if required[namedID(e)] {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			child, _ := prune(n.Child, required)
			return child, true
		}
		if len(kept) < len(exprs) {
			exprs, changed = kept, true
		}
	}
	need := copySet(required, n.Child)
	for _, e := range exprs {
		addRefs(need, e)
	}
	child, c := prune(n.Child, need)
	if !changed && !c {
		return n, false
	}
	return &logical.Window{Exprs: exprs, Child: child}, true
}
