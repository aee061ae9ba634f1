package mathfn

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// refLess orders two non-null values of one type as Spark does (NaN
// largest).
func refLess(a, b any) bool {
	switch x := a.(type) {
	case bool:
		return !x && b.(bool)
	case int64:
		return x < b.(int64)
	case float64:
		y := b.(float64)
		if math.IsNaN(y) {
			return !math.IsNaN(x)
		}
		return x < y
	case string:
		return x < b.(string)
	case []byte:
		return bytes.Compare(x, b.([]byte)) < 0
	case decimal128.Num:
		return x.BigInt().Cmp(b.(decimal128.Num).BigInt()) < 0
	}
	panic(fmt.Sprintf("refLess %T", a))
}

// asResult converts a build value to what values.Value returns for t.
func asResult(v any, t arrow.DataType) any {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return castInt(v.(int64), t)
	case arrow.FLOAT32:
		return float32(v.(float64))
	case arrow.DECIMAL64, arrow.DECIMAL128:
		_, s := kernels.DecimalParams(t)
		return values.Decimal{Unscaled: v.(decimal128.Num), Scale: s}
	}
	return v
}

func TestGreatestLeastRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	types := []arrow.DataType{arrow.FixedWidthTypes.Boolean, i8, i16, i32, i64, f32, f64, dec(9, 2), dec(30, 4), str, arrow.BinaryTypes.Binary}
	for _, typ := range types {
		for _, greatest := range []bool{true, false} {
			for _, nargs := range []int{2, 3} {
				for _, n := range sizes {
					vals := make([][]any, nargs)
					arrs := make([]arrow.Array, nargs)
					cols := make([]expr.Expr, nargs)
					for k := range vals {
						vals[k] = randVals(r, typ, n, 0.3)
						if typ == str && k == 1 {
							arrs[k] = buildDict(mem, vals[k])
						} else {
							arrs[k] = build(mem, typ, vals[k])
						}
						cols[k] = col(k, arrs[k])
					}
					mk := Least
					if greatest {
						mk = Greatest
					}
					e, err := mk(cols...)
					if err != nil {
						t.Fatal(err)
					}
					got, err := eval(mem, e, n, arrs...)
					if err != nil {
						t.Fatal(err)
					}
					want := make([]any, n)
					for i := range want {
						var best any
						for k := range vals {
							v := vals[k][i]
							if v == nil {
								continue
							}
							if best == nil || (greatest && refLess(best, v)) || (!greatest && refLess(v, best)) {
								best = v
							}
						}
						if best != nil {
							want[i] = asResult(best, typ)
						}
					}
					expectValues(t, e.String()+" "+typ.String(), got, want)
					got.Release()
					expr.ReleaseAll(arrs)
				}
			}
		}
	}
}

func TestGreatestLeastSparkExamples(t *testing.T) {
	mem := alloc(t)
	// SELECT greatest(10, 9, 2, 4, 3) → 10; SELECT least(10, 9, 2, 4, 3) → 2
	nums := []int64{10, 9, 2, 4, 3}
	arrs := make([]arrow.Array, len(nums))
	cols := make([]expr.Expr, len(nums))
	for i, v := range nums {
		arrs[i] = build(mem, i32, []any{v})
		cols[i] = col(i, arrs[i])
	}
	defer expr.ReleaseAll(arrs)
	g, _ := Greatest(cols...)
	l, _ := Least(cols...)
	for e, want := range map[expr.Expr]int32{g: 10, l: 2} {
		got, err := eval(mem, e, 1, arrs...)
		if err != nil {
			t.Fatal(err)
		}
		expectValues(t, e.String(), got, []any{want})
		got.Release()
	}
	if _, err := Greatest(expr.Column(0, "a", i32), expr.Column(1, "b", str)); err == nil {
		t.Fatal("greatest of INT and STRING compiled (the planner casts to a common type)")
	}
}
