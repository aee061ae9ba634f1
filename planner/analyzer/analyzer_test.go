package analyzer

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/internal/plantest"
	"github.com/gspark/gspark/planner/logical"
)

func testCatalog() plantest.Catalog { return plantest.TPCH() }

func dec(p, s int32) arrow.DataType { return plantest.Dec(p, s) }

func newAnalyzer() *Analyzer { return &Analyzer{Catalog: testCatalog(), IDs: &logical.IDs{}} }

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

func TestAnalyzerUnknownColumnSuggests(t *testing.T) {
	p := &logical.Filter{Cond: bin(logical.OpGt, col("l_quantiy"), lit(int32(1), arrow.PrimitiveTypes.Int32)), Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	_, err := newAnalyzer().Analyze(p)
	if err == nil || !errors.Is(err, logical.ErrAnalysis) {
		t.Fatalf("want an analysis error, got %v", err)
	}
	if want := "unknown column l_quantiy in Filter; did you mean l_quantity?"; !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not contain %q", err, want)
	}
}

func TestAnalyzerDistinctOrderByUnselectedColumn(t *testing.T) {
	distinct := func(order string) logical.Plan {
		return &logical.Sort{
			Orders: []*logical.SortOrder{{E: col(order)}},
			Child:  &logical.Distinct{Child: &logical.Project{List: []logical.Expr{col("c_custkey")}, Child: &logical.UnresolvedRelation{Name: "customer"}}},
		}
	}
	// c_name exists below the DISTINCT: Spark's rule, not "unknown column".
	_, err := newAnalyzer().Analyze(distinct("c_name"))
	want := "ORDER BY column c_name is not in the select list; with SELECT DISTINCT, ORDER BY may only use selected columns"
	if err == nil || !errors.Is(err, logical.ErrAnalysis) || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	// A name no table has stays an unknown column.
	_, err = newAnalyzer().Analyze(distinct("c_nam"))
	if err == nil || !strings.Contains(err.Error(), "unknown column c_nam in Sort") {
		t.Fatalf("got %v", err)
	}
	// Without DISTINCT the sort key is an ordinary unknown column here.
	_, err = newAnalyzer().Analyze(&logical.Sort{
		Orders: []*logical.SortOrder{{E: col("c_name")}},
		Child:  &logical.Project{List: []logical.Expr{col("c_custkey")}, Child: &logical.UnresolvedRelation{Name: "customer"}},
	})
	if err == nil || !strings.Contains(err.Error(), "unknown column c_name in Sort") {
		t.Fatalf("got %v", err)
	}
}

func TestAnalyzerUnknownTableSuggests(t *testing.T) {
	_, err := newAnalyzer().Analyze(&logical.UnresolvedRelation{Name: "lineitems"})
	if err == nil || !strings.Contains(err.Error(), "unknown table lineitems; did you mean lineitem?") {
		t.Fatalf("got %v", err)
	}
}

