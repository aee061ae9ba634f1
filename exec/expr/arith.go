package expr

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// arith evaluates an arithmetic operator; valid (owned) is the validity of
// the result. Errors are raised only for valid rows.
func (b *binaryExpr) arith(mem memory.Allocator, l, r arrow.Array, n int, valid *memory.Buffer, nulls int) (arrow.Array, error) {
	var vb []byte
	if valid != nil {
		vb = valid.Bytes()
	}
	if isDecimal(b.t) {
		out, err := decimalArith(mem, b.op, l, r, b.t, vb)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b, err)
		}
		return makeArray(b.t, n, nulls, valid, out), nil
	}
	w := b.t.(arrow.FixedWidthDataType).BitWidth() / 8
	out := newDataBuf(mem, w*n)
	ld, rd, od := l.Data(), r.Data(), out.Bytes()
	var bad int
	switch b.t.ID() {
	case arrow.INT8:
		bad = intArith(b.op, arrow.GetValues[int8](ld, 1), arrow.GetValues[int8](rd, 1), arrow.GetData[int8](od), vb)
	case arrow.INT16:
		bad = intArith(b.op, arrow.GetValues[int16](ld, 1), arrow.GetValues[int16](rd, 1), arrow.GetData[int16](od), vb)
	case arrow.INT32:
		bad = intArith(b.op, arrow.GetValues[int32](ld, 1), arrow.GetValues[int32](rd, 1), arrow.GetData[int32](od), vb)
	case arrow.INT64:
		bad = intArith(b.op, arrow.GetValues[int64](ld, 1), arrow.GetValues[int64](rd, 1), arrow.GetData[int64](od), vb)
	case arrow.FLOAT32:
		bad = floatArith(b.op, arrow.GetValues[float32](ld, 1), arrow.GetValues[float32](rd, 1), arrow.GetData[float32](od), vb)
	case arrow.FLOAT64:
		bad = floatArith(b.op, arrow.GetValues[float64](ld, 1), arrow.GetValues[float64](rd, 1), arrow.GetData[float64](od), vb)
	default:
		out.Release()
		return nil, fmt.Errorf("%s: arithmetic on %s is not supported", b, sqlType(b.t))
	}
	if bad >= 0 {
		out.Release()
		if b.op == Div || b.op == Mod {
			return nil, fmt.Errorf("%s: row %d: %w", b, bad, ErrDivideByZero)
		}
		return nil, fmt.Errorf("%s: row %d: %w", b, bad, ErrOverflow)
	}
	return makeArray(b.t, n, nulls, valid, out), nil
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64
}

// intArith computes out = l op r and returns the first valid row that
// overflows or divides by zero, or -1.
func intArith[T integer](op BinaryOp, l, r, out []T, valid []byte) int {
	n := len(out)
	if n == 0 {
		return -1
	}
	l, r = l[:n], r[:n]
	var ov T
	switch op {
	case Add:
		for i := range out {
			s := l[i] + r[i]
			ov |= (l[i] ^ s) & (r[i] ^ s)
			out[i] = s
		}
		if ov < 0 {
			return firstBad(valid, n, func(i int) bool { s := l[i] + r[i]; return (l[i]^s)&(r[i]^s) < 0 })
		}
	case Sub:
		for i := range out {
			s := l[i] - r[i]
			ov |= (l[i] ^ r[i]) & (l[i] ^ s)
			out[i] = s
		}
		if ov < 0 {
			return firstBad(valid, n, func(i int) bool { s := l[i] - r[i]; return (l[i]^r[i])&(l[i]^s) < 0 })
		}
	case Mul:
		if mulInts(l, r, out) {
			return firstBad(valid, n, func(i int) bool { return mulOverflows(l[i], r[i]) })
		}
	case Mod:
		for i := range out {
			if r[i] == 0 {
				if bitValid(valid, 0, i) {
					return i
				}
				out[i] = 0
				continue
			}
			out[i] = l[i] % r[i]
		}
	default:
		return 0
	}
	return -1
}

// mulInts multiplies and reports whether any row may have overflowed.
func mulInts[T integer](l, r, out []T) bool {
	var z T
	switch any(z).(type) {
	case int64:
		var ov bool
		for i := range out {
			a, b := int64(l[i]), int64(r[i])
			hi, lo := bits.Mul64(uint64(a), uint64(b))
			h := int64(hi) - (a>>63)&b - (b>>63)&a
			ov = ov || h != int64(lo)>>63
			out[i] = T(int64(lo))
		}
		return ov
	default:
		var ov bool
		for i := range out {
			p := int64(l[i]) * int64(r[i])
			ov = ov || int64(T(p)) != p
			out[i] = T(p)
		}
		return ov
	}
}

func mulOverflows[T integer](a, b T) bool {
	x, y := int64(a), int64(b)
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	h := int64(hi) - (x>>63)&y - (y>>63)&x
	if h != int64(lo)>>63 {
		return true
	}
	p := int64(lo)
	return int64(T(p)) != p
}

// firstBad returns the first valid row where bad holds, or -1.
func firstBad(valid []byte, n int, bad func(int) bool) int {
	for i := 0; i < n; i++ {
		if bitValid(valid, 0, i) && bad(i) {
			return i
		}
	}
	return -1
}

func floatArith[T ~float32 | ~float64](op BinaryOp, l, r, out []T, valid []byte) int {
	n := len(out)
	if n == 0 {
		return -1
	}
	l, r = l[:n], r[:n]
	switch op {
	case Add:
		for i := range out {
			out[i] = l[i] + r[i]
		}
	case Sub:
		for i := range out {
			out[i] = l[i] - r[i]
		}
	case Mul:
		for i := range out {
			out[i] = l[i] * r[i]
		}
	case Div, Mod:
		zero := false
		for i := range out {
			zero = zero || r[i] == 0
			if op == Div {
				out[i] = l[i] / r[i]
			} else {
				out[i] = T(math.Mod(float64(l[i]), float64(r[i])))
			}
		}
		if zero {
			return firstBad(valid, n, func(i int) bool { return r[i] == 0 })
		}
	}
	return -1
}
