package json

import (
	"bufio"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/io/textfmt"
)

// Writer writes record batches as JSON Lines.
type Writer struct {
	bw     *bufio.Writer
	schema *arrow.Schema
	keys   [][]byte // `"name":` per column
	fmts   []textfmt.Formatter
	line   []byte
	closed bool
}

// NewWriter returns a Writer of JSON Lines to w for batches of schema. Each
// row is one object with the non-null columns in schema order; doubles are
// written in Java's shortest form (NaN and ±Infinity as the strings "NaN",
// "Infinity", "-Infinity"), dates as "YYYY-MM-DD", timestamps as
// "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z", decimals as numbers with their scale,
// arrays, structs and maps as Spark writes them (see formatter) and ML vectors as Spark writes its VectorUDT ({"type":1,"values":[...]}
// dense, {"type":0,"size":n,"indices":[...],"values":[...]} sparse).
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
		f, err := formatter(b.Column(c))
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

// jsonText renders values as JSON does: strings escaped, dates and
// timestamps as quoted ISO-8601 text, NaN and the infinities as strings.
func jsonText() textfmt.Options {
	return textfmt.Options{DateLayout: "2006-01-02", TimestampLayout: "2006-01-02T15:04:05.999999999Z",
		QuoteTemporal: true, QuoteNonFinite: true, String: appendString}
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
