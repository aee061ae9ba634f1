package csv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/values"
)

// Reader reads CSV text into record batches of a fixed schema.
type Reader struct {
	cfg     *config
	sc      *scanner
	schema  *arrow.Schema
	bld     *array.RecordBuilder
	cols    []column // the columns read from the file, in field order
	corrupt *array.StringBuilder
	ok      []bool // per column of the current record: the field parsed
	started bool
	err     error
	release func() // releases the decompressor
	ctx     context.Context
}

// ctxCheckRows is how many records Next parses between two looks at the
// reader's context.
const ctxCheckRows = 1024

// SetContext makes Next stop with ctx's error once ctx is done, looking at
// it every ctxCheckRows records, so that a cancelled query does not finish
// the batch it is reading.
func (r *Reader) SetContext(ctx context.Context) { r.ctx = ctx }

// stopped records and returns the context's error when it is done.
func (r *Reader) stopped() error {
	if r.ctx == nil {
		return nil
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return err
	}
	return nil
}

// column parses field text of one column: parse converts v into the
// column's pending value and reports whether it is a value of the type;
// commit appends the pending value, null appends a null.
type column struct {
	name     string
	typeName string
	isString bool
	parse    func(v []byte) bool
	commit   func()
	null     func()
}

// NewReader returns a Reader that parses r (file name name, used in errors)
// into batches of schema, skipping the first line when opts.Header. A name
// ending in .gz, .zst or .bz2 means r is compressed (see source.Decompress).
// Supported types: bool, int8..int64, float32/64, string, date32, timestamp,
// decimal64 and decimal128. The column named opts.CorruptColumn, if the
// schema has it, is not read from the file: it holds the raw text of
// malformed records (Permissive mode).
func NewReader(r io.Reader, name string, schema *arrow.Schema, opts Options) (*Reader, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if schema == nil || schema.NumFields() == 0 {
		return nil, fmt.Errorf("csv: %s: schema has no columns", name)
	}
	corrupt := -1
	for i, f := range schema.Fields() {
		if cfg.CorruptColumn != "" && f.Name == cfg.CorruptColumn {
			if f.Type.ID() != arrow.STRING || !f.Nullable {
				return nil, fmt.Errorf("csv: %s: the corrupt record column %s must be a nullable string, not %s", name, f.Name, sparkTypeName(f.Type))
			}
			corrupt = i
			continue
		}
		if !supported(f.Type) {
			return nil, fmt.Errorf("csv: %s: unsupported type %s of column %s", name, f.Type, f.Name)
		}
	}
	if corrupt >= 0 && schema.NumFields() == 1 {
		return nil, fmt.Errorf("csv: %s: the schema has only the corrupt record column %s", name, cfg.CorruptColumn)
	}
	text, release, err := source.Decompress(r, name)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	if text, err = decodeCharset(text, cfg.Encoding); err != nil {
		release()
		return nil, fmt.Errorf("csv: %s: %w", name, err)
	}
	rd := &Reader{cfg: cfg, sc: newScanner(text, name, cfg), schema: schema, release: release}
	rd.sc.keepRaw = corrupt >= 0
	rd.sc.line = cfg.LineOffset
	rd.sc.off = cfg.ByteOffset
	rd.bld = array.NewRecordBuilder(cfg.Mem, schema)
	for i, f := range schema.Fields() {
		if i == corrupt {
			rd.corrupt = rd.bld.Field(i).(*array.StringBuilder)
			continue
		}
		rd.cols = append(rd.cols, rd.newColumn(f, rd.bld.Field(i)))
	}
	rd.ok = make([]bool, len(rd.cols))
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

// numColumn is a column whose pending value is a T parsed by p and appended
// by app.
func numColumn[T any](c *column, p func(v []byte) (T, bool), app func(T)) {
	var x T
	c.parse = func(v []byte) bool {
		var ok bool
		x, ok = p(v)
		return ok
	}
	c.commit = func() { app(x) }
}

func (r *Reader) newColumn(f arrow.Field, b array.Builder) column {
	c := column{name: f.Name, typeName: sparkTypeName(f.Type), null: b.AppendNull}
	cfg := r.cfg
	intOf := func(bits int) func([]byte) (int64, bool) {
		return func(v []byte) (int64, bool) { return parseInt(v, bits) }
	}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		numColumn(&c, parseBool, bb.Append)
	case *array.Int8Builder:
		numColumn(&c, intOf(8), func(x int64) { bb.Append(int8(x)) })
	case *array.Int16Builder:
		numColumn(&c, intOf(16), func(x int64) { bb.Append(int16(x)) })
	case *array.Int32Builder:
		numColumn(&c, intOf(32), func(x int64) { bb.Append(int32(x)) })
	case *array.Int64Builder:
		numColumn(&c, intOf(64), bb.Append)
	case *array.Float32Builder:
		numColumn(&c, func(v []byte) (float64, bool) { return cfg.parseFloatValue(v, 32) }, func(x float64) { bb.Append(float32(x)) })
	case *array.Float64Builder:
		numColumn(&c, func(v []byte) (float64, bool) { return cfg.parseFloatValue(v, 64) }, bb.Append)
	case *array.StringBuilder:
		c.isString = true
		var x []byte
		c.parse = func(v []byte) bool {
			x = v
			return true
		}
		c.commit = func() { bb.BinaryBuilder.Append(x) }
	case *array.Date32Builder:
		numColumn(&c, cfg.parseDate, func(x int32) { bb.Append(arrow.Date32(x)) })
	case *array.TimestampBuilder:
		unit := f.Type.(*arrow.TimestampType).Unit
		numColumn(&c, cfg.parseTimestamp, func(x int64) { bb.Append(timestampFromMicros(x, unit)) })
	case *array.Decimal64Builder:
		dt := f.Type.(*arrow.Decimal64Type)
		numColumn(&c, func(v []byte) (decimal128.Num, bool) { return parseDecimal(v, dt.Precision, dt.Scale) },
			func(x decimal128.Num) { bb.Append(decimal.Decimal64(int64(x.LowBits()))) })
	case *array.Decimal128Builder:
		dt := f.Type.(*arrow.Decimal128Type)
		numColumn(&c, func(v []byte) (decimal128.Num, bool) { return parseDecimal(v, dt.Precision, dt.Scale) }, bb.Append)
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
	if err := r.stopped(); err != nil {
		return nil, err
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
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			r.err = err
			return nil, err
		}
		if !ok && err == nil {
			break
		}
		added, err := r.appendRecord(err)
		if err != nil {
			r.err = err
			return nil, err
		}
		if added {
			n++
			if n%ctxCheckRows == 0 {
				if err := r.stopped(); err != nil {
					r.bld.NewRecordBatch().Release() // drops the rows built so far
					return nil, err
				}
			}
		}
	}
	if n == 0 {
		r.err = io.EOF
		return nil, io.EOF
	}
	return r.bld.NewRecordBatch(), nil
}

