package frame

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/values/vectors"
)

// CreateDataFrame makes a DataFrame of Go values held in memory, as Spark's
// createDataFrame does from a list of case classes or Rows. data is a slice
// (or array) of structs or of pointers to structs; each exported field
// becomes a column, named by its `gspark:"name"` tag or else by the field
// name (`gspark:"-"` skips a field). Column types follow the field types:
//
//	int8 TINYINT, int16 and uint8 SMALLINT, int32 and uint16 INT,
//	int, int64, uint32, uint and uint64 BIGINT (a value past its range is an error),
//	float32 FLOAT, float64 DOUBLE, bool BOOLEAN, string STRING, []byte BINARY,
//	time.Time TIMESTAMP, []T and [n]T ARRAY<T>, map[K]V MAP<K,V>,
//	a nested struct STRUCT<...>, and ml vectors (linalg.Vector,
//	*linalg.DenseVector, *linalg.SparseVector) vector columns.
//
// A pointer, a nil slice or a nil map field holds null when nil. Every column
// is nullable. An error (an unsupported field type, a nil row) is carried by
// the returned DataFrame, as for any transformation.
func (s *Session) CreateDataFrame(data any) *DataFrame {
	rec, err := structsRecord(data)
	if err != nil {
		return &DataFrame{s: s, err: fmt.Errorf("CreateDataFrame: %w", err)}
	}
	return s.recordFrame(rec)
}

// CreateDataFrameRows makes a DataFrame of rows of Go values with the schema
// given in Spark's DDL form ("a INT, b STRING, c ARRAY<DOUBLE>"). Each row
// holds one value per column, nil for null; a value may be any Go value of a
// kind the column can hold (any integer for an integer column, within range;
// an integer or a float for a FLOAT or DOUBLE column; time.Time for DATE and
// TIMESTAMP; a slice for an ARRAY, a map for a MAP, a struct, a
// map[string]any or a []any for a STRUCT). A mismatch is an error naming the
// row and the field.
func (s *Session) CreateDataFrameRows(rows [][]any, ddl string) *DataFrame {
	t, err := functions.ParseDDLSchema(ddl)
	if err != nil {
		return &DataFrame{s: s, err: fmt.Errorf("CreateDataFrameRows: schema: %w", err)}
	}
	st, ok := t.(*arrow.StructType)
	if !ok {
		st = arrow.StructOf(arrow.Field{Name: "value", Type: t, Nullable: true})
	}
	return s.CreateDataFrameArrow(rows, arrow.NewSchema(st.Fields(), nil))
}

// CreateDataFrameArrow is CreateDataFrameRows with the schema as an Arrow
// schema.
func (s *Session) CreateDataFrameArrow(rows [][]any, schema *arrow.Schema) *DataFrame {
	if schema == nil {
		return &DataFrame{s: s, err: fmt.Errorf("CreateDataFrameArrow: nil schema")}
	}
	rec, err := rowsRecord(rows, schema)
	if err != nil {
		return &DataFrame{s: s, err: fmt.Errorf("CreateDataFrame: %w", err)}
	}
	return s.recordFrame(rec)
}

// recordFrame wraps one record batch as a scanned in-memory table.
func (s *Session) recordFrame(rec arrow.RecordBatch) *DataFrame {
	src := &cachedTable{schema: rec.Schema(), rows: rec.NumRows(), parts: [][]arrow.RecordBatch{{rec}}}
	return s.newFrame(s.analyzer().NewScan(src, ""))
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	vectorType = reflect.TypeFor[vectors.Vector]()
	bytesType  = reflect.TypeFor[[]byte]()
)

// goField is one column of a struct type.
type goField struct {
	name  string
	index int
}

// structFields lists the columns of struct type t, in field order.
func structFields(t reflect.Type) []goField {
	var out []goField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("gspark"); ok {
			tag, _, _ = strings.Cut(tag, ",")
			if tag == "-" {
				continue
			}
			if tag != "" {
				name = tag
			}
		}
		out = append(out, goField{name: name, index: i})
	}
	return out
}

