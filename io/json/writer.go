package json

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Writer writes record batches as JSON Lines.
type Writer struct {
	bw     *bufio.Writer
	schema *arrow.Schema
	keys   [][]byte // `"name":` per column
	fmts   []formatter
	line   []byte
	closed bool
}

// formatter appends the JSON value of row i to dst; null reports a null.
type formatter func(dst []byte, i int) (out []byte, null bool)

// NewWriter returns a Writer of JSON Lines to w for batches of schema. Each
// row is one object with the non-null columns in schema order; doubles are
// written in Java's shortest form (NaN and ±Infinity as the strings "NaN",
// "Infinity", "-Infinity"), dates as "YYYY-MM-DD", timestamps as
// "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z" and decimals as numbers with their scale.
func NewWriter(w io.Writer, schema *arrow.Schema) (*Writer, error) {
	if schema == nil || schema.NumFields() == 0 {
		return nil, fmt.Errorf("json: write: schema has no columns")
	}
	wr := &Writer{bw: bufio.NewWriterSize(w, 64<<10), schema: schema}
	for _, f := range schema.Fields() {
		k := appendString(nil, []byte(f.Name))
		wr.keys = append(wr.keys, append(k, ':'))
	}
	return wr, nil
}

// Write appends the rows of b, whose columns must match the schema in number
// and (dictionary-decoded) type.
func (w *Writer) Write(b arrow.RecordBatch) error {
	if w.closed {
		return fmt.Errorf("json: write after close")
	}
	if int(b.NumCols()) != w.schema.NumFields() {
		return fmt.Errorf("json: write: batch has %d columns, schema %d", b.NumCols(), w.schema.NumFields())
	}
	w.fmts = w.fmts[:0]
	for c := 0; c < int(b.NumCols()); c++ {
		f, err := formatterFor(b.Column(c))
		if err != nil {
			return fmt.Errorf("json: write column %s: %w", w.schema.Field(c).Name, err)
		}
		w.fmts = append(w.fmts, f)
	}
	for i := range int(b.NumRows()) {
		w.line = append(w.line[:0], '{')
		first := true
		for c, f := range w.fmts {
			mark := len(w.line)
			if !first {
				w.line = append(w.line, ',')
			}
			w.line = append(w.line, w.keys[c]...)
			var null bool
			w.line, null = f(w.line, i)
			if null {
				w.line = w.line[:mark]
				continue
			}
			first = false
		}
		w.line = append(w.line, '}', '\n')
		if _, err := w.bw.Write(w.line); err != nil {
			return fmt.Errorf("json: write: %w", err)
		}
	}
	return nil
}

// Close flushes buffered output; it does not close the io.Writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("json: flush: %w", err)
	}
	return nil
}

func formatterFor(arr arrow.Array) (formatter, error) {
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
			return appendDouble(dst, float64(vals[i]), 32), false
		}, nil
	case *array.Float64:
		vals := a.Float64Values()
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return appendDouble(dst, vals[i], 64), false
		}, nil
	case *array.String:
		offs, data := a.ValueOffsets(), a.ValueBytes()
		base := offs[0]
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return appendString(dst, data[offs[i]-base:offs[i+1]-base]), false
		}, nil
	case *array.Date32:
		vals := a.Date32Values()
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			dst = append(dst, '"')
			dst = time.Unix(int64(vals[i])*86400, 0).UTC().AppendFormat(dst, "2006-01-02")
			return append(dst, '"'), false
		}, nil
	case *array.Timestamp:
		vals := a.TimestampValues()
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			dst = append(dst, '"')
			dst = vals[i].ToTime(unit).UTC().AppendFormat(dst, "2006-01-02T15:04:05.999999999Z")
			return append(dst, '"'), false
		}, nil
	case *array.Decimal64:
		scale := a.DataType().(*arrow.Decimal64Type).Scale
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return appendDecimal(dst, decimal128.FromI64(int64(a.Value(i))), scale), false
		}, nil
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return appendDecimal(dst, a.Value(i), scale), false
		}, nil
	case *array.Dictionary:
		inner, err := formatterFor(a.Dictionary())
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

func intFormatter[T int8 | int16 | int32 | int64](a arrow.Array, vals []T) formatter {
	return func(dst []byte, i int) ([]byte, bool) {
		if a.IsNull(i) {
			return dst, true
		}
		return strconv.AppendInt(dst, int64(vals[i]), 10), false
	}
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendString(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendDouble appends f as Java's Double.toString (Float.toString for bits
// 32) does: the shortest round-trip text, plain for magnitudes in [1e-3, 1e7)
// and as d.dddE±n otherwise; non-finite values as quoted strings.
func appendDouble(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
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

// appendDecimal appends the unscaled value n with scale fractional digits;
// values that fit in an int64 are formatted without allocating.
func appendDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	hi, lo := n.HighBits(), n.LowBits()
	if scale < 0 || !((hi == 0 && lo <= math.MaxInt64) || (hi == -1 && lo > math.MaxInt64)) {
		return append(dst, n.ToString(scale)...)
	}
	v := int64(lo)
	var tmp [24]byte
	digits := strconv.AppendUint(tmp[:0], absU64(v), 10)
	if v < 0 {
		dst = append(dst, '-')
	}
	s := int(scale)
	if s == 0 {
		return append(dst, digits...)
	}
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

func absU64(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}
