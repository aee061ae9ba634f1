package fmtfn

import (
	"encoding/base64"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/values"
)

// fromJSONValue converts a parsed JSON value to the row form of type t (as
// values.Append reads it), with the rules of Spark's JacksonParser in
// PERMISSIVE mode; ok is false when the value does not convert, and the
// caller stores NULL in its place.
func fromJSONValue(v *jsonValue, t arrow.DataType, o *Options) (any, bool) {
	if IsVariant(t) {
		out, err := canonicalVariant(nil, v)
		return string(out), err == nil
	}
	if v.kind == jsonNull {
		return nil, true
	}
	switch tt := t.(type) {
	case *arrow.BooleanType:
		if v.kind == jsonBool {
			return v.b, true
		}
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type:
		if v.kind == jsonNumber && !v.float {
			bits := map[arrow.Type]int{arrow.INT8: 8, arrow.INT16: 16, arrow.INT32: 32, arrow.INT64: 64}[t.ID()]
			if n, err := strconv.ParseInt(v.s, 10, bits); err == nil {
				return n, true
			}
		}
	case *arrow.Float32Type, *arrow.Float64Type:
		switch v.kind {
		case jsonNumber:
			if f, err := strconv.ParseFloat(v.s, 64); err == nil || f != 0 {
				return f, true
			}
		case jsonString:
			switch v.s {
			case "NaN":
				return math.NaN(), true
			case "Infinity", "+Infinity", "+INF", "INF":
				return math.Inf(1), true
			case "-Infinity", "-INF":
				return math.Inf(-1), true
			}
		}
	case *arrow.StringType:
		if v.kind == jsonString {
			return v.s, true
		}
		return string(appendJSON(nil, v)), true
	case *arrow.Decimal64Type:
		return decimalFromText(v, tt.Precision, tt.Scale)
	case *arrow.Decimal128Type:
		return decimalFromText(v, tt.Precision, tt.Scale)
	case *arrow.Date32Type:
		if v.kind == jsonString {
			return o.parseDate(v.s)
		}
	case *arrow.TimestampType:
		switch v.kind {
		case jsonString:
			return o.parseTimestamp(v.s)
		case jsonNumber:
			if n, err := strconv.ParseInt(v.s, 10, 64); err == nil && !v.float {
				return time.Unix(n, 0).UTC(), true
			}
		}
	case *arrow.ListType:
		if v.kind != jsonArray {
			return nil, false
		}
		out := make([]any, len(v.elems))
		for i, e := range v.elems {
			out[i], _ = fromJSONValue(e, tt.Elem(), o)
		}
		return out, true
	case *arrow.MapType:
		if v.kind != jsonObject || tt.KeyType().ID() != arrow.STRING {
			return nil, false
		}
		m := values.Map{Keys: make([]any, len(v.keys)), Values: make([]any, len(v.keys))}
		for i, k := range v.keys {
			m.Keys[i] = k
			m.Values[i], _ = fromJSONValue(v.vals[i], tt.ItemType(), o)
		}
		return m, true
	case *arrow.StructType:
		if v.kind != jsonObject {
			return nil, false
		}
		return structFromJSON(v, tt, o), true
	}
	return nil, false
}

// structFromJSON converts an object to a struct of type t: fields by exact
// name (the last of repeated ones), missing or unconvertible fields NULL.
func structFromJSON(v *jsonValue, t *arrow.StructType, o *Options) []any {
	out := make([]any, t.NumFields())
	for i, k := range v.keys {
		if idx, ok := t.FieldIdx(k); ok {
			out[idx], _ = fromJSONValue(v.vals[i], t.Field(idx).Type, o)
		}
	}
	return out
}

