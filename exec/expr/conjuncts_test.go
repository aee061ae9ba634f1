package expr_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// Conjuncts splits nested ANDs (not ORs) into their operands, left to
// right; OrderConjuncts puts fixed-width comparisons first, then string
// comparisons and IN lists, then the rest in their given order.
func TestOrderConjuncts(t *testing.T) {
	str := arrow.BinaryTypes.String
	date := expr.Column(0, "d", arrow.FixedWidthTypes.Date32)
	mode := expr.Column(1, "mode", str)
	i := expr.Column(2, "i", arrow.PrimitiveTypes.Int64)
	j := expr.Column(3, "j", arrow.PrimitiveTypes.Int64)
	lit := func(v any, typ arrow.DataType) expr.Expr { return must(expr.Literal(v, typ)) }
	in, ok := expr.InSet(mode, []expr.Expr{lit("MAIL", str), lit("SHIP", str)})
	if !ok {
		t.Fatal("no IN set")
	}
	eqStr := must(expr.Binary(expr.Eq, mode, lit("AIR", str)))
	div := must(expr.Binary(expr.Gt, must(expr.Binary(expr.Mod, i, j)), lit(int64(1), arrow.PrimitiveTypes.Int64)))
	notNull := must(expr.Not(expr.IsNull(j)))
	dateCmp := must(expr.Binary(expr.Lt, date, lit(int64(9000), arrow.FixedWidthTypes.Date32)))
	colCmp := must(expr.Binary(expr.Lt, i, j))
	or := must(expr.Binary(expr.Or, colCmp, eqStr))

	and := func(a, b expr.Expr) expr.Expr { return must(expr.Binary(expr.And, a, b)) }
	// ((in AND eqStr) AND div) AND ((notNull AND dateCmp) AND (or AND colCmp))
	pred := and(and(and(in, eqStr), div), and(and(notNull, dateCmp), and(or, colCmp)))
	conj := expr.Conjuncts(pred)
	want := []expr.Expr{in, eqStr, div, notNull, dateCmp, or, colCmp}
	if len(conj) != len(want) {
		t.Fatalf("Conjuncts gave %v, want %v", conj, want)
	}
	for k := range want {
		if conj[k] != want[k] {
			t.Fatalf("Conjuncts gave %v, want %v", conj, want)
		}
	}
	got := expr.OrderConjuncts(conj)
	order := []expr.Expr{dateCmp, colCmp, in, eqStr, div, notNull, or}
	for k := range order {
		if got[k] != order[k] {
			t.Fatalf("OrderConjuncts gave %v, want %v", got, order)
		}
	}
	if conj[0] != in {
		t.Error("OrderConjuncts changed its argument")
	}
	if c := expr.Conjuncts(or); len(c) != 1 || c[0] != or {
		t.Errorf("Conjuncts(OR) = %v", c)
	}
}
