package csv

import (
	"bytes"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"

	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/values"
)

// Reader reads CSV text into record batches of a fixed schema.
type Reader struct {
	cfg     *config
	sc      *scanner
	schema  *arrow.Schema
	bld     *array.RecordBuilder
	cols    []column
	started bool
	err     error
	release func() // releases the decompressor
}

// column appends parsed field text to one builder; parse reports false when
// the text is not a value of the column's type.
type column struct {
	name     string
	typeName string
	isString bool
	parse    func(v []byte) bool
	null     func()
}

// NewReader returns a Reader that parses r (file name name, used in errors)
// into batches of schema, skipping the first line when opts.Header. A name
// ending in .gz, .zst or .bz2 means r is compressed (see source.Decompress).
// Supported types: bool, int8..int64, float32/64, string, date32, timestamp,
// decimal64 and decimal128.
func NewReader(r io.Reader, name string, schema *arrow.Schema, opts Options) (*Reader, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if schema == nil || schema.NumFields() == 0 {
		return nil, fmt.Errorf("csv: %s: schema has no columns", name)
	}
	for _, f := range schema.Fields() {
		if !supported(f.Type) {
			return nil, fmt.Errorf("csv: %s: unsupported type %s of column %s", name, f.Type, f.Name)
		}
	}
	text, release, err := source.Decompress(r, name)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	rd := &Reader{cfg: cfg, sc: newScanner(text, name, cfg), schema: schema, release: release}
	rd.bld = array.NewRecordBuilder(cfg.Mem, schema)
	rd.cols = make([]column, schema.NumFields())
	for i, f := range schema.Fields() {
		rd.cols[i] = rd.newColumn(f, rd.bld.Field(i))
	}
	return rd, nil
}

func supported(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.STRING, arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL64, arrow.DECIMAL128:
		return true
	}
	return false
}

func (r *Reader) newColumn(f arrow.Field, b array.Builder) column {
	c := column{name: f.Name, typeName: sparkTypeName(f.Type), null: b.AppendNull}
	cfg := r.cfg
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		c.parse = func(v []byte) bool {
			x, ok := parseBool(v)
			bb.Append(x)
			return ok
		}
	case *array.Int8Builder:
		c.parse = func(v []byte) bool {
			x, ok := parseInt(v, 8)
			bb.Append(int8(x))
			return ok
		}
	case *array.Int16Builder:
		c.parse = func(v []byte) bool {
			x, ok := parseInt(v, 16)
			bb.Append(int16(x))
			return ok
		}
	case *array.Int32Builder:
		c.parse = func(v []byte) bool {
			x, ok := parseInt(v, 32)
			bb.Append(int32(x))
			return ok
		}
	case *array.Int64Builder:
		c.parse = func(v []byte) bool {
			x, ok := parseInt(v, 64)
			bb.Append(x)
			return ok
		}
	case *array.Float32Builder:
		c.parse = func(v []byte) bool {
			x, ok := parseFloat(v, 32)
			bb.Append(float32(x))
			return ok
		}
	case *array.Float64Builder:
		c.parse = func(v []byte) bool {
			x, ok := parseFloat(v, 64)
			bb.Append(x)
			return ok
		}
	case *array.StringBuilder:
		c.isString = true
		c.parse = func(v []byte) bool {
			bb.BinaryBuilder.Append(v)
			return true
		}
	case *array.Date32Builder:
		c.parse = func(v []byte) bool {
			x, ok := cfg.parseDate(v)
			bb.Append(arrow.Date32(x))
			return ok
		}
	case *array.TimestampBuilder:
		unit := f.Type.(*arrow.TimestampType).Unit
		c.parse = func(v []byte) bool {
			x, ok := cfg.parseTimestamp(v)
			bb.Append(timestampFromMicros(x, unit))
			return ok
		}
	case *array.Decimal64Builder:
		dt := f.Type.(*arrow.Decimal64Type)
		c.parse = func(v []byte) bool {
			x, ok := parseDecimal(v, dt.Precision, dt.Scale)
			bb.Append(decimal.Decimal64(int64(x.LowBits())))
			return ok
		}
	case *array.Decimal128Builder:
		dt := f.Type.(*arrow.Decimal128Type)
		c.parse = func(v []byte) bool {
			x, ok := parseDecimal(v, dt.Precision, dt.Scale)
			bb.Append(x)
			return ok
		}
	}
	return c
}

// Schema returns the schema of the batches read.
func (r *Reader) Schema() *arrow.Schema { return r.schema }

// Next returns the next batch of at most opts.BatchSize rows, or io.EOF at
// the end. The caller releases the batch. After an error, Next keeps
// returning it.
func (r *Reader) Next() (arrow.RecordBatch, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		r.started = true
		if r.cfg.Header {
			if _, err := r.sc.next(); err != nil {
				r.err = err
				return nil, err
			}
		}
	}
	n := 0
	for n < r.cfg.BatchSize {
		ok, err := r.sc.next()
		if err != nil {
			r.err = err
			return nil, err
		}
		if !ok {
			break
		}
		if err := r.appendRecord(); err != nil {
			r.err = err
			return nil, err
		}
		n++
	}
	if n == 0 {
		r.err = io.EOF
		return nil, io.EOF
	}
	return r.bld.NewRecordBatch(), nil
}

func (r *Reader) appendRecord() error {
	sc := r.sc
	if len(sc.fields) != len(r.cols) {
		return &ParseError{File: sc.name, Line: sc.recLine, Msg: fmt.Sprintf("expected %d fields, found %d", len(r.cols), len(sc.fields))}
	}
	null := r.cfg.null
	for i := range sc.fields {
		f := &sc.fields[i]
		c := &r.cols[i]
		v := sc.value(f)
		if !f.quoted && (bytes.Equal(v, null) || (len(v) == 0 && !c.isString)) {
			c.null()
			continue
		}
		if !c.parse(v) {
			return &ParseError{File: sc.name, Line: f.line, Column: f.col,
				Msg: fmt.Sprintf("cannot parse %q as %s in column %s", v, c.typeName, c.name)}
		}
	}
	return nil
}

// Close releases the Reader's buffers; it does not close the io.Reader.
func (r *Reader) Close() error {
	if r.bld != nil {
		r.bld.Release()
		r.bld = nil
	}
	if r.release != nil {
		r.release()
		r.release = nil
	}
	if r.err == nil {
		r.err = fmt.Errorf("csv: %s: reader closed", r.sc.name)
	}
	return nil
}

// sparkTypeName names t as Spark does in messages.
func sparkTypeName(t arrow.DataType) string { return values.TypeName(t) }
