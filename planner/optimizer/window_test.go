package optimizer

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/logical"
)

func TestWindowPushdownAndPruning(t *testing.T) {
	inner := &logical.Project{List: []logical.Expr{col("o_orderkey"), col("o_custkey"), col("o_orderdate"),
		&logical.Alias{E: rankOver("o_custkey", "o_orderdate"), Name: "rk"},
		&logical.Alias{E: &logical.WindowExpr{Func: &logical.WindowFunction{Func: window.RowNumber}, PartitionBy: []logical.Expr{col("o_custkey")},
			OrderBy: []*logical.SortOrder{{E: col("o_orderdate"), Desc: true}}}, Name: "unused"},
	}, Child: &logical.UnresolvedRelation{Name: "orders"}}
	p := analyze(t, &logical.Project{List: []logical.Expr{col("o_orderkey"), col("rk")}, Child: &logical.Filter{
		Cond: bin(logical.OpAnd, bin(logical.OpGt, col("o_custkey"), lit(int64(5), arrow.PrimitiveTypes.Int64)),
			bin(logical.OpEq, col("rk"), lit(int32(1), arrow.PrimitiveTypes.Int32))),
		Child: inner}})
	out, err := NewOptimizer().Optimize(p)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := findNode[*logical.Window](out)
	if !ok {
		t.Fatalf("no Window in\n%s", logical.Format(out))
	}
	if len(w.Exprs) != 1 {
		t.Fatalf("unused window column not pruned:\n%s", logical.Format(out))
	}
	// o_custkey > 5 reads only the partition column: it goes below the window
	// (here into the scan); rk = 1 must stay above.
	below := logical.Format(w.Child)
	if !strings.Contains(below, "o_custkey") || !strings.Contains(below, "5") || strings.Contains(below, "rk#") {
		t.Fatalf("partition filter not below the window:\n%s", logical.Format(out))
	}
	f, ok := findNode[*logical.Filter](out)
	if !ok || !strings.Contains(f.Cond.String(), "rk") {
		t.Fatalf("rank filter not kept above the window:\n%s", logical.Format(out))
	}
	if _, ok := findNode[*logical.Window](f.Child); !ok {
		t.Fatalf("rank filter below the window:\n%s", logical.Format(out))
	}
	s, ok := findNode[*logical.Scan](out)
	if !ok || len(s.Columns) != 3 {
		t.Fatalf("scan not pruned to 3 of 4 columns:\n%s", logical.Format(out))
	}
	// A filter on an order column must not move below the window.
	p2 := analyze(t, &logical.Filter{Cond: bin(logical.OpGt, col("o_orderdate"), lit(int32(100), arrow.FixedWidthTypes.Date32)), Child: inner})
	out2, err := NewOptimizer().Optimize(p2)
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := findNode[*logical.Window](out2)
	if strings.Contains(logical.Format(w2.Child), "100") {
		t.Fatalf("order-column filter moved below the window:\n%s", logical.Format(out2))
	}
}
