package json

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/values"
)

// Reader reads JSON Lines into record batches of a fixed schema. Fields of a
// line that are not in the schema are ignored; missing ones are null; when a
// key repeats, its last value wins.
type Reader struct {
	opts   Options
	sc     *scanner
	name   string
	schema *arrow.Schema
	bld    *array.RecordBuilder
	cols   []column
	index  map[string]int
	slot   []int // per column: index into sc.members of its value, or -1
	err    error
	// release releases the decompressor.
	release func()
}

// column converts one field's value (kind, bytes) and appends it. check
// validates and converts into the column's pending value; add appends the
// pending value.
type column struct {
	name  string
	typ   arrow.DataType
	check func(k kind, v []byte) bool
	add   func()
	null  func()
}

// NewReader returns a Reader that parses r (file name name, used in errors)
// into batches of schema. A name ending in .gz, .zst or .bz2 means r is
// compressed (see source.Decompress).
func NewReader(r io.Reader, name string, schema *arrow.Schema, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	if schema == nil || schema.NumFields() == 0 {
		return nil, fmt.Errorf("json: %s: schema has no columns", name)
	}
	text, release, err := source.Decompress(r, name)
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	rd := &Reader{opts: opts, sc: newScanner(text, name, opts.MaxRecordBytes), name: name, schema: schema, index: map[string]int{}, release: release}
	rd.bld = array.NewRecordBuilder(opts.Mem, schema)
	rd.cols = make([]column, schema.NumFields())
	rd.slot = make([]int, schema.NumFields())
	for i, f := range schema.Fields() {
		c, ok := newColumn(f, rd.bld.Field(i))
		if !ok {
			rd.bld.Release()
			return nil, fmt.Errorf("json: %s: unsupported type %s of column %s", name, f.Type, f.Name)
		}
		rd.cols[i] = c
		rd.index[f.Name] = i
	}
	return rd, nil
}

func newColumn(f arrow.Field, b array.Builder) (column, bool) {
	c := column{name: f.Name, typ: f.Type, null: b.AppendNull}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		var x bool
		c.check = func(k kind, _ []byte) bool {
			x = k == kTrue
			return k == kTrue || k == kFalse
		}
		c.add = func() { bb.Append(x) }
	case *array.Int8Builder:
		var x int64
		c.check = intCheck(&x, 8)
		c.add = func() { bb.Append(int8(x)) }
	case *array.Int16Builder:
		var x int64
		c.check = intCheck(&x, 16)
		c.add = func() { bb.Append(int16(x)) }
	case *array.Int32Builder:
		var x int64
		c.check = intCheck(&x, 32)
		c.add = func() { bb.Append(int32(x)) }
	case *array.Int64Builder:
		var x int64
		c.check = intCheck(&x, 64)
		c.add = func() { bb.Append(x) }
	case *array.Float32Builder:
		var x float64
		c.check = floatCheck(&x, 32)
		c.add = func() { bb.Append(float32(x)) }
	case *array.Float64Builder:
		var x float64
		c.check = floatCheck(&x, 64)
		c.add = func() { bb.Append(x) }
	case *array.StringBuilder:
		// Any value reads as a string: numbers, booleans and nested values as
		// their JSON text.
		var x []byte
		c.check = func(_ kind, v []byte) bool {
			x = v
			return true
		}
		c.add = func() { bb.BinaryBuilder.Append(x) }
	case *array.Date32Builder:
		var x int32
		c.check = func(k kind, v []byte) bool {
			if k != kString {
				return false
			}
			d, ok := parseDate(v)
			x = d
			return ok
		}
		c.add = func() { bb.Append(arrow.Date32(x)) }
	case *array.TimestampBuilder:
		unit := f.Type.(*arrow.TimestampType).Unit
		var x time.Time
		c.check = func(k kind, v []byte) bool {
			if k != kString {
				return false
			}
			var ok bool
			x, ok = parseTimestamp(v)
			return ok
		}
		c.add = func() {
			ts, err := arrow.TimestampFromTime(x, unit)
			if err != nil {
				ts = 0
			}
			bb.Append(ts)
		}
	case *array.Decimal64Builder:
		dt := f.Type.(*arrow.Decimal64Type)
		var x decimal128.Num
		c.check = decimalCheck(&x, dt.Precision, dt.Scale)
		c.add = func() { bb.Append(decimal.Decimal64(int64(x.LowBits()))) }
	case *array.Decimal128Builder:
		dt := f.Type.(*arrow.Decimal128Type)
		var x decimal128.Num
		c.check = decimalCheck(&x, dt.Precision, dt.Scale)
		c.add = func() { bb.Append(x) }
	default:
		return c, false
	}
	return c, true
}

func intCheck(x *int64, bits int) func(kind, []byte) bool {
	return func(k kind, v []byte) bool {
		if k != kInt {
			return false
		}
		n, err := strconv.ParseInt(string(v), 10, bits)
		*x = n
		return err == nil
	}
}

func floatCheck(x *float64, bits int) func(kind, []byte) bool {
	return func(k kind, v []byte) bool {
		switch k {
		case kInt, kNumber:
			f, err := strconv.ParseFloat(string(v), bits)
			*x = f
			return err == nil
		case kString:
			// Non-finite values are written as strings, as Spark does.
			switch string(v) {
			case "NaN":
				*x = math.NaN()
			case "Infinity", "+Infinity":
				*x = math.Inf(1)
			case "-Infinity":
				*x = math.Inf(-1)
			default:
				return false
			}
			return true
		}
		return false
	}
}

