package strfn

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// maxFormatDigits bounds the decimal places of format_number.
const maxFormatDigits = 1000

type formatNumberExpr struct {
	x, d expr.Expr
	pat  *decimalPattern // the DecimalFormat pattern, when given one
}

// FormatNumber returns format_number(x, d): x rounded half-even to d
// decimal places and written with a comma between groups of three integer
// digits, as Java's DecimalFormat("#,##0.00…") in Spark; null when d < 0.
// x is bigint, double or decimal (narrower types are cast by the caller).
func FormatNumber(x, d expr.Expr) (expr.Expr, error) {
	f := &formatNumberExpr{x: x, d: d}
	switch x.DataType().ID() {
	case arrow.INT64, arrow.FLOAT64, arrow.DECIMAL64, arrow.DECIMAL128, arrow.NULL:
	default:
		return nil, fmt.Errorf("%s: %s is %s, want bigint, double or decimal", f, x, x.DataType())
	}
	if id := d.DataType().ID(); id != arrow.INT32 && id != arrow.NULL {
		return nil, fmt.Errorf("%s: %s is %s, want int", f, d, d.DataType())
	}
	return f, nil
}

func (f *formatNumberExpr) DataType() arrow.DataType { return stringType }
func (f *formatNumberExpr) String() string {
	if f.pat != nil {
		return "format_number(" + f.x.String() + ", " + quote(f.pat.text) + ")"
	}
	return "format_number(" + f.x.String() + ", " + f.d.String() + ")"
}

func (f *formatNumberExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	xa, err := f.x.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer xa.Release()
	var dc col
	if ce, ok := f.d.(*constExpr); ok && ce.kind == arrow.INT32 {
		dc = col{konst: true, ci32: ce.i32}
	} else {
		da, c, err := evalArg(mem, f.d, arrow.INT32, batch)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		defer da.Release()
		if da.Len() != n {
			return nil, fmt.Errorf("%s: argument lengths differ from the batch", f)
		}
		dc = c
	}
	if xa.Len() != n {
		return nil, fmt.Errorf("%s: argument lengths differ from the batch", f)
	}
	xNull := xa.DataType().ID() == arrow.NULL
	var xValid []byte
	if xa.NullN() > 0 && !xNull {
		xValid = xa.NullBitmapBytes()
	}
	xoff := xa.Data().Offset()
	var scale int32
	var i64 []int64
	var f64 []float64
	var d128 []decimal128.Num
	switch t := xa.DataType().(type) {
	case *arrow.Int64Type:
		i64 = xa.(*array.Int64).Int64Values()
	case *arrow.Float64Type:
		f64 = xa.(*array.Float64).Float64Values()
	case *arrow.Decimal64Type:
		scale = t.Scale
		i64 = arrow.Int64Traits.CastFromBytes(valueBytes(xa))[xoff : xoff+n]
	case *arrow.Decimal128Type:
		scale = t.Scale
		d128 = arrow.Decimal128Traits.CastFromBytes(valueBytes(xa))[xoff : xoff+n]
	}
	isDec := xa.DataType().ID() == arrow.DECIMAL64 || xa.DataType().ID() == arrow.DECIMAL128
	vbuf := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	vb := vbuf.Bytes()
	ob := newBuf(mem, 4*(n+1))
	o := arrow.Int32Traits.CastFromBytes(ob.Bytes())
	out := make([]byte, 0, 16*n)
	var digits [48]byte
	nulls := 0
	for i := 0; i < n; i++ {
		ok := !xNull && (xValid == nil || bitutil.BitIsSet(xValid, xoff+i)) && dc.ok(i) && dc.int(i) >= 0
		if !ok {
			nulls++
			o[i+1] = int32(len(out))
			continue
		}
		bitutil.SetBit(vb, i)
		d := int(dc.int(i))
		start := len(out)
		if d > maxFormatDigits {
			vbuf.Release()
			ob.Release()
			return nil, fmt.Errorf("%s: %d decimal places exceed the limit of %d: %w", f, d, maxFormatDigits, expr.ErrInvalidCast)
		}
		switch {
		case f64 != nil:
			out = appendFormatFloat(out, f64[i], d)
		case d128 != nil:
			hi, lo := d128[i].HighBits(), d128[i].LowBits()
			neg := hi < 0
			if neg { // two's complement negation of the 128-bit value
				lo = ^lo + 1
				hi = ^hi
				if lo == 0 {
					hi++
				}
			}
			out = appendFormatDecimal(out, uint128Digits(digits[:0], uint64(hi), lo), neg, int(scale), d)
		default:
			v := i64[i]
			mag := uint64(v)
			if v < 0 {
				mag = -mag
			}
			ds := strconv.AppendUint(digits[:0], mag, 10)
			if isDec {
				out = appendFormatDecimal(out, ds, v < 0, int(scale), d)
			} else {
				out = appendFormatDecimal(out, ds, v < 0, 0, d)
			}
		}
		if f.pat != nil {
			out = f.pat.apply(out, start)
		}
		if len(out) > maxLen {
			vbuf.Release()
			ob.Release()
			return nil, fmt.Errorf("%s: %w", f, errTooLarge)
		}
		o[i+1] = int32(len(out))
	}
	if nulls == 0 {
		vbuf.Release()
		vbuf = nil
	}
	db := memory.NewResizableBuffer(mem)
	db.Resize(len(out))
	copy(db.Bytes(), out)
	bufs := []*memory.Buffer{vbuf, ob, db}
	data := array.NewData(stringType, n, bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer data.Release()
	return array.MakeFromData(data), nil
}

// valueBytes returns the bytes of the value buffer of a, nil when absent.
func valueBytes(a arrow.Array) []byte {
	bufs := a.Data().Buffers()
	if len(bufs) < 2 || bufs[1] == nil {
		return nil
	}
	return bufs[1].Bytes()
}

// uint128Digits appends the decimal digits of the unsigned 128-bit value.
func uint128Digits(dst []byte, hi, lo uint64) []byte {
	const chunk = 1e19
	var parts [3]uint64 // base 1e19, least significant first
	np := 0
	for hi != 0 || lo != 0 || np == 0 {
		var r uint64
		hi, r = bits.Div64(0, hi, chunk)
		lo, r = bits.Div64(r, lo, chunk)
		parts[np] = r
		np++
	}
	dst = strconv.AppendUint(dst, parts[np-1], 10)
	for j := np - 2; j >= 0; j-- {
		var buf [20]byte
		s := strconv.AppendUint(buf[:0], parts[j], 10)
		for k := len(s); k < 19; k++ {
			dst = append(dst, '0')
		}
		dst = append(dst, s...)
	}
	return dst
}

// appendFormatFloat formats v as format_number does: NaN and ∞ as Java
// writes them, finite values rounded half-even.
func appendFormatFloat(dst []byte, v float64, d int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "∞"...)
	case math.IsInf(v, -1):
		return append(dst, "-∞"...)
	}
	neg := math.Signbit(v)
	var buf [64]byte
	// Java's DecimalFormat starts from the shortest decimal that reads back
	// as v: when it has at most d decimals it is padded with zeros (0.1
	// with 20 places is 0.1000…, not the binary value 0.1000…0555);
	// otherwise rounding the shortest digits or the exact binary value
	// agree, except on a tie of the shortest digits where Java rounds the
	// exact value, as strconv does.
	s := strconv.AppendFloat(buf[:0], math.Abs(v), 'f', -1, 64)
	intLen := len(s)
	frac := 0
	for i, c := range s {
		if c == '.' {
			intLen, frac = i, len(s)-i-1
			break
		}
	}
	if frac > d {
		s = strconv.AppendFloat(buf[:0], math.Abs(v), 'f', d, 64)
		intLen, frac = len(s), d
		if d > 0 {
			intLen -= d + 1
		}
	}
	if neg {
		dst = append(dst, '-')
	}
	dst = appendGrouped(dst, s[:intLen])
	if d > 0 {
		dst = append(dst, '.')
		if frac > 0 {
			dst = append(dst, s[intLen+1:]...)
		}
		for ; frac < d; frac++ {
			dst = append(dst, '0')
		}
	}
	return dst
}

