// Package textfmt renders Arrow values as text, as the CSV and JSON writers
// need them: booleans, integers, Java-style doubles, decimals at their scale,
// dates and timestamps in a layout, strings through the caller's escaping.
package textfmt

import (
	"bytes"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Formatter appends the text of row i to dst, or reports that it is null.
type Formatter func(dst []byte, i int) (out []byte, null bool)

// Options say how a writer wants values rendered.
type Options struct {
	DateLayout, TimestampLayout string
	// QuoteTemporal puts dates and timestamps in double quotes (JSON).
	QuoteTemporal bool
	// QuoteNonFinite puts NaN and the infinities in double quotes (JSON).
	QuoteNonFinite bool
	// String appends a string value (escaped as the format needs); nil
	// appends the bytes as they are.
	String func(dst, s []byte) []byte
}

// New returns the formatter of arr's values; dictionary arrays format their
// dictionary's values.
func New(arr arrow.Array, o Options) (Formatter, error) {
	switch a := arr.(type) {
	case *array.Boolean:
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return strconv.AppendBool(dst, a.Value(i)), false
		}, nil
	case *array.Int8:
		return intFormatter(a, a.Int8Values()), nil
	case *array.Int16:
		return intFormatter(a, a.Int16Values()), nil
	case *array.Int32:
		return intFormatter(a, a.Int32Values()), nil
	case *array.Int64:
		return intFormatter(a, a.Int64Values()), nil
	case *array.Float32:
		vals := a.Float32Values()
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return AppendDouble(dst, float64(vals[i]), 32, o.QuoteNonFinite), false
		}, nil
	case *array.Float64:
		vals := a.Float64Values()
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return AppendDouble(dst, vals[i], 64, o.QuoteNonFinite), false
		}, nil
	case *array.String:
		offs, data := a.ValueOffsets(), a.ValueBytes()
		base := offs[0]
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			s := data[offs[i]-base : offs[i+1]-base]
			if o.String != nil {
				return o.String(dst, s), false
			}
			return append(dst, s...), false
		}, nil
	case *array.Date32:
		vals := a.Date32Values()
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return o.appendTime(dst, time.Unix(int64(vals[i])*86400, 0).UTC(), o.DateLayout), false
		}, nil
	case *array.Timestamp:
		vals := a.TimestampValues()
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return o.appendTime(dst, vals[i].ToTime(unit).UTC(), o.TimestampLayout), false
		}, nil
	case *array.Decimal64:
		scale := a.DataType().(*arrow.Decimal64Type).Scale
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return AppendDecimal(dst, decimal128.FromI64(int64(a.Value(i))), scale), false
		}, nil
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return AppendDecimal(dst, a.Value(i), scale), false
		}, nil
	case *array.Dictionary:
		inner, err := New(a.Dictionary(), o)
		if err != nil {
			return nil, err
		}
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return inner(dst, a.GetValueIndex(i))
		}, nil
	}
	return nil, fmt.Errorf("unsupported type %s", arr.DataType())
}

func (o Options) appendTime(dst []byte, t time.Time, layout string) []byte {
	if !o.QuoteTemporal {
		return t.AppendFormat(dst, layout)
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, layout)
	return append(dst, '"')
}

func intFormatter[T int8 | int16 | int32 | int64](a arrow.Array, vals []T) Formatter {
	return func(dst []byte, i int) ([]byte, bool) {
		if a.IsNull(i) {
			return dst, true
		}
		return strconv.AppendInt(dst, int64(vals[i]), 10), false
	}
}

func appendWord(dst []byte, w string, quote bool) []byte {
	if !quote {
		return append(dst, w...)
	}
	dst = append(dst, '"')
	dst = append(dst, w...)
	return append(dst, '"')
}

// AppendDouble appends f as Java's Double.toString (or Float.toString for
// bits 32) writes it: the shortest text that round-trips, in plain notation
// for magnitudes in [1e-3, 1e7) and as d.dddE±n otherwise; NaN and the
// infinities as words, in double quotes when quoteNonFinite is set (JSON).
func AppendDouble(dst []byte, f float64, bits int, quoteNonFinite bool) []byte {
	switch {
	case math.IsNaN(f):
		return appendWord(dst, "NaN", quoteNonFinite)
	case math.IsInf(f, 1):
		return appendWord(dst, "Infinity", quoteNonFinite)
	case math.IsInf(f, -1):
		return appendWord(dst, "-Infinity", quoteNonFinite)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	a := math.Abs(f)
	if a >= 1e-3 && a < 1e7 {
		start := len(dst)
		dst = strconv.AppendFloat(dst, f, 'f', -1, bits)
		if bytes.IndexByte(dst[start:], '.') < 0 {
			dst = append(dst, '.', '0')
		}
		return dst
	}
	var tmp [40]byte
	s := strconv.AppendFloat(tmp[:0], f, 'E', -1, bits)
	e := bytes.IndexByte(s, 'E')
	mant, exp := s[:e], s[e+1:]
	dst = append(dst, mant...)
	if bytes.IndexByte(mant, '.') < 0 {
		dst = append(dst, '.', '0')
	}
	dst = append(dst, 'E')
	if exp[0] == '-' {
		dst = append(dst, '-')
	}
	exp = exp[1:]
	for len(exp) > 1 && exp[0] == '0' {
		exp = exp[1:]
	}
	return append(dst, exp...)
}

// AppendDecimal appends the unscaled value n with scale fractional digits.
func AppendDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	if n.Sign() < 0 {
		dst = append(dst, '-')
		n = n.Negate()
	}
	hi, lo := uint64(n.HighBits()), n.LowBits()
	// Peel off base-1e18 chunks (|n| < 2^127 < 1e39, so three suffice).
	var buf [60]byte
	pos := len(buf)
	for {
		var r uint64
		qhi := hi / 1e18
		lo, r = bits.Div64(hi%1e18, lo, 1e18)
		hi = qhi
		last := hi == 0 && lo == 0
		for j := 0; j < 18; j++ {
			if last && r == 0 && j > 0 {
				break
			}
			pos--
			buf[pos] = byte('0' + r%10)
			r /= 10
		}
		if last {
			break
		}
	}
	digits := buf[pos:]
	if scale <= 0 {
		dst = append(dst, digits...)
		for ; scale < 0; scale++ {
			if !(len(digits) == 1 && digits[0] == '0') {
				dst = append(dst, '0')
			}
		}
		return dst
	}
	s := int(scale)
	if len(digits) <= s {
		dst = append(dst, '0', '.')
		for k := len(digits); k < s; k++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-s]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-s:]...)
}
