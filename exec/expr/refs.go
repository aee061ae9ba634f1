package expr

// ColumnRefs reports the positions of the columns e reads. ok is false when
// e holds an expression kind ColumnRefs does not look into; the caller must
// then assume that e may read any column.
func ColumnRefs(e Expr) (cols []int, ok bool) {
	return appendRefs(nil, e)
}

func appendRefs(cols []int, e Expr) ([]int, bool) {
	switch e := e.(type) {
	case *columnExpr:
		return append(cols, e.idx), true
	case *literalExpr:
		return cols, true
	case *binaryExpr:
		cols, ok := appendRefs(cols, e.l)
		if !ok {
			return nil, false
		}
		return appendRefs(cols, e.r)
	case *notExpr:
		return appendRefs(cols, e.e)
	case *isNullExpr:
		return appendRefs(cols, e.e)
	case *castExpr:
		return appendRefs(cols, e.e)
	case *inSet:
		return appendRefs(cols, e.arg)
	case *likeExpr:
		return appendRefs(cols, e.e)
	}
	return nil, false
}