// arrowTypeOf infers the column type of Go type t.
func arrowTypeOf(t reflect.Type) (arrow.DataType, error) {
	if t == vectorType || t.Implements(vectorType) {
		return vectors.VectorType(), nil
	}
	if t == timeType {
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	}
	if t == bytesType {
		return arrow.BinaryTypes.Binary, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return arrowTypeOf(t.Elem())
	case reflect.Bool:
		return arrow.FixedWidthTypes.Boolean, nil
	case reflect.Int8:
		return arrow.PrimitiveTypes.Int8, nil
	case reflect.Int16, reflect.Uint8:
		return arrow.PrimitiveTypes.Int16, nil
	case reflect.Int32, reflect.Uint16:
		return arrow.PrimitiveTypes.Int32, nil
	case reflect.Int, reflect.Int64, reflect.Uint32, reflect.Uint, reflect.Uint64:
		return arrow.PrimitiveTypes.Int64, nil
	case reflect.Float32:
		return arrow.PrimitiveTypes.Float32, nil
	case reflect.Float64:
		return arrow.PrimitiveTypes.Float64, nil
	case reflect.String:
		return arrow.BinaryTypes.String, nil
	case reflect.Slice, reflect.Array:
		e, err := arrowTypeOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return arrow.ListOf(e), nil
	case reflect.Map:
		k, err := arrowTypeOf(t.Key())
		if err != nil {
			return nil, err
		}
		v, err := arrowTypeOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return arrow.MapOf(k, v), nil
	case reflect.Struct:
		fs := structFields(t)
		fields := make([]arrow.Field, len(fs))
		for i, f := range fs {
			ft, err := arrowTypeOf(t.Field(f.index).Type)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", f.name, err)
			}
			fields[i] = arrow.Field{Name: f.name, Type: ft, Nullable: true}
		}
		return arrow.StructOf(fields...), nil
	}
	return nil, fmt.Errorf("unsupported Go type %s", t)
}

// structsRecord converts a slice of structs to a record batch.
func structsRecord(data any) (arrow.RecordBatch, error) {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return nil, fmt.Errorf("data must be a slice of structs, not %T", data)
	}
	et := v.Type().Elem()
	ptr := et.Kind() == reflect.Pointer
	if ptr {
		et = et.Elem()
	}
	if et.Kind() != reflect.Struct || et == timeType {
		return nil, fmt.Errorf("data must be a slice of structs, not %T", data)
	}
	fs := structFields(et)
	fields := make([]arrow.Field, len(fs))
	for i, f := range fs {
		t, err := arrowTypeOf(et.Field(f.index).Type)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.name, err)
		}
		fields[i] = arrow.Field{Name: f.name, Type: t, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	return buildRecord(schema, v.Len(), func(row, col int) (reflect.Value, error) {
		r := v.Index(row)
		if ptr {
			if r.IsNil() {
				return reflect.Value{}, fmt.Errorf("row %d: nil", row)
			}
			r = r.Elem()
		}
		return r.Field(fs[col].index), nil
	})
}

// rowsRecord converts rows of values to a record batch of schema.
func rowsRecord(rows [][]any, schema *arrow.Schema) (arrow.RecordBatch, error) {
	n := schema.NumFields()
	for i, r := range rows {
		if len(r) != n {
			return nil, fmt.Errorf("row %d: %d values for %d columns", i, len(r), n)
		}
	}
	return buildRecord(schema, len(rows), func(row, col int) (reflect.Value, error) {
		return reflect.ValueOf(rows[row][col]), nil
	})
}