func decimalCheck(x *decimal128.Num, prec, scale int32) func(kind, []byte) bool {
	return func(k kind, v []byte) bool {
		if k != kInt && k != kNumber && k != kString {
			return false
		}
		n, ok := parseDecimal(v, prec, scale)
		*x = n
		return ok
	}
}

// parseDecimal parses [+-]digits[.digits][e[+-]digits] exactly as an unscaled
// value of the given precision and scale; digits lost to the scale must be zeros.
func parseDecimal(b []byte, prec, scale int32) (decimal128.Num, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	var digits []byte
	var buf [80]byte
	digits = buf[:0]
	exp := 0
	fracDigits := 0
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		digits = append(digits, b[i])
	}
	nInt := i
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			digits = append(digits, b[i])
			fracDigits++
		}
	}
	if len(digits) == 0 || (nInt == 0 && fracDigits == 0) {
		return decimal128.Num{}, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		e, err := strconv.Atoi(string(b[i+1:]))
		if err != nil || e > 1000 || e < -1000 {
			return decimal128.Num{}, false
		}
		exp = e
		i = len(b)
	}
	if i != len(b) {
		return decimal128.Num{}, false
	}
	// value = digits * 10^(exp - fracDigits); unscaled = digits * 10^(exp - fracDigits + scale).
	shift := exp - fracDigits + int(scale)
	for shift < 0 {
		if digits[len(digits)-1] != '0' {
			return decimal128.Num{}, false
		}
		digits = digits[:len(digits)-1]
		shift++
		if len(digits) == 0 {
			digits = append(digits, '0')
			shift = 0
		}
	}
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	if len(digits)+shift > int(prec) && !(len(digits) == 1 && digits[0] == '0') {
		return decimal128.Num{}, false
	}
	var n decimal128.Num
	ten := decimal128.FromU64(10)
	for _, c := range digits {
		n = n.Mul(ten).Add(decimal128.FromU64(uint64(c - '0')))
	}
	for ; shift > 0; shift-- {
		n = n.Mul(ten)
	}
	if neg {
		n = n.Negate()
	}
	return n, true
}

var timestampLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseTimestamp parses ISO-8601 text: a date, optionally with a time ('T' or
// space), fractional seconds and a zone (Z or ±hh:mm); no zone means UTC.
func parseTimestamp(v []byte) (time.Time, bool) {
	s := string(v)
	for _, l := range timestampLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseDate parses YYYY-MM-DD (a four-digit year) into days since the epoch.
func parseDate(v []byte) (int32, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return 0, false
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, m, d := num(v[:4]), num(v[5:7]), num(v[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return int32(daysFromCivil(y, m, d)), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 to y-m-d (proleptic Gregorian).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Schema returns the schema of the batches read.
func (r *Reader) Schema() *arrow.Schema { return r.schema }

// Next returns the next batch of at most BatchSize rows, or io.EOF at the
// end. The caller releases the batch. After an error Next keeps returning it.
func (r *Reader) Next() (arrow.RecordBatch, error) {
	if r.err != nil {
		return nil, r.err
	}
	n := 0
	for n < r.opts.BatchSize {
		ok, err := r.sc.next()
		if err == nil && ok {
			err = r.convert()
		}
		if ok && err != nil && isParseError(err) {
			switch r.opts.Mode {
			case DropMalformed:
				continue
			case Permissive:
				for i := range r.cols {
					r.cols[i].null()
				}
				n++
				continue
			}
		}
		if err != nil {
			r.err = err
			return nil, err
		}
		if !ok {
			break
		}
		for i := range r.cols {
			if r.slot[i] < 0 || r.sc.members[r.slot[i]].kind == kNull {
				r.cols[i].null()
			} else {
				r.cols[i].add()
			}
		}
		n++
	}
	if n == 0 {
		r.err = io.EOF
		return nil, io.EOF
	}
	return r.bld.NewRecordBatch(), nil
}

func isParseError(err error) bool {
	var pe *ParseError
	return errors.As(err, &pe)
}

// convert matches the line's members to columns and checks their values.
func (r *Reader) convert() error {
	sc := r.sc
	for i := range r.slot {
		r.slot[i] = -1
	}
	for j := range sc.members {
		m := &sc.members[j]
		if i, ok := r.index[string(sc.buf[m.keyStart:m.keyEnd])]; ok {
			r.slot[i] = j
		}
	}
	for i := range r.cols {
		j := r.slot[i]
		if j < 0 {
			continue
		}
		m := &sc.members[j]
		if m.kind == kNull {
			continue
		}
		c := &r.cols[i]
		v := sc.buf[m.start:m.end]
		if !c.check(m.kind, v) {
			return &ParseError{File: sc.name, Line: sc.line,
				Msg: fmt.Sprintf("cannot read %s as %s in column %s", abbreviate(v, m.kind), values.TypeName(c.typ), c.name)}
		}
	}
	return nil
}

func abbreviate(v []byte, k kind) string {
	s := string(v)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	if k == kString {
		return strconv.Quote(s)
	}
	return s
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
		r.err = fmt.Errorf("json: %s: reader closed", r.name)
	}
	return nil
}
