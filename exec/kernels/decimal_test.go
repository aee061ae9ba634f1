package kernels

import (
	"math/big"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestDivHalfUp(t *testing.T) {
	huge, _ := new(big.Int).SetString("99999999999999999999999999999999999999", 10) // 38 nines
	cases := []struct {
		sum   decimal128.Num
		shift int
		cnt   int64
		want  string // "" means no result
	}{
		{decimal128.FromI64(10), 0, 4, "3"},     // 2.5 → 3
		{decimal128.FromI64(-10), 0, 4, "-3"},   // -2.5 → -3
		{decimal128.FromI64(10), 1, 3, "33"},    // 3.33… → 3.3
		{decimal128.FromI64(-2), 4, 3, "-6667"}, // -0.66666… → -0.6667
		{decimal128.FromI64(7), 0, 1, "7"},
		{decimal128.FromBigInt(huge), 4, 100000, "10000000000000000000000000000000000000"}, // 10^42 on the way
		{decimal128.FromBigInt(huge), 4, 1, ""},                                            // beyond 128 bits
		{decimal128.FromBigInt(new(big.Int).Neg(huge)), 0, 2, "-50000000000000000000000000000000000000"},
	}
	for _, c := range cases {
		q, ok := DivHalfUp(c.sum, c.shift, c.cnt)
		switch {
		case c.want == "" && ok:
			t.Errorf("%s·10^%d/%d: got %s, want no result", c.sum.BigInt(), c.shift, c.cnt, q.BigInt())
		case c.want != "" && (!ok || q.BigInt().String() != c.want):
			t.Errorf("%s·10^%d/%d: got %s (%v), want %s", c.sum.BigInt(), c.shift, c.cnt, q.BigInt(), ok, c.want)
		}
	}
}

func TestDecimalArray(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	vals := []decimal128.Num{decimal128.FromI64(125), {}, decimal128.FromI64(-7)}
	valid := []bool{true, false, true}
	d64 := &arrow.Decimal64Type{Precision: 10, Scale: 2}
	a := DecimalArray(mem, d64, vals, valid)
	defer a.Release()
	if a.NullN() != 1 || a.(*array.Decimal64).Value(0) != 125 || a.(*array.Decimal64).Value(2) != -7 {
		t.Errorf("decimal64: %v", a)
	}
	d128 := &arrow.Decimal128Type{Precision: 30, Scale: 2}
	b := DecimalArray(mem, d128, vals, nil)
	defer b.Release()
	if b.NullN() != 0 || b.(*array.Decimal128).Value(2) != decimal128.FromI64(-7) {
		t.Errorf("decimal128: %v", b)
	}
	if p, s := DecimalParams(d128); p != 30 || s != 2 {
		t.Errorf("DecimalParams(%s) = %d, %d", d128, p, s)
	}
	if p, s := DecimalParams(arrow.PrimitiveTypes.Int64); p != 0 || s != 0 {
		t.Errorf("DecimalParams(int64) = %d, %d", p, s)
	}
}
