// Package avro reads Avro object container files as Spark's avro data
// source does, with github.com/hamba/avro/v2 for the container format and
// its codecs (null, deflate, snappy, zstandard).
//
// Avro types map to Spark's: boolean, int, long, float, double, string map
// to themselves; bytes and fixed to binary; enum to string; record to
// struct; array to list; map to map<string, …>; a union of null and one
// type to that type, nullable; a union of int and long to long and of float
// and double to double (with or without null); other unions are an error
// naming the column. Logical types: date to date, timestamp-millis and
// timestamp-micros to timestamp (UTC), local-timestamp-millis/micros to
// timestamp_ntz, decimal (bytes or fixed) to decimal(p, s), time-millis to
// int (milliseconds) and time-micros to bigint (microseconds), as Spark.
package avro

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	havro "github.com/hamba/avro/v2"
	"github.com/hamba/avro/v2/ocf"

	"github.com/gspark/gspark/io/fsys"
)

// Options configure a Reader.
type Options struct {
	// Schema is the schema Next returns; fields are found in the file by
	// name, ignoring case, and must have the type the file's maps to. Nil
	// means the file's own.
	Schema *arrow.Schema
	// Read marks the columns of Schema to convert; the others are null.
	// Nil reads every column.
	Read []bool
	// Mem allocates the batches; default memory.DefaultAllocator.
	Mem memory.Allocator
	// Open opens the file at path (an object store's through its fsys.FS);
	// nil opens a local file.
	Open func(path string) (fsys.File, error)
	// BatchSize is the number of rows a batch holds at most; default 4096.
	BatchSize int
}

// Reader reads the records of one Avro object container file as batches.
type Reader struct {
	path  string
	f     fsys.File
	dec   *ocf.Decoder
	want  *arrow.Schema
	conv  []*converter // per want column; nil when not read
	names []string     // the Avro field name of each want column
	opts  Options
	row   int64
}

// ReadSchema is the Arrow schema of the Avro file at path.
func ReadSchema(path string) (*arrow.Schema, error) {
	r, err := Open(path, Options{})
	if err != nil {
		return nil, err
	}
	s := r.Schema()
	return s, r.Close()
}

// Open opens the Avro object container file at path.
func Open(path string, opts Options) (r *Reader, err error) {
	defer recoverErr(&err, path)
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 4096
	}
	open := opts.Open
	if open == nil {
		open = func(path string) (fsys.File, error) { return fsys.Local{}.Open(context.Background(), path) }
	}
	f, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("avro: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	dec, err := ocf.NewDecoder(f)
	if err != nil {
		return nil, fmt.Errorf("avro: %s: not a readable Avro object container file: %w", path, err)
	}
	rec, ok := dec.Schema().(*havro.RecordSchema)
	if !ok {
		return nil, fmt.Errorf("avro: %s: the file's schema is %s, not a record", path, dec.Schema().Type())
	}
	var fields []arrow.Field
	var convs []*converter
	for _, af := range rec.Fields() {
		c, err := newConverter(af.Type(), af.Name())
		if err != nil {
			return nil, fmt.Errorf("avro: %s: %w", path, err)
		}
		fields = append(fields, arrow.Field{Name: af.Name(), Type: c.typ, Nullable: c.nullable})
		convs = append(convs, c)
	}
	r = &Reader{path: path, f: f, dec: dec, opts: opts}
	if opts.Schema == nil {
		r.want = arrow.NewSchema(fields, nil)
		r.conv = convs
		for _, fl := range fields {
			r.names = append(r.names, fl.Name)
		}
		return r, nil
	}
	r.want = opts.Schema
	r.conv = make([]*converter, opts.Schema.NumFields())
	r.names = make([]string, opts.Schema.NumFields())
	for i, w := range opts.Schema.Fields() {
		if opts.Read != nil && !opts.Read[i] {
			continue
		}
		found := false
		for j, fl := range fields {
			if strings.EqualFold(fl.Name, w.Name) {
				if !arrow.TypeEqual(fl.Type, w.Type) {
					return nil, fmt.Errorf("avro: %s: column %s is %s in the file, want %s (files of one table must agree)", path, w.Name, fl.Type, w.Type)
				}
				r.conv[i], r.names[i], found = convs[j], fl.Name, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("avro: %s: column %s is not in the file", path, w.Name)
		}
	}
	return r, nil
}

// recoverErr turns a panic while decoding a malformed file into an error
// naming the file.
func recoverErr(err *error, path string) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("avro: %s: malformed Avro data: %v", path, p)
	}
}

