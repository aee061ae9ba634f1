package values

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// DecimalType returns the Arrow type for DECIMAL(p,s): decimal64 when p ≤ 18,
// decimal128 otherwise.
func DecimalType(p, s int32) arrow.DataType {
	if p <= 18 {
		return &arrow.Decimal64Type{Precision: p, Scale: s}
	}
	return &arrow.Decimal128Type{Precision: p, Scale: s}
}

// TypeName renders an Arrow type with its Spark SQL name, for plans and
// error messages; nested types as Spark's simpleString (array<int>,
// struct<a:int,b:string>, map<string,int>), extension types by their name.
func TypeName(t arrow.DataType) string {
	if s, ok := nestedTypeName(t); ok {
		return s
	}
	switch tt := t.(type) {
	case nil:
		return "?"
	case *arrow.BooleanType:
		return "boolean"
	case *arrow.Int8Type:
		return "tinyint"
	case *arrow.Int16Type:
		return "smallint"
	case *arrow.Int32Type:
		return "int"
	case *arrow.Int64Type:
		return "bigint"
	case *arrow.Float32Type:
		return "float"
	case *arrow.Float64Type:
		return "double"
	case *arrow.StringType, *arrow.LargeStringType:
		return "string"
	case *arrow.BinaryType:
		return "binary"
	case *arrow.Date32Type:
		return "date"
	case *arrow.TimestampType:
		if tt.TimeZone == "" {
			return "timestamp_ntz"
		}
		return "timestamp"
	case *arrow.Decimal64Type:
		return fmt.Sprintf("decimal(%d,%d)", tt.Precision, tt.Scale)
	case *arrow.Decimal128Type:
		return fmt.Sprintf("decimal(%d,%d)", tt.Precision, tt.Scale)
	case *arrow.NullType:
		return "void"
	case *arrow.MonthIntervalType:
		return "interval year to month"
	case *arrow.DurationType:
		return "interval day to second"
	case *arrow.MonthDayNanoIntervalType:
		return "interval"
	case *arrow.DictionaryType:
		return TypeName(tt.ValueType)
	}
	return t.String()
}
