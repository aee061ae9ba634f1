package optimizer

import (
	"strings"
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

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

// An OR whose branches are single comparisons (an IN list, balanced as the
// parser builds long ones) implies nothing more than itself: no filter is
// added, where the same OR rebuilt as a chain would be a second copy.
func TestInferDisjunctionFiltersSkipsInLists(t *testing.T) {
	l := bin(logical.OpOr, bin(logical.OpEq, col("l_linenumber"), i32(1)), bin(logical.OpEq, col("l_linenumber"), i32(2)))
	r := bin(logical.OpOr, bin(logical.OpEq, col("l_linenumber"), i32(3)), bin(logical.OpEq, col("l_linenumber"), i32(4)))
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpOr, l, r), Child: &logical.UnresolvedRelation{Name: "lineitem"}})
	if out, fired := applyRule(t, InferDisjunctionFilters(), p); fired {
		t.Fatalf("fired: %s", logical.StripIDs(out.(*logical.Filter).Cond.String()))
	}
}
