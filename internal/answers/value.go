package answers

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/gspark/gspark/values"
)

// Kind is the family of a column's type that decides how its values compare.
type Kind uint8

// The kinds of values.
const (
	KindString Kind = iota + 1
	KindBool
	KindDate
	KindTimestamp
	KindInt
	KindDecimal
	KindFloat
)

var kindNames = [...]string{"", "string", "boolean", "date", "timestamp", "integer", "decimal", "float"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// exact reports whether values of the kind are exact numbers.
func (k Kind) exact() bool { return k == KindInt || k == KindDecimal }

// numeric reports whether values of the kind are numbers.
func (k Kind) numeric() bool { return k.exact() || k == KindFloat }

// KindOf returns the kind of a SQL type name as DuckDB or Spark spell it:
// BOOLEAN; TINYINT to HUGEINT and their unsigned forms (INT, LONG, ...);
// DECIMAL(p,s) or NUMERIC; FLOAT, REAL, DOUBLE; DATE; TIMESTAMP (with or
// without a time zone); VARCHAR, STRING, TEXT. Case does not matter.
func KindOf(typeName string) (Kind, error) {
	t := strings.ToUpper(strings.TrimSpace(typeName))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "VARCHAR", "STRING", "TEXT", "CHAR", "BPCHAR":
		return KindString, nil
	case "BOOLEAN", "BOOL":
		return KindBool, nil
	case "DATE":
		return KindDate, nil
	case "TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ", "TIMESTAMP_LTZ":
		return KindTimestamp, nil
	case "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "BYTE", "SHORT", "LONG",
		"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT":
		return KindInt, nil
	case "DECIMAL", "NUMERIC", "DEC":
		return KindDecimal, nil
	case "FLOAT", "REAL", "DOUBLE", "FLOAT4", "FLOAT8":
		return KindFloat, nil
	}
	return 0, fmt.Errorf("answers: unknown column type %q", typeName)
}

// Value is one cell of an answer. The zero Value is not valid; make values
// with the constructors (Null, Str, Int, Decimal, ...), FromGo or Parse.
type Value struct {
	kind  Kind
	null  bool
	text  string   // strings, booleans, dates and timestamps
	num   *big.Rat // integers and decimals, exactly
	scale int32    // digits after the point of a decimal
	f     float64  // floats
}

// Null is SQL NULL (of any kind).
func Null() Value { return Value{null: true} }

// Str is a string.
func Str(s string) Value { return Value{kind: KindString, text: s} }

// Bool is a boolean.
func Bool(b bool) Value { return Value{kind: KindBool, text: strconv.FormatBool(b)} }

// Date is the date of t (its year, month and day; the clock is ignored).
func Date(t time.Time) Value { return Value{kind: KindDate, text: t.Format(time.DateOnly)} }

// timestampLayout is the canonical text of a timestamp.
const timestampLayout = "2006-01-02 15:04:05.999999999"

// Timestamp is a point in time, kept as its UTC clock text.
func Timestamp(t time.Time) Value {
	return Value{kind: KindTimestamp, text: t.UTC().Format(timestampLayout)}
}

// Int is an integer.
func Int(v int64) Value { return Value{kind: KindInt, num: new(big.Rat).SetInt64(v)} }

// BigInt is an integer of any size.
func BigInt(v *big.Int) Value { return Value{kind: KindInt, num: new(big.Rat).SetInt(v)} }

// Decimal is the exact decimal unscaled * 10^-scale (scale >= 0).
func Decimal(unscaled *big.Int, scale int32) Value {
	r := new(big.Rat).SetFrac(unscaled, pow10(scale))
	return Value{kind: KindDecimal, num: r, scale: scale}
}

// Float is a floating-point number.
func Float(f float64) Value { return Value{kind: KindFloat, f: f} }

func pow10(n int32) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// Kind returns the value's kind (0 for NULL).
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is SQL NULL.
func (v Value) IsNull() bool { return v.null }

// NullText is how an answer file writes SQL NULL. No TPC-H answer holds this
// string; an empty field would make a one-column row a blank line, which CSV
// readers skip.
const NullText = "NULL"