// Schema is the schema of the batches Next returns.
func (r *Reader) Schema() *arrow.Schema { return r.want }

// Next returns the next batch of up to BatchSize records, or io.EOF.
func (r *Reader) Next() (b arrow.RecordBatch, err error) {
	defer recoverErr(&err, r.path)
	bld := array.NewRecordBuilder(r.opts.Mem, r.want)
	defer bld.Release()
	n := 0
	for n < r.opts.BatchSize && r.dec.HasNext() {
		var v any
		if err := r.dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("avro: %s: record %d: %w", r.path, r.row+1, err)
		}
		m, _ := v.(map[string]any)
		for i, c := range r.conv {
			fb := bld.Field(i)
			if c == nil {
				fb.AppendNull()
				continue
			}
			if err := c.append(fb, m[r.names[i]]); err != nil {
				return nil, fmt.Errorf("avro: %s: record %d: field %s: %w", r.path, r.row+1, r.names[i], err)
			}
		}
		n++
		r.row++
	}
	if err := r.dec.Error(); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("avro: %s: after record %d: %w", r.path, r.row, err)
	}
	if n == 0 {
		return nil, io.EOF
	}
	return bld.NewRecordBatch(), nil
}

// Close closes the file.
func (r *Reader) Close() error {
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// converter appends decoded values of one Avro schema to an Arrow builder.
type converter struct {
	typ      arrow.DataType
	nullable bool
	// unwrap is the name a generic decoder may wrap a union branch's
	// value under (see branchName), or "" outside unions.
	unwrap   string
	add      func(b array.Builder, v any) error
	children []*converter
}

func wrongValue(v any, want string) error {
	return fmt.Errorf("value %v (%T) is not %s", v, v, want)
}

// newConverter maps Avro schema s of column col to its Arrow type.
func newConverter(s havro.Schema, col string) (*converter, error) {
	if ref, ok := s.(*havro.RefSchema); ok {
		s = ref.Schema()
	}
	if u, ok := s.(*havro.UnionSchema); ok {
		return unionConverter(u, col)
	}
	var logical havro.LogicalType
	if l, ok := s.(havro.LogicalTypeSchema); ok && l.Logical() != nil {
		logical = l.Logical().Type()
	}
	c := &converter{}
	switch s.Type() {
	case havro.Boolean:
		c.typ = arrow.FixedWidthTypes.Boolean
		c.add = func(b array.Builder, v any) error {
			x, ok := v.(bool)
			if !ok {
				return wrongValue(v, "a boolean")
			}
			b.(*array.BooleanBuilder).Append(x)
			return nil
		}
	case havro.Int:
		switch logical {
		case havro.Date:
			c.typ = arrow.FixedWidthTypes.Date32
			c.add = func(b array.Builder, v any) error {
				t, ok := v.(time.Time)
				if !ok {
					return wrongValue(v, "a date")
				}
				days := t.Unix() / 86400
				if t.Unix()%86400 < 0 {
					days--
				}
				b.(*array.Date32Builder).Append(arrow.Date32(days))
				return nil
			}
		default:
			c.typ = arrow.PrimitiveTypes.Int32
			c.add = func(b array.Builder, v any) error {
				switch x := v.(type) {
				case int:
					b.(*array.Int32Builder).Append(int32(x))
				case time.Duration: // time-millis
					b.(*array.Int32Builder).Append(int32(x / time.Millisecond))
				default:
					return wrongValue(v, "an int")
				}
				return nil
			}
		}
	case havro.Long:
		switch logical {
		case havro.TimestampMillis, havro.TimestampMicros, havro.LocalTimestampMillis, havro.LocalTimestampMicros:
			if logical == havro.TimestampMillis || logical == havro.TimestampMicros {
				c.typ = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
			} else {
				c.typ = &arrow.TimestampType{Unit: arrow.Microsecond}
			}
			c.add = func(b array.Builder, v any) error {
				t, ok := v.(time.Time)
				if !ok {
					return wrongValue(v, "a timestamp")
				}
				b.(*array.TimestampBuilder).Append(arrow.Timestamp(t.UnixMicro()))
				return nil
			}
		default:
			c.typ = arrow.PrimitiveTypes.Int64
			c.add = appendLong
		}
	case havro.Float:
		c.typ = arrow.PrimitiveTypes.Float32
		c.add = func(b array.Builder, v any) error {
			x, ok := v.(float32)
			if !ok {
				return wrongValue(v, "a float")
			}
			b.(*array.Float32Builder).Append(x)
			return nil
		}
	case havro.Double:
		c.typ = arrow.PrimitiveTypes.Float64
		c.add = appendDouble
	case havro.String:
		c.typ = arrow.BinaryTypes.String
		c.add = appendString
	case havro.Enum:
		c.typ = arrow.BinaryTypes.String
		c.add = appendString
	case havro.Bytes, havro.Fixed:
		if logical == havro.Decimal {
			d := s.(havro.LogicalTypeSchema).Logical().(*havro.DecimalLogicalSchema)
			if d.Precision() > 38 {
				return nil, fmt.Errorf("column %s: decimal precision %d is over 38", col, d.Precision())
			}
			c.typ = &arrow.Decimal128Type{Precision: int32(d.Precision()), Scale: int32(d.Scale())}
			scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale())), nil)
			c.add = func(b array.Builder, v any) error {
				r, ok := v.(*big.Rat)
				if !ok {
					return wrongValue(v, "a decimal")
				}
				num := new(big.Int).Mul(r.Num(), scale)
				q, m := new(big.Int).QuoRem(num, r.Denom(), new(big.Int))
				if m.Sign() != 0 {
					return fmt.Errorf("decimal %s does not fit scale %d", r.RatString(), d.Scale())
				}
				n, err := decimal128.FromBigInt(q), error(nil)
				if !n.FitsInPrecision(int32(d.Precision())) {
					err = fmt.Errorf("decimal %s does not fit precision %d", r.FloatString(d.Scale()), d.Precision())
				}
				if err != nil {
					return err
				}
				b.(*array.Decimal128Builder).Append(n)
				return nil
			}
			break
		}
		c.typ = arrow.BinaryTypes.Binary
		c.add = func(b array.Builder, v any) error {
			switch x := v.(type) {
			case []byte:
				b.(*array.BinaryBuilder).Append(x)
				return nil
			}
			rv := reflect.ValueOf(v)
			if rv.Kind() == reflect.Array && rv.Type().Elem().Kind() == reflect.Uint8 {
				bs := make([]byte, rv.Len())
				reflect.Copy(reflect.ValueOf(bs), rv)
				b.(*array.BinaryBuilder).Append(bs)
				return nil
			}
			return wrongValue(v, "bytes")
		}
	case havro.Record:
		rs := s.(*havro.RecordSchema)
		var fields []arrow.Field
		var names []string
		for _, f := range rs.Fields() {
			ch, err := newConverter(f.Type(), col+"."+f.Name())
			if err != nil {
				return nil, err
			}
			c.children = append(c.children, ch)
			fields = append(fields, arrow.Field{Name: f.Name(), Type: ch.typ, Nullable: ch.nullable})
			names = append(names, f.Name())
		}
		c.typ = arrow.StructOf(fields...)
		c.add = func(b array.Builder, v any) error {
			m, ok := v.(map[string]any)
			if !ok {
				return wrongValue(v, "a record")
			}
			sb := b.(*array.StructBuilder)
			sb.Append(true)
			for i, ch := range c.children {
				if err := ch.append(sb.FieldBuilder(i), m[names[i]]); err != nil {
					return fmt.Errorf("field %s: %w", names[i], err)
				}
			}
			return nil
		}
	case havro.Array:
		ch, err := newConverter(s.(*havro.ArraySchema).Items(), col+".element")
		if err != nil {
			return nil, err
		}
		c.children = []*converter{ch}
		c.typ = arrow.ListOfField(arrow.Field{Name: "element", Type: ch.typ, Nullable: ch.nullable})
		c.add = func(b array.Builder, v any) error {
			xs, ok := v.([]any)
			if !ok {
				return wrongValue(v, "an array")
			}
			lb := b.(*array.ListBuilder)
			lb.Append(true)
			for _, x := range xs {
				if err := ch.append(lb.ValueBuilder(), x); err != nil {
					return err
				}
			}
			return nil
		}
	case havro.Map:
		ch, err := newConverter(s.(*havro.MapSchema).Values(), col+".value")
		if err != nil {
			return nil, err
		}
		c.children = []*converter{ch}
		mt := arrow.MapOf(arrow.BinaryTypes.String, ch.typ)
		mt.SetItemNullable(ch.nullable)
		c.typ = mt
		c.add = func(b array.Builder, v any) error {
			m, ok := v.(map[string]any)
			if !ok {
				return wrongValue(v, "a map")
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			mb := b.(*array.MapBuilder)
			mb.Append(true)
			for _, k := range keys {
				mb.KeyBuilder().(*array.StringBuilder).Append(k)
				if err := ch.append(mb.ItemBuilder(), m[k]); err != nil {
					return fmt.Errorf("key %q: %w", k, err)
				}
			}
			return nil
		}
	default:
		return nil, fmt.Errorf("column %s: Avro type %s is not supported", col, s.Type())
	}
	return c, nil
}

