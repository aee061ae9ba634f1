package optimizer

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// scalarWindow computes a correlated scalar subquery over an aggregate as a
// window over the outer rows, when the subquery aggregates the same input
// the outer query joins by the correlation keys: TPC-H Q17's
//
//	FROM lineitem, part WHERE p_partkey = l_partkey AND …
//	  AND l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)
//
// becomes avg(l_quantity) OVER (PARTITION BY l_partkey) over lineitem ⋈ part,
// which reads lineitem once instead of twice (Q2's min over partsupp ⋈
// supplier ⋈ nation ⋈ region likewise). It returns the window plan over
// outer and the subquery's value over its columns, or false where the two
// are not provably equal. It requires that:
//
//   - each input of the subquery (a table, or a view's plan) is an input of
//     the outer query's tree of filters and inner joins (same plan, nothing
//     nondeterministic), and the subquery's conditions are among the outer
//     query's;
//   - every other outer condition reading those inputs reads only their key
//     columns: the outer rows of a key are then all the rows of the
//     subquery's input for that key, each repeated the same number of times;
//   - the aggregates are avg, min and max, which repetition leaves alone;
//   - each correlation equates a key column with itself or with a column
//     it is joined to by =, of a type whose equal values are identical
//     (integers, dates, strings, decimals), and an = rejects its nulls.
//
// The partition of an outer row then holds at least that row, so the empty
// input (a null subquery value) never arises on either side.
func scalarWindow(ids *logical.IDs, outer logical.Plan, sub logical.Plan, conds []logical.Expr) (logical.Plan, logical.Expr, bool) {
	value, agg, ok := scalarValue(sub)
	if !ok || len(agg.Groups) > 0 {
		return nil, nil, false
	}
	input, preds, err := pullCorrelated(agg.Child)
	if err != nil || len(preds) != len(conds) {
		return nil, nil, false
	}
	calls, ok := windowable(value)
	if !ok {
		return nil, nil, false
	}
	if conjunctRows(outer)*windowMaxShare > conjunctRows(input) {
		// The window holds and sorts the outer rows: for as many rows as
		// the subquery reads, aggregating a second read costs less.
		return nil, nil, false
	}
	sLeaves, sConds, ok := innerJoinLeaves(input)
	if !ok {
		return nil, nil, false
	}
	leaves, outerConds, ok := innerJoinLeaves(outer)
	if !ok {
		return nil, nil, false
	}
	for _, c := range append(append([]logical.Expr{}, outerConds...), sConds...) {
		if !pureCondition(c) {
			return nil, nil, false
		}
	}
	// Pair each input of the subquery with an equal outer input, trying
	// the pairings in turn (a self join offers several).
	pairs := make([]logical.Plan, len(sLeaves))
	used := make([]bool, len(leaves))
	tries := 0
	var try func(i int) (logical.Plan, logical.Expr, bool)
	try = func(i int) (logical.Plan, logical.Expr, bool) {
		if i == len(sLeaves) {
			tries++
			return windowOverLeaves(ids, outer, pairs, sLeaves, value, calls, conds, sConds, outerConds)
		}
		for j, l := range leaves {
			if used[j] || tries >= maxPairings || !samePlan(l, sLeaves[i]) {
				continue
			}
			used[j], pairs[i] = true, l
			if w, v, ok := try(i + 1); ok {
				return w, v, true
			}
			used[j] = false
		}
		return nil, nil, false
	}
	return try(0)
}

// conjunctRows is logical.EstimateRows with each conjunct of a filter
// counted on its own, as the optimizer will once it has split and pushed
// them (before it, a filter of several conditions counts as one).
func conjunctRows(p logical.Plan) float64 {
	split, _, _ := logical.TransformUp(p, func(n logical.Plan) (logical.Plan, bool, error) {
		f, ok := n.(*logical.Filter)
		if !ok {
			return n, false, nil
		}
		child := f.Child
		for _, c := range logical.SplitConjuncts(f.Cond) {
			child = &logical.Filter{Cond: c, Child: child}
		}
		return child, true, nil
	})
	return logical.EstimateRows(split)
}

