// Package values converts between Arrow array elements and plain Go values (the
// row form of results), and formats them for display.
package values

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Decimal is a decimal value in row form: an unscaled integer and a scale.
type Decimal struct {
	Unscaled decimal128.Num
	Scale    int32
}

// String formats the decimal with exactly Scale fractional digits.
func (d Decimal) String() string {
	return d.Unscaled.ToString(d.Scale)
}

// Float64 converts the decimal to the nearest float64.
func (d Decimal) Float64() float64 { return d.Unscaled.ToFloat64(d.Scale) }

// Rat returns the exact value as a rational number.
func (d Decimal) Rat() *big.Rat {
	r := new(big.Rat).SetInt(d.Unscaled.BigInt())
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil)
	return r.Quo(r, new(big.Rat).SetInt(den))
}

// Value returns element i of arr as a Go value: nil for null; bool; int8,
// int16, int32, int64; float32, float64; string; []byte; time.Time (UTC) for
// dates and timestamps; Decimal for decimals; YearMonthInterval,
// DayTimeInterval and CalendarInterval for the interval types; []any for arrays; Struct for
// structs; Map for maps; for extension arrays the array's RowValue when it is
// a Valuer, else the value of its storage. Dictionary arrays yield the value
// of their dictionary. Other types yield the array's string form of the element.
func Value(arr arrow.Array, i int) any {
	if arr.DataType().ID() == arrow.NULL || arr.IsNull(i) {
		return nil
	}
	if v, ok := nestedValue(arr, i); ok {
		return v
	}
	if v, ok := intervalValue(arr, i); ok {
		return v
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return a.Value(i)
	case *array.Int16:
		return a.Value(i)
	case *array.Int32:
		return a.Value(i)
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return a.Value(i)
	case *array.Uint16:
		return a.Value(i)
	case *array.Uint32:
		return a.Value(i)
	case *array.Uint64:
		return a.Value(i)
	case *array.Float32:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Binary:
		return append([]byte(nil), a.Value(i)...)
	case *array.Date32:
		return a.Value(i).ToTime().UTC()
	case *array.Date64:
		return a.Value(i).ToTime().UTC()
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UTC()
	case *array.Decimal64:
		return Decimal{Unscaled: decimal128.FromI64(int64(a.Value(i))), Scale: a.DataType().(*arrow.Decimal64Type).Scale}
	case *array.Decimal128:
		return Decimal{Unscaled: a.Value(i), Scale: a.DataType().(*arrow.Decimal128Type).Scale}
	case *array.Dictionary:
		return Value(a.Dictionary(), a.GetValueIndex(i))
	default:
		return arr.ValueStr(i)
	}
}

// Rows converts batches to row form with Value.
func Rows(batches []arrow.RecordBatch) [][]any {
	var out [][]any
	for _, b := range batches {
		for r := 0; r < int(b.NumRows()); r++ {
			row := make([]any, b.NumCols())
			for c := range row {
				row[c] = Value(b.Column(c), r)
			}
			out = append(out, row)
		}
	}
	return out
}

// FormatValue renders a row-form value as Spark's Show prints it: arrays as
// [1, 2, null], structs as {1, a}, maps as {a -> 1, b -> 2} (nested nulls
// print as null, a top-level null as NULL).
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case []byte:
		return fmt.Sprintf("%X", x)
	case float64:
		return FormatDouble(x)
	case float32:
		return FormatDouble(float64(x))
	case []any:
		return formatList(x)
	default:
		return fmt.Sprint(x)
	}
}

// ParseDecimal parses decimal text such as "-12.340" exactly; the scale is the
// number of digits after the point.
func ParseDecimal(s string) (Decimal, error) {
	t := s
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	intPart, frac := t, ""
	if i := strings.IndexByte(t, '.'); i >= 0 {
		intPart, frac = t[:i], t[i+1:]
	}
	digits := intPart + frac
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return Decimal{}, fmt.Errorf("invalid decimal %q", s)
	}
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok || len(strings.TrimLeft(digits, "0")) > 38 {
		return Decimal{}, fmt.Errorf("invalid decimal %q: more than 38 digits", s)
	}
	if neg {
		n.Neg(n)
	}
	return Decimal{Unscaled: decimal128.FromBigInt(n), Scale: int32(len(frac))}, nil
}

// FormatDouble renders a double as Spark (Java's Double.toString) does:
// plain notation with at least one fractional digit for magnitudes in
// [1e-3, 1e7), scientific notation like 1.0E7 otherwise.
func FormatDouble(f float64) string { return formatJava(f, 64) }

// FormatFloat renders a float as Spark (Java's Float.toString) does, with
// the same notation rules as FormatDouble but the shortest digits that
// identify the 32-bit value.
func FormatFloat(f float32) string { return formatJava(float64(f), 32) }

// formatJava is FormatDouble and FormatFloat, with bits the precision the
// digits must round-trip at (32 or 64).
func formatJava(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(f)
	if a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, bits)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if exp[0] == '+' {
		exp = exp[1:]
	}
	exp = strings.TrimLeft(exp, "0")
	if strings.HasPrefix(exp, "-") {
		exp = "-" + strings.TrimLeft(exp[1:], "0")
	}
	return mant + "E" + exp
}
