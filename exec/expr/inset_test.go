package expr_test

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// InSet against a naive row-at-a-time reference of SQL's IN: true on a
// match, else null when the value or a list element is null, else false.
func TestInSetMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	types := []arrow.DataType{arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64,
		arrow.FixedWidthTypes.Date32, arrow.FixedWidthTypes.Timestamp_us, arrow.BinaryTypes.String, dec(10, 2)}
	for _, typ := range types {
		for _, withNull := range []bool{false, true} {
			for _, n := range sizes {
				mem := exectest.Alloc(t)
				vals := randVals(r, typ, n, 0.2)
				list := randVals(r, typ, 12, 0)
				list = append(list, vals[:min(len(vals), 5)]...) // some rows match
				if withNull {
					list = append(list, nil)
				}
				lits := make([]expr.Expr, 0, len(list))
				for _, v := range list {
					lv := v
					if u, ok := v.(*big.Int); ok {
						lv = values.Decimal{Unscaled: decimal128FromBig(u), Scale: 2}
					}
					lits = append(lits, must(expr.Literal(lv, typ)))
				}
				e, ok := expr.InSet(col(0, typ), lits)
				if !ok {
					t.Fatalf("%s: no set kernel", typ)
				}
				arg := build(mem, typ, vals)
				got, err := evalCols(mem, e, n, arg)
				if err != nil {
					t.Fatal(err)
				}
				listNull := false
				for _, v := range list {
					listNull = listNull || v == nil
				}
				want := make([]any, n)
				for i, v := range vals {
					switch {
					case v == nil:
						want[i] = nil
					case containsRaw(list, v):
						want[i] = true
					case listNull:
						want[i] = nil
					default:
						want[i] = false
					}
				}
				checkRows(t, typ.String(), got, want)
				got.Release()
				arg.Release()
			}
		}
	}
}

func containsRaw(list []any, v any) bool {
	for _, l := range list {
		if l == nil {
			continue
		}
		if a, ok := l.(*big.Int); ok {
			if a.Cmp(v.(*big.Int)) == 0 {
				return true
			}
			continue
		}
		if l == v {
			return true
		}
	}
	return false
}

// Types without a set kernel, and literals of another type, are refused:
// the caller keeps the chain of comparisons.
func TestInSetRefusesOtherTypes(t *testing.T) {
	f := arrow.PrimitiveTypes.Float64
	if _, ok := expr.InSet(col(0, f), []expr.Expr{must(expr.Literal(1.5, f))}); ok {
		t.Error("double: set kernel")
	}
	i64 := arrow.PrimitiveTypes.Int64
	if _, ok := expr.InSet(col(0, i64), []expr.Expr{must(expr.Literal(int64(1), arrow.PrimitiveTypes.Int32))}); ok {
		t.Error("int literal for a bigint column: set kernel")
	}
}
