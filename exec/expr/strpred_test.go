package expr_test

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// shipModes are the rows of the string predicate tests: repeated values,
// values of equal length, the empty string, a null and a value longer than
// 63 bytes (the length filter's last bit); more than 8 rows, so that the
// kernels' blocks of 8 and their tails both run.
var shipModes = []any{"AIR", "MAIL", "", nil, "SHIP", "AIR REG", "REG AIR", "TRUCK", "MAIL", "MAI", strings.Repeat("x", 70), "FOB", "SHIP"}

// strDict builds vals as a dictionary-encoded string array.
func strDict(t *testing.T, mem memory.Allocator, vals []any) arrow.Array {
	t.Helper()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	b := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		if err := b.AppendString(v.(string)); err != nil {
			t.Fatal(err)
		}
	}
	return b.NewArray()
}

func strLits(vs ...any) []expr.Expr {
	out := make([]expr.Expr, len(vs))
	for i, v := range vs {
		out[i] = must(expr.Literal(v, arrow.BinaryTypes.String))
	}
	return out
}

// String =, <> and IN against answers worked out by hand, on plain and
// dictionary-encoded input.
func TestStringPredicatesByHand(t *testing.T) {
	mem := exectest.Alloc(t)
	str := arrow.BinaryTypes.String
	long := strings.Repeat("x", 70)
	const T, F = true, false
	cases := []struct {
		name string
		make func(c expr.Expr) expr.Expr
		want []any
	}{
		{"= 'MAIL'", func(c expr.Expr) expr.Expr { return must(expr.Binary(expr.Eq, c, lit("MAIL", str))) },
			[]any{F, T, F, nil, F, F, F, F, T, F, F, F, F}},
		{"'MAIL' = c", func(c expr.Expr) expr.Expr { return must(expr.Binary(expr.Eq, lit("MAIL", str), c)) },
			[]any{F, T, F, nil, F, F, F, F, T, F, F, F, F}},
		{"<> 'MAIL'", func(c expr.Expr) expr.Expr { return must(expr.Binary(expr.NotEq, c, lit("MAIL", str))) },
			[]any{T, F, T, nil, T, T, T, T, F, T, T, T, T}},
		{"= ''", func(c expr.Expr) expr.Expr { return must(expr.Binary(expr.Eq, c, lit("", str))) },
			[]any{F, F, T, nil, F, F, F, F, F, F, F, F, F}},
		{"< 'MAIL'", func(c expr.Expr) expr.Expr { return must(expr.Binary(expr.Lt, c, lit("MAIL", str))) },
			[]any{T, F, T, nil, F, T, F, F, F, T, F, T, F}},
		{">= 'MAIL'", func(c expr.Expr) expr.Expr { return must(expr.Binary(expr.GtEq, c, lit("MAIL", str))) },
			[]any{F, T, F, nil, T, F, T, T, T, F, T, F, T}},
		{"IN ('MAIL', 'SHIP')", func(c expr.Expr) expr.Expr { return inSet(t, c, strLits("MAIL", "SHIP")) },
			[]any{F, T, F, nil, T, F, F, F, T, F, F, F, T}},
		{"IN ('MAIL', NULL)", func(c expr.Expr) expr.Expr { return inSet(t, c, strLits("MAIL", nil)) },
			[]any{nil, T, nil, nil, nil, nil, nil, nil, T, nil, nil, nil, nil}},
		{"IN ('', long, 'AIR REG')", func(c expr.Expr) expr.Expr { return inSet(t, c, strLits("", long, "AIR REG")) },
			[]any{F, F, T, nil, F, T, F, F, F, F, T, F, F}},
		{"IN (10 values)", func(c expr.Expr) expr.Expr {
			return inSet(t, c, strLits("a", "b", "c", "d", "e", "f", "g", "AIR", "FOB", long+"y"))
		}, []any{T, F, F, nil, F, F, F, F, F, F, F, T, F}},
		{"IN (10 values, NULL)", func(c expr.Expr) expr.Expr {
			return inSet(t, c, strLits("a", "b", "c", "d", "e", "f", "g", "h", "TRUCK", long, nil))
		}, []any{nil, nil, nil, nil, nil, nil, nil, T, nil, nil, T, nil, nil}},
	}
	n := len(shipModes)
	plain := build(mem, str, shipModes)
	defer plain.Release()
	dict := strDict(t, mem, shipModes)
	defer dict.Release()
	for _, c := range cases {
		for _, in := range []arrow.Array{plain, dict} {
			got, err := evalCols(mem, c.make(col(0, in.DataType())), n, in)
			if err != nil {
				t.Fatalf("%s on %s: %v", c.name, in.DataType(), err)
			}
			checkRows(t, c.name+" on "+in.DataType().String(), got, c.want)
			got.Release()
		}
	}
}

