package expr

import (
	"fmt"
	"math/big"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// decCol gives typed access to a decimal64 or decimal128 array.
type decCol struct {
	d64  []int64
	d128 []decimal128.Num
	p, s int32
}

func newDecCol(a arrow.Array) decCol {
	p, s := kernels.DecimalParams(a.DataType())
	c := decCol{p: p, s: s}
	if a.DataType().ID() == arrow.DECIMAL64 {
		c.d64 = kernels.FixedValues[int64](a)
	} else {
		c.d128 = kernels.FixedValues[decimal128.Num](a)
	}
	return c
}

func (c *decCol) mag(i int) (u256, bool) {
	if c.d64 != nil {
		return mag64(c.d64[i])
	}
	return magnitude(c.d128[i])
}

func (c *decCol) num(i int) decimal128.Num {
	if c.d64 != nil {
		return decimal128.FromI64(c.d64[i])
	}
	return c.d128[i]
}

// decOut writes results to a decimal64 or decimal128 buffer.
type decOut struct {
	d64  []int64
	d128 []decimal128.Num
}

func (o *decOut) set(i int, m u256, neg bool) {
	if o.d64 != nil {
		v := int64(m[0])
		if neg {
			v = -v
		}
		o.d64[i] = v
		return
	}
	o.d128[i] = toNum(m, neg)
}

func newDecOut(mem memory.Allocator, t arrow.DataType, n int) (*memory.Buffer, decOut) {
	if t.ID() == arrow.DECIMAL64 {
		b := newDataBuf(mem, 8*n)
		return b, decOut{d64: arrow.GetData[int64](b.Bytes())[:n:n]}
	}
	b := newDataBuf(mem, 16*n)
	return b, decOut{d128: arrow.GetData[decimal128.Num](b.Bytes())[:n:n]}
}

// decimalArith computes l op r into a new buffer of type t. valid is the
// result validity (nil = all valid); invalid rows are skipped.
func decimalArith(mem memory.Allocator, op BinaryOp, l, r arrow.Array, t arrow.DataType, valid []byte) (*memory.Buffer, error) {
	n := l.Len()
	lc, rc := newDecCol(l), newDecCol(r)
	p, s := kernels.DecimalParams(t)
	buf, out := newDecOut(mem, t, n)
	if n == 0 {
		return buf, nil
	}
	if lc.d64 != nil && rc.d64 != nil {
		if ok := decimal64Fast(op, lc, rc, p, s, out); ok {
			return buf, nil
		}
	}
	if op == Mul && s == lc.s+rc.s && out.d128 != nil {
		switch {
		case lc.d128 != nil && rc.d64 != nil:
			if bad := mul128x64(lc.d128, rc.d64, p, out.d128, valid); bad >= 0 {
				buf.Release()
				return nil, fmt.Errorf("row %d: %w", bad, ErrOverflow)
			}
			return buf, nil
		case lc.d64 != nil && rc.d128 != nil:
			if bad := mul128x64(rc.d128, lc.d64, p, out.d128, valid); bad >= 0 {
				buf.Release()
				return nil, fmt.Errorf("row %d: %w", bad, ErrOverflow)
			}
			return buf, nil
		}
	}
	if (op == Add || op == Sub) && addSubExact(op, lc, rc, p, s, out) {
		return buf, nil
	}
	bad, err := -1, ErrOverflow
	switch op {
	case Add, Sub:
		bad = decAddSub(op, lc, rc, p, s, out, valid)
	case Mul:
		bad = decMul(lc, rc, p, s, out, valid)
	case Div, Mod:
		bad, err = decDivMod(op, lc, rc, p, s, out, valid)
	}
	if bad >= 0 {
		buf.Release()
		return nil, fmt.Errorf("row %d: %w", bad, err)
	}
	return buf, nil
}

// decimal64Fast handles decimal64 operands whose results cannot overflow and
// need no rounding, with plain int64 arithmetic. It reports false when the
// case is not covered.
func decimal64Fast(op BinaryOp, lc, rc decCol, p, s int32, out decOut) bool {
	l, r := lc.d64, rc.d64
	n := len(l)
	r = r[:n]
	switch op {
	case Add, Sub:
		// Both operands rescaled stay below 10^18, so the sum fits an int64.
		if s != max(lc.s, rc.s) || p > 19 {
			return false
		}
		ml, mr := int64(pow10u64[s-lc.s]), int64(pow10u64[s-rc.s])
		if op == Sub {
			mr = -mr
		}
		if out.d64 != nil {
			o := out.d64[:n]
			if ml == 1 && mr == 1 {
				for i := range o {
					o[i] = l[i] + r[i]
				}
				return true
			}
			for i := range o {
				o[i] = l[i]*ml + r[i]*mr
			}
			return true
		}
		o := out.d128[:n]
		for i := range o {
			o[i] = decimal128.FromI64(l[i]*ml + r[i]*mr)
		}
		return true
	case Mul:
		if s != lc.s+rc.s {
			return false
		}
		if out.d64 != nil {
			o := out.d64[:n]
			for i := range o {
				o[i] = l[i] * r[i]
			}
			return true
		}
		o := out.d128[:n]
		for i := range o {
			a, b := l[i], r[i]
			hi, lo := bits.Mul64(uint64(a), uint64(b))
			h := int64(hi) - (a>>63)&b - (b>>63)&a
			o[i] = decimal128.New(h, lo)
		}
		return true
	}
	return false
}

func decAddSub(op BinaryOp, lc, rc decCol, p, s int32, out decOut, valid []byte) int {
	S := max(lc.s, rc.s)
	kl, kr := S-lc.s, S-rc.s
	for i := range lc.len() {
		if !bitValid(valid, 0, i) {
			continue
		}
		a, an := lc.mag(i)
		b, bn := rc.mag(i)
		if op == Sub {
			bn = !bn
		}
		m, neg := signedAdd(a.scaleUp(kl), an, b.scaleUp(kr), bn)
		m = m.scaleDownHalfUp(S - s)
		if !m.fits(p) {
			return i
		}
		out.set(i, m, neg)
	}
	return -1
}

func (c *decCol) len() int {
	if c.d64 != nil {
		return len(c.d64)
	}
	return len(c.d128)
}

func decMul(lc, rc decCol, p, s int32, out decOut, valid []byte) int {
	k := lc.s + rc.s - s
	for i := range lc.len() {
		if !bitValid(valid, 0, i) {
			continue
		}
		a, an := lc.mag(i)
		b, bn := rc.mag(i)
		m := mul128(a, b).scaleDownHalfUp(k)
		if !m.fits(p) {
			return i
		}
		out.set(i, m, an != bn && m != (u256{}))
	}
	return -1
}

// decDivMod divides with math/big; scratch values are reused across rows.
func decDivMod(op BinaryOp, lc, rc decCol, p, s int32, out decOut, valid []byte) (int, error) {
	var a, b, q, rem, two, one, fa, fb big.Int
	two.SetInt64(2)
	one.SetInt64(1)
	ten := big.NewInt(10)
	// a and b are multiplied by fa and fb: for Div the result is
	// round(a * 10^(s - s1 + s2) / b); for Mod both go to the larger scale.
	var ea, eb int32
	if op == Div {
		e := s - lc.s + rc.s
		ea, eb = max(e, 0), max(-e, 0)
	} else {
		S := max(lc.s, rc.s)
		ea, eb = S-lc.s, S-rc.s
	}
	fa.Exp(ten, big.NewInt(int64(ea)), nil)
	fb.Exp(ten, big.NewInt(int64(eb)), nil)
	for i := range lc.len() {
		if !bitValid(valid, 0, i) {
			continue
		}
		numToBig(&a, lc.num(i))
		numToBig(&b, rc.num(i))
		if b.Sign() == 0 {
			return i, ErrDivideByZero
		}
		a.Mul(&a, &fa)
		b.Mul(&b, &fb)
		if op == Div {
			q.QuoRem(&a, &b, &rem)
			rem.Abs(&rem)
			rem.Mul(&rem, &two)
			if rem.CmpAbs(&b) >= 0 {
				if (a.Sign() < 0) != (b.Sign() < 0) {
					q.Sub(&q, &one)
				} else {
					q.Add(&q, &one)
				}
			}
		} else {
			q.Rem(&a, &b)
		}
		if q.BitLen() > 130 {
			return i, ErrOverflow
		}
		m, neg := bigToMag(&q)
		if !m.fits(p) {
			return i, ErrOverflow
		}
		out.set(i, m, neg)
	}
	return -1, nil
}

func numToBig(z *big.Int, n decimal128.Num) {
	m, neg := magnitude(n)
	z.SetUint64(m[1])
	z.Lsh(z, 64)
	var lo big.Int
	lo.SetUint64(m[0])
	z.Or(z, &lo)
	if neg {
		z.Neg(z)
	}
}

// bigToMag converts |z| (below 2^256) to a u256.
func bigToMag(z *big.Int) (u256, bool) {
	var m u256
	var buf [32]byte
	b := z.FillBytes(buf[:])
	for i := 0; i < 4; i++ {
		for j := 0; j < 8; j++ {
			m[i] |= uint64(b[31-(i*8+j)]) << (8 * j)
		}
	}
	return m, z.Sign() < 0
}

// compareDecimal compares two decimal arrays exactly, setting bit i of out
// when the outcome is in mask.
func compareDecimal(l, r arrow.Array, out []byte, mask uint8) error {
	lc, rc := newDecCol(l), newDecCol(r)
	n := l.Len()
	if n == 0 {
		return nil
	}
	S := max(lc.s, rc.s)
	kl, kr := S-lc.s, S-rc.s
	if lc.d64 != nil && rc.d64 != nil && lc.p+kl <= 18 && rc.p+kr <= 18 {
		if kl == 0 && kr == 0 {
			cmpOrdered(lc.d64, rc.d64, out, mask)
			return nil
		}
		ml, mr := int64(pow10u64[kl]), int64(pow10u64[kr])
		a, b := lc.d64[:n], rc.d64[:n]
		for i := range a {
			x, y := a[i]*ml, b[i]*mr
			c := 1 + b2i(x > y) - b2i(x < y)
			if mask>>c&1 != 0 {
				out[i/8] |= 1 << (i % 8)
			}
		}
		return nil
	}
	for i := 0; i < n; i++ {
		a, an := lc.mag(i)
		b, bn := rc.mag(i)
		c := 1 + signedCmp(a.scaleUp(kl), an, b.scaleUp(kr), bn)
		if mask>>c&1 != 0 {
			out[i/8] |= 1 << (i % 8)
		}
	}
	return nil
}

// mul128x64 multiplies decimal128 by decimal64 values exactly (no rescale),
// checking that each product stays below 10^p; it returns the first valid
// row that overflows, or -1.
func mul128x64(a []decimal128.Num, b []int64, p int32, out []decimal128.Num, valid []byte) int {
	n := len(out)
	a, b = a[:n], b[:n]
	limHi, limLo := pow10u256[p][1], pow10u256[p][0]
	over := false
	for i := range out {
		x, y := a[i], b[i]
		xneg := x.HighBits() < 0
		if xneg {
			x = x.Negate()
		}
		yneg := y < 0
		yu := uint64(y)
		if yneg {
			yu = uint64(-y)
		}
		h1, l1 := bits.Mul64(x.LowBits(), yu)
		h2, l2 := bits.Mul64(uint64(x.HighBits()), yu)
		mid, c := bits.Add64(h1, l2, 0)
		top := h2 + c
		// the magnitude (top, mid, l1) must be below 10^p
		if top != 0 || mid > limHi || mid == limHi && l1 >= limLo {
			over = true
		}
		r := decimal128.New(int64(mid), l1)
		if xneg != yneg {
			r = r.Negate()
		}
		out[i] = r
	}
	if !over {
		return -1
	}
	return firstBad(valid, n, func(i int) bool {
		am, _ := magnitude(a[i])
		bm, _ := mag64(b[i])
		return !mul128(am, bm).fits(p)
	})
}

// addSubExact handles Add/Sub whose result type was not capped at precision
// 38: both operands rescaled to the result scale have fewer than p digits, so
// their sum fits and decimal128 arithmetic is exact. It reports false when
// the case is not covered.
func addSubExact(op BinaryOp, lc, rc decCol, p, s int32, out decOut) bool {
	if out.d128 == nil || s != max(lc.s, rc.s) || p != max(lc.p-lc.s, rc.p-rc.s)+s+1 {
		return false
	}
	ml, mr := decimal128.GetScaleMultiplier(int(s-lc.s)), decimal128.GetScaleMultiplier(int(s-rc.s))
	o := out.d128
	for i := range o {
		a, b := lc.num(i), rc.num(i)
		if s != lc.s {
			a = a.Mul(ml)
		}
		if s != rc.s {
			b = b.Mul(mr)
		}
		if op == Add {
			o[i] = a.Add(b)
		} else {
			o[i] = a.Sub(b)
		}
	}
	return true
}
