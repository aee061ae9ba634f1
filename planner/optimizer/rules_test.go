package optimizer

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// applyRule runs one rule once and reports whether it fired.
func applyRule(t *testing.T, r Rule, p logical.Plan) (logical.Plan, bool) {
	t.Helper()
	out, changed, err := r.Apply(p)
	if err != nil {
		t.Fatalf("%s: %v", r.Name, err)
	}
	if changed && !sameColumns(logical.Schema(p), logical.Schema(out)) {
		t.Fatalf("%s changed the schema: %s -> %s", r.Name, logical.Schema(p), logical.Schema(out))
	}
	return out, changed
}

func i32(v int32) logical.Expr { return lit(v, arrow.PrimitiveTypes.Int32) }

func findNode[T logical.Plan](p logical.Plan) (T, bool) {
	var zero T
	if n, ok := p.(T); ok {
		return n, true
	}
	for _, c := range p.Children() {
		if n, ok := findNode[T](c); ok {
			return n, true
		}
	}
	return zero, false
}

func TestConstantFoldingFires(t *testing.T) {
	p := analyze(t, &logical.Project{List: []logical.Expr{
		&logical.Alias{E: bin(logical.OpAdd, i32(1), bin(logical.OpMul, i32(2), i32(3))), Name: "seven"},
		&logical.Alias{E: bin(logical.OpAnd, lit(true, arrow.FixedWidthTypes.Boolean), bin(logical.OpGt, col("l_linenumber"), i32(1))), Name: "cond"},
	}, Child: &logical.UnresolvedRelation{Name: "lineitem"}})
	out, fired := applyRule(t, ConstantFolding(), p)
	if !fired {
		t.Fatal("ConstantFolding did not fire")
	}
	list := out.(*logical.Project).List
	if l, ok := list[0].(*logical.Alias).E.(*logical.Literal); !ok || l.Value != int32(7) {
		t.Fatalf("1 + 2 * 3 folded to %s", list[0])
	}
	if _, ok := list[1].(*logical.Alias).E.(*logical.Binary); !ok || strings.Contains(list[1].String(), "true") {
		t.Fatalf("true AND x not simplified: %s", list[1])
	}
	if _, again := applyRule(t, ConstantFolding(), out); again {
		t.Fatal("ConstantFolding should reach a fixpoint")
	}
}

