package fmtfn

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// splitCSV splits one CSV record as Spark's CSV functions read it by
// default: fields separated by sep, optionally quoted with ", a quote
// inside quotes escaped with a backslash or doubled. Text is kept as it is
// (no trimming).
func splitCSV(s, sep string) []string {
	var fields []string
	var cur strings.Builder
	i := 0
	for {
		cur.Reset()
		quoted := false
		if i < len(s) && s[i] == '"' {
			quoted = true
			i++
			for i < len(s) {
				c := s[i]
				switch {
				case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
					cur.WriteByte(s[i+1])
					i += 2
				case c == '"' && i+1 < len(s) && s[i+1] == '"':
					cur.WriteByte('"')
					i += 2
				case c == '"':
					i++
					goto closed
				default:
					cur.WriteByte(c)
					i++
				}
			}
		closed:
		}
		for i < len(s) && !strings.HasPrefix(s[i:], sep) {
			cur.WriteByte(s[i])
			i++
		}
		f := cur.String()
		if !quoted && f == "" {
			fields = append(fields, "\x00") // an empty unquoted field: null
		} else {
			fields = append(fields, f)
		}
		if i >= len(s) {
			return fields
		}
		i += len(sep)
	}
}

// javaDouble parses text as Java's Double.parseDouble does: surrounding
// blanks ignored, an optional d/f suffix, NaN and Infinity spelled out.
func javaDouble(s string) (float64, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = strings.TrimRight(s, "dDfF")
	switch s {
	case "NaN", "+NaN", "-NaN":
		return math.NaN(), true
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if s == "" || strings.ContainsAny(s, "xXpP_") || strings.HasPrefix(strings.ToLower(strings.TrimLeft(s, "+-")), "in") || strings.HasPrefix(strings.ToLower(strings.TrimLeft(s, "+-")), "na") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// fromCSVField converts one field to the row form of type t as Spark's
// UnivocityParser does with default options; ok is false when it does not
// convert.
func fromCSVField(s string, t arrow.DataType, o *Options) (any, bool) {
	switch tt := t.(type) {
	case *arrow.StringType:
		return s, true
	case *arrow.BooleanType:
		switch strings.ToLower(s) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type:
		bits := map[arrow.Type]int{arrow.INT8: 8, arrow.INT16: 16, arrow.INT32: 32, arrow.INT64: 64}[t.ID()]
		if n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, bits); err == nil && !strings.HasPrefix(s, "+-") {
			return n, true
		}
	case *arrow.Float32Type, *arrow.Float64Type:
		switch s {
		case "NaN":
			return math.NaN(), true
		case "Inf":
			return math.Inf(1), true
		case "-Inf":
			return math.Inf(-1), true
		}
		if f, ok := javaDouble(s); ok {
			return f, true
		}
	case *arrow.Decimal64Type:
		return decimalFromString(s, tt.Precision, tt.Scale)
	case *arrow.Decimal128Type:
		return decimalFromString(s, tt.Precision, tt.Scale)
	case *arrow.Date32Type:
		return o.parseDate(s)
	case *arrow.TimestampType:
		return o.parseTimestamp(s)
	}
	return nil, false
}

func decimalFromString(s string, p, sc int32) (any, bool) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return nil, false
	}
	return decimalFromRat(r, p, sc)
}

// FromCSV returns from_csv(csvText, schema) for a struct type of scalar
// fields: field i of the record in field i of the struct, empty unquoted
// fields and missing fields NULL, fields that do not convert NULL.
func FromCSV(csvText expr.Expr, typ *arrow.StructType, o *Options) expr.Expr {
	return rowFunc("from_csv", typ, []expr.Expr{csvText}, func(row []any) (any, error) {
		s, ok := text(row[0])
		if !ok {
			return nil, nil
		}
		fields := splitCSV(s, o.sep)
		out := make([]any, typ.NumFields())
		for i := range out {
			if i >= len(fields) || fields[i] == "\x00" {
				continue
			}
			out[i], _ = fromCSVField(fields[i], typ.Field(i).Type, o)
		}
		return out, nil
	})
}

