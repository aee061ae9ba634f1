package compile

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// orChain builds l = v₀ OR l = v₁ OR … as the parser does for l IN (…).
func orChain(l logical.Expr, vals []any, t arrow.DataType) logical.Expr {
	var e logical.Expr
	for _, v := range vals {
		eq := &logical.Binary{Op: logical.OpEq, L: l, R: &logical.Literal{Value: v, Type: t}, Type: arrow.FixedWidthTypes.Boolean}
		if e == nil {
			e = eq
		} else {
			e = &logical.Binary{Op: logical.OpOr, L: e, R: eq, Type: arrow.FixedWidthTypes.Boolean}
		}
	}
	return e
}

// notInChain builds l != v₀ AND l != v₁ AND … as the parser does for
// l NOT IN (…).
func notInChain(l logical.Expr, vals []any, t arrow.DataType) logical.Expr {
	var e logical.Expr
	for _, v := range vals {
		ne := &logical.Binary{Op: logical.OpNotEq, L: l, R: &logical.Literal{Value: v, Type: t}, Type: arrow.FixedWidthTypes.Boolean}
		if e == nil {
			e = ne
		} else {
			e = &logical.Binary{Op: logical.OpAnd, L: e, R: ne, Type: arrow.FixedWidthTypes.Boolean}
		}
	}
	return e
}

// A chain of eight or more equalities of one expression with literals of
// its type (two or more for strings) compiles to one hash-set lookup;
// shorter chains, chains over two columns and literals of another type stay
// comparisons.
func TestInListCompilesToASet(t *testing.T) {
	i64 := arrow.PrimitiveTypes.Int64
	x := &logical.Attribute{ID: 1, Name: "x", Type: i64, Null: true}
	y := &logical.Attribute{ID: 2, Name: "y", Type: i64, Null: true}
	str := arrow.BinaryTypes.String
	s := &logical.Attribute{ID: 3, Name: "s", Type: str, Null: true}
	input := []*logical.Attribute{x, y, s}
	ints := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = int64(i)
		}
		return out
	}
	cases := []struct {
		e    logical.Expr
		want string // the compiled expression's text starts so
	}{
		{orChain(x, ints(8), i64), "(x IN (8 values))"},
		{orChain(x, append(ints(9), nil), i64), "(x IN (10 values))"},
		{orChain(x, ints(7), i64), "((((((("},
		// A balanced tree of ORs (the parser's shape for long lists) too.
		{&logical.Binary{Op: logical.OpOr, L: orChain(x, ints(8), i64), R: orChain(x, ints(8), i64), Type: arrow.FixedWidthTypes.Boolean}, "(x IN (16 values))"},
		// x != v₀ AND x != v₁ AND … (NOT IN) is the negated set.
		{notInChain(x, ints(8), i64), "(NOT (x IN (8 values)))"},
		{notInChain(x, ints(7), i64), "((((((("},
		// Over two columns: the chain stays, its x part a set.
		{&logical.Binary{Op: logical.OpOr, L: orChain(x, ints(8), i64), R: orChain(y, ints(1), i64), Type: arrow.FixedWidthTypes.Boolean}, "((x IN (8 values)) OR (y = 0))"},
		// Strings: a set from two values on, one comparison alone stays.
		{orChain(s, []any{"AIR", "AIR REG"}, str), "(s IN (2 values))"},
		{notInChain(s, []any{"MAIL", "SHIP", "FOB"}, str), "(NOT (s IN (3 values)))"},
		{orChain(s, []any{"AIR"}, str), "(s = 'AIR')"},
	}
	for i, c := range cases {
		e, err := CompileExpr(c.e, input)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !strings.HasPrefix(e.String(), c.want) {
			t.Errorf("case %d: compiled to %s, want %s…", i, e.String(), c.want)
		}
	}
}
