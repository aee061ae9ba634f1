package expr

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/values"
)

// valueType returns the type of the values of t: the value type for a
// dictionary, t itself otherwise.
func valueType(t arrow.DataType) arrow.DataType {
	if d, ok := t.(*arrow.DictionaryType); ok {
		return d.ValueType
	}
	return t
}

func isInt(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

func isFloat(t arrow.DataType) bool {
	return t.ID() == arrow.FLOAT32 || t.ID() == arrow.FLOAT64
}

func isDecimal(t arrow.DataType) bool {
	return t.ID() == arrow.DECIMAL64 || t.ID() == arrow.DECIMAL128
}

// sqlType names t as Spark SQL does, for messages.
func sqlType(t arrow.DataType) string { return values.TypeName(valueType(t)) }

// decimalType returns decimal64 for precision ≤ 18, decimal128 otherwise.
func decimalType(p, s int32) arrow.DataType { return values.DecimalType(p, s) }
