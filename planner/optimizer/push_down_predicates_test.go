package optimizer

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

func TestPushDownPredicatesIntoScanThroughProjectAndJoin(t *testing.T) {
	j := &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"}, Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin,
		Cond: bin(logical.OpEq, col("l_orderkey"), col("o_orderkey"))}
	proj := &logical.Project{List: []logical.Expr{col("l_orderkey"), col("o_custkey"), &logical.Alias{E: bin(logical.OpAdd, col("l_linenumber"), i32(1)), Name: "ln1"}}, Child: j}
	cond := bin(logical.OpAnd, bin(logical.OpGt, col("ln1"), i32(3)), bin(logical.OpEq, col("o_custkey"), i32(7)))
	p := analyze(t, &logical.Filter{Cond: cond, Child: proj})
	out, fired := applyRule(t, PushDownPredicates(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	if _, ok := out.(*logical.Filter); ok {
		t.Fatalf("filter stayed on top:\n%s", logical.Format(out))
	}
	scans := 0
	var walk func(logical.Plan)
	walk = func(n logical.Plan) {
		if s, ok := n.(*logical.Scan); ok {
			scans++
			if len(s.Filters) != 1 {
				t.Errorf("scan %s has filters %v, want one", s.Source.Describe(), s.Filters)
			}
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(out)
	if scans != 2 {
		t.Fatalf("want 2 scans, got %d", scans)
	}
	// The alias ln1 was substituted: the lineitem scan filters on l_linenumber + 1.
	if !strings.Contains(logical.Format(out), "PushedFilters: [((l_linenumber#") {
		t.Fatalf("alias not substituted:\n%s", logical.Format(out))
	}
}

func TestPushDownPredicatesKeepsRightSideFilterAboveLeftJoin(t *testing.T) {
	j := &logical.Join{Left: &logical.UnresolvedRelation{Name: "orders"}, Right: &logical.UnresolvedRelation{Name: "lineitem"}, Kind: logical.LeftJoin,
		Cond: bin(logical.OpEq, col("l_orderkey"), col("o_orderkey"))}
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpAnd, bin(logical.OpGt, col("l_linenumber"), i32(3)), bin(logical.OpGt, col("o_custkey"), i32(3))), Child: j})
	out, fired := applyRule(t, PushDownPredicates(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	f, ok := out.(*logical.Filter)
	if !ok || !strings.Contains(f.Cond.String(), "l_linenumber") || strings.Contains(f.Cond.String(), "o_custkey") {
		t.Fatalf("only the left side's conjunct may move below a left join:\n%s", logical.Format(out))
	}
}

func TestPushDownThroughAggregateGroupingColumns(t *testing.T) {
	agg := &logical.Aggregate{Groups: []logical.Expr{col("o_custkey")}, List: []logical.Expr{col("o_custkey"), &logical.Alias{E: &logical.AggregateCall{Func: logical.AggCount}, Name: "n"}},
		Child: &logical.UnresolvedRelation{Name: "orders"}}
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpAnd, bin(logical.OpGt, col("o_custkey"), i32(3)), bin(logical.OpGt, col("n"), lit(int64(1), arrow.PrimitiveTypes.Int64))), Child: agg})
	out, fired := applyRule(t, PushDownPredicates(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	f, ok := out.(*logical.Filter)
	if !ok || strings.Contains(f.Cond.String(), "o_custkey") {
		t.Fatalf("the grouping-column conjunct should move below the aggregate:\n%s", logical.Format(out))
	}
	s, _ := findNode[*logical.Scan](out)
	if len(s.Filters) != 1 {
		t.Fatalf("scan filters %v", s.Filters)
	}
}