// appendRecord appends the scanner's current record (scanErr is the
// scanner's complaint about its structure, if any) as the mode says: under
// FailFast a malformed record is an error naming file, line and column;
// under DropMalformed it is skipped; under Permissive its fields that do not
// parse are null, missing ones null, extra ones dropped, and the raw record
// goes to the corrupt-record column.
func (r *Reader) appendRecord(scanErr error) (bool, error) {
	sc := r.sc
	mode := r.cfg.Mode
	// The error of a record with the wrong number of fields is made only
	// when FailFast reports it: Permissive keeps such records, and a
	// message per row would cost more than the row.
	malformed := scanErr != nil || len(sc.fields) != len(r.cols)
	if malformed && mode != Permissive {
		if mode != FailFast {
			return false, nil
		}
		if scanErr != nil {
			return false, scanErr
		}
		return false, &ParseError{File: sc.name, Line: sc.recLine, Msg: fmt.Sprintf("expected %d fields, found %d", len(r.cols), len(sc.fields))}
	}
	null := r.cfg.null
	for i := range r.cols {
		c := &r.cols[i]
		r.ok[i] = false
		if scanErr != nil || i >= len(sc.fields) {
			continue
		}
		f := &sc.fields[i]
		v := sc.value(f)
		if !f.quoted && (bytes.Equal(v, null) || (len(v) == 0 && !c.isString)) {
			continue
		}
		if f.quoted && len(v) == 0 && c.isString && r.cfg.EmptyValue != nil {
			v = []byte(*r.cfg.EmptyValue)
		}
		if c.parse(v) {
			r.ok[i] = true
			continue
		}
		malformed = true
		if mode == FailFast {
			return false, &ParseError{File: sc.name, Line: f.line, Column: f.col,
				Msg: fmt.Sprintf("cannot parse %q as %s in column %s", v, c.typeName, c.name)}
		}
		if mode == DropMalformed {
			return false, nil
		}
	}
	for i := range r.cols {
		if r.ok[i] {
			r.cols[i].commit()
		} else {
			r.cols[i].null()
		}
	}
	if r.corrupt != nil {
		if malformed {
			r.corrupt.BinaryBuilder.Append(sc.raw)
		} else {
			r.corrupt.AppendNull()
		}
	}
	return true, nil
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