// CSVFieldTypeOK reports whether from_csv and to_csv take a field of type
// t: scalar types only.
func CSVFieldTypeOK(t arrow.DataType) bool {
	switch t.(type) {
	case *arrow.ListType, *arrow.MapType, *arrow.StructType, arrow.ExtensionType:
		return false
	}
	return true
}

// appendCSVField appends a value as Spark's CSV writer writes it with
// default options: NULL as nothing, the empty string as "", text trimmed
// of surrounding blanks and quoted when it holds the separator, a quote,
// a backslash or a line break (quotes and backslashes escaped with a
// backslash).
func appendCSVField(dst []byte, v any, t arrow.DataType, o *Options) []byte {
	if v == nil {
		return dst
	}
	var s string
	switch x := v.(type) {
	case string:
		s = strings.TrimFunc(x, func(r rune) bool { return r <= ' ' })
		if s == "" {
			return append(dst, `""`...)
		}
	case time.Time:
		if t.ID() == arrow.DATE32 {
			s = o.formatDate(x)
		} else {
			s = o.formatTimestamp(x)
		}
	case []byte:
		s = string(x)
	default:
		s = scalarText(v)
	}
	if strings.Contains(s, o.sep) || strings.ContainsAny(s, "\"\\\n\r") {
		dst = append(dst, '"')
		for i := 0; i < len(s); i++ {
			if s[i] == '"' || s[i] == '\\' {
				dst = append(dst, '\\')
			}
			dst = append(dst, s[i])
		}
		return append(dst, '"')
	}
	return append(dst, s...)
}

// ToCSV returns to_csv(x) of a struct x of scalar fields.
func ToCSV(x expr.Expr, o *Options) expr.Expr {
	st, _ := x.DataType().(*arrow.StructType)
	return rowFunc("to_csv", stringType, []expr.Expr{x}, func(row []any) (any, error) {
		if row[0] == nil || st == nil {
			return nil, nil
		}
		vals := structValues(row[0])
		var out []byte
		for i, f := range st.Fields() {
			if i > 0 {
				out = append(out, o.sep...)
			}
			if i < len(vals) {
				out = appendCSVField(out, vals[i], f.Type, o)
			}
		}
		return string(out), nil
	})
}

// inferCSVField infers the type of one field as Spark's CSVInferSchema
// does with default options: INT, BIGINT, DECIMAL(p,0), DOUBLE, TIMESTAMP,
// BOOLEAN, else STRING; an empty field is NULL (STRING in the end).
func inferCSVField(s string) *inferred {
	if s == "\x00" {
		return inferNull
	}
	if _, err := strconv.ParseInt(s, 10, 32); err == nil {
		return &inferred{name: "INT"}
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return inferBigint
	}
	if n, ok := new(big.Int).SetString(s, 10); ok {
		if d := len(new(big.Int).Abs(n).String()); d <= 38 {
			return &inferred{name: "DECIMAL", p: d, s: 0}
		}
	}
	if _, ok := javaDouble(s); ok || s == "NaN" || s == "Inf" || s == "-Inf" {
		return inferDouble
	}
	if strings.ContainsAny(s, "T :") {
		if _, ok := parseTimestampText(s); ok {
			return &inferred{name: "TIMESTAMP"}
		}
	}
	if strings.EqualFold(s, "true") || strings.EqualFold(s, "false") {
		return &inferred{name: "BOOLEAN"}
	}
	return inferString
}

// SchemaOfCSV returns schema_of_csv(text) with the separator of o: a
// struct of fields _c0, _c1, ... in SQL form.
func SchemaOfCSV(text string, o *Options) string {
	fields := splitCSV(text, o.sep)
	st := &inferred{name: "STRUCT"}
	for i, f := range fields {
		t := inferCSVField(f)
		if t.name == "NULL" {
			t = inferString
		}
		st.fields = append(st.fields, inferredField{name: fmt.Sprintf("_c%d", i), t: t})
	}
	return st.sql()
}