// decimalFromText converts a JSON number to a decimal(p, s), rounding half
// up to the scale; ok is false when it does not fit the precision.
func decimalFromText(v *jsonValue, p, s int32) (any, bool) {
	if v.kind != jsonNumber {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(v.s)
	if !ok {
		return nil, false
	}
	return decimalFromRat(r, p, s)
}

func decimalFromRat(r *big.Rat, p, s int32) (any, bool) {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s)), nil)))
	num, den := scaled.Num(), scaled.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	if len(new(big.Int).Abs(q).String()) > int(p) {
		return nil, false
	}
	return values.Decimal{Unscaled: decimal128.FromBigInt(q), Scale: s}, true
}

// timestampLayouts are the forms of timestamp text from_json and from_csv
// read: ISO 8601 with a 'T' or a space, optional fraction and offset.
var timestampLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

func parseTimestampText(s string) (any, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timestampLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return nil, false
}

// appendToJSON appends the row-form value v of type t as JSON the way
// Spark's JacksonGenerator writes it: struct fields that are NULL are left
// out, map keys are the text of the key, dates and timestamps are quoted
// text (timestamps as yyyy-MM-dd'T'HH:mm:ss.SSSXXX in UTC), binary values
// Base64, NaN and infinities quoted.
func appendToJSON(dst []byte, v any, t arrow.DataType, o *Options) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	switch tt := t.(type) {
	case *arrow.StructType:
		dst = append(dst, '{')
		first := true
		vals := structValues(v)
		for i, f := range tt.Fields() {
			if i >= len(vals) || vals[i] == nil {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = appendQuoted(dst, f.Name)
			dst = append(dst, ':')
			dst = appendToJSON(dst, vals[i], f.Type, o)
		}
		return append(dst, '}')
	case *arrow.MapType:
		m, _ := v.(values.Map)
		dst = append(dst, '{')
		for i, k := range m.Keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendQuoted(dst, keyText(k, tt.KeyType()))
			dst = append(dst, ':')
			dst = appendToJSON(dst, m.Values[i], tt.ItemType(), o)
		}
		return append(dst, '}')
	case arrow.ListLikeType:
		xs, _ := v.([]any)
		dst = append(dst, '[')
		for i, x := range xs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendToJSON(dst, x, tt.Elem(), o)
		}
		return append(dst, ']')
	}
	switch x := v.(type) {
	case bool:
		return strconv.AppendBool(dst, x)
	case string:
		return appendQuoted(dst, x)
	case []byte:
		return appendQuoted(dst, base64.StdEncoding.EncodeToString(x))
	case float64:
		s := values.FormatDouble(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return appendQuoted(dst, s)
		}
		return append(dst, s...)
	case float32:
		s := values.FormatFloat(x)
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return appendQuoted(dst, s)
		}
		return append(dst, s...)
	case values.Decimal:
		return append(dst, x.String()...)
	case time.Time:
		if t.ID() == arrow.DATE32 || t.ID() == arrow.DATE64 {
			return appendQuoted(dst, o.formatDate(x))
		}
		return appendQuoted(dst, o.formatTimestamp(x))
	}
	return append(dst, scalarText(v)...)
}

// structValues returns the field values of a struct in row form.
func structValues(v any) []any {
	switch x := v.(type) {
	case values.Struct:
		return x.Values
	case []any:
		return x
	}
	return nil
}

// keyText is the text of a map key as Spark's generator writes a field
// name: the value's string form; a struct as [v1,v2].
func keyText(k any, t arrow.DataType) string {
	switch x := k.(type) {
	case nil:
		return "null"
	case string:
		return x
	case values.Struct:
		parts := make([]string, len(x.Values))
		st, _ := t.(*arrow.StructType)
		for i, f := range x.Values {
			var ft arrow.DataType = arrow.Null
			if st != nil {
				ft = st.Field(i).Type
			}
			parts[i] = keyText(f, ft)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case time.Time:
		if t.ID() == arrow.DATE32 {
			return x.Format("2006-01-02")
		}
	}
	return scalarText(k)
}

// scalarText is the text of a number or other scalar value.
func scalarText(v any) string {
	switch x := v.(type) {
	case float64:
		return values.FormatDouble(x)
	case float32:
		return values.FormatFloat(x)
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05")
	}
	return values.FormatValue(v)
}