// appendFormatDecimal formats the value digits × 10^-scale (digits without
// sign), rounding half-even to d places.
func appendFormatDecimal(dst, digits []byte, neg bool, scale, d int) []byte {
	var buf [96]byte
	num := buf[:0]
	// Left-pad so at least one integer digit precedes the fraction.
	for k := len(digits); k <= scale; k++ {
		num = append(num, '0')
	}
	num = append(num, digits...)
	intLen := len(num) - scale
	if d < scale {
		keep := intLen + d
		drop := num[keep:]
		up := drop[0] > '5'
		if drop[0] == '5' {
			up = true
			rest := false
			for _, c := range drop[1:] {
				rest = rest || c != '0'
			}
			if !rest { // an exact tie: round to even
				up = keep > 0 && (num[keep-1]-'0')%2 == 1
			}
		}
		num = num[:keep]
		if up {
			j := len(num) - 1
			for ; j >= 0 && num[j] == '9'; j-- {
				num[j] = '0'
			}
			if j >= 0 {
				num[j]++
			} else {
				num = append([]byte{'1'}, num...)
				intLen++
			}
		}
	}
	if neg {
		dst = append(dst, '-')
	}
	dst = appendGrouped(dst, num[:intLen])
	if d > 0 {
		dst = append(dst, '.')
		dst = append(dst, num[intLen:]...)
		for k := len(num) - intLen; k < d; k++ {
			dst = append(dst, '0')
		}
	}
	return dst
}

// appendGrouped appends integer digits with a comma between groups of three.
func appendGrouped(dst, digits []byte) []byte {
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, c)
	}
	return dst
}
