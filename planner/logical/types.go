package logical

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// ParseType parses a Spark SQL type name: boolean, tinyint/byte, smallint/short,
// int/integer, bigint/long, float/real, double, string, binary, date,
// timestamp, decimal(p,s) / decimal (= decimal(10,0)).
func ParseType(name string) (arrow.DataType, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "boolean", "bool":
		return arrow.FixedWidthTypes.Boolean, nil
	case "tinyint", "byte":
		return arrow.PrimitiveTypes.Int8, nil
	case "smallint", "short":
		return arrow.PrimitiveTypes.Int16, nil
	case "int", "integer":
		return arrow.PrimitiveTypes.Int32, nil
	case "bigint", "long":
		return arrow.PrimitiveTypes.Int64, nil
	case "float", "real":
		return arrow.PrimitiveTypes.Float32, nil
	case "double":
		return arrow.PrimitiveTypes.Float64, nil
	case "string", "varchar", "char":
		return arrow.BinaryTypes.String, nil
	case "binary":
		return arrow.BinaryTypes.Binary, nil
	case "date":
		return arrow.FixedWidthTypes.Date32, nil
	case "timestamp", "timestamp_ltz":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	case "timestamp_ntz": // a wall clock without a time zone
		return &arrow.TimestampType{Unit: arrow.Microsecond}, nil
	case "decimal", "dec", "numeric":
		return DecimalType(10, 0), nil
	}
	for _, prefix := range []string{"decimal(", "dec(", "numeric("} {
		if strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ")") {
			parts := strings.Split(n[len(prefix):len(n)-1], ",")
			p, err := strconv.Atoi(strings.TrimSpace(parts[0]))
			s := 0
			if err == nil && len(parts) == 2 {
				s, err = strconv.Atoi(strings.TrimSpace(parts[1]))
			}
			if err != nil || len(parts) > 2 || p < 1 || p > 38 || s < 0 || s > p {
				return nil, fmt.Errorf("invalid decimal type %q: precision must be 1..38 and scale 0..precision", name)
			}
			return DecimalType(int32(p), int32(s)), nil
		}
	}
	if strings.HasPrefix(n, "varchar(") || strings.HasPrefix(n, "char(") {
		return arrow.BinaryTypes.String, nil
	}
	return nil, fmt.Errorf("unknown type %q", name)
}

// IsInteger reports whether t is a signed integer type.
func IsInteger(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

// IsFloat reports whether t is float or double.
func IsFloat(t arrow.DataType) bool {
	return t.ID() == arrow.FLOAT32 || t.ID() == arrow.FLOAT64
}

// IsDecimal reports whether t is a decimal type.
func IsDecimal(t arrow.DataType) bool {
	return t.ID() == arrow.DECIMAL64 || t.ID() == arrow.DECIMAL128
}

// IsNumeric reports whether t is an integer, floating-point or decimal type.
func IsNumeric(t arrow.DataType) bool { return IsInteger(t) || IsFloat(t) || IsDecimal(t) }

// IsString reports whether t is a string type.
func IsString(t arrow.DataType) bool {
	return t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING
}

// EqualMeansIdentical reports whether values of t that compare equal are
// the same value, so that partitioning or grouping by a column of t puts
// together exactly the rows = matches, and equality carries across columns
// of t: integers, booleans, dates, strings, decimals of one type — not
// floating point, where 0.0 = -0.0.
func EqualMeansIdentical(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.DATE32, arrow.STRING, arrow.LARGE_STRING, arrow.BOOL,
		arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128:
		return true
	}
	return false
}

// DecimalPS returns a decimal type's precision and scale (0, 0 for other
// types).
func DecimalPS(t arrow.DataType) (int32, int32) { return kernels.DecimalParams(t) }

// IntegerDecimal is the decimal type that holds every value of an integer type, as Spark's DecimalType.forType.
func IntegerDecimal(t arrow.DataType) arrow.DataType {
	switch t.ID() {
	case arrow.INT8:
		return DecimalType(3, 0)
	case arrow.INT16:
		return DecimalType(5, 0)
	case arrow.INT32:
		return DecimalType(10, 0)
	}
	return DecimalType(20, 0)
}

func intRank(t arrow.DataType) int {
	switch t.ID() {
	case arrow.INT8:
		return 1
	case arrow.INT16:
		return 2
	case arrow.INT32:
		return 3
	case arrow.INT64:
		return 4
	}
	return 0
}

// CommonType is the type both sides of a binary operator are widened to, as
// Spark's implicit type coercion does it; ok is false when there is none.
func CommonType(a, b arrow.DataType) (arrow.DataType, bool) {
	if arrow.TypeEqual(a, b) {
		return a, true
	}
	if a.ID() == arrow.NULL {
		return b, true
	}
	if b.ID() == arrow.NULL {
		return a, true
	}
	switch {
	case IsInteger(a) && IsInteger(b):
		if intRank(a) >= intRank(b) {
			return a, true
		}
		return b, true
	case IsNumeric(a) && IsNumeric(b) && (IsFloat(a) || IsFloat(b)):
		if a.ID() == arrow.FLOAT32 && b.ID() == arrow.FLOAT32 {
			return a, true
		}
		return arrow.PrimitiveTypes.Float64, true
	case IsDecimal(a) && IsDecimal(b):
		return widerDecimal(a, b), true
	case IsDecimal(a) && IsInteger(b):
		return widerDecimal(a, IntegerDecimal(b)), true
	case IsInteger(a) && IsDecimal(b):
		return widerDecimal(IntegerDecimal(a), b), true
	case IsString(a) && IsString(b):
		return arrow.BinaryTypes.String, true
	case a.ID() == arrow.DATE32 && b.ID() == arrow.TIMESTAMP, a.ID() == arrow.TIMESTAMP && b.ID() == arrow.DATE32:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, true
	case IsString(a) && (b.ID() == arrow.DATE32 || b.ID() == arrow.TIMESTAMP || IsNumeric(b) || b.ID() == arrow.BOOL):
		return b, true
	case IsString(b) && (a.ID() == arrow.DATE32 || a.ID() == arrow.TIMESTAMP || IsNumeric(a) || a.ID() == arrow.BOOL):
		return a, true
	}
	return nil, false
}

// widerDecimal is the smallest decimal holding every value of both, as Spark's DecimalPrecision.widerDecimalType.
func widerDecimal(a, b arrow.DataType) arrow.DataType {
	p1, s1 := DecimalPS(a)
	p2, s2 := DecimalPS(b)
	s := max(s1, s2)
	r := max(p1-s1, p2-s2)
	p := r + s
	if p > 38 {
		p = 38
		s = max(38-r, 0)
	}
	return DecimalType(p, s)
}

// DecimalType returns the Arrow type for DECIMAL(p,s): decimal64 when p ≤ 18,
// decimal128 otherwise.
func DecimalType(p, s int32) arrow.DataType { return values.DecimalType(p, s) }

// TypeName renders an Arrow type with its Spark SQL name.
func TypeName(t arrow.DataType) string { return values.TypeName(t) }
