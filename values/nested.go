package values

import (
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Struct is a struct value in row form: the field names and values in the
// order of the struct type's fields.
type Struct struct {
	Names  []string
	Values []any
}

// Get returns the value of the field named name and whether it exists.
func (s Struct) Get(name string) (any, bool) {
	for i, n := range s.Names {
		if n == name {
			return s.Values[i], true
		}
	}
	return nil, false
}

// Map is a map value in row form: parallel keys and values in the order the
// map stores its entries.
type Map struct {
	Keys   []any
	Values []any
}

// Valuer is implemented by extension arrays that have a row form of their
// own (for example ML vectors); Value uses it instead of the storage.
type Valuer interface {
	RowValue(i int) any
}

// nestedValue is Value for lists (as []any), fixed-size lists (as []any),
// structs (as Struct), maps (as Map) and extension arrays (RowValue when the
// array is a Valuer, else the value of the storage); ok is false for other
// types.
func nestedValue(arr arrow.Array, i int) (any, bool) {
	switch a := arr.(type) {
	case array.ExtensionArray:
		if v, ok := arr.(Valuer); ok {
			return v.RowValue(i), true
		}
		return Value(a.Storage(), i), true
	case *array.Map:
		lo, hi := a.ValueOffsets(i)
		m := Map{Keys: make([]any, hi-lo), Values: make([]any, hi-lo)}
		keys, items := a.Keys(), a.Items()
		for k := lo; k < hi; k++ {
			m.Keys[k-lo] = Value(keys, int(k))
			m.Values[k-lo] = Value(items, int(k))
		}
		return m, true
	case array.ListLike:
		lo, hi := a.ValueOffsets(i)
		out := make([]any, hi-lo)
		child := a.ListValues()
		for k := lo; k < hi; k++ {
			out[k-lo] = Value(child, int(k))
		}
		return out, true
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		s := Struct{Names: make([]string, a.NumField()), Values: make([]any, a.NumField())}
		for f := range s.Names {
			s.Names[f] = st.Field(f).Name
			s.Values[f] = Value(a.Field(f), i)
		}
		return s, true
	}
	return nil, false
}

// Format renders element i of arr as Spark's Show prints it. An extension
// array whose type implements ValueStr itself is rendered with it; every
// other array is rendered as FormatValue(Value(arr, i)).
func Format(arr arrow.Array, i int) string {
	if arr.IsNull(i) {
		return "NULL"
	}
	if e, ok := arr.(array.ExtensionArray); ok {
		if _, isValuer := arr.(Valuer); !isValuer {
			if s, ok := extensionValueStr(e, i); ok {
				return s
			}
		}
	}
	return FormatValue(Value(arr, i))
}

// extensionValueStr calls the extension array's ValueStr; ok is false when
// the extension does not implement it (the base implementation panics).
func extensionValueStr(e array.ExtensionArray, i int) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			s, ok = "", false
		}
	}()
	return e.ValueStr(i), true
}

// formatNested renders a value inside an array, struct or map: like
// FormatValue, except that a null prints as "null", as Spark prints nested
// nulls.
func formatNested(b *strings.Builder, v any) {
	if v == nil {
		b.WriteString("null")
		return
	}
	b.WriteString(FormatValue(v))
}

// formatList renders a list value as "[1, 2, null]".
func formatList(vs []any) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		formatNested(&b, v)
	}
	b.WriteByte(']')
	return b.String()
}

// String renders the struct as Spark's Show does: "{1, a}".
func (s Struct) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range s.Values {
		if i > 0 {
			b.WriteString(", ")
		}
		formatNested(&b, v)
	}
	b.WriteByte('}')
	return b.String()
}

// String renders the map as Spark's Show does: "{a -> 1, b -> 2}".
func (m Map) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range m.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		formatNested(&b, k)
		b.WriteString(" -> ")
		formatNested(&b, m.Values[i])
	}
	b.WriteByte('}')
	return b.String()
}

// nestedTypeName is TypeName for nested and extension types, in Spark's
// simpleString form; ok is false for other types.
func nestedTypeName(t arrow.DataType) (string, bool) {
	switch tt := t.(type) {
	case *arrow.MapType:
		return "map<" + TypeName(tt.KeyType()) + "," + TypeName(tt.ItemType()) + ">", true
	case arrow.ListLikeType:
		return "array<" + TypeName(tt.Elem()) + ">", true
	case *arrow.StructType:
		parts := make([]string, tt.NumFields())
		for i, f := range tt.Fields() {
			parts[i] = f.Name + ":" + TypeName(f.Type)
		}
		return "struct<" + strings.Join(parts, ",") + ">", true
	case arrow.ExtensionType:
		return tt.ExtensionName(), true
	}
	return "", false
}