// unionConverter maps a union as Spark does.
func unionConverter(u *havro.UnionSchema, col string) (*converter, error) {
	var types []havro.Schema
	hasNull := false
	for _, t := range u.Types() {
		if t.Type() == havro.Null {
			hasNull = true
			continue
		}
		types = append(types, t)
	}
	var c *converter
	switch {
	case len(types) == 1:
		var err error
		if c, err = newConverter(types[0], col); err != nil {
			return nil, err
		}
		c.unwrap = branchName(types[0])
	case len(types) == 2 && isPlain(types, havro.Int, havro.Long):
		c = &converter{typ: arrow.PrimitiveTypes.Int64, add: appendLong}
	case len(types) == 2 && isPlain(types, havro.Float, havro.Double):
		c = &converter{typ: arrow.PrimitiveTypes.Float64, add: appendDouble}
	default:
		var names []string
		for _, t := range u.Types() {
			names = append(names, string(t.Type()))
		}
		return nil, fmt.Errorf("column %s: the union [%s] is not supported (only unions of null and one type, int and long, float and double)", col, strings.Join(names, ", "))
	}
	if hasNull {
		c.nullable = true
	}
	if len(types) == 2 {
		// The generic decoder wraps each branch under its type name.
		inner := c.add
		c.add = func(b array.Builder, v any) error {
			if m, ok := v.(map[string]any); ok && len(m) == 1 {
				for _, x := range m {
					v = x
				}
			}
			return inner(b, v)
		}
	}
	return c, nil
}

