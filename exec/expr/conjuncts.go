package expr

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
)

// Conjuncts returns the operands of e's top-level ANDs, left to right; e
// itself when it is no AND.
func Conjuncts(e Expr) []Expr {
	b, ok := e.(*binaryExpr)
	if !ok || b.op != And {
		return []Expr{e}
	}
	return append(Conjuncts(b.l), Conjuncts(b.r)...)
}

// OrderConjuncts returns the conjuncts of a filter in the order to evaluate
// them one after another, each on the rows the earlier ones kept: first
// comparisons between fixed-width columns and literals (a few instructions
// a row), then comparisons and IN lists over strings, then every other
// conjunct in the given order. Only conjuncts that cannot fail move ahead,
// so a conjunct that can fail (a cast, a division) sees no row it would
// not see in the given order.
func OrderConjuncts(conj []Expr) []Expr {
	out := slices.Clone(conj)
	slices.SortStableFunc(out, func(a, b Expr) int { return conjunctCost(a) - conjunctCost(b) })
	return out
}

// CheapConjunct reports whether e is a comparison between fixed-width
// columns and literals: a conjunct that costs less to evaluate on every row
// of a batch than copying the rows an earlier one kept.
func CheapConjunct(e Expr) bool { return conjunctCost(e) == 0 }

// conjunctCost ranks a conjunct for OrderConjuncts: 0 for a comparison of
// fixed-width columns and literals, 1 for one involving strings or an IN
// list of a column, 2 for anything else.
func conjunctCost(e Expr) int {
	switch e := e.(type) {
	case *binaryExpr:
		if !e.op.isCompare() || !plainOperand(e.l) || !plainOperand(e.r) {
			return 2
		}
		if fixedWidth(e.l.DataType()) && fixedWidth(e.r.DataType()) {
			return 0
		}
		return 1
	case *inSet:
		if plainOperand(e.arg) {
			return 1
		}
	}
	return 2
}

// plainOperand reports whether e is a column or a literal.
func plainOperand(e Expr) bool {
	switch e.(type) {
	case *columnExpr, *literalExpr:
		return true
	}
	return false
}

// fixedWidth reports whether t is a number, date, timestamp or decimal
// type, compared without touching variable-length data.
func fixedWidth(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP, arrow.DECIMAL64, arrow.DECIMAL128:
		return true
	}
	return false
}
