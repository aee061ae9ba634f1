package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// swapped returns the comparison with its operands exchanged.
func (o BinaryOp) swapped() BinaryOp {
	switch o {
	case Lt:
		return Gt
	case LtEq:
		return GtEq
	case Gt:
		return Lt
	case GtEq:
		return LtEq
	}
	return o
}

// compareLiteral evaluates a comparison of an expression with a non-null
// literal without materializing the literal. It reports false when the
// combination has no scalar path; the caller then evaluates normally.
func (b *binaryExpr) compareLiteral(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, bool, error) {
	op := b.op
	other, lit := b.l, b.r
	l, ok := lit.(*literalExpr)
	if !ok {
		other, lit, op = b.r, b.l, b.op.swapped()
		if l, ok = lit.(*literalExpr); !ok {
			return nil, false, nil
		}
	}
	if l.null {
		return nil, false, nil
	}
	ot := valueType(other.DataType())
	switch {
	case isDecimal(ot) && isDecimal(l.t):
		if ot.ID() != arrow.DECIMAL64 {
			return nil, false, nil
		}
	case !arrow.TypeEqual(ot, l.t):
		return nil, false, nil
	}
	if ot.ID() == arrow.BOOL || ot.ID() == arrow.DECIMAL128 {
		return nil, false, nil
	}
	// decimal64 column: bring the literal to the column's scale exactly.
	var decLit int64
	if ot.ID() == arrow.DECIMAL64 {
		p, s := kernels.DecimalParams(ot)
		_, ls := kernels.DecimalParams(l.t)
		if ls > s {
			return nil, false, nil
		}
		m, neg := magnitude(l.dec)
		if !m.fits(18 - (s - ls)) {
			return nil, false, nil
		}
		m = m.scaleUp(s - ls)
		decLit = int64(m[0])
		if neg {
			decLit = -decLit
		}
		_ = p
	}
	in, err := other.Eval(mem, batch)
	if err != nil {
		return nil, true, err
	}
	defer in.Release()
	if _, isDict := in.(*array.Dictionary); isDict && ot.ID() == arrow.STRING {
		out, err := evalDictBool(mem, in, func(a arrow.Array) (arrow.Array, error) {
			return b.compareScalar(mem, a, op, l, 0)
		})
		return out, true, err
	}
	a, err := decode(mem, in)
	if err != nil {
		return nil, true, err
	}
	defer a.Release()
	out, err := b.compareScalar(mem, a, op, l, decLit)
	return out, true, err
}

// compareScalar compares a plain array with literal l (decLit is the
// literal at the array's scale for decimal64 arrays).
func (b *binaryExpr) compareScalar(mem memory.Allocator, a arrow.Array, op BinaryOp, l *literalExpr, decLit int64) (arrow.Array, error) {
	ot := a.DataType()
	n := a.Len()
	if isAllNull(a) {
		return nullArray(mem, b.t, n), nil
	}
	valid, nulls := andValidity(mem, n, a)
	out := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	bits := out.Bytes()
	mask := op.cmpMask()
	d := a.Data()
	switch ot.ID() {
	case arrow.INT8:
		cmpScalar(arrow.GetValues[int8](d, 1), int8(l.i64), bits, mask)
	case arrow.INT16:
		cmpScalar(arrow.GetValues[int16](d, 1), int16(l.i64), bits, mask)
	case arrow.INT32, arrow.DATE32:
		cmpScalar(arrow.GetValues[int32](d, 1), int32(l.i64), bits, mask)
	case arrow.INT64, arrow.TIMESTAMP:
		cmpScalar(arrow.GetValues[int64](d, 1), l.i64, bits, mask)
	case arrow.DECIMAL64:
		cmpScalar(arrow.GetValues[int64](d, 1), decLit, bits, mask)
	case arrow.FLOAT32:
		vs, v := arrow.GetValues[float32](d, 1), float32(l.f64)
		for i := range vs {
			if mask>>floatCmp(vs[i], v)&1 != 0 {
				bitutil.SetBit(bits, i)
			}
		}
	case arrow.FLOAT64:
		vs := arrow.GetValues[float64](d, 1)
		for i := range vs {
			if mask>>floatCmp(vs[i], l.f64)&1 != 0 {
				bitutil.SetBit(bits, i)
			}
		}
	case arrow.STRING, arrow.BINARY:
		offs, data := strParts(a)
		cmpStrScalar(offs[:n+1], data, l.str, bits, mask)
	default:
		out.Release()
		if valid != nil {
			valid.Release()
		}
		return nil, fmt.Errorf("%s: comparison of %s is not supported", b, sqlType(ot))
	}
	return makeArray(b.t, n, nulls, valid, out), nil
}

