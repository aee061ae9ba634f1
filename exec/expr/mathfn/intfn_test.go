package mathfn

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec/expr"
)

// refRadix writes the 64-bit two's complement of x in base 2 or 16 by
// repeated division of the unsigned value (math/big), without leading zeros.
func refRadix(x int64, base int64) string {
	u := new(big.Int).SetInt64(x)
	if x < 0 {
		u.Add(u, new(big.Int).Lsh(big.NewInt(1), 64))
	}
	if u.Sign() == 0 {
		return "0"
	}
	var digits []byte
	b := big.NewInt(base)
	m := new(big.Int)
	for u.Sign() > 0 {
		u.DivMod(u, b, m)
		digits = append([]byte{"0123456789ABCDEF"[m.Int64()]}, digits...)
	}
	return string(digits)
}

func TestBinHexRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, n := range sizes {
		vals := randVals(r, i64, n, 0.2)
		in := build(mem, i64, vals)
		for _, f := range []struct {
			make func(expr.Expr) (expr.Expr, error)
			base int64
		}{{Bin, 2}, {Hex, 16}} {
			e, _ := f.make(col(0, in))
			got, err := eval(mem, e, n, in)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]any, n)
			for i, v := range vals {
				if v != nil {
					want[i] = refRadix(v.(int64), f.base)
				}
			}
			expectValues(t, e.String(), got, want)
			got.Release()
		}
		in.Release()
	}
	s := build(mem, str, []any{"Spark SQL", nil, "", "é"})
	defer s.Release()
	e, _ := Hex(col(0, s))
	got, err := eval(mem, e, 4, s)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	// hand-computed: 'S' is 0x53, 'é' is UTF-8 C3 A9
	expectValues(t, "hex of strings", got, []any{"537061726B2053514C", nil, "", "C3A9"})
}

func TestIntDivAndFactorial(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, n := range sizes {
		a, b := randVals(r, i64, n, 0.2), randVals(r, i64, n, 0.2)
		for i := range b {
			if b[i] == int64(0) || (b[i] == int64(-1) && a[i] == int64(math.MinInt64)) {
				b[i] = int64(3)
			}
		}
		la, lb := build(mem, i64, a), build(mem, i64, b)
		e, _ := IntDiv(col(0, la), col(1, lb))
		got, err := eval(mem, e, n, la, lb)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]any, n)
		for i := range want {
			if a[i] != nil && b[i] != nil {
				// truncated quotient through math/big (Quo truncates toward zero)
				want[i] = new(big.Int).Quo(big.NewInt(a[i].(int64)), big.NewInt(b[i].(int64))).Int64()
			}
		}
		expectValues(t, "div", got, want)
		got.Release()
		la.Release()
		lb.Release()
	}
	for _, c := range []struct {
		l, r int64
		err  error
		msg  string
	}{{1, 0, expr.ErrDivideByZero, "DIVIDE_BY_ZERO"}, {math.MinInt64, -1, expr.ErrOverflow, "ARITHMETIC_OVERFLOW"}} {
		la, lb := build(mem, i64, []any{int64(5), c.l}), build(mem, i64, []any{int64(2), c.r})
		e, _ := IntDiv(col(0, la), col(1, lb))
		if _, err := eval(mem, e, 2, la, lb); !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.msg) {
			t.Fatalf("%d div %d: got %v", c.l, c.r, err)
		}
		la.Release()
		lb.Release()
	}
	in := build(mem, i32, []any{int64(0), int64(5), int64(20), int64(21), int64(-1), nil})
	defer in.Release()
	e, _ := Factorial(col(0, in))
	got, err := eval(mem, e, 6, in)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	expectValues(t, "factorial", got, []any{int64(1), int64(120), int64(2432902008176640000), nil, nil, nil})
}