func inSet(t *testing.T, c expr.Expr, lits []expr.Expr) expr.Expr {
	t.Helper()
	e, ok := expr.InSet(c, lits)
	if !ok {
		t.Fatalf("no set kernel for %s", c.DataType())
	}
	return e
}

// Column = column and <> on strings, by hand: equal lengths with different
// bytes, different lengths with a common prefix, empty strings and nulls.
func TestStringColumnEqualityByHand(t *testing.T) {
	mem := exectest.Alloc(t)
	str := arrow.BinaryTypes.String
	l := build(mem, str, []any{"AIR", "AIR", "MAIL", "", "", nil, "SHIP", "SHIPS", "x", "abc", "abd"})
	defer l.Release()
	r := build(mem, str, []any{"AIR", "AIX", "MAI", "", "a", "x", nil, "SHIP", "x", "abc", "abc"})
	defer r.Release()
	const T, F = true, false
	for _, c := range []struct {
		op   expr.BinaryOp
		want []any
	}{
		{expr.Eq, []any{T, F, F, T, F, nil, nil, F, T, T, F}},
		{expr.NotEq, []any{F, T, T, F, T, nil, nil, T, F, F, T}},
		{expr.Lt, []any{F, T, F, F, T, nil, nil, F, F, F, F}},
	} {
		e := must(expr.Binary(c.op, col(0, str), col(1, str)))
		got, err := evalCols(mem, e, l.Len(), l, r)
		if err != nil {
			t.Fatal(err)
		}
		checkRows(t, e.String(), got, c.want)
		got.Release()
	}
}

// AND and OR of null-free boolean columns, by hand, on whole arrays and on
// slices that start inside a byte; with a null on one side for comparison.
func TestLogicWithoutNullsByHand(t *testing.T) {
	mem := exectest.Alloc(t)
	bt := arrow.FixedWidthTypes.Boolean
	const T, F = true, false
	lv := []any{T, T, F, F, T, F, T, T, F, T, F, T, T, F, F, T, T, T, F, F}
	rv := []any{T, F, T, F, T, T, F, T, F, F, F, T, F, T, F, T, F, T, T, F}
	l := build(mem, bt, lv)
	defer l.Release()
	r := build(mem, bt, rv)
	defer r.Release()
	and := make([]any, len(lv))
	or := make([]any, len(lv))
	for i := range lv {
		and[i] = lv[i].(bool) && rv[i].(bool)
		or[i] = lv[i].(bool) || rv[i].(bool)
	}
	check := func(what string, l, r arrow.Array, op expr.BinaryOp, want []any) {
		t.Helper()
		e := must(expr.Binary(op, col(0, bt), col(1, bt)))
		got, err := evalCols(mem, e, l.Len(), l, r)
		if err != nil {
			t.Fatal(err)
		}
		defer got.Release()
		if got.NullN() != 0 {
			t.Fatalf("%s: %d nulls from null-free inputs", what, got.NullN())
		}
		checkRows(t, what, got, want)
	}
	check("AND", l, r, expr.And, and)
	check("OR", l, r, expr.Or, or)
	ls, rs := array.NewSlice(l, 3, 17), array.NewSlice(r, 5, 19)
	defer ls.Release()
	defer rs.Release()
	sand, sor := make([]any, 14), make([]any, 14)
	for i := range sand {
		a, b := lv[3+i].(bool), rv[5+i].(bool)
		sand[i], sor[i] = a && b, a || b
	}
	check("AND of slices", ls, rs, expr.And, sand)
	check("OR of slices", ls, rs, expr.Or, sor)
}
