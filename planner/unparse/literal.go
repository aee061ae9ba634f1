package unparse

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// Quote quotes an identifier with backticks, an embedded backtick doubled
// as Spark SQL expects.
func Quote(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// QuoteString renders s as a Spark SQL string literal: single quotes, with
// backslash escapes for the quote, the backslash and control characters.
func QuoteString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case 0:
			b.WriteString(`\0`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// typeSQL names a type as Spark SQL's CAST accepts it.
func typeSQL(t arrow.DataType) (string, error) {
	switch tt := t.(type) {
	case nil:
		return "", fmt.Errorf("unparse: an expression has no type (is the plan analyzed?)")
	case *arrow.DictionaryType:
		return typeSQL(tt.ValueType)
	case *arrow.ListType:
		e, err := typeSQL(tt.Elem())
		return "ARRAY<" + e + ">", err
	case *arrow.LargeListType:
		e, err := typeSQL(tt.Elem())
		return "ARRAY<" + e + ">", err
	case *arrow.FixedSizeListType:
		e, err := typeSQL(tt.Elem())
		return "ARRAY<" + e + ">", err
	case *arrow.MapType:
		k, err := typeSQL(tt.KeyType())
		if err != nil {
			return "", err
		}
		v, err := typeSQL(tt.ItemType())
		return "MAP<" + k + ", " + v + ">", err
	case *arrow.StructType:
		parts := make([]string, tt.NumFields())
		for i, f := range tt.Fields() {
			ft, err := typeSQL(f.Type)
			if err != nil {
				return "", err
			}
			parts[i] = Quote(f.Name) + ": " + ft
		}
		return "STRUCT<" + strings.Join(parts, ", ") + ">", nil
	case arrow.ExtensionType:
		return "", fmt.Errorf("unparse: type %s has no Spark SQL name", tt.ExtensionName())
	case *arrow.MonthDayNanoIntervalType:
		return "", fmt.Errorf("unparse: a CalendarInterval column type has no Spark SQL name")
	}
	return strings.ToUpper(logical.TypeName(t)), nil
}

// literalSQL renders a literal in Spark SQL's syntax, typed exactly: the
// text read back is a literal of the same type and value.
func literalSQL(l *logical.Literal) (string, error) {
	return valueSQL(l.Value, l.Type)
}

func valueSQL(v any, t arrow.DataType) (string, error) {
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	if v == nil {
		if t == nil || t.ID() == arrow.NULL {
			return "NULL", nil
		}
		ts, err := typeSQL(t)
		if err != nil {
			return "", err
		}
		return "CAST(NULL AS " + ts + ")", nil
	}
	switch x := v.(type) {
	case bool:
		if x {
			return "TRUE", nil
		}
		return "FALSE", nil
	case int8:
		return intSQL(int64(x), "Y", "TINYINT", math.MinInt8), nil
	case int16:
		return intSQL(int64(x), "S", "SMALLINT", math.MinInt16), nil
	case int32:
		return intSQL(int64(x), "", "INT", math.MinInt32), nil
	case int64:
		return intSQL(x, "L", "BIGINT", math.MinInt64), nil
	case float32:
		return floatSQL(float64(x), 32, "F", "FLOAT"), nil
	case float64:
		return floatSQL(x, 64, "D", "DOUBLE"), nil
	case string:
		return QuoteString(x), nil
	case []byte:
		return "X'" + strings.ToUpper(hex.EncodeToString(x)) + "'", nil
	case values.Decimal:
		return decimalSQL(x, t)
	case values.YearMonthInterval:
		return x.ANSI(), nil
	case values.DayTimeInterval:
		return x.ANSI(), nil
	case values.CalendarInterval:
		secs := values.Decimal{Unscaled: decimal128.FromI64(x.Micros), Scale: 6}
		return fmt.Sprintf("make_interval(0, %d, 0, %d, 0, 0, %sBD)", x.Months, x.Days, secs.String()), nil
	case time.Time:
		return timeSQL(x, t)
	case []any:
		return arraySQL(x, t)
	case values.Map:
		return mapSQL(x, t)
	case values.Struct:
		return structSQL(x.Names, x.Values, t)
	}
	return "", fmt.Errorf("unparse: a literal of type %s (%T) has no Spark SQL form", logical.TypeName(t), v)
}

// intSQL renders an integer with Spark's type suffix; a negative value is
// parenthesized (the minus is an operator), the minimum as a cast of text.
func intSQL(n int64, suffix, typ string, minVal int64) string {
	switch {
	case n == minVal:
		return fmt.Sprintf("CAST('%d' AS %s)", n, typ)
	case n < 0:
		return fmt.Sprintf("(-%d%s)", -n, suffix)
	}
	return strconv.FormatInt(n, 10) + suffix
}

// floatSQL renders a float with its suffix (D for DOUBLE, F for FLOAT) in
// the shortest form that reads back as the same value.
func floatSQL(f float64, bits int, suffix, typ string) string {
	switch {
	case math.IsNaN(f):
		return "CAST('NaN' AS " + typ + ")"
	case math.IsInf(f, 1):
		return "CAST('Infinity' AS " + typ + ")"
	case math.IsInf(f, -1):
		return "CAST('-Infinity' AS " + typ + ")"
	}
	neg := f < 0 || f == 0 && math.Signbit(f)
	s := strings.ToUpper(strconv.FormatFloat(math.Abs(f), 'g', -1, bits)) + suffix
	if neg {
		return "(-" + s + ")"
	}
	return s
}

// decimalSQL renders a decimal as a BD literal (1.10BD is DECIMAL(3,2)),
// cast to the literal's type when that is wider than the digits.
func decimalSQL(d values.Decimal, t arrow.DataType) (string, error) {
	text := d.String()
	neg := strings.HasPrefix(text, "-")
	text = strings.TrimPrefix(text, "-")
	digits := strings.TrimLeft(strings.ReplaceAll(text, ".", ""), "0")
	prec := max(int32(len(digits)), d.Scale, 1)
	s := text + "BD"
	if neg {
		s = "(-" + s + ")"
	}
	if dt, ok := t.(arrow.DecimalType); ok && (dt.GetPrecision() != prec || dt.GetScale() != d.Scale) {
		ts, err := typeSQL(t)
		if err != nil {
			return "", err
		}
		return "CAST(" + s + " AS " + ts + ")", nil
	}
	return s, nil
}

// timeSQL renders dates as DATE 'yyyy-mm-dd', instants as TIMESTAMP
// literals in UTC with a Z (read the same in any session time zone) and
// wall clocks as TIMESTAMP_NTZ literals.
func timeSQL(x time.Time, t arrow.DataType) (string, error) {
	switch tt := t.(type) {
	case *arrow.Date32Type, *arrow.Date64Type:
		return "DATE '" + x.Format("2006-01-02") + "'", nil
	case *arrow.TimestampType:
		if tt.TimeZone == "" {
			return "TIMESTAMP_NTZ '" + x.Format("2006-01-02 15:04:05.999999") + "'", nil
		}
		return "TIMESTAMP '" + x.UTC().Format("2006-01-02 15:04:05.999999") + "Z'", nil
	}
	return "", fmt.Errorf("unparse: a time literal of type %s has no Spark SQL form", logical.TypeName(t))
}

func elemType(t arrow.DataType) arrow.DataType {
	if l, ok := t.(arrow.ListLikeType); ok {
		return l.Elem()
	}
	return nil
}

func arraySQL(xs []any, t arrow.DataType) (string, error) {
	et := elemType(t)
	parts := make([]string, len(xs))
	for i, x := range xs {
		s, err := valueSQL(x, et)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	s := "array(" + strings.Join(parts, ", ") + ")"
	if len(xs) == 0 && t != nil {
		ts, err := typeSQL(t)
		if err != nil {
			return "", err
		}
		s = "CAST(" + s + " AS " + ts + ")"
	}
	return s, nil
}

func mapSQL(m values.Map, t arrow.DataType) (string, error) {
	var kt, vt arrow.DataType
	if mt, ok := t.(*arrow.MapType); ok {
		kt, vt = mt.KeyType(), mt.ItemType()
	}
	parts := make([]string, 0, 2*len(m.Keys))
	for i, k := range m.Keys {
		ks, err := valueSQL(k, kt)
		if err != nil {
			return "", err
		}
		vs, err := valueSQL(m.Values[i], vt)
		if err != nil {
			return "", err
		}
		parts = append(parts, ks, vs)
	}
	s := "map(" + strings.Join(parts, ", ") + ")"
	if len(m.Keys) == 0 && t != nil {
		ts, err := typeSQL(t)
		if err != nil {
			return "", err
		}
		s = "CAST(" + s + " AS " + ts + ")"
	}
	return s, nil
}

func structSQL(names []string, vals []any, t arrow.DataType) (string, error) {
	st, _ := t.(*arrow.StructType)
	parts := make([]string, 0, 2*len(vals))
	for i, v := range vals {
		name := ""
		var ft arrow.DataType
		if st != nil && i < st.NumFields() {
			name, ft = st.Field(i).Name, st.Field(i).Type
		} else if i < len(names) {
			name = names[i]
		}
		vs, err := valueSQL(v, ft)
		if err != nil {
			return "", err
		}
		parts = append(parts, QuoteString(name), vs)
	}
	return "named_struct(" + strings.Join(parts, ", ") + ")", nil
}