func TestConstantFoldingRemovesTrueFilter(t *testing.T) {
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpLt, i32(1), i32(2)), Child: &logical.UnresolvedRelation{Name: "orders"}})
	out, fired := applyRule(t, ConstantFolding(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	if _, ok := out.(*logical.Scan); !ok {
		t.Fatalf("a filter on 1 < 2 should vanish, got\n%s", logical.Format(out))
	}
}

func TestCombineFiltersFires(t *testing.T) {
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpGt, col("o_custkey"), i32(5)),
		Child: &logical.Filter{Cond: bin(logical.OpLt, col("o_custkey"), i32(50)), Child: &logical.UnresolvedRelation{Name: "orders"}}})
	out, fired := applyRule(t, CombineFilters(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	f := out.(*logical.Filter)
	if _, nested := f.Child.(*logical.Filter); nested || len(logical.SplitConjuncts(f.Cond)) != 2 {
		t.Fatalf("filters not merged:\n%s", logical.Format(out))
	}
}

func TestPushDownPredicatesIntoScanThroughProjectAndJoin(t *testing.T) {
	j := &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"}, Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin,
		Cond: bin(logical.OpEq, col("l_orderkey"), col("o_orderkey"))}
	proj := &logical.Project{List: []logical.Expr{col("l_orderkey"), col("o_custkey"), &logical.Alias{E: bin(logical.OpAdd, col("l_linenumber"), i32(1)), Name: "ln1"}}, Child: j}
	cond := bin(logical.OpAnd, bin(logical.OpGt, col("ln1"), i32(3)), bin(logical.OpEq, col("o_custkey"), i32(7)))
	p := analyze(t, &logical.Filter{Cond: cond, Child: proj})
	out, fired := applyRule(t, PushDownPredicates(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	if _, ok := out.(*logical.Filter); ok {
		t.Fatalf("filter stayed on top:\n%s", logical.Format(out))
	}
	scans := 0
	var walk func(logical.Plan)
	walk = func(n logical.Plan) {
		if s, ok := n.(*logical.Scan); ok {
			scans++
			if len(s.Filters) != 1 {
				t.Errorf("scan %s has filters %v, want one", s.Source.Describe(), s.Filters)
			}
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(out)
	if scans != 2 {
		t.Fatalf("want 2 scans, got %d", scans)
	}
	// The alias ln1 was substituted: the lineitem scan filters on l_linenumber + 1.
	if !strings.Contains(logical.Format(out), "PushedFilters: [((l_linenumber#") {
		t.Fatalf("alias not substituted:\n%s", logical.Format(out))
	}
}

func TestPushDownPredicatesKeepsRightSideFilterAboveLeftJoin(t *testing.T) {
	j := &logical.Join{Left: &logical.UnresolvedRelation{Name: "orders"}, Right: &logical.UnresolvedRelation{Name: "lineitem"}, Kind: logical.LeftJoin,
		Cond: bin(logical.OpEq, col("l_orderkey"), col("o_orderkey"))}
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpAnd, bin(logical.OpGt, col("l_linenumber"), i32(3)), bin(logical.OpGt, col("o_custkey"), i32(3))), Child: j})
	out, fired := applyRule(t, PushDownPredicates(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	f, ok := out.(*logical.Filter)
	if !ok || !strings.Contains(f.Cond.String(), "l_linenumber") || strings.Contains(f.Cond.String(), "o_custkey") {
		t.Fatalf("only the left side's conjunct may move below a left join:\n%s", logical.Format(out))
	}
}

func TestPushDownThroughAggregateGroupingColumns(t *testing.T) {
	agg := &logical.Aggregate{Groups: []logical.Expr{col("o_custkey")}, List: []logical.Expr{col("o_custkey"), &logical.Alias{E: &logical.AggregateCall{Func: logical.AggCount}, Name: "n"}},
		Child: &logical.UnresolvedRelation{Name: "orders"}}
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpAnd, bin(logical.OpGt, col("o_custkey"), i32(3)), bin(logical.OpGt, col("n"), lit(int64(1), arrow.PrimitiveTypes.Int64))), Child: agg})
	out, fired := applyRule(t, PushDownPredicates(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	f, ok := out.(*logical.Filter)
	if !ok || strings.Contains(f.Cond.String(), "o_custkey") {
		t.Fatalf("the grouping-column conjunct should move below the aggregate:\n%s", logical.Format(out))
	}
	s, _ := findNode[*logical.Scan](out)
	if len(s.Filters) != 1 {
		t.Fatalf("scan filters %v", s.Filters)
	}
}

func TestColumnPruningNarrowsScan(t *testing.T) {
	p := analyze(t, &logical.Project{List: []logical.Expr{col("l_quantity")},
		Child: &logical.Filter{Cond: bin(logical.OpGt, col("l_linenumber"), i32(1)), Child: &logical.UnresolvedRelation{Name: "lineitem"}}})
	out, fired := applyRule(t, ColumnPruning(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	s, _ := findNode[*logical.Scan](out)
	if got := len(s.Output()); got != 2 {
		t.Fatalf("scan reads %d columns, want 2 (l_quantity, l_linenumber):\n%s", got, logical.Format(out))
	}
	if _, again := applyRule(t, ColumnPruning(), out); again {
		t.Fatal("ColumnPruning should reach a fixpoint")
	}
}

func TestColumnPruningDropsUnusedAggregateOutputs(t *testing.T) {
	agg := &logical.Aggregate{Groups: []logical.Expr{col("o_custkey")}, List: []logical.Expr{col("o_custkey"),
		&logical.Alias{E: &logical.AggregateCall{Func: logical.AggMax, Arg: col("o_orderdate")}, Name: "last"},
		&logical.Alias{E: &logical.AggregateCall{Func: logical.AggCount}, Name: "n"}},
		Child: &logical.UnresolvedRelation{Name: "orders"}}
	p := analyze(t, &logical.Project{List: []logical.Expr{col("n")}, Child: agg})
	out, fired := applyRule(t, ColumnPruning(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	a, _ := findNode[*logical.Aggregate](out)
	if len(a.List) != 1 {
		t.Fatalf("aggregate keeps %d outputs, want 1:\n%s", len(a.List), logical.Format(out))
	}
	s, _ := findNode[*logical.Scan](out)
	if len(s.Output()) != 1 || s.Output()[0].Name != "o_custkey" {
		t.Fatalf("scan should read only o_custkey:\n%s", logical.Format(out))
	}
}

func TestLimitPushdownFires(t *testing.T) {
	p := analyze(t, &logical.Limit{N: 10, Child: &logical.Project{List: []logical.Expr{col("o_custkey")}, Child: &logical.UnresolvedRelation{Name: "orders"}}})
	out, fired := applyRule(t, LimitPushdown(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	s, _ := findNode[*logical.Scan](out)
	if s.Limit != 10 {
		t.Fatalf("scan limit %d, want 10:\n%s", s.Limit, logical.Format(out))
	}
	if _, ok := out.(*logical.Project); !ok {
		t.Fatalf("limit should move below the projection:\n%s", logical.Format(out))
	}
	// Left join: the limit also bounds the left side.
	j := analyze(t, &logical.Limit{N: 5, Child: &logical.Join{Left: &logical.UnresolvedRelation{Name: "orders"}, Right: &logical.UnresolvedRelation{Name: "lineitem"}, Kind: logical.LeftJoin,
		Cond: bin(logical.OpEq, col("l_orderkey"), col("o_orderkey"))}})
	out, fired = applyRule(t, LimitPushdown(), j)
	if !fired {
		t.Fatal("did not fire on a left join")
	}
	if jn, _ := findNode[*logical.Join](out); jn == nil {
		t.Fatal("join lost")
	} else if _, ok := jn.Left.(*logical.Limit); !ok {
		t.Fatalf("left side not limited:\n%s", logical.Format(out))
	}
}

func TestOptimizerReachesFixpointAndKeepsSchema(t *testing.T) {
	j := &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"}, Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin,
		Cond: bin(logical.OpEq, col("l_orderkey"), col("o_orderkey"))}
	p := analyze(t, &logical.Limit{N: 3, Child: &logical.Project{List: []logical.Expr{col("o_custkey")},
		Child: &logical.Filter{Cond: bin(logical.OpGt, col("l_linenumber"), bin(logical.OpAdd, i32(1), i32(1))), Child: &logical.Filter{Cond: bin(logical.OpGt, col("o_custkey"), i32(2)), Child: j}}}})
	o := NewOptimizer()
	out, err := o.Optimize(p)
	if err != nil {
		t.Fatal(err)
	}
	if !sameColumns(logical.Schema(p), logical.Schema(out)) {
		t.Fatal("schema changed")
	}
	for _, r := range []string{"ConstantFolding", "CombineFilters", "PushDownPredicates", "ColumnPruning", "LimitPushdown"} {
		if o.Fired[r] == 0 {
			t.Errorf("rule %s did not fire on\n%s", r, logical.Format(p))
		}
	}
}

func TestFactorDisjunctionsFires(t *testing.T) {
	// (l_orderkey = o_orderkey AND l_quantity > 1) OR (l_orderkey = o_orderkey AND o_custkey = 7)
	key := bin(logical.OpEq, col("l_orderkey"), col("o_orderkey"))
	cond := bin(logical.OpOr, bin(logical.OpAnd, key, bin(logical.OpGt, col("l_linenumber"), i32(1))), bin(logical.OpAnd, key, bin(logical.OpEq, col("o_custkey"), i32(7))))
	j := &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"}, Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin}
	p := analyze(t, &logical.Filter{Cond: cond, Child: j})
	out, fired := applyRule(t, FactorDisjunctions(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	f := out.(*logical.Filter)
	cs := logical.SplitConjuncts(f.Cond)
	if len(cs) != 2 || !strings.HasPrefix(logical.StripIDs(cs[0].String()), "(l_orderkey = o_orderkey)") || !strings.Contains(cs[1].String(), " OR ") {
		t.Fatalf("factored condition: %s", logical.StripIDs(f.Cond.String()))
	}
	// Once factored, pushdown makes the equality a join key.
	out, _ = applyRule(t, PushDownPredicates(), out)
	if jn, ok := findNode[*logical.Join](out); !ok || jn.Cond == nil || !strings.Contains(logical.StripIDs(jn.Cond.String()), "l_orderkey = o_orderkey") {
		t.Fatalf("the key did not reach the join:\n%s", logical.Format(out))
	}
	// A branch that is only the common part makes the OR true.
	p = analyze(t, &logical.Filter{Cond: bin(logical.OpOr, key, bin(logical.OpAnd, key, bin(logical.OpEq, col("o_custkey"), i32(7)))), Child: j})
	out, _ = applyRule(t, FactorDisjunctions(), p)
	if got := logical.StripIDs(out.(*logical.Filter).Cond.String()); got != "(l_orderkey = o_orderkey)" {
		t.Fatalf("got %s", got)
	}
}

func TestReorderJoinsAvoidsCrossJoins(t *testing.T) {
	// FROM lineitem, customer, orders WHERE l_orderkey = o_orderkey AND c_custkey = o_custkey:
	// in FROM order lineitem and customer would be crossed first.
	from := &logical.Join{Left: &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"}, Right: &logical.UnresolvedRelation{Name: "customer"}, Kind: logical.InnerJoin},
		Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin}
	cond := bin(logical.OpAnd, bin(logical.OpEq, col("l_orderkey"), col("o_orderkey")), bin(logical.OpEq, col("c_custkey"), col("o_custkey")))
	p := analyze(t, &logical.Filter{Cond: cond, Child: from})
	p, _ = applyRule(t, PushDownPredicates(), p)
	out, fired := applyRule(t, ReorderJoins(), p)
	if !fired {
		t.Fatalf("did not fire:\n%s", logical.Format(p))
	}
	var walk func(logical.Plan)
	walk = func(n logical.Plan) {
		if j, ok := n.(*logical.Join); ok && j.Cond == nil {
			t.Errorf("a cross join is left:\n%s", logical.Format(out))
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(out)
	// Applied again it changes nothing: the optimizer reaches a fixpoint.
	if _, again := applyRule(t, ReorderJoins(), out); again {
		t.Fatalf("fired twice:\n%s", logical.Format(out))
	}
}

func TestInferDisjunctionFiltersFires(t *testing.T) {
	// (l_linenumber = 1 AND o_custkey = 2) OR (l_linenumber = 3 AND o_custkey = 4)
	// implies l_linenumber = 1 OR l_linenumber = 3, and o_custkey = 2 OR o_custkey = 4.
	b1 := bin(logical.OpAnd, bin(logical.OpEq, col("l_linenumber"), i32(1)), bin(logical.OpEq, col("o_custkey"), i32(2)))
	b2 := bin(logical.OpAnd, bin(logical.OpEq, col("l_linenumber"), i32(3)), bin(logical.OpEq, col("o_custkey"), i32(4)))
	j := &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"}, Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin}
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpOr, b1, b2), Child: j})
	out, fired := applyRule(t, InferDisjunctionFilters(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	got := logical.StripIDs(out.(*logical.Filter).Cond.String())
	for _, want := range []string{"((l_linenumber = 1) OR (l_linenumber = 3))", "((o_custkey = 2) OR (o_custkey = 4))"} {
		if !strings.Contains(got, want) {
			t.Fatalf("%s is missing from %s", want, got)
		}
	}
	// Applied again it adds nothing.
	if _, again := applyRule(t, InferDisjunctionFilters(), out); again {
		t.Fatal("fired twice")
	}
}

func TestPushDownSemiJoinsFires(t *testing.T) {
	// (orders ⋈ lineitem) ⋉ customer on o_custkey: the semi join reads only
	// orders, and lineitem is the larger side, so it moves onto orders.
	inner := &logical.Join{Left: &logical.UnresolvedRelation{Name: "orders"}, Right: &logical.UnresolvedRelation{Name: "lineitem"}, Kind: logical.InnerJoin,
		Cond: bin(logical.OpEq, col("o_orderkey"), col("l_orderkey"))}
	semi := &logical.Join{Left: inner, Right: &logical.UnresolvedRelation{Name: "customer"}, Kind: logical.LeftSemiJoin, Cond: bin(logical.OpEq, col("o_custkey"), col("c_custkey"))}
	p := analyze(t, semi)
	out, fired := applyRule(t, PushDownSemiJoins(), p)
	if !fired {
		t.Fatalf("did not fire:\n%s", logical.Format(p))
	}
	top, ok := out.(*logical.Join)
	if !ok || top.Kind != logical.InnerJoin {
		t.Fatalf("the inner join is not on top:\n%s", logical.Format(out))
	}
	if l, ok := top.Left.(*logical.Join); !ok || l.Kind != logical.LeftSemiJoin {
		t.Fatalf("the semi join did not move onto orders:\n%s", logical.Format(out))
	}
	// Onto the larger side it does not go.
	swapped := &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"}, Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin,
		Cond: bin(logical.OpEq, col("o_orderkey"), col("l_orderkey"))}
	p = analyze(t, &logical.Join{Left: swapped, Right: &logical.UnresolvedRelation{Name: "customer"}, Kind: logical.LeftSemiJoin, Cond: bin(logical.OpEq, col("l_linenumber"), col("c_custkey"))})
	if _, fired := applyRule(t, PushDownSemiJoins(), p); fired {
		t.Fatalf("moved onto the larger side:\n%s", logical.Format(p))
	}
}
