package window

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/kernels"
	xsort "github.com/gspark/gspark/exec/sort"
	"github.com/gspark/gspark/values"
)

// TestDecimalSumAvg compares decimal sum and avg (Spark's result types,
// HALF_UP rounding) with exact rational arithmetic.
func TestDecimalSumAvg(t *testing.T) {
	for _, it := range []arrow.DataType{&arrow.Decimal64Type{Precision: 8, Scale: 2}, &arrow.Decimal128Type{Precision: 30, Scale: 3}} {
		t.Run(it.String(), func(t *testing.T) {
			mem := exectest.Alloc(t)
			s := arrow.NewSchema([]arrow.Field{
				{Name: "p", Type: arrow.PrimitiveTypes.Int64},
				{Name: "o", Type: arrow.PrimitiveTypes.Int32},
				{Name: "d", Type: it, Nullable: true},
			}, nil)
			r := rand.New(rand.NewPCG(3, 4))
			var rows [][]any
			for i := range 200 {
				var d any = int64(r.IntN(2000000) - 1000000)
				if r.IntN(5) == 0 {
					d = nil
				}
				rows = append(rows, []any{int64(i % 3), int32(i), d})
			}
			b1, b2 := exectest.Batch(mem, s, rows[:77]), exectest.Batch(mem, s, rows[77:])
			src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{b1, b2}})
			b1.Release()
			b2.Release()
			defer src.Release()
			frames := []Frame{DefaultFrame(true), {Start: Bound{Kind: Preceding, Offset: 2}, End: Bound{Kind: Following, Offset: 1}},
				{Start: Bound{Kind: Following, Offset: 1}, End: Bound{Kind: UnboundedFollowing}}}
			var specs []Spec
			for _, f := range frames {
				specs = append(specs, Spec{Func: Sum, Input: 2, Frame: f}, Spec{Func: Avg, Input: 2, Frame: f})
			}
			op, err := New(&exec.Env{Mem: mem, BatchSize: 50}, src, []int{0}, []xsort.Key{{Col: 1}}, specs)
			if err != nil {
				t.Fatal(err)
			}
			got := exectest.Rows(t, op)
			_, scale := kernels.DecimalParams(it)
			for _, row := range got {
				p, o := row[0].(int64), row[1].(int32)
				var part [][]any
				for _, x := range rows {
					if x[0].(int64) == p {
						part = append(part, x)
					}
				}
				slices.SortFunc(part, func(a, b []any) int { return int(a[1].(int32) - b[1].(int32)) })
				k := slices.IndexFunc(part, func(x []any) bool { return x[1].(int32) == o })
				for si, sp := range specs {
					sum, c := new(big.Int), int64(0)
					for _, j := range refFrame(part, k, sp.Frame, []xsort.Key{{Col: 1}}) {
						if v := part[j][2]; v != nil {
							sum.Add(sum, big.NewInt(v.(int64)))
							c++
						}
					}
					var want string
					switch {
					case c == 0:
						want = "<nil>"
					case sp.Func == Sum:
						want = values.Decimal{Unscaled: mustNum(sum), Scale: scale}.String()
					default:
						q := new(big.Rat).SetFrac(new(big.Int).Mul(sum, big.NewInt(10000)), big.NewInt(c))
						want = values.Decimal{Unscaled: mustNum(roundHalfUp(q)), Scale: scale + 4}.String()
					}
					if g := fmt.Sprint(row[3+si]); g != want {
						t.Fatalf("p=%d o=%d %s %s: got %s, want %s", p, o, sp.Func, sp.Frame, g, want)
					}
				}
			}
		})
	}
}

func mustNum(b *big.Int) decimal128.Num { return decimal128.FromBigInt(b) }

// roundHalfUp rounds q to an integer, halves away from zero.
func roundHalfUp(q *big.Rat) *big.Int {
	num, den := new(big.Int).Set(q.Num()), q.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	quo, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(rem, big.NewInt(2)).Cmp(den) >= 0 {
		quo.Add(quo, big.NewInt(1))
	}
	if neg {
		quo.Neg(quo)
	}
	return quo
}
