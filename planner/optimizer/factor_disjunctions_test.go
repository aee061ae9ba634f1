package optimizer

import (
	"strings"
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

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
