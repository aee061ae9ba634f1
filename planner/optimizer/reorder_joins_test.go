package optimizer

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

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
