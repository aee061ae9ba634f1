package parquet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go/format"

	"github.com/gspark/gspark/values/vectors"
)

// MLAttrKey is the field metadata key under which Spark ML keeps a
// column's ML attributes (a JSON object); gspark keeps them in the Arrow
// field's metadata under the same key. The writer stores them in Spark's
// schema JSON in the footer (the "metadata" object of the column's
// StructField, key org.apache.spark.sql.parquet.row.metadata) and the
// reader restores them from there, so that attributes survive a Parquet
// round trip through gspark or Spark.
const MLAttrKey = "ml_attr"

// sparkSchemaForMetadata returns Spark's schema JSON of s with each
// column's ML attributes as its StructField metadata, or nil when no
// column has any (the entry is then not written) or when a column's type
// has no exact Spark type here (a footer schema Spark would misread is
// worse than none).
func sparkSchemaForMetadata(s *arrow.Schema) ([]byte, error) {
	has := false
	for _, f := range s.Fields() {
		if _, ok := f.Metadata.GetValue(MLAttrKey); ok {
			has = true
		}
	}
	if !has {
		return nil, nil
	}
	st, ok, err := sparkStructOf(s.Fields(), true)
	if err != nil || !ok {
		return nil, err
	}
	return json.Marshal(st)
}

// addSparkSchema records Spark's schema JSON in the footer when a column
// carries ML attributes (see sparkSchemaForMetadata).
func (w *Writer) addSparkSchema() error {
	b, err := sparkSchemaForMetadata(w.schema)
	if err != nil || b == nil {
		return err
	}
	if err := w.fw.AppendKeyValueMetadata(sparkRowMetadataKey, string(b)); err != nil {
		return fmt.Errorf("parquet writer: %w", err)
	}
	return nil
}

// withoutMLAttrs returns s without the ML attributes of its fields (s
// itself when none has any): the writer keeps them in the footer's Spark
// schema only, and batches need not carry them.
func withoutMLAttrs(s *arrow.Schema) *arrow.Schema {
	var fields []arrow.Field
	for i, f := range s.Fields() {
		j := f.Metadata.FindKey(MLAttrKey)
		if j < 0 {
			continue
		}
		if fields == nil {
			fields = slices.Clone(s.Fields())
		}
		keys, vals := slices.Delete(slices.Clone(f.Metadata.Keys()), j, j+1), slices.Delete(slices.Clone(f.Metadata.Values()), j, j+1)
		fields[i].Metadata = arrow.Metadata{}
		if len(keys) > 0 {
			fields[i].Metadata = arrow.NewMetadata(keys, vals)
		}
	}
	if fields == nil {
		return s
	}
	md := s.Metadata()
	return arrow.NewSchema(fields, &md)
}

// sparkStructField is a StructField as Spark's JSON writes it (keys in
// Spark's order).
type sparkStructField struct {
	Name     string                     `json:"name"`
	Type     any                        `json:"type"`
	Nullable bool                       `json:"nullable"`
	Metadata map[string]json.RawMessage `json:"metadata"`
}

type sparkStructType struct {
	Type   string             `json:"type"`
	Fields []sparkStructField `json:"fields"`
}

type sparkArrayType struct {
	Type         string `json:"type"`
	ElementType  any    `json:"elementType"`
	ContainsNull bool   `json:"containsNull"`
}

type sparkMapType struct {
	Type              string `json:"type"`
	KeyType           any    `json:"keyType"`
	ValueType         any    `json:"valueType"`
	ValueContainsNull bool   `json:"valueContainsNull"`
}

type sparkUDTType struct {
	Type    string          `json:"type"`
	Class   string          `json:"class"`
	PyClass string          `json:"pyClass"`
	SQLType sparkStructType `json:"sqlType"`
}

// sparkStructOf is the Spark struct type of fields; top carries the ML
// attributes of top-level columns into their metadata. ok is false when a
// type has no Spark equivalent here.
func sparkStructOf(fields []arrow.Field, top bool) (sparkStructType, bool, error) {
	out := sparkStructType{Type: "struct", Fields: make([]sparkStructField, len(fields))}
	for i, f := range fields {
		t, ok := sparkTypeOf(f.Type)
		if !ok {
			return out, false, nil
		}
		md := map[string]json.RawMessage{}
		if v, has := f.Metadata.GetValue(MLAttrKey); has && top {
			if !json.Valid([]byte(v)) {
				return out, false, fmt.Errorf("parquet writer: column %q: %s metadata is not JSON: %.60q", f.Name, MLAttrKey, v)
			}
			md[MLAttrKey] = json.RawMessage(v)
		}
		out.Fields[i] = sparkStructField{Name: f.Name, Type: t, Nullable: f.Nullable, Metadata: md}
	}
	return out, true, nil
}

