package mathfn

import (
	"math/big"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// refTry computes a op b exactly with math/big and returns nil when the
// result leaves t's range or the divisor is zero.
func refTry(op expr.BinaryOp, a, b int64, t arrow.DataType) any {
	x, y := big.NewInt(a), big.NewInt(b)
	var z big.Int
	switch op {
	case expr.Add:
		z.Add(x, y)
	case expr.Sub:
		z.Sub(x, y)
	case expr.Mul:
		z.Mul(x, y)
	default:
		if b == 0 {
			return nil
		}
		z.Rem(x, y) // truncated remainder, the sign of the dividend
	}
	lo, hi := intRange(t)
	if z.Cmp(big.NewInt(lo)) < 0 || z.Cmp(big.NewInt(hi)) > 0 {
		return nil
	}
	return typed(z.Int64(), t)
}

func TestTryArithRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, typ := range []arrow.DataType{i8, i16, i32, i64} {
		lo, hi := intRange(typ)
		for _, op := range []expr.BinaryOp{expr.Add, expr.Sub, expr.Mul, expr.Mod} {
			for _, n := range sizes {
				a, b := randVals(r, typ, n, 0.2), randVals(r, typ, n, 0.2)
				// the edges: minimum, maximum, -1, 0
				for i := 0; i+1 < n && i < 8; i += 2 {
					a[i], b[i] = []any{lo, hi, int64(-1), int64(0)}[i/2%4], []any{int64(-1), int64(1), lo, int64(0)}[i/2%4]
				}
				la, lb := build(mem, typ, a), build(mem, typ, b)
				e, err := TryArith("try", op, col(0, la), col(1, lb))
				if err != nil {
					t.Fatal(err)
				}
				got, err := eval(mem, e, n, la, lb)
				if err != nil {
					t.Fatal(err)
				}
				want := make([]any, n)
				for i := range want {
					if a[i] != nil && b[i] != nil {
						want[i] = refTry(op, a[i].(int64), b[i].(int64), typ)
					}
				}
				expectValues(t, e.String()+" "+typ.String(), got, want)
				got.Release()
				la.Release()
				lb.Release()
			}
		}
	}
}
