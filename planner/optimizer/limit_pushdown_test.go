package optimizer

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

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