// windowMaxShare is how many times the subquery's input must outnumber the
// outer rows (by estimate) for the window to be taken.
const windowMaxShare = 4

// maxPairings bounds the pairings of subquery and outer inputs tried.
const maxPairings = 64

// windowOverLeaves is scalarWindow for one pairing of the subquery's inputs
// (sLeaves) with outer inputs (leaves): the leaves joined are then the
// subquery's input, provided every outer condition reading them is one of
// the subquery's or reads only their key columns.
func windowOverLeaves(ids *logical.IDs, outer logical.Plan, leaves, sLeaves []logical.Plan, value logical.Expr, calls []*logical.AggregateCall, conds, sConds, outerConds []logical.Expr) (logical.Plan, logical.Expr, bool) {
	toOuter := map[int64]*logical.Attribute{}
	leafIDs := map[int64]bool{}
	for i, leaf := range leaves {
		inOut, leafOut := sLeaves[i].Output(), leaf.Output()
		for j, a := range inOut {
			toOuter[a.ID] = leafOut[j]
			leafIDs[leafOut[j].ID] = true
		}
	}
	mapInner := func(e logical.Expr) (logical.Expr, bool) {
		ok := true
		out, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
			if a, isAttr := x.(*logical.Attribute); isAttr {
				o, found := toOuter[a.ID]
				if !found {
					ok = false
					return x, false
				}
				return o, true
			}
			return x, false
		})
		return out, ok
	}
	// The key columns of the leaves, each checked to be equated with the
	// outer column the subquery compares with.
	keys := map[int64]bool{}
	var partition []logical.Expr
	for _, c := range conds {
		b, ok := c.(*logical.Binary)
		if !ok || b.Op != logical.OpEq {
			return nil, nil, false
		}
		x, ok1 := b.L.(*logical.Attribute)
		in, ok2 := b.R.(*logical.Attribute)
		if !ok1 || !ok2 || !arrow.TypeEqual(x.Type, in.Type) || !logical.EqualMeansIdentical(in.Type) {
			return nil, nil, false
		}
		k, ok := toOuter[in.ID]
		if !ok || !equated(outerConds, k, x) {
			return nil, nil, false
		}
		if !keys[k.ID] {
			keys[k.ID] = true
			partition = append(partition, k)
		}
	}
	// Every condition reading the leaves reads only their keys or is one
	// of the subquery's own conditions; each of those must be there.
	var want []logical.Expr
	for _, f := range sConds {
		m, ok := mapInner(f)
		if !ok {
			return nil, nil, false
		}
		want = append(want, m)
	}
	found := make([]bool, len(want))
	for _, c := range outerConds {
		refs := logical.References(c)
		onLeaf, keyOnly := false, true
		for id := range refs {
			if leafIDs[id] {
				onLeaf = true
				keyOnly = keyOnly && keys[id]
			}
		}
		if !onLeaf || keyOnly {
			if i := indexOfCond(want, c); i >= 0 {
				found[i] = true
			}
			continue
		}
		i := indexOfCond(want, c)
		if i < 0 {
			return nil, nil, false
		}
		found[i] = true
	}
	for _, f := range found {
		if !f {
			return nil, nil, false
		}
	}
	// One window column per aggregate call, in the subquery's value.
	var exprs []logical.Expr
	repl := map[string]*logical.Attribute{}
	for _, call := range calls {
		if repl[call.String()] != nil {
			continue
		}
		m, ok := mapInner(call)
		if !ok {
			return nil, nil, false
		}
		al := &logical.Alias{E: &logical.WindowExpr{Func: m, PartitionBy: partition}, Name: logical.StripIDs(call.String()), ID: ids.Next()}
		exprs = append(exprs, al)
		repl[call.String()] = logical.NamedOutput([]logical.Expr{al})[0]
	}
	v, _ := logical.Transform(value, func(x logical.Expr) (logical.Expr, bool) {
		if c, ok := x.(*logical.AggregateCall); ok {
			return repl[c.String()], true
		}
		return x, false
	})
	return &logical.Window{Exprs: exprs, Child: outer}, v, true
}

