package optimizer

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

func unionOfOrders(t *testing.T) logical.Plan {
	t.Helper()
	a := &logical.Project{List: []logical.Expr{col("o_orderkey"), col("o_custkey"), col("o_comment")}, Child: &logical.UnresolvedRelation{Name: "orders"}}
	b := &logical.Project{List: []logical.Expr{col("o_orderkey"), col("o_custkey"), col("o_comment")}, Child: &logical.UnresolvedRelation{Name: "orders"}}
	return &logical.Union{Inputs: []logical.Plan{a, b}}
}

func TestRulesFireThroughUnion(t *testing.T) {
	u := unionOfOrders(t)
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpGt, col("o_custkey"), i32(5)), Child: u})
	out, fired := applyRule(t, PushDownPredicates(), p)
	if !fired {
		t.Fatal("PushDownPredicates did not fire on a filter over a union")
	}
	un, ok := out.(*logical.Union)
	if !ok {
		t.Fatalf("the filter stayed above the union:\n%s", logical.Format(out))
	}
	for i, in := range un.Inputs {
		// The condition reaches each input's scan, on that input's own column.
		sc, ok := findNode[*logical.Scan](in)
		if !ok || len(sc.Filters) != 1 {
			t.Fatalf("input %d's scan did not get the filter:\n%s", i, logical.Format(out))
		}
		if refs := logical.References(sc.Filters[0]); !refs[in.Output()[1].ID] {
			t.Fatalf("input %d filter %s does not reference its own o_custkey", i, sc.Filters[0])
		}
	}

	lim := analyze(t, &logical.Limit{N: 5, Child: unionOfOrders(t)})
	out, fired = applyRule(t, LimitPushdown(), lim)
	if !fired {
		t.Fatal("LimitPushdown did not fire on a limit over a union")
	}
	for i, in := range out.(*logical.Limit).Child.(*logical.Union).Inputs {
		if sc, ok := findNode[*logical.Scan](in); !ok || sc.Limit != 5 {
			t.Fatalf("input %d's scan has no limit 5:\n%s", i, logical.Format(out))
		}
	}

	pr := analyze(t, &logical.Project{List: []logical.Expr{col("o_custkey")}, Child: unionOfOrders(t)})
	out, fired = applyRule(t, ColumnPruning(), pr)
	if !fired {
		t.Fatal("ColumnPruning did not fire below a union")
	}
	pu, ok := findNode[*logical.Union](out)
	if !ok {
		t.Fatalf("no union left:\n%s", logical.Format(out))
	}
	for i, in := range pu.Inputs {
		if n := len(in.Output()); n != 1 {
			t.Fatalf("input %d still produces %d columns:\n%s", i, n, logical.Format(out))
		}
	}
}
