package csv

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Writer writes record batches as CSV text.
type Writer struct {
	cfg     *config
	bw      *bufio.Writer
	schema  *arrow.Schema
	scratch []byte
	line    []byte
	fmts    []formatter
	closed  bool
}

// formatter appends the text of row i to dst; null reports a null value.
type formatter func(dst []byte, i int) (out []byte, null bool)

// NewWriter returns a Writer of CSV text to w for batches of schema, starting
// with a header line when opts.Header. Values are written as Spark writes
// them: dates as yyyy-MM-dd, timestamps as "2006-01-02 15:04:05.ffffff" with
// trailing zeros trimmed (UTC), decimals exactly with their scale, doubles in
// Java's shortest round-trip form, nulls as opts.NullValue. Fields holding the
// delimiter, quote, a newline, or text equal to NullValue are quoted; inside
// quotes a quote is written escaped (\" by default).
func NewWriter(w io.Writer, schema *arrow.Schema, opts Options) (*Writer, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if schema == nil || schema.NumFields() == 0 {
		return nil, fmt.Errorf("csv: write: schema has no columns")
	}
	wr := &Writer{cfg: cfg, bw: bufio.NewWriterSize(w, 64<<10), schema: schema}
	if cfg.Header {
		wr.line = wr.line[:0]
		for i, f := range schema.Fields() {
			if i > 0 {
				wr.line = append(wr.line, cfg.delim)
			}
			wr.line = wr.appendField(wr.line, []byte(f.Name))
		}
		wr.line = append(wr.line, '\n')
		if _, err := wr.bw.Write(wr.line); err != nil {
			return nil, fmt.Errorf("csv: write header: %w", err)
		}
	}
	return wr, nil
}

// Write appends the rows of b, whose columns must match the schema in number
// and (dictionary-decoded) type.
func (w *Writer) Write(b arrow.RecordBatch) error {
	if w.closed {
		return fmt.Errorf("csv: write after close")
	}
	if int(b.NumCols()) != w.schema.NumFields() {
		return fmt.Errorf("csv: write: batch has %d columns, schema %d", b.NumCols(), w.schema.NumFields())
	}
	w.fmts = w.fmts[:0]
	for c := 0; c < int(b.NumCols()); c++ {
		f, err := w.formatter(b.Column(c))
		if err != nil {
			return fmt.Errorf("csv: write column %s: %w", w.schema.Field(c).Name, err)
		}
		w.fmts = append(w.fmts, f)
	}
	rows := int(b.NumRows())
	for i := range rows {
		w.line = w.line[:0]
		for c, f := range w.fmts {
			if c > 0 {
				w.line = append(w.line, w.cfg.delim)
			}
			var null bool
			w.scratch, null = f(w.scratch[:0], i)
			if null {
				w.line = append(w.line, w.cfg.null...)
				continue
			}
			w.line = w.appendField(w.line, w.scratch)
		}
		w.line = append(w.line, '\n')
		if _, err := w.bw.Write(w.line); err != nil {
			return fmt.Errorf("csv: write: %w", err)
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
		return fmt.Errorf("csv: flush: %w", err)
	}
	return nil
}

func (w *Writer) needsQuote(v []byte) bool {
	if bytes.Equal(v, w.cfg.null) {
		return true
	}
	for _, c := range v {
		if c == w.cfg.delim || c == w.cfg.quote || c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// appendField appends v, quoted and escaped when needed.
func (w *Writer) appendField(dst, v []byte) []byte {
	if !w.needsQuote(v) {
		return append(dst, v...)
	}
	q, e := w.cfg.quote, w.cfg.escape
	dst = append(dst, q)
	for i, c := range v {
		switch {
		case c == q:
			dst = append(dst, e, q)
		case c == e && (i+1 == len(v) || v[i+1] == q || v[i+1] == e):
			// An escape that the reader would take as escaping what follows
			// (or the closing quote) is itself escaped.
			dst = append(dst, e, e)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, q)
}

func (w *Writer) formatter(arr arrow.Array) (formatter, error) {
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
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return append(dst, a.Value(i)...), false
		}, nil
	case *array.Date32:
		vals := a.Date32Values()
		layout := w.cfg.DateFormat
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return time.Unix(int64(vals[i])*86400, 0).UTC().AppendFormat(dst, layout), false
		}, nil
	case *array.Timestamp:
		vals := a.TimestampValues()
		unit := a.DataType().(*arrow.TimestampType).Unit
		layout := w.cfg.writeTSFormat
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, true
			}
			return vals[i].ToTime(unit).UTC().AppendFormat(dst, layout), false
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
		inner, err := w.formatter(a.Dictionary())
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

// appendDouble appends f as Java's Double.toString (or Float.toString for
// bits 32) writes it: the shortest text that round-trips, in plain notation
// for magnitudes in [1e-3, 1e7) and as d.dddE±n otherwise.
func appendDouble(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
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

// appendDecimal appends the unscaled value n with scale fractional digits.
func appendDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
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