func TestAnalyzerTypeMismatch(t *testing.T) {
	p := &logical.Project{List: []logical.Expr{bin(logical.OpAdd, col("l_returnflag"), lit(int32(1), arrow.PrimitiveTypes.Int32))}, Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	_, err := newAnalyzer().Analyze(p)
	if err == nil || !strings.Contains(err.Error(), "type mismatch in (l_returnflag + 1)") || !strings.Contains(err.Error(), "string") {
		t.Fatalf("got %v", err)
	}
	p2 := &logical.Filter{Cond: bin(logical.OpEq, col("l_shipdate"), lit(true, arrow.FixedWidthTypes.Boolean)), Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	if _, err := newAnalyzer().Analyze(p2); err == nil || !strings.Contains(err.Error(), "cannot compare date with boolean") {
		t.Fatalf("got %v", err)
	}
	p3 := &logical.Filter{Cond: col("l_quantity"), Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	if _, err := newAnalyzer().Analyze(p3); err == nil || !strings.Contains(err.Error(), "not boolean") {
		t.Fatalf("got %v", err)
	}
}

func TestAnalyzerAmbiguousColumn(t *testing.T) {
	l := &logical.SubqueryAlias{Alias: "a", Child: &logical.UnresolvedRelation{Name: "orders"}}
	r := &logical.SubqueryAlias{Alias: "b", Child: &logical.UnresolvedRelation{Name: "orders"}}
	j := &logical.Join{Left: l, Right: r, Kind: logical.InnerJoin, Cond: bin(logical.OpEq, col("o_orderkey"), col("b.o_orderkey"))}
	_, err := newAnalyzer().Analyze(j)
	if err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Fatalf("want ambiguity error, got %v", err)
	}
	j2 := &logical.Join{Left: l, Right: r, Kind: logical.InnerJoin, Cond: bin(logical.OpEq, col("a.o_orderkey"), col("b.o_orderkey"))}
	analyze(t, j2)
}

func TestAnalyzerUngroupedColumn(t *testing.T) {
	p := &logical.Aggregate{Groups: []logical.Expr{col("l_returnflag")}, List: []logical.Expr{col("l_returnflag"), col("l_tax")}, Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	_, err := newAnalyzer().Analyze(p)
	if err == nil || !strings.Contains(err.Error(), "l_tax") || !strings.Contains(err.Error(), "neither grouped nor aggregated") {
		t.Fatalf("got %v", err)
	}
}

func TestAnalyzerUnknownFunction(t *testing.T) {
	p := &logical.Project{List: []logical.Expr{&logical.Func{Name: "uper", Args: []logical.Expr{col("l_returnflag")}}}, Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	_, err := newAnalyzer().Analyze(p)
	if err == nil || !strings.Contains(err.Error(), "unknown function uper; did you mean upper?") {
		t.Fatalf("got %v", err)
	}
}

// Result types follow Spark's DecimalPrecision rules; the expected types are
// those Spark 3/4 reports for TPC-H Q1's expressions over DECIMAL(15,2).
func TestAnalyzerDecimalTypes(t *testing.T) {
	one := lit(int32(1), arrow.PrimitiveTypes.Int32)
	discPrice := bin(logical.OpMul, col("l_extendedprice"), bin(logical.OpSub, one, col("l_discount")))
	charge := bin(logical.OpMul, discPrice, bin(logical.OpAdd, one, col("l_tax")))
	p := &logical.Aggregate{
		List: []logical.Expr{
			&logical.Alias{E: bin(logical.OpSub, one, col("l_discount")), Name: "a"},
			&logical.Alias{E: discPrice, Name: "b"},
			&logical.Alias{E: charge, Name: "c"},
			&logical.Alias{E: &logical.AggregateCall{Func: logical.AggSum, Arg: col("l_quantity")}, Name: "d"},
			&logical.Alias{E: &logical.AggregateCall{Func: logical.AggAvg, Arg: col("l_quantity")}, Name: "e"},
			&logical.Alias{E: &logical.AggregateCall{Func: logical.AggSum, Arg: charge}, Name: "f"},
			&logical.Alias{E: bin(logical.OpDiv, col("l_quantity"), col("l_tax")), Name: "g"},
			&logical.Alias{E: bin(logical.OpDiv, col("l_linenumber"), one), Name: "h"},
		},
		Groups: []logical.Expr{col("l_quantity"), col("l_extendedprice"), col("l_discount"), col("l_tax"), col("l_linenumber")},
		Child:  &logical.UnresolvedRelation{Name: "lineitem"},
	}
	out := analyze(t, p).Output()
	want := []arrow.DataType{dec(16, 2), dec(32, 4), dec(38, 6), dec(25, 2), dec(19, 6), dec(38, 6), dec(33, 18), arrow.PrimitiveTypes.Float64}
	for i, w := range want {
		if !arrow.TypeEqual(out[i].Type, w) {
			t.Errorf("column %s: type %s, want %s", out[i].Name, logical.TypeName(out[i].Type), logical.TypeName(w))
		}
	}
}

func TestAnalyzerLiteralFitsColumnType(t *testing.T) {
	// A double literal that is exact at the column's scale becomes a decimal of
	// the column's type, so the comparison stays on decimals (and can be pushed down).
	p := &logical.Filter{Cond: bin(logical.OpGtEq, col("l_discount"), lit(0.05, arrow.PrimitiveTypes.Float64)), Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	f := analyze(t, p).(*logical.Filter)
	b := f.Cond.(*logical.Binary)
	if _, ok := b.L.(*logical.Attribute); !ok {
		t.Fatalf("column side was cast: %s", b)
	}
	if l, ok := b.R.(*logical.Literal); !ok || !arrow.TypeEqual(l.Type, dec(15, 2)) {
		t.Fatalf("literal not converted to decimal(15,2): %s", b)
	}
	// Not exact at scale 2: both sides become doubles, as Spark does.
	p2 := &logical.Filter{Cond: bin(logical.OpGtEq, col("l_discount"), lit(0.055, arrow.PrimitiveTypes.Float64)), Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	b2 := analyze(t, p2).(*logical.Filter).Cond.(*logical.Binary)
	if !arrow.TypeEqual(b2.L.DataType(), arrow.PrimitiveTypes.Float64) {
		t.Fatalf("want a double comparison, got %s", b2)
	}
	// An int literal compared with an int32 column stays int32.
	p3 := &logical.Filter{Cond: bin(logical.OpEq, col("l_linenumber"), lit(int64(3), arrow.PrimitiveTypes.Int64)), Child: &logical.UnresolvedRelation{Name: "lineitem"}}
	b3 := analyze(t, p3).(*logical.Filter).Cond.(*logical.Binary)
	if !arrow.TypeEqual(b3.R.DataType(), arrow.PrimitiveTypes.Int32) {
		t.Fatalf("want an int comparison, got %s", b3)
	}
}