// buildRecord fills the columns of schema with value(row, col) for each of
// n rows.
func buildRecord(schema *arrow.Schema, n int, value func(row, col int) (reflect.Value, error)) (arrow.RecordBatch, error) {
	mem := memory.NewGoAllocator()
	cols := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for j, f := range schema.Fields() {
		if vectors.IsVector(f.Type) {
			b := vectors.NewVectorBuilder(mem)
			for i := range n {
				v, err := value(i, j)
				if err != nil {
					return nil, err
				}
				if err := appendVector(b, v); err != nil {
					return nil, fmt.Errorf("row %d, field %s: %w", i, f.Name, err)
				}
			}
			cols[j] = b.NewArray()
			continue
		}
		b := array.NewBuilder(mem, f.Type)
		for i := range n {
			v, err := value(i, j)
			if err != nil {
				b.Release()
				return nil, err
			}
			if err := appendValue(b, f.Type, v, f.Name); err != nil {
				b.Release()
				return nil, fmt.Errorf("row %d, %w", i, err)
			}
		}
		cols[j] = b.NewArray()
		b.Release()
	}
	return array.NewRecordBatch(schema, cols, int64(n)), nil
}

// indirect dereferences pointers and interfaces; ok is false for nil (null).
func indirect(v reflect.Value) (reflect.Value, bool) {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return v, false
		}
		if v.Type().Implements(vectorType) && v.Kind() == reflect.Pointer {
			break
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return v, false
	}
	if (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil() {
		return v, false
	}
	return v, true
}

func appendVector(b *vectors.VectorBuilder, v reflect.Value) error {
	v, ok := indirect(v)
	if !ok {
		b.AppendNull()
		return nil
	}
	if v.CanInterface() {
		if vec, ok := v.Interface().(vectors.Vector); ok {
			b.Append(vec)
			return nil
		}
		if v.CanAddr() {
			if vec, ok := v.Addr().Interface().(vectors.Vector); ok {
				b.Append(vec)
				return nil
			}
		}
	}
	return fmt.Errorf("cannot store %s in a vector column", describe(v))
}

// describe names a value and its type for messages.
func describe(v reflect.Value) string {
	if !v.IsValid() {
		return "nil"
	}
	if v.CanInterface() {
		s := fmt.Sprintf("%v", v.Interface())
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return fmt.Sprintf("%s %q", v.Type(), s)
	}
	return v.Type().String()
}