// sparkVectorUDT is Spark's VectorUDT as its schema JSON shows it.
func sparkVectorUDT() sparkUDTType {
	field := func(name string, t any, nullable bool) sparkStructField {
		return sparkStructField{Name: name, Type: t, Nullable: nullable, Metadata: map[string]json.RawMessage{}}
	}
	return sparkUDTType{Type: "udt", Class: "org.apache.spark.ml.linalg.VectorUDT", PyClass: "pyspark.ml.linalg.VectorUDT",
		SQLType: sparkStructType{Type: "struct", Fields: []sparkStructField{
			field("type", "byte", false),
			field("size", "integer", true),
			field("indices", sparkArrayType{Type: "array", ElementType: "integer", ContainsNull: false}, true),
			field("values", sparkArrayType{Type: "array", ElementType: "double", ContainsNull: false}, true),
		}}}
}

// sparkTypeOf is Spark's JSON of an Arrow type as the writer stores it.
func sparkTypeOf(t arrow.DataType) (any, bool) {
	if vectors.IsVector(t) {
		return sparkVectorUDT(), true
	}
	switch t := t.(type) {
	case *arrow.BooleanType:
		return "boolean", true
	case *arrow.Int8Type:
		return "byte", true
	case *arrow.Int16Type:
		return "short", true
	case *arrow.Int32Type:
		return "integer", true
	case *arrow.Int64Type:
		return "long", true
	case *arrow.Float32Type:
		return "float", true
	case *arrow.Float64Type:
		return "double", true
	case *arrow.StringType, *arrow.LargeStringType:
		return "string", true
	case *arrow.BinaryType, *arrow.LargeBinaryType:
		return "binary", true
	case *arrow.Date32Type:
		return "date", true
	case *arrow.TimestampType:
		if t.TimeZone != "" {
			return "timestamp", true
		}
		return nil, false
	case *arrow.Decimal64Type:
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale), true
	case *arrow.Decimal128Type:
		return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale), true
	case *arrow.DictionaryType:
		return sparkTypeOf(t.ValueType)
	case *arrow.ListType:
		el, ok := sparkTypeOf(t.Elem())
		return sparkArrayType{Type: "array", ElementType: el, ContainsNull: t.ElemField().Nullable}, ok
	case *arrow.MapType:
		k, okK := sparkTypeOf(t.KeyType())
		v, okV := sparkTypeOf(t.ItemType())
		return sparkMapType{Type: "map", KeyType: k, ValueType: v, ValueContainsNull: t.ItemField().Nullable}, okK && okV
	case *arrow.StructType:
		st, ok, err := sparkStructOf(t.Fields(), false)
		return st, ok && err == nil
	}
	return nil, false
}

// withSparkFieldMetadata returns fields with the ML attributes Spark's
// schema JSON in the footer (org.apache.spark.sql.parquet.row.metadata)
// keeps for top-level columns, matched by name, as Arrow field metadata
// under MLAttrKey. A footer without the entry, or one that is not JSON,
// leaves fields as they are (the data is still readable without them).
func withSparkFieldMetadata(fields []arrow.Field, kv []format.KeyValue) []arrow.Field {
	var raw string
	for _, e := range kv {
		if e.Key == sparkRowMetadataKey {
			raw = e.Value
		}
	}
	if raw == "" {
		return fields
	}
	var sc struct {
		Fields []struct {
			Name     string                     `json:"name"`
			Metadata map[string]json.RawMessage `json:"metadata"`
		} `json:"fields"`
	}
	if json.Unmarshal([]byte(raw), &sc) != nil {
		return fields
	}
	attrs := map[string]string{}
	for _, f := range sc.Fields {
		v, ok := f.Metadata[MLAttrKey]
		if !ok {
			continue
		}
		var b bytes.Buffer
		if json.Compact(&b, v) == nil {
			attrs[f.Name] = b.String()
		}
	}
	if len(attrs) == 0 {
		return fields
	}
	for i, f := range fields {
		v, ok := attrs[f.Name]
		if !ok {
			continue
		}
		keys, vals := []string{MLAttrKey}, []string{v}
		for j, k := range f.Metadata.Keys() {
			if k != MLAttrKey {
				keys, vals = append(keys, k), append(vals, f.Metadata.Values()[j])
			}
		}
		fields[i].Metadata = arrow.NewMetadata(keys, vals)
	}
	return fields
}
