package optimizer

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/analyzer"
	"github.com/gspark/gspark/planner/functions"
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

// fakeSource is a table with a schema and a row count, never executed.
type fakeSource struct {
	schema *arrow.Schema
	rows   int64
}

func (f *fakeSource) Describe() string { return "fake" }

func (f *fakeSource) Schema() *arrow.Schema { return f.schema }

func (f *fakeSource) EstimatedRows() int64 { return f.rows }

func (f *fakeSource) Operator(*exec.Env, logical.ScanRequest) (exec.Operator, error) {
	return nil, errors.New("fake source")
}

type fakeCatalog map[string]logical.Source

func (c fakeCatalog) LookupTable(name string) (logical.Source, logical.Plan, bool) {
	s, ok := c[strings.ToLower(name)]
	return s, nil, ok
}

func (c fakeCatalog) TableNames() []string {
	var out []string
	for k := range c {
		out = append(out, k)
	}
	return out
}

func dec(p, s int32) arrow.DataType { return logical.DecimalType(p, s) }

func testCatalog() fakeCatalog {
	li := arrow.NewSchema([]arrow.Field{
		{Name: "l_orderkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "l_quantity", Type: dec(15, 2)},
		{Name: "l_extendedprice", Type: dec(15, 2)},
		{Name: "l_discount", Type: dec(15, 2)},
		{Name: "l_tax", Type: dec(15, 2)},
		{Name: "l_returnflag", Type: arrow.BinaryTypes.String},
		{Name: "l_shipdate", Type: arrow.FixedWidthTypes.Date32},
		{Name: "l_linenumber", Type: arrow.PrimitiveTypes.Int32},
	}, nil)
	ord := arrow.NewSchema([]arrow.Field{
		{Name: "o_orderkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "o_custkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "o_orderdate", Type: arrow.FixedWidthTypes.Date32},
		{Name: "o_comment", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	cust := arrow.NewSchema([]arrow.Field{
		{Name: "c_custkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "c_name", Type: arrow.BinaryTypes.String},
	}, nil)
	return fakeCatalog{"lineitem": &fakeSource{li, 60000}, "orders": &fakeSource{ord, 15000}, "customer": &fakeSource{cust, 1500}}
}

func newAnalyzer() *analyzer.Analyzer {
	return &analyzer.Analyzer{Catalog: testCatalog(), IDs: &logical.IDs{}}
}

func col(n string) logical.Expr { return &logical.UnresolvedColumn{Name: n} }

func lit(v any, t arrow.DataType) logical.Expr { return &logical.Literal{Value: v, Type: t} }

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