// branchName is the key the generic decoder wraps a union branch of
// schema t under when it has no Go type registered for it (named types,
// arrays, maps, some logical types).
func branchName(t havro.Schema) string {
	if ref, ok := t.(*havro.RefSchema); ok {
		t = ref.Schema()
	}
	if n, ok := t.(havro.NamedSchema); ok {
		return n.FullName()
	}
	name := string(t.Type())
	if l, ok := t.(havro.LogicalTypeSchema); ok && l.Logical() != nil {
		name += "." + string(l.Logical().Type())
	}
	return name
}

func isPlain(ts []havro.Schema, a, b havro.Type) bool {
	for _, t := range ts {
		if l, ok := t.(havro.LogicalTypeSchema); ok && l.Logical() != nil {
			return false
		}
	}
	return ts[0].Type() == a && ts[1].Type() == b || ts[0].Type() == b && ts[1].Type() == a
}

// append adds v (nil for null) to b.
func (c *converter) append(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	if c.unwrap != "" {
		if m, ok := v.(map[string]any); ok && len(m) == 1 {
			if x, ok := m[c.unwrap]; ok {
				v = x
			}
		}
	}
	return c.add(b, v)
}

func appendLong(b array.Builder, v any) error {
	switch x := v.(type) {
	case int64:
		b.(*array.Int64Builder).Append(x)
	case int:
		b.(*array.Int64Builder).Append(int64(x))
	case time.Duration: // time-micros
		b.(*array.Int64Builder).Append(int64(x / time.Microsecond))
	default:
		return wrongValue(v, "a long")
	}
	return nil
}

func appendDouble(b array.Builder, v any) error {
	switch x := v.(type) {
	case float64:
		b.(*array.Float64Builder).Append(x)
	case float32:
		b.(*array.Float64Builder).Append(float64(x))
	default:
		return wrongValue(v, "a double")
	}
	return nil
}

func appendString(b array.Builder, v any) error {
	x, ok := v.(string)
	if !ok {
		return wrongValue(v, "a string")
	}
	b.(*array.StringBuilder).Append(x)
	return nil
}
