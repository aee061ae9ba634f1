package planner

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/window"
)

func rankOver(part string, order string) Expr {
	return &WindowExpr{Func: &WindowFunction{Func: window.Rank},
		PartitionBy: []Expr{col(part)}, OrderBy: []*SortOrder{{E: col(order), Desc: true}}}
}

func TestExtractWindows(t *testing.T) {
	sum := &WindowExpr{Func: &AggregateCall{Func: AggSum, Arg: col("o_custkey")}, PartitionBy: []Expr{col("o_orderdate")}}
	p := analyze(t, &Project{List: []Expr{
		col("o_orderkey"),
		&Alias{E: rankOver("o_custkey", "o_orderdate"), Name: "rk"},
		&Alias{E: bin(OpAdd, sum, lit(int64(1), arrow.PrimitiveTypes.Int64)), Name: "s1"},
		&Alias{E: rankOver("o_custkey", "o_orderdate"), Name: "rk2"},
	}, Child: &UnresolvedRelation{Name: "orders"}})
	proj, ok := p.(*Project)
	if !ok {
		t.Fatalf("want a Project on top, got\n%s", Format(p))
	}
	w1, ok := proj.Child.(*Window)
	if !ok {
		t.Fatalf("want Window below the Project, got\n%s", Format(p))
	}
	w2, ok := w1.Child.(*Window)
	if !ok {
		t.Fatalf("want two Window nodes, got\n%s", Format(p))
	}
	if len(w1.Exprs)+len(w2.Exprs) != 3 {
		t.Fatalf("window expressions: %s / %s", w1, w2)
	}
	names := []string{}
	for _, a := range p.Output() {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, ","); got != "o_orderkey,rk,s1,rk2" {
		t.Fatalf("output %s", got)
	}
	if p.Output()[1].Type.ID() != arrow.INT32 || p.Output()[2].Type.ID() != arrow.INT64 {
		t.Fatalf("types %s", Schema(p))
	}
	// The default frame is filled in: no ORDER BY → the whole partition.
	for _, e := range append(append([]Expr{}, w1.Exprs...), w2.Exprs...) {
		if windowOf(e).Frame == nil {
			t.Fatalf("no frame in %s", e)
		}
	}
}

func TestWindowAnalysisErrors(t *testing.T) {
	for name, e := range map[string]Expr{
		"rank without order": &WindowExpr{Func: &WindowFunction{Func: window.Rank}},
		"stddev":             &WindowExpr{Func: &AggregateCall{Func: AggStddevSamp, Arg: col("o_custkey")}},
		"nested": &WindowExpr{Func: &AggregateCall{Func: AggSum, Arg: rankOver("o_custkey", "o_orderdate")},
			OrderBy: []*SortOrder{{E: col("o_orderkey")}}},
		"range over string": &WindowExpr{Func: &AggregateCall{Func: AggCount, Arg: col("o_comment")},
			OrderBy: []*SortOrder{{E: col("o_comment")}},
			Frame:   &window.Frame{Range: true, Start: window.Bound{Kind: window.Preceding, Offset: 1}, End: window.Bound{Kind: window.CurrentRow}}},
		"ntile 0": &WindowExpr{Func: &WindowFunction{Func: window.Ntile}, OrderBy: []*SortOrder{{E: col("o_orderkey")}}},
	} {
		_, err := newAnalyzer().Analyze(&Project{List: []Expr{e}, Child: &UnresolvedRelation{Name: "orders"}})
		if err == nil {
			t.Errorf("%s: no analysis error", name)
		}
	}
}

func TestWindowPushdownAndPruning(t *testing.T) {
	inner := &Project{List: []Expr{col("o_orderkey"), col("o_custkey"), col("o_orderdate"),
		&Alias{E: rankOver("o_custkey", "o_orderdate"), Name: "rk"},
		&Alias{E: &WindowExpr{Func: &WindowFunction{Func: window.RowNumber}, PartitionBy: []Expr{col("o_custkey")},
			OrderBy: []*SortOrder{{E: col("o_orderdate"), Desc: true}}}, Name: "unused"},
	}, Child: &UnresolvedRelation{Name: "orders"}}
	p := analyze(t, &Project{List: []Expr{col("o_orderkey"), col("rk")}, Child: &Filter{
		Cond: bin(OpAnd, bin(OpGt, col("o_custkey"), lit(int64(5), arrow.PrimitiveTypes.Int64)),
			bin(OpEq, col("rk"), lit(int32(1), arrow.PrimitiveTypes.Int32))),
		Child: inner}})
	out, err := NewOptimizer().Optimize(p)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := findNode[*Window](out)
	if !ok {
		t.Fatalf("no Window in\n%s", Format(out))
	}
	if len(w.Exprs) != 1 {
		t.Fatalf("unused window column not pruned:\n%s", Format(out))
	}
	// o_custkey > 5 reads only the partition column: it goes below the window
	// (here into the scan); rk = 1 must stay above.
	below := Format(w.Child)
	if !strings.Contains(below, "o_custkey") || !strings.Contains(below, "5") || strings.Contains(below, "rk#") {
		t.Fatalf("partition filter not below the window:\n%s", Format(out))
	}
	f, ok := findNode[*Filter](out)
	if !ok || !strings.Contains(f.Cond.String(), "rk") {
		t.Fatalf("rank filter not kept above the window:\n%s", Format(out))
	}
	if _, ok := findNode[*Window](f.Child); !ok {
		t.Fatalf("rank filter below the window:\n%s", Format(out))
	}
	s, ok := findNode[*Scan](out)
	if !ok || len(s.Columns) != 3 {
		t.Fatalf("scan not pruned to 3 of 4 columns:\n%s", Format(out))
	}
	// A filter on an order column must not move below the window.
	p2 := analyze(t, &Filter{Cond: bin(OpGt, col("o_orderdate"), lit(int32(100), arrow.FixedWidthTypes.Date32)), Child: inner})
	out2, err := NewOptimizer().Optimize(p2)
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := findNode[*Window](out2)
	if strings.Contains(Format(w2.Child), "100") {
		t.Fatalf("order-column filter moved below the window:\n%s", Format(out2))
	}
}
