package mathfn

import (
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// typed converts an int64 to the Go type values.Value yields for t.
func typed(x int64, t arrow.DataType) any {
	switch t.ID() {
	case arrow.INT8:
		return int8(x)
	case arrow.INT16:
		return int16(x)
	case arrow.INT32:
		return int32(x)
	}
	return x
}

// width is the number of bits of an integer type.
func width(t arrow.DataType) int {
	switch t.ID() {
	case arrow.INT8:
		return 8
	case arrow.INT16:
		return 16
	case arrow.INT32:
		return 32
	}
	return 64
}

// bitsOf lists the width bits of x, lowest first, two's complement.
func bitsOf(x int64, w int) []bool {
	out := make([]bool, w)
	for i := range out {
		// the lowest bit of x: x mod 2, non-negative
		out[i] = (x%2+2)%2 == 1
		x = (x - (x%2+2)%2) / 2
	}
	return out
}

// fromBits is the signed value of w bits, lowest first.
func fromBits(b []bool) int64 {
	var v, p int64 = 0, 1
	for i, set := range b {
		if set {
			if i == len(b)-1 {
				v -= p
			} else {
				v += p
			}
		}
		if i < 63 {
			p *= 2
		}
	}
	return v
}

// refBit is the naive bitwise operation bit by bit; refShift moves bits by
// position, the distance reduced modulo the width as Java does.
func refBit(op BitOp, a, b int64, w int) int64 {
	x, y := bitsOf(a, w), bitsOf(b, w)
	out := make([]bool, w)
	for i := range out {
		switch op {
		case BitAnd:
			out[i] = x[i] && y[i]
		case BitOr:
			out[i] = x[i] || y[i]
		case BitXor:
			out[i] = x[i] != y[i]
		}
	}
	return fromBits(out)
}

func refShift(op BitOp, a int64, n int64, w int) int64 {
	x := bitsOf(a, w)
	s := int(((n % int64(w)) + int64(w)) % int64(w))
	out := make([]bool, w)
	for i := range out {
		switch op {
		case ShiftLeft:
			out[i] = i-s >= 0 && x[i-s]
		case ShiftRight:
			if i+s < w {
				out[i] = x[i+s]
			} else {
				out[i] = x[w-1]
			}
		case ShiftRightUnsigned:
			out[i] = i+s < w && x[i+s]
		}
	}
	return fromBits(out)
}

func TestBitwiseRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, typ := range []arrow.DataType{i8, i16, i32, i64} {
		for _, op := range []BitOp{BitAnd, BitOr, BitXor, ShiftLeft, ShiftRight, ShiftRightUnsigned} {
			shift := op >= ShiftLeft
			if shift && typ.ID() != arrow.INT32 && typ.ID() != arrow.INT64 {
				continue
			}
			rt := typ
			if shift {
				rt = i32
			}
			for _, n := range sizes {
				a, b := randVals(r, typ, n, 0.2), randVals(r, rt, n, 0.2)
				la, lb := build(mem, typ, a), build(mem, rt, b)
				e, err := Bitwise(op, col(0, la), col(1, lb))
				if err != nil {
					t.Fatal(err)
				}
				got, err := eval(mem, e, n, la, lb)
				if err != nil {
					t.Fatal(err)
				}
				want := make([]any, n)
				for i := range want {
					if a[i] == nil || b[i] == nil {
						continue
					}
					x, y := a[i].(int64), b[i].(int64)
					if shift {
						want[i] = typed(refShift(op, x, y, width(typ)), typ)
					} else {
						want[i] = typed(refBit(op, x, y, width(typ)), typ)
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

func TestBitNotCountGetRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, typ := range []arrow.DataType{i8, i16, i32, i64} {
		w := width(typ)
		for _, n := range sizes {
			a := randVals(r, typ, n, 0.2)
			pos := make([]any, n)
			for i := range pos {
				pos[i] = int64(r.IntN(w))
			}
			la, lp := build(mem, typ, a), build(mem, i32, pos)
			not, _ := BitNot(col(0, la))
			count, _ := BitCount(col(0, la))
			get, err := BitGet("bit_get", col(0, la), col(1, lp))
			if err != nil {
				t.Fatal(err)
			}
			wantNot, wantCount, wantGet := make([]any, n), make([]any, n), make([]any, n)
			for i, v := range a {
				if v == nil {
					continue
				}
				x := v.(int64)
				b := bitsOf(x, w)
				for j := range b {
					b[j] = !b[j]
				}
				wantNot[i] = typed(fromBits(b), typ)
				c := int32(0)
				for _, set := range bitsOf(x, 64) {
					if set {
						c++
					}
				}
				wantCount[i] = c
				wantGet[i] = int8(0)
				if bitsOf(x, w)[pos[i].(int64)] {
					wantGet[i] = int8(1)
				}
			}
			for _, c := range []struct {
				e    expr.Expr
				want []any
			}{{not, wantNot}, {count, wantCount}, {get, wantGet}} {
				got, err := eval(mem, c.e, n, la, lp)
				if err != nil {
					t.Fatal(err)
				}
				expectValues(t, c.e.String()+" "+typ.String(), got, c.want)
				got.Release()
			}
			la.Release()
			lp.Release()
		}
	}
}

func TestBitGetPosition(t *testing.T) {
	mem := alloc(t)
	for _, c := range []struct {
		typ arrow.DataType
		pos int64
	}{{i8, 8}, {i16, 16}, {i32, 32}, {i64, 64}, {i32, -1}} {
		x, p := build(mem, c.typ, []any{int64(1), nil}), build(mem, i32, []any{int64(0), c.pos})
		e, _ := BitGet("bit_get", col(0, x), col(1, p))
		// the bad position sits on a null row: no error
		got, err := eval(mem, e, 2, x, p)
		if err != nil {
			t.Fatal(err)
		}
		got.Release()
		x.Release()
		x = build(mem, c.typ, []any{int64(1), int64(3)})
		e, _ = BitGet("bit_get", col(0, x), col(1, p))
		if _, err := eval(mem, e, 2, x, p); !errors.Is(err, ErrBitPosition) {
			t.Fatalf("bit_get at %d of %s: got %v, want a position error", c.pos, c.typ, err)
		}
		x.Release()
		p.Release()
	}
}
