package optimizer

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/analyzer"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/internal/plantest"
	"github.com/gspark/gspark/planner/logical"
)

// call types name(args...) through the registry, failing the test on error.
func call(t *testing.T, name string, args ...logical.Expr) logical.Expr {
	t.Helper()
	e, err := functions.TypeFunc(&logical.Func{Name: name, Args: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return e
}

func testCatalog() plantest.Catalog { return plantest.TPCH() }

func dec(p, s int32) arrow.DataType { return plantest.Dec(p, s) }

func newAnalyzer() *analyzer.Analyzer {
	return &analyzer.Analyzer{Catalog: testCatalog(), IDs: &logical.IDs{}}
}

func col(n string) logical.Expr { return plantest.Col(n) }

func lit(v any, t arrow.DataType) logical.Expr { return plantest.Lit(v, t) }

func bin(op logical.BinaryOp, l, r logical.Expr) logical.Expr {
	return &logical.Binary{Op: op, L: l, R: r}
}

func analyze(t *testing.T, p logical.Plan) logical.Plan {
	t.Helper()
	out, err := newAnalyzer().Analyze(p)
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	return out
}

func rankOver(part string, order string) logical.Expr {
	return &logical.WindowExpr{Func: &logical.WindowFunction{Func: window.Rank},
		PartitionBy: []logical.Expr{col(part)}, OrderBy: []*logical.SortOrder{{E: col(order), Desc: true}}}
}

// applyRule runs one rule once and reports whether it fired.
func applyRule(t *testing.T, r Rule, p logical.Plan) (logical.Plan, bool) {
	t.Helper()
	out, changed, err := r.Apply(p)
	if err != nil {
		t.Fatalf("%s: %v", r.Name, err)
	}
	if changed && !sameColumns(logical.Schema(p), logical.Schema(out)) {
		t.Fatalf("%s changed the schema: %s -> %s", r.Name, logical.Schema(p), logical.Schema(out))
	}
	return out, changed
}

func i32(v int32) logical.Expr { return lit(v, arrow.PrimitiveTypes.Int32) }

func findNode[T logical.Plan](p logical.Plan) (T, bool) {
	var zero T
	if n, ok := p.(T); ok {
		return n, true
	}
	for _, c := range p.Children() {
		if n, ok := findNode[T](c); ok {
			return n, true
		}
	}
	return zero, false
}
