package expr

import (
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// u256 is an unsigned 256-bit integer, least significant word first; decimal
// kernels use it for exact intermediate magnitudes.
type u256 [4]uint64

// pow10u64 holds 10^0 .. 10^19.
var pow10u64 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < 20; i++ {
		p[i] = p[i-1] * 10
	}
	return
}()

// pow10u256 holds 10^0 .. 10^77 (the largest power below 2^256).
var pow10u256 = func() (p [78]u256) {
	p[0] = u256{1}
	for i := 1; i < 78; i++ {
		p[i] = p[i-1].mul64(10)
	}
	return
}()

// magnitude returns |n| as a u256 and whether n is negative.
func magnitude(n decimal128.Num) (u256, bool) {
	if n.Sign() < 0 {
		n = n.Negate()
		return u256{n.LowBits(), uint64(n.HighBits())}, true
	}
	return u256{n.LowBits(), uint64(n.HighBits())}, false
}

func mag64(v int64) (u256, bool) {
	if v < 0 {
		return u256{uint64(-v)}, true
	}
	return u256{uint64(v)}, false
}

func (a u256) mul64(m uint64) u256 {
	var out u256
	var carry uint64
	for i := 0; i < 4; i++ {
		hi, lo := bits.Mul64(a[i], m)
		var c uint64
		out[i], c = bits.Add64(lo, carry, 0)
		carry = hi + c
	}
	return out
}

// mul multiplies two values below 2^128.
func mul128(a, b u256) u256 {
	var out u256
	h00, l00 := bits.Mul64(a[0], b[0])
	h01, l01 := bits.Mul64(a[0], b[1])
	h10, l10 := bits.Mul64(a[1], b[0])
	h11, l11 := bits.Mul64(a[1], b[1])
	out[0] = l00
	var c1, c2 uint64
	out[1], c1 = bits.Add64(h00, l01, 0)
	out[1], c2 = bits.Add64(out[1], l10, 0)
	var d1, d2, d3 uint64
	out[2], d1 = bits.Add64(h01, h10, c1)
	out[2], d2 = bits.Add64(out[2], l11, c2)
	out[3], d3 = bits.Add64(h11, d1, d2)
	_ = d3
	return out
}

// scaleUp multiplies by 10^k (k ≤ 77); the caller ensures no overflow.
func (a u256) scaleUp(k int32) u256 {
	for k > 19 {
		a = a.mul64(pow10u64[19])
		k -= 19
	}
	if k > 0 {
		a = a.mul64(pow10u64[k])
	}
	return a
}

// div64 divides by d and returns quotient and remainder.
func (a u256) div64(d uint64) (u256, uint64) {
	var q u256
	var r uint64
	for i := 3; i >= 0; i-- {
		q[i], r = bits.Div64(r, a[i], d)
	}
	return q, r
}

// scaleDownHalfUp divides by 10^k rounding half away from zero.
func (a u256) scaleDownHalfUp(k int32) u256 {
	if k <= 0 {
		return a
	}
	k--
	for k > 19 {
		a, _ = a.div64(pow10u64[19])
		k -= 19
	}
	if k > 0 {
		a, _ = a.div64(pow10u64[k])
	}
	q, r := a.div64(10)
	if r >= 5 {
		q = q.add(u256{1})
	}
	return q
}

func (a u256) add(b u256) u256 {
	var c uint64
	for i := 0; i < 4; i++ {
		a[i], c = bits.Add64(a[i], b[i], c)
	}
	return a
}

func (a u256) sub(b u256) u256 {
	var c uint64
	for i := 0; i < 4; i++ {
		a[i], c = bits.Sub64(a[i], b[i], c)
	}
	return a
}

func (a u256) cmp(b u256) int {
	for i := 3; i >= 0; i-- {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// signedAdd adds two sign-magnitude values.
func signedAdd(a u256, an bool, b u256, bn bool) (u256, bool) {
	if an == bn {
		return a.add(b), an
	}
	if a.cmp(b) >= 0 {
		return a.sub(b), an
	}
	return b.sub(a), bn
}

// fits reports whether a < 10^p.
func (a u256) fits(p int32) bool { return a.cmp(pow10u256[p]) < 0 }

// toNum converts a sign-magnitude value below 10^38 to a decimal128.Num.
func toNum(a u256, neg bool) decimal128.Num {
	n := decimal128.New(int64(a[1]), a[0])
	if neg {
		return n.Negate()
	}
	return n
}

// signedCmp compares two sign-magnitude values.
func signedCmp(a u256, an bool, b u256, bn bool) int {
	if a == (u256{}) {
		an = false
	}
	if b == (u256{}) {
		bn = false
	}
	switch {
	case an && !bn:
		return -1
	case !an && bn:
		return 1
	case an:
		return b.cmp(a)
	}
	return a.cmp(b)
}
