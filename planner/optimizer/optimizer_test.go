package optimizer

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

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
