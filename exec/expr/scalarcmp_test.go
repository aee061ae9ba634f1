package expr_test

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// TestCompareWithLiteralMatchesNaive covers comparisons of a column with a
// literal on either side (the scalar paths) against the reference.
func TestCompareWithLiteralMatchesNaive(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(25, 26))
	pairs := [][2]arrow.DataType{
		{arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int8}, {arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int16},
		{arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int32}, {arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64},
		{arrow.PrimitiveTypes.Float32, arrow.PrimitiveTypes.Float32}, {arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Float64},
		{arrow.BinaryTypes.String, arrow.BinaryTypes.String}, {arrow.FixedWidthTypes.Date32, arrow.FixedWidthTypes.Date32},
		{tsType, tsType}, {arrow.FixedWidthTypes.Boolean, arrow.FixedWidthTypes.Boolean},
		{dec(15, 2), dec(3, 2)}, {dec(15, 2), dec(2, 0)}, {dec(15, 2), dec(5, 4)}, {dec(18, 2), dec(18, 0)},
		{dec(25, 2), dec(3, 2)}, {dec(4, 2), dec(20, 1)},
	}
	for _, p := range pairs {
		ct, lt := p[0], p[1]
		for rep := 0; rep < 4; rep++ {
			raw := randVal(r, lt)
			var litVal any = raw
			if b, ok := raw.(*big.Int); ok {
				_, s := kernels.DecimalParams(lt)
				litVal = values.Decimal{Unscaled: decimal128.FromBigInt(b), Scale: s}
			}
			le := lit(litVal, lt)
			la := must(evalRows(mem, le, 1))
			lv := values.Value(la, 0)
			la.Release()
			for op := expr.Eq; op <= expr.GtEq; op++ {
				for _, litLeft := range []bool{false, true} {
					var e expr.Expr
					if litLeft {
						e = must(expr.Binary(op, le, col(0, ct)))
					} else {
						e = must(expr.Binary(op, col(0, ct), le))
					}
					for _, n := range []int{0, 13, 300} {
						arr := build(mem, ct, randVals(r, ct, n, 0.2))
						rows := rowValues(arr)
						want := make([]any, n)
						for i, v := range rows {
							if litLeft {
								want[i], _ = refBinary(op, lt, lv, v)
							} else {
								want[i], _ = refBinary(op, ct, v, lv)
							}
						}
						got, err := evalCols(mem, e, n, arr)
						arr.Release()
						if err != nil {
							t.Fatalf("%s: %v", e, err)
						}
						checkRows(t, e.String()+" on "+ct.String(), got, want)
						got.Release()
					}
				}
			}
		}
	}
}