// String returns the canonical text: integers plain, decimals with exactly
// their scale's digits, floats in the shortest form that reads back to the same
// float64, dates YYYY-MM-DD, strings as they are, NULL as NullText.
func (v Value) String() string {
	switch {
	case v.null:
		return NullText
	case v.kind == KindInt:
		return v.num.Num().String()
	case v.kind == KindDecimal:
		return v.num.FloatString(int(v.scale))
	case v.kind == KindFloat:
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	}
	return v.text
}

// float returns a number as the nearest float64.
func (v Value) float() float64 {
	if v.kind == KindFloat {
		return v.f
	}
	f, _ := v.num.Float64()
	return f
}

// FromGo converts a Go value to a Value: nil (NULL); string; bool; signed and
// unsigned integers; float32, float64; *big.Int; values.Decimal (gspark's
// decimals); time.Time, a date when it is midnight UTC and a timestamp
// otherwise. Other types are an error.
func FromGo(v any) (Value, error) {
	switch x := v.(type) {
	case nil:
		return Null(), nil
	case string:
		return Str(x), nil
	case bool:
		return Bool(x), nil
	case int:
		return Int(int64(x)), nil
	case int8:
		return Int(int64(x)), nil
	case int16:
		return Int(int64(x)), nil
	case int32:
		return Int(int64(x)), nil
	case int64:
		return Int(x), nil
	case uint8:
		return Int(int64(x)), nil
	case uint16:
		return Int(int64(x)), nil
	case uint32:
		return Int(int64(x)), nil
	case uint64:
		return BigInt(new(big.Int).SetUint64(x)), nil
	case float32:
		return Float(float64(x)), nil
	case float64:
		return Float(x), nil
	case *big.Int:
		return BigInt(x), nil
	case values.Decimal:
		return Decimal(x.Unscaled.BigInt(), x.Scale), nil
	case time.Time:
		u := x.UTC()
		if u.Equal(time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)) {
			return Date(u), nil
		}
		return Timestamp(u), nil
	}
	return Value{}, fmt.Errorf("answers: unsupported value type %T", v)
}

// Parse reads the canonical text of a value of the given kind; NullText is
// NULL whatever the kind.
func Parse(kind Kind, s string) (Value, error) {
	if s == NullText {
		return Null(), nil
	}
	bad := func(err error) (Value, error) {
		if err != nil {
			return Value{}, fmt.Errorf("answers: %s %q: %w", kind, s, err)
		}
		return Value{}, fmt.Errorf("answers: invalid %s %q", kind, s)
	}
	switch kind {
	case KindString:
		return Str(s), nil
	case KindBool:
		b, err := strconv.ParseBool(s)
		if err != nil || (s != "true" && s != "false") {
			return bad(nil)
		}
		return Bool(b), nil
	case KindDate:
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return bad(err)
		}
		return Date(t), nil
	case KindTimestamp:
		t, err := time.Parse(timestampLayout, s)
		if err != nil {
			return bad(err)
		}
		return Timestamp(t), nil
	case KindInt:
		n, ok := new(big.Int).SetString(s, 10)
		if !ok || strings.HasPrefix(s, "+") {
			return bad(nil)
		}
		return BigInt(n), nil
	case KindDecimal:
		return parseDecimal(s)
	case KindFloat:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return bad(err)
		}
		return Float(f), nil
	}
	return Value{}, fmt.Errorf("answers: unknown kind %v", kind)
}

// parseDecimal reads -?digits[.digits]; the scale is the number of digits
// after the point.
func parseDecimal(s string) (Value, error) {
	t := strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(t, ".")
	digits := whole + frac
	if whole == "" || (strings.Contains(t, ".") && frac == "") || strings.Trim(digits, "0123456789") != "" {
		return Value{}, fmt.Errorf("answers: invalid decimal %q", s)
	}
	n, _ := new(big.Int).SetString(digits, 10)
	if len(t) != len(s) {
		n.Neg(n)
	}
	return Decimal(n, int32(len(frac))), nil
}

// halfUnit is half a unit in the last place of a decimal (0 for other kinds):
// how far a decimal rounded to its scale may be from the exact value.
func (v Value) halfUnit() float64 {
	if v.kind != KindDecimal {
		return 0
	}
	return 0.5 * math.Pow10(-int(v.scale))
}
