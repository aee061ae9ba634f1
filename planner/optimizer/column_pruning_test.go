package optimizer

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

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
