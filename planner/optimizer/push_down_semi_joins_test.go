package optimizer

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

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
