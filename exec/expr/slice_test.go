package expr_test

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// TestSlicedInputs checks that arrays with a non-zero offset give the same
// results as freshly built ones.
func TestSlicedInputs(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(23, 24))
	bin := func(op expr.BinaryOp, l, rr expr.Expr) expr.Expr { return must(expr.Binary(op, l, rr)) }
	type tc struct {
		t arrow.DataType
		e func(a, b expr.Expr) expr.Expr
	}
	bt, str := arrow.FixedWidthTypes.Boolean, arrow.BinaryTypes.String
	cases := []tc{
		{arrow.PrimitiveTypes.Int32, func(a, b expr.Expr) expr.Expr { return bin(expr.Add, a, b) }},
		{arrow.PrimitiveTypes.Int64, func(a, b expr.Expr) expr.Expr { return bin(expr.Lt, a, b) }},
		{arrow.PrimitiveTypes.Float64, func(a, b expr.Expr) expr.Expr { return bin(expr.Mul, a, b) }},
		{dec(15, 2), func(a, b expr.Expr) expr.Expr { return bin(expr.Mul, a, b) }},
		{dec(15, 2), func(a, b expr.Expr) expr.Expr { return bin(expr.GtEq, a, b) }},
		{dec(25, 2), func(a, b expr.Expr) expr.Expr { return bin(expr.Sub, a, b) }},
		{bt, func(a, b expr.Expr) expr.Expr { return bin(expr.And, a, b) }},
		{bt, func(a, b expr.Expr) expr.Expr { return bin(expr.Or, a, must(expr.Not(b))) }},
		{bt, func(a, b expr.Expr) expr.Expr { return bin(expr.Eq, a, b) }},
		{str, func(a, b expr.Expr) expr.Expr { return bin(expr.NotEq, a, b) }},
		{str, func(a, b expr.Expr) expr.Expr { return must(expr.Like(a, "%a%b")) }},
		{str, func(a, b expr.Expr) expr.Expr { return expr.Substring(a, 2, 3) }},
		{str, func(a, b expr.Expr) expr.Expr { return must(expr.Cast(a, arrow.FixedWidthTypes.Date32)) }},
		{arrow.FixedWidthTypes.Date32, func(a, b expr.Expr) expr.Expr { return must(expr.Cast(a, str)) }},
		{tsType, func(a, b expr.Expr) expr.Expr { return must(expr.Year(a)) }},
		{arrow.PrimitiveTypes.Int16, func(a, b expr.Expr) expr.Expr { return expr.IsNull(a) }},
		{arrow.PrimitiveTypes.Int16, func(a, b expr.Expr) expr.Expr { return must(expr.Cast(a, dec(10, 2))) }},
		{arrow.PrimitiveTypes.Int64, func(a, b expr.Expr) expr.Expr {
			return must(expr.CaseWhen([]expr.Expr{bin(expr.Gt, a, b)}, []expr.Expr{a}, b))
		}},
	}
	for _, c := range cases {
		e := c.e(col(0, c.t), col(1, c.t))
		for _, off := range []int{1, 3, 8, 13} {
			n := 50
			lv, rv := randVals(r, c.t, n+off+2, 0.2), randVals(r, c.t, n+off+2, 0.2)
			if c.t.ID() == arrow.STRING && e.DataType().ID() == arrow.DATE32 {
				for i := range lv {
					if lv[i] != nil {
						lv[i] = []string{"2020-01-02", " 1999-12-31 ", "2000-02-29"}[r.IntN(3)]
					}
				}
			}
			if c.t.ID() == arrow.INT32 || c.t.ID() == arrow.INT64 || c.t.ID() == arrow.INT16 {
				for i := range lv {
					if lv[i] != nil {
						lv[i] = int64(r.IntN(100))
					}
					if rv[i] != nil {
						rv[i] = int64(r.IntN(100))
					}
				}
			}
			if isDecimalType(c.t) {
				for i := range lv {
					if lv[i] != nil {
						lv[i] = randUnscaled(r, 6)
					}
					if rv[i] != nil {
						rv[i] = randUnscaled(r, 6)
					}
				}
			}
			la, ra := build(mem, c.t, lv), build(mem, c.t, rv)
			ls, rs := array.NewSlice(la, int64(off), int64(off+n)), array.NewSlice(ra, int64(off), int64(off+n))
			lf, rf := build(mem, c.t, lv[off:off+n]), build(mem, c.t, rv[off:off+n])
			got, err := evalCols(mem, e, n, ls, rs)
			if err != nil {
				t.Fatalf("%s sliced: %v", e, err)
			}
			want := must(evalCols(mem, e, n, lf, rf))
			checkRows(t, e.String()+" sliced", got, rowValues(want))
			releaseArrs([]arrow.Array{la, ra, ls, rs, lf, rf, got, want})
		}
	}
}