// cmpScalar sets bit i of out when the outcome of vs[i] vs v is in mask.
// Each operator's mask gets a loop of one comparison per value (the
// three-way outcome costs two comparisons and a shift); a negated operator
// flips whole bytes.
func cmpScalar[T ordered](vs []T, v T, out []byte, mask uint8) {
	n := len(vs)
	full := n &^ 7
	switch mask {
	case 1, 6: // <, >=
		ltBits(vs[:full], v, out, flip(mask == 6))
	case 4, 3: // >, <=
		gtBits(vs[:full], v, out, flip(mask == 3))
	case 2, 5: // =, <>
		eqBits(vs[:full], v, out, flip(mask == 5))
	default:
		for i := 0; i < full; i += 8 {
			var w uint8
			for j := 0; j < 8; j++ {
				a := vs[i+j]
				c := 1 + b2i(a > v) - b2i(a < v)
				w |= (mask >> c & 1) << j
			}
			out[i/8] = w
		}
	}
	for i := full; i < n; i++ {
		a := vs[i]
		c := 1 + b2i(a > v) - b2i(a < v)
		if mask>>c&1 != 0 {
			bitutil.SetBit(out, i)
		}
	}
}

// flip is the byte that negates eight packed outcomes when neg is true.
func flip(neg bool) byte {
	if neg {
		return 0xff
	}
	return 0
}

// b2b is 1 for true (compiled to a flag set, no branch).
func b2b(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// ltBits packs vs[i] < v (xor inv) into out, 8 values per byte; len(vs)
// is a multiple of 8.
func ltBits[T ordered](vs []T, v T, out []byte, inv byte) {
	for i := 0; i+8 <= len(vs); i += 8 {
		w := vs[i : i+8 : i+8]
		out[i>>3] = (b2b(w[0] < v) | b2b(w[1] < v)<<1 | b2b(w[2] < v)<<2 | b2b(w[3] < v)<<3 |
			b2b(w[4] < v)<<4 | b2b(w[5] < v)<<5 | b2b(w[6] < v)<<6 | b2b(w[7] < v)<<7) ^ inv
	}
}

// gtBits is ltBits for vs[i] > v.
func gtBits[T ordered](vs []T, v T, out []byte, inv byte) {
	for i := 0; i+8 <= len(vs); i += 8 {
		w := vs[i : i+8 : i+8]
		out[i>>3] = (b2b(w[0] > v) | b2b(w[1] > v)<<1 | b2b(w[2] > v)<<2 | b2b(w[3] > v)<<3 |
			b2b(w[4] > v)<<4 | b2b(w[5] > v)<<5 | b2b(w[6] > v)<<6 | b2b(w[7] > v)<<7) ^ inv
	}
}

// eqBits is ltBits for vs[i] == v.
func eqBits[T ordered](vs []T, v T, out []byte, inv byte) {
	for i := 0; i+8 <= len(vs); i += 8 {
		w := vs[i : i+8 : i+8]
		out[i>>3] = (b2b(w[0] == v) | b2b(w[1] == v)<<1 | b2b(w[2] == v)<<2 | b2b(w[3] == v)<<3 |
			b2b(w[4] == v)<<4 | b2b(w[5] == v)<<5 | b2b(w[6] == v)<<6 | b2b(w[7] == v)<<7) ^ inv
	}
}
