package optimizer

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

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
