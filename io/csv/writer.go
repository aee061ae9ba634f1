package csv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/io/textfmt"
	"github.com/gspark/gspark/values/vectors"
)

// ErrVectorColumn is returned for an ML vector column, which CSV (as in
// Spark) cannot hold.
var ErrVectorColumn = errors.New("CSV cannot hold a column of type vector")

// Writer writes record batches as CSV text.
type Writer struct {
	cfg     *config
	bw      *bufio.Writer
	schema  *arrow.Schema
	scratch []byte
	line    []byte
	fmts    []textfmt.Formatter
	closed  bool
	// isString marks the string columns (where EmptyValue applies).
	isString []bool
}

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
	for _, f := range schema.Fields() {
		if vectors.IsVector(f.Type) {
			return nil, fmt.Errorf("csv: write column %s: %w; select its elements with vector_to_array(%s)[i] (F.VectorToArray(col, \"\").GetItem(i)) or write Parquet or JSON", f.Name, ErrVectorColumn, f.Name)
		}
	}
	wr := &Writer{cfg: cfg, bw: bufio.NewWriterSize(w, 64<<10), schema: schema}
	for _, f := range schema.Fields() {
		t := f.Type
		if d, ok := t.(*arrow.DictionaryType); ok {
			t = d.ValueType
		}
		wr.isString = append(wr.isString, t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING)
	}
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
			if len(w.scratch) == 0 && w.cfg.EmptyValue != nil && w.isString[c] {
				w.line = append(w.line, *w.cfg.EmptyValue...)
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

func (w *Writer) formatter(arr arrow.Array) (textfmt.Formatter, error) {
	if arr.DataType().ID() == arrow.BINARY {
		// Spark writes the Java object's name ([B@1b2c3d), no value.
		return nil, fmt.Errorf("BINARY values cannot be written to CSV (Spark writes no usable text for them); write hex(col) or base64(col) instead")
	}
	switch a := arr.(type) {
	case *array.Date32:
		if p := w.cfg.datePat; p != nil {
			vals := a.Date32Values()
			return func(dst []byte, i int) ([]byte, bool) {
				if a.IsNull(i) {
					return dst, true
				}
				return p.AppendFormat(dst, int64(vals[i])*86400e6), false
			}, nil
		}
	case *array.Timestamp:
		if p := w.cfg.tsPat; p != nil {
			vals := a.TimestampValues()
			unit := a.DataType().(*arrow.TimestampType).Unit
			return func(dst []byte, i int) ([]byte, bool) {
				if a.IsNull(i) {
					return dst, true
				}
				return p.AppendFormat(dst, toMicros(int64(vals[i]), unit)), false
			}, nil
		}
	}
	return textfmt.New(arr, textfmt.Options{DateLayout: "2006-01-02", TimestampLayout: "2006-01-02 15:04:05.999999"})
}

// toMicros converts a timestamp of unit u to microseconds (floor).
func toMicros(v int64, u arrow.TimeUnit) int64 {
	switch u {
	case arrow.Second:
		return v * 1e6
	case arrow.Millisecond:
		return v * 1e3
	case arrow.Nanosecond:
		return floorDiv(v, 1e3)
	}
	return v
}
