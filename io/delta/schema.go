package delta

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/values"
)

// jsonField is a StructField of Spark's JSON schema serialization.
type jsonField struct {
	Name     string          `json:"name"`
	Type     json.RawMessage `json:"type"`
	Nullable bool            `json:"nullable"`
}

// jsonType is a non-primitive type of Spark's JSON schema serialization.
type jsonType struct {
	Type              string          `json:"type"`
	Fields            []jsonField     `json:"fields"`
	ElementType       json.RawMessage `json:"elementType"`
	ContainsNull      bool            `json:"containsNull"`
	KeyType           json.RawMessage `json:"keyType"`
	ValueType         json.RawMessage `json:"valueType"`
	ValueContainsNull bool            `json:"valueContainsNull"`
}

// ParseSchema reads a table schema in Spark's JSON form (metaData's
// schemaString) as an Arrow schema with gspark's types: byte, short,
// integer, long, float, double, boolean, string, binary, date, timestamp
// (UTC microseconds), timestamp_ntz, decimal(p,s), and arrays, maps and
// structs of them.
func ParseSchema(schemaString string) (*arrow.Schema, error) {
	var st jsonType
	if err := json.Unmarshal([]byte(schemaString), &st); err != nil {
		return nil, fmt.Errorf("delta schema: %w", err)
	}
	if st.Type != "struct" {
		return nil, fmt.Errorf("delta schema: top-level type is %q, want struct", st.Type)
	}
	fields, err := parseFields(st.Fields, "")
	if err != nil {
		return nil, err
	}
	return arrow.NewSchema(fields, nil), nil
}

func parseFields(fs []jsonField, prefix string) ([]arrow.Field, error) {
	out := make([]arrow.Field, len(fs))
	for i, f := range fs {
		t, err := parseType(f.Type, prefix+f.Name)
		if err != nil {
			return nil, err
		}
		out[i] = arrow.Field{Name: f.Name, Type: t, Nullable: f.Nullable}
	}
	return out, nil
}

// parseType reads one type; field names the column for errors.
func parseType(raw json.RawMessage, field string) (arrow.DataType, error) {
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		return primitive(name, field)
	}
	var t jsonType
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("delta schema: field %s: %w", field, err)
	}
	switch t.Type {
	case "struct":
		fs, err := parseFields(t.Fields, field+".")
		if err != nil {
			return nil, err
		}
		return arrow.StructOf(fs...), nil
	case "array":
		e, err := parseType(t.ElementType, field+".element")
		if err != nil {
			return nil, err
		}
		return arrow.ListOfField(arrow.Field{Name: "element", Type: e, Nullable: t.ContainsNull}), nil
	case "map":
		k, err := parseType(t.KeyType, field+".key")
		if err != nil {
			return nil, err
		}
		v, err := parseType(t.ValueType, field+".value")
		if err != nil {
			return nil, err
		}
		m := arrow.MapOf(k, v)
		m.SetItemNullable(t.ValueContainsNull)
		return m, nil
	}
	return nil, fmt.Errorf("delta schema: field %s: unknown type %q", field, t.Type)
}

func primitive(name, field string) (arrow.DataType, error) {
	switch name {
	case "byte":
		return arrow.PrimitiveTypes.Int8, nil
	case "short":
		return arrow.PrimitiveTypes.Int16, nil
	case "integer":
		return arrow.PrimitiveTypes.Int32, nil
	case "long":
		return arrow.PrimitiveTypes.Int64, nil
	case "float":
		return arrow.PrimitiveTypes.Float32, nil
	case "double":
		return arrow.PrimitiveTypes.Float64, nil
	case "boolean":
		return arrow.FixedWidthTypes.Boolean, nil
	case "string":
		return arrow.BinaryTypes.String, nil
	case "binary":
		return arrow.BinaryTypes.Binary, nil
	case "date":
		return arrow.FixedWidthTypes.Date32, nil
	case "timestamp":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	case "timestamp_ntz":
		return &arrow.TimestampType{Unit: arrow.Microsecond}, nil
	}
	if inner, ok := strings.CutPrefix(name, "decimal("); ok && strings.HasSuffix(inner, ")") {
		ps := strings.Split(strings.TrimSuffix(inner, ")"), ",")
		if len(ps) == 2 {
			p, err1 := strconv.Atoi(strings.TrimSpace(ps[0]))
			s, err2 := strconv.Atoi(strings.TrimSpace(ps[1]))
			if err1 == nil && err2 == nil && p >= 1 && p <= 38 && s >= 0 && s <= p {
				return values.DecimalType(int32(p), int32(s)), nil
			}
		}
	}
	return nil, fmt.Errorf("delta schema: field %s: unsupported type %q", field, name)
}