// appendValue appends v, converted to t, to b; path names the field in errors.
func appendValue(b array.Builder, t arrow.DataType, v reflect.Value, path string) error {
	v, ok := indirect(v)
	if !ok {
		b.AppendNull()
		return nil
	}
	mismatch := func() error {
		return fmt.Errorf("field %s: cannot store %s in a %s column", path, describe(v), t)
	}
	intValue := func(lo, hi int64) (int64, error) {
		var x int64
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			x = v.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			u := v.Uint()
			if u > math.MaxInt64 {
				return 0, fmt.Errorf("field %s: %d is out of range for a %s column", path, u, t)
			}
			x = int64(u)
		default:
			return 0, mismatch()
		}
		if x < lo || x > hi {
			return 0, fmt.Errorf("field %s: %d is out of range for a %s column", path, x, t)
		}
		return x, nil
	}
	floatValue := func() (float64, error) {
		switch v.Kind() {
		case reflect.Float32, reflect.Float64:
			return v.Float(), nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return float64(v.Int()), nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return float64(v.Uint()), nil
		}
		return 0, mismatch()
	}
	switch b := b.(type) {
	case *array.BooleanBuilder:
		if v.Kind() != reflect.Bool {
			return mismatch()
		}
		b.Append(v.Bool())
	case *array.Int8Builder:
		x, err := intValue(math.MinInt8, math.MaxInt8)
		if err != nil {
			return err
		}
		b.Append(int8(x))
	case *array.Int16Builder:
		x, err := intValue(math.MinInt16, math.MaxInt16)
		if err != nil {
			return err
		}
		b.Append(int16(x))
	case *array.Int32Builder:
		x, err := intValue(math.MinInt32, math.MaxInt32)
		if err != nil {
			return err
		}
		b.Append(int32(x))
	case *array.Int64Builder:
		x, err := intValue(math.MinInt64, math.MaxInt64)
		if err != nil {
			return err
		}
		b.Append(x)
	case *array.Float32Builder:
		x, err := floatValue()
		if err != nil {
			return err
		}
		b.Append(float32(x))
	case *array.Float64Builder:
		x, err := floatValue()
		if err != nil {
			return err
		}
		b.Append(x)
	case *array.StringBuilder:
		if v.Kind() != reflect.String {
			return mismatch()
		}
		b.Append(v.String())
	case *array.BinaryBuilder:
		switch {
		case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
			b.Append(v.Bytes())
		case v.Kind() == reflect.String && t.ID() != arrow.BINARY:
			b.AppendString(v.String())
		default:
			return mismatch()
		}
	case *array.Date32Builder:
		tm, ok := v.Interface().(time.Time)
		if v.Type() != timeType || !ok {
			return mismatch()
		}
		y, m, d := tm.Date()
		days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
		b.Append(arrow.Date32(days))
	case *array.TimestampBuilder:
		if v.Type() != timeType {
			return mismatch()
		}
		tm := v.Interface().(time.Time)
		unit := t.(*arrow.TimestampType).Unit
		var x int64
		switch unit {
		case arrow.Second:
			x = tm.Unix()
		case arrow.Millisecond:
			x = tm.UnixMilli()
		case arrow.Microsecond:
			x = tm.UnixMicro()
		default:
			x = tm.UnixNano()
		}
		b.Append(arrow.Timestamp(x))
	case *array.MapBuilder:
		if v.Kind() != reflect.Map {
			return mismatch()
		}
		mt := t.(*arrow.MapType)
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool {
			return fmt.Sprint(keys[i].Interface()) < fmt.Sprint(keys[j].Interface())
		})
		b.Append(true)
		for _, k := range keys {
			kp := fmt.Sprintf("%s[%v]", path, k.Interface())
			if _, ok := indirect(k); !ok {
				return fmt.Errorf("field %s: null map key", kp)
			}
			if err := appendValue(b.KeyBuilder(), mt.KeyType(), k, kp); err != nil {
				return err
			}
			if err := appendValue(b.ItemBuilder(), mt.ItemType(), v.MapIndex(k), kp); err != nil {
				return err
			}
		}
	case array.ListLikeBuilder:
		if (v.Kind() != reflect.Slice && v.Kind() != reflect.Array) || v.Type() == bytesType {
			return mismatch()
		}
		var et arrow.DataType
		switch lt := t.(type) {
		case arrow.ListLikeType:
			et = lt.Elem()
		default:
			return mismatch()
		}
		b.Append(true)
		for i := range v.Len() {
			if err := appendValue(b.ValueBuilder(), et, v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case *array.StructBuilder:
		return appendStruct(b, t.(*arrow.StructType), v, path, mismatch)
	default:
		return fmt.Errorf("field %s: unsupported column type %s", path, t)
	}
	return nil
}

// appendStruct appends a Go struct (fields matched by name, case
// insensitively), a map[string]any or a []any (by position) to a struct column.
func appendStruct(b *array.StructBuilder, st *arrow.StructType, v reflect.Value, path string, mismatch func() error) error {
	fields := st.Fields()
	vals := make([]reflect.Value, len(fields))
	switch {
	case v.Kind() == reflect.Struct && v.Type() != timeType:
		byName := map[string]int{}
		for _, f := range structFields(v.Type()) {
			byName[strings.ToLower(f.name)] = f.index
		}
		for i, f := range fields {
			idx, ok := byName[strings.ToLower(f.Name)]
			if !ok {
				return fmt.Errorf("field %s: %s has no field %s", path, v.Type(), f.Name)
			}
			vals[i] = v.Field(idx)
		}
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String:
		for i, f := range fields {
			for _, k := range v.MapKeys() {
				if strings.EqualFold(k.String(), f.Name) {
					vals[i] = v.MapIndex(k)
				}
			}
		}
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
		if v.Len() != len(fields) {
			return fmt.Errorf("field %s: %d values for a struct of %d fields", path, v.Len(), len(fields))
		}
		for i := range fields {
			vals[i] = v.Index(i)
		}
	default:
		return mismatch()
	}
	b.Append(true)
	for i, f := range fields {
		if err := appendValue(b.FieldBuilder(i), f.Type, vals[i], path+"."+f.Name); err != nil {
			return err
		}
	}
	return nil
}
