package analyzer

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/logical"
)

func rankOver(part string, order string) logical.Expr {
	return &logical.WindowExpr{Func: &logical.WindowFunction{Func: window.Rank},
		PartitionBy: []logical.Expr{col(part)}, OrderBy: []*logical.SortOrder{{E: col(order), Desc: true}}}
}

func TestExtractWindows(t *testing.T) {
	sum := &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggSum, Arg: col("o_custkey")}, PartitionBy: []logical.Expr{col("o_orderdate")}}
	p := analyze(t, &logical.Project{List: []logical.Expr{
		col("o_orderkey"),
		&logical.Alias{E: rankOver("o_custkey", "o_orderdate"), Name: "rk"},
		&logical.Alias{E: bin(logical.OpAdd, sum, lit(int64(1), arrow.PrimitiveTypes.Int64)), Name: "s1"},
		&logical.Alias{E: rankOver("o_custkey", "o_orderdate"), Name: "rk2"},
	}, Child: &logical.UnresolvedRelation{Name: "orders"}})
	proj, ok := p.(*logical.Project)
	if !ok {
		t.Fatalf("want a Project on top, got\n%s", logical.Format(p))
	}
	w1, ok := proj.Child.(*logical.Window)
	if !ok {
		t.Fatalf("want Window below the Project, got\n%s", logical.Format(p))
	}
	w2, ok := w1.Child.(*logical.Window)
	if !ok {
		t.Fatalf("want two Window nodes, got\n%s", logical.Format(p))
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
		t.Fatalf("types %s", logical.Schema(p))
	}
	// The default frame is filled in: no ORDER BY → the whole partition.
	for _, e := range append(append([]logical.Expr{}, w1.Exprs...), w2.Exprs...) {
		if logical.WindowOf(e).Frame == nil {
			t.Fatalf("no frame in %s", e)
		}
	}
}

func TestWindowAnalysisErrors(t *testing.T) {
	for name, e := range map[string]logical.Expr{
		"rank without order": &logical.WindowExpr{Func: &logical.WindowFunction{Func: window.Rank}},
		"distinct stddev":    &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggStddevSamp, Arg: col("o_custkey"), Distinct: true}},
		"nested": &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggSum, Arg: rankOver("o_custkey", "o_orderdate")},
			OrderBy: []*logical.SortOrder{{E: col("o_orderkey")}}},
		"range over string": &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggCount, Arg: col("o_comment")},
			OrderBy: []*logical.SortOrder{{E: col("o_comment")}},
			Frame:   &window.Frame{Range: true, Start: window.Bound{Kind: window.Preceding, Offset: 1}, End: window.Bound{Kind: window.CurrentRow}}},
		"ntile 0": &logical.WindowExpr{Func: &logical.WindowFunction{Func: window.Ntile}, OrderBy: []*logical.SortOrder{{E: col("o_orderkey")}}},
	} {
		_, err := newAnalyzer().Analyze(&logical.Project{List: []logical.Expr{e}, Child: &logical.UnresolvedRelation{Name: "orders"}})
		if err == nil {
			t.Errorf("%s: no analysis error", name)
		}
	}
}