// scalarValue returns the expression of a scalar subquery's value over the
// aggregate calls of its aggregation: the plan must be projections and
// aliases over one Aggregate.
func scalarValue(p logical.Plan) (logical.Expr, *logical.Aggregate, bool) {
	defs, agg, ok := definitions(p)
	if !ok {
		return nil, nil, false
	}
	v, ok := defs[p.Output()[0].ID]
	return v, agg, ok
}

// definitions maps each output attribute of p to its expression over the
// aggregate calls of the Aggregate below it.
func definitions(p logical.Plan) (map[int64]logical.Expr, *logical.Aggregate, bool) {
	switch n := p.(type) {
	case *logical.SubqueryAlias:
		return definitions(n.Child)
	case *logical.Aggregate:
		defs := map[int64]logical.Expr{}
		for _, e := range n.List {
			al, ok := e.(*logical.Alias)
			if !ok {
				return nil, nil, false
			}
			defs[al.ID] = al.E
		}
		return defs, n, true
	case *logical.Project:
		in, agg, ok := definitions(n.Child)
		if !ok {
			return nil, nil, false
		}
		defs := map[int64]logical.Expr{}
		for _, e := range n.List {
			al, isAlias := e.(*logical.Alias)
			if !isAlias {
				a, isAttr := e.(*logical.Attribute)
				if !isAttr || in[a.ID] == nil {
					return nil, nil, false
				}
				defs[a.ID] = in[a.ID]
				continue
			}
			complete := true
			defs[al.ID], _ = logical.Transform(al.E, func(x logical.Expr) (logical.Expr, bool) {
				if a, isAttr := x.(*logical.Attribute); isAttr {
					if d, found := in[a.ID]; found {
						return d, true
					}
					complete = false
				}
				return x, false
			})
			if !complete {
				return nil, nil, false
			}
		}
		return defs, agg, true
	}
	return nil, nil, false
}

// windowable returns the aggregate calls of value when they are all avg,
// min or max without DISTINCT and value reads nothing else, deterministically.
func windowable(value logical.Expr) ([]*logical.AggregateCall, bool) {
	var calls []*logical.AggregateCall
	ok := !nondeterministic(value)
	logical.Walk(value, func(x logical.Expr) bool {
		switch c := x.(type) {
		case *logical.AggregateCall:
			switch c.Func {
			case logical.AggAvg, logical.AggMin, logical.AggMax:
			default:
				ok = false
			}
			if c.Distinct || c.Arg == nil || c.Arg2 != nil || !pureCondition(c.Arg) {
				ok = false
			}
			calls = append(calls, c)
			return false
		case *logical.Attribute, *logical.Subquery, *logical.UDF:
			ok = false
		}
		return ok
	})
	return calls, ok && len(calls) > 0
}

// pureCondition reports whether e is deterministic and holds no subquery
// or user-defined function.
func pureCondition(e logical.Expr) bool {
	if nondeterministic(e) || len(logical.SubqueriesIn(e)) > 0 {
		return false
	}
	pure := true
	logical.Walk(e, func(x logical.Expr) bool {
		if _, ok := x.(*logical.UDF); ok {
			pure = false
		}
		return pure
	})
	return pure
}

// innerJoinLeaves returns the inputs of the tree of filters and inner joins
// at the top of p, and the conditions of those filters and joins.
func innerJoinLeaves(p logical.Plan) (leaves []logical.Plan, conds []logical.Expr, ok bool) {
	switch n := p.(type) {
	case *logical.Filter:
		leaves, conds, ok = innerJoinLeaves(n.Child)
		return leaves, append(conds, logical.SplitConjuncts(n.Cond)...), ok
	case *logical.SubqueryAlias:
		return innerJoinLeaves(n.Child)
	case *logical.Join:
		if n.Kind != logical.InnerJoin {
			break
		}
		l, lc, lok := innerJoinLeaves(n.Left)
		r, rc, rok := innerJoinLeaves(n.Right)
		conds = append(lc, rc...)
		if n.Cond != nil {
			conds = append(conds, logical.SplitConjuncts(n.Cond)...)
		}
		return append(l, r...), conds, lok && rok
	}
	return []logical.Plan{p}, nil, true
}

