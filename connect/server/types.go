package server

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	cproto "github.com/gspark/gspark/connect/proto"
)

// dataType builds a spark.connect.DataType for an Arrow type, as Spark
// describes the same column: dictionary columns by their value type,
// timestamps with a zone as TIMESTAMP and without as TIMESTAMP_NTZ.
func dataType(s *cproto.Schema, t arrow.DataType) (cproto.Msg, error) {
	m, err := s.New("DataType")
	if err != nil {
		return m, err
	}
	err = fillType(m, t)
	return m, err
}

func fillType(m cproto.Msg, t arrow.DataType) error {
	switch x := t.(type) {
	case *arrow.DictionaryType:
		return fillType(m, x.ValueType)
	case arrow.ExtensionType:
		return fillType(m, x.StorageType())
	case *arrow.NullType:
		m.Mut("null")
	case *arrow.BooleanType:
		m.Mut("boolean")
	case *arrow.Int8Type:
		m.Mut("byte")
	case *arrow.Int16Type:
		m.Mut("short")
	case *arrow.Int32Type:
		m.Mut("integer")
	case *arrow.Int64Type:
		m.Mut("long")
	case *arrow.Float32Type:
		m.Mut("float")
	case *arrow.Float64Type:
		m.Mut("double")
	case *arrow.StringType, *arrow.LargeStringType, *arrow.StringViewType:
		m.Mut("string")
	case *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.BinaryViewType, *arrow.FixedSizeBinaryType:
		m.Mut("binary")
	case *arrow.Date32Type, *arrow.Date64Type:
		m.Mut("date")
	case *arrow.TimestampType:
		if x.TimeZone == "" {
			m.Mut("timestamp_ntz")
		} else {
			m.Mut("timestamp")
		}
	case *arrow.Decimal32Type:
		return fillType(m, wireType(x))
	case *arrow.Decimal64Type:
		return fillType(m, wireType(x))
	case *arrow.Decimal128Type:
		d := m.Mut("decimal")
		_ = d.Set("precision", x.Precision)
		_ = d.Set("scale", x.Scale)
	case *arrow.ListType:
		return fillArray(m, x.Elem(), x.ElemField().Nullable)
	case *arrow.LargeListType:
		return fillArray(m, x.Elem(), x.ElemField().Nullable)
	case *arrow.FixedSizeListType:
		return fillArray(m, x.Elem(), x.ElemField().Nullable)
	case *arrow.MapType:
		mm := m.Mut("map")
		if err := fillType(mm.Mut("key_type"), x.KeyType()); err != nil {
			return err
		}
		if err := fillType(mm.Mut("value_type"), x.ItemType()); err != nil {
			return err
		}
		_ = mm.Set("value_contains_null", x.ItemField().Nullable)
	case *arrow.StructType:
		st := m.Mut("struct")
		for _, f := range x.Fields() {
			sf, err := st.Append("fields", nil)
			if err != nil {
				return err
			}
			_ = sf.Set("name", f.Name)
			_ = sf.Set("nullable", f.Nullable)
			if err := fillType(sf.Mut("data_type"), f.Type); err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
		}
	case *arrow.DayTimeIntervalType, *arrow.DurationType:
		d := m.Mut("day_time_interval")
		_ = d.Set("start_field", 0)
		_ = d.Set("end_field", 3)
	case *arrow.MonthIntervalType:
		d := m.Mut("year_month_interval")
		_ = d.Set("start_field", 0)
		_ = d.Set("end_field", 1)
	default:
		return fmt.Errorf("no Spark type for Arrow type %s", t)
	}
	return nil
}

func fillArray(m cproto.Msg, elem arrow.DataType, nullable bool) error {
	a := m.Mut("array")
	_ = a.Set("contains_null", nullable)
	return fillType(a.Mut("element_type"), elem)
}

// structType is the spark.connect.DataType of a schema: a struct of its fields.
func structType(s *cproto.Schema, sc *arrow.Schema) (cproto.Msg, error) {
	return dataType(s, arrow.StructOf(sc.Fields()...))
}

// typeName renders a spark.connect.DataType as the SQL type name gspark's
// parser reads (e.g. decimal(12,2), array<string>, struct<a:int>).
func typeName(m cproto.Msg) (string, error) {
	kind := m.Which("kind")
	k := m.Get(kind)
	switch kind {
	case "null":
		return "void", nil
	case "boolean", "binary", "date", "double", "float", "string":
		return kind, nil
	case "byte":
		return "tinyint", nil
	case "short":
		return "smallint", nil
	case "integer":
		return "int", nil
	case "long":
		return "bigint", nil
	case "timestamp":
		return "timestamp", nil
	case "timestamp_ntz":
		return "timestamp_ntz", nil
	case "char":
		return fmt.Sprintf("char(%d)", k.Int("length")), nil
	case "var_char":
		return fmt.Sprintf("varchar(%d)", k.Int("length")), nil
	case "decimal":
		p, sc := k.Int("precision"), k.Int("scale")
		if !k.Has("precision") {
			p = 10
		}
		return fmt.Sprintf("decimal(%d,%d)", p, sc), nil
	case "array":
		e, err := typeName(k.Get("element_type"))
		return "array<" + e + ">", err
	case "map":
		kt, err := typeName(k.Get("key_type"))
		if err != nil {
			return "", err
		}
		vt, err := typeName(k.Get("value_type"))
		return "map<" + kt + "," + vt + ">", err
	case "struct":
		var parts []string
		for _, f := range k.List("fields") {
			t, err := typeName(f.Get("data_type"))
			if err != nil {
				return "", err
			}
			parts = append(parts, quoteIdent(f.Str("name"))+":"+t)
		}
		return "struct<" + strings.Join(parts, ",") + ">", nil
	case "unparsed":
		return k.Str("data_type_string"), nil
	case "":
		return "", fmt.Errorf("data type not set")
	}
	return "", fmt.Errorf("%w: data type %s", errUnsupported, kind)
}
