package expr

import "github.com/apache/arrow-go/v18/arrow"

// DictionaryColumn reports the column a filter conjunct reads when the
// conjunct gives the same answer evaluated once per entry of a dictionary
// and gathered through each row's code as evaluated row by row, and cannot
// fail on a value no row holds: a comparison of a string column with a
// string literal, an IN list of string literals over a string column, a
// LIKE over a string column, or the negation of one of these. A caller
// holding the column dictionary-encoded passes it to Eval as an Arrow
// dictionary array in place of the plain strings.
func DictionaryColumn(e Expr) (col int, ok bool) {
	switch e := e.(type) {
	case *notExpr:
		return DictionaryColumn(e.e)
	case *binaryExpr:
		if !e.op.isCompare() {
			return 0, false
		}
		c, l := e.l, e.r
		if _, isLit := c.(*literalExpr); isLit {
			c, l = l, c
		}
		lit, isLit := l.(*literalExpr)
		if !isLit || lit.null || lit.t.ID() != arrow.STRING {
			return 0, false
		}
		return stringColumn(c)
	case *inSet:
		if e.strs == nil {
			return 0, false
		}
		return stringColumn(e.arg)
	case *likeExpr:
		return stringColumn(e.e)
	}
	return 0, false
}

// stringColumn reports the position of e when it reads a string column.
func stringColumn(e Expr) (int, bool) {
	c, ok := e.(*columnExpr)
	if !ok || c.t.ID() != arrow.STRING {
		return 0, false
	}
	return c.idx, true
}