// equated reports whether conds hold k = x (x = k) for two columns, or, when
// x is k itself, some k = … : either way a null k fails them.
func equated(conds []logical.Expr, k, x *logical.Attribute) bool {
	for _, c := range conds {
		b, ok := c.(*logical.Binary)
		if !ok || b.Op != logical.OpEq {
			continue
		}
		l, lok := b.L.(*logical.Attribute)
		r, rok := b.R.(*logical.Attribute)
		if k.ID == x.ID && (lok && l.ID == k.ID || rok && r.ID == k.ID) {
			return true
		}
		if lok && rok && (l.ID == k.ID && r.ID == x.ID || l.ID == x.ID && r.ID == k.ID) {
			return true
		}
	}
	return false
}

var attrID = regexp.MustCompile(`#[0-9]+`)

// samePlan reports whether a and b compute the same rows, columns in the
// same order: the same nodes and expressions with attribute IDs renumbered
// in order of appearance, the same sources, nothing nondeterministic or
// holding a subquery. Aliases of subqueries are skipped (they only rename).
func samePlan(a, b logical.Plan) bool {
	ta, ok := planText(a)
	if !ok {
		return false
	}
	tb, ok := planText(b)
	return ok && ta == tb && sameSources(a, b)
}

func planText(p logical.Plan) (string, bool) {
	var sb strings.Builder
	ok := true
	var walk func(n logical.Plan, depth int)
	walk = func(n logical.Plan, depth int) {
		if al, isAlias := n.(*logical.SubqueryAlias); isAlias {
			walk(al.Child, depth)
			return
		}
		switch n.(type) {
		case *logical.Scan, *logical.Filter, *logical.Project, *logical.Join, *logical.Aggregate, *logical.Union:
		default:
			ok = false
		}
		for _, e := range n.Expressions() {
			if !pureCondition(e) {
				ok = false
			}
		}
		sb.WriteString(strconv.Itoa(depth))
		sb.WriteByte(' ')
		sb.WriteString(n.String())
		sb.WriteByte('\n')
		for _, c := range n.Children() {
			walk(c, depth+1)
		}
	}
	walk(p, 0)
	renumber := map[string]string{}
	text := attrID.ReplaceAllStringFunc(sb.String(), func(ref string) string {
		r, seen := renumber[ref]
		if !seen {
			r = "#" + strconv.Itoa(len(renumber))
			renumber[ref] = r
		}
		return r
	})
	return text, ok
}

// sameSources reports whether the scans of a and b, in tree order, read
// the same sources with the same projections, filters and limits.
func sameSources(a, b logical.Plan) bool {
	var sa, sb []*logical.Scan
	collect := func(p logical.Plan, into *[]*logical.Scan) {
		var walk func(logical.Plan)
		walk = func(n logical.Plan) {
			if s, ok := n.(*logical.Scan); ok {
				*into = append(*into, s)
			}
			for _, c := range n.Children() {
				walk(c)
			}
		}
		walk(p)
	}
	collect(a, &sa)
	collect(b, &sb)
	if len(sa) != len(sb) {
		return false
	}
	for i := range sa {
		x, y := sa[i], sb[i]
		if !sameSource(x.Source, y.Source) || len(x.Attrs) != len(y.Attrs) || x.Limit != y.Limit || len(x.Filters) != 0 || len(y.Filters) != 0 {
			return false
		}
	}
	return true
}

// sameSource reports whether two sources are the same object.
func sameSource(a, b logical.Source) bool {
	ta := reflect.TypeOf(a)
	if ta != reflect.TypeOf(b) || ta == nil || !ta.Comparable() {
		return false
	}
	return a == b
}

// indexOfCond is logical.IndexOf, also finding a = b as b = a.
func indexOfCond(list []logical.Expr, c logical.Expr) int {
	if i := logical.IndexOf(list, c); i >= 0 {
		return i
	}
	if b, ok := c.(*logical.Binary); ok && b.Op == logical.OpEq {
		return logical.IndexOf(list, &logical.Binary{Op: b.Op, L: b.R, R: b.L, Type: b.Type})
	}
	return -1
}
