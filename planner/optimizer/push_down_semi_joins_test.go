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
	// Onto the larger side of a join that keeps its rows it goes too: a
	// foreign-key join (customer ⋈ orders, as in Q18) drops no order, so
	// the semi join on o_orderkey filters orders before customer joins.
	fk := &logical.Join{Left: &logical.UnresolvedRelation{Name: "customer"}, Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin,
		Cond: bin(logical.OpEq, col("c_custkey"), col("o_custkey"))}
	p = analyze(t, &logical.Join{Left: fk, Right: &logical.UnresolvedRelation{Name: "lineitem"}, Kind: logical.LeftSemiJoin, Cond: bin(logical.OpEq, col("o_orderkey"), col("l_orderkey"))})
	out, fired = applyRule(t, PushDownSemiJoins(), p)
	if !fired {
		t.Fatalf("did not move below a foreign-key join:\n%s", logical.Format(p))
	}
	if top, ok := out.(*logical.Join); !ok || top.Kind != logical.InnerJoin {
		t.Fatalf("the inner join is not on top:\n%s", logical.Format(out))
	} else if r, ok := top.Right.(*logical.Join); !ok || r.Kind != logical.LeftSemiJoin {
		t.Fatalf("the semi join did not move onto orders:\n%s", logical.Format(out))
	}
	// Onto the larger side of a join that filters it (the other side is
	// filtered) it does not go: that join is better done first.
	filtered := &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"},
		Right: &logical.Filter{Cond: bin(logical.OpLt, col("o_orderkey"), i32(10)), Child: &logical.UnresolvedRelation{Name: "orders"}}, Kind: logical.InnerJoin,
		Cond: bin(logical.OpEq, col("o_orderkey"), col("l_orderkey"))}
	p = analyze(t, &logical.Join{Left: filtered, Right: &logical.UnresolvedRelation{Name: "customer"}, Kind: logical.LeftSemiJoin, Cond: bin(logical.OpEq, col("l_linenumber"), col("c_custkey"))})
	if _, fired := applyRule(t, PushDownSemiJoins(), p); fired {
		t.Fatalf("moved below a join that filters its side:\n%s", logical.Format(p))
	}
}