// Append appends the row-form value v (as Value returns it; nil for null) to
// b, whose type decides how v is read: integers of any Go integer type,
// floats, bool, string, []byte, time.Time for dates and timestamps, Decimal
// (or an integer, unscaled) for decimals, []any for lists, Struct or []any
// (values in field order) for structs, Map for maps; extension builders
// receive the storage's row form.
func Append(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	bad := func() error {
		return fmt.Errorf("values: cannot append %v (%T) to a %s builder", v, v, TypeName(b.Type()))
	}
	switch bb := b.(type) {
	case *array.NullBuilder:
		return bad()
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return bad()
		}
		bb.Append(x)
	case *array.Int8Builder:
		x, ok := asInt(v)
		if !ok {
			return bad()
		}
		bb.Append(int8(x))
	case *array.Int16Builder:
		x, ok := asInt(v)
		if !ok {
			return bad()
		}
		bb.Append(int16(x))
	case *array.Int32Builder:
		x, ok := asInt(v)
		if !ok {
			return bad()
		}
		bb.Append(int32(x))
	case *array.Int64Builder:
		x, ok := asInt(v)
		if !ok {
			return bad()
		}
		bb.Append(x)
	case *array.Float32Builder:
		x, ok := asFloat(v)
		if !ok {
			return bad()
		}
		bb.Append(float32(x))
	case *array.Float64Builder:
		x, ok := asFloat(v)
		if !ok {
			return bad()
		}
		bb.Append(x)
	case *array.StringBuilder:
		x, ok := v.(string)
		if !ok {
			return bad()
		}
		bb.Append(x)
	case *array.BinaryBuilder:
		x, ok := v.([]byte)
		if !ok {
			return bad()
		}
		bb.Append(x)
	case *array.Date32Builder:
		switch x := v.(type) {
		case time.Time:
			bb.Append(arrow.Date32FromTime(x))
		default:
			n, ok := asInt(v)
			if !ok {
				return bad()
			}
			bb.Append(arrow.Date32(n))
		}
	case *array.TimestampBuilder:
		switch x := v.(type) {
		case time.Time:
			ts, err := arrow.TimestampFromTime(x, bb.Type().(*arrow.TimestampType).Unit)
			if err != nil {
				return fmt.Errorf("values: %w", err)
			}
			bb.Append(ts)
		default:
			n, ok := asInt(v)
			if !ok {
				return bad()
			}
			bb.Append(arrow.Timestamp(n))
		}
	case *array.Decimal64Builder:
		switch x := v.(type) {
		case Decimal:
			if x.Scale != bb.Type().(*arrow.Decimal64Type).Scale || !x.Unscaled.FitsInPrecision(18) {
				return bad()
			}
			bb.Append(decimal.Decimal64(int64(x.Unscaled.LowBits())))
		default:
			n, ok := asInt(v)
			if !ok {
				return bad()
			}
			bb.Append(decimal.Decimal64(n))
		}
	case *array.Decimal128Builder:
		switch x := v.(type) {
		case Decimal:
			if x.Scale != bb.Type().(*arrow.Decimal128Type).Scale {
				return bad()
			}
			bb.Append(x.Unscaled)
		default:
			n, ok := asInt(v)
			if !ok {
				return bad()
			}
			bb.Append(decimal128.FromI64(n))
		}
	case *array.ExtensionBuilder:
		return Append(bb.StorageBuilder(), v)
	case *array.MapBuilder:
		m, ok := v.(Map)
		if !ok || len(m.Keys) != len(m.Values) {
			return bad()
		}
		bb.Append(true)
		for i, k := range m.Keys {
			if err := Append(bb.KeyBuilder(), k); err != nil {
				return err
			}
			if err := Append(bb.ItemBuilder(), m.Values[i]); err != nil {
				return err
			}
		}
	case array.ListLikeBuilder:
		xs, ok := v.([]any)
		if !ok {
			return bad()
		}
		if fl, isFixed := bb.(*array.FixedSizeListBuilder); isFixed && int32(len(xs)) != fl.Type().(*arrow.FixedSizeListType).Len() {
			return bad()
		}
		bb.Append(true)
		for _, x := range xs {
			if err := Append(bb.ValueBuilder(), x); err != nil {
				return err
			}
		}
	case *array.StructBuilder:
		var vals []any
		switch x := v.(type) {
		case Struct:
			vals = x.Values
		case []any:
			vals = x
		default:
			return bad()
		}
		if len(vals) != bb.NumField() {
			return bad()
		}
		bb.Append(true)
		for f, x := range vals {
			if err := Append(bb.FieldBuilder(f), x); err != nil {
				return err
			}
		}
	default:
		return bad()
	}
	return nil
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	}
	n, ok := asInt(v)
	return float64(n), ok
}
