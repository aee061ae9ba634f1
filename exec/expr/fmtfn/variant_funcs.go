package fmtfn

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// ErrMalformedJSON is wrapped by parse_json's error on text that is not
// JSON.
var ErrMalformedJSON = errMalformed

// variantArg reads a variant argument in row form.
func variantArg(v any) (*jsonValue, bool) {
	x, ok := v.(Variant)
	if !ok {
		return nil, false
	}
	jv, err := parseWholeJSON(x.canonical)
	return jv, err == nil
}

// ParseJSON returns parse_json(s): the JSON text s as a VARIANT; text that
// is not JSON (or has a repeated key) is an error, or NULL when try is set
// (try_parse_json).
func ParseJSON(s expr.Expr, try bool) expr.Expr {
	name := "parse_json"
	if try {
		name = "try_parse_json"
	}
	return rowFunc(name, VariantType(), []expr.Expr{s}, func(row []any) (any, error) {
		t, ok := text(row[0])
		if !ok {
			return nil, nil
		}
		out, err := ParseVariant(t)
		if err != nil {
			if try {
				return nil, nil
			}
			return nil, fmt.Errorf("[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: %s. Use try_parse_json to tolerate malformed input and return NULL instead: %w", t, err)
		}
		return out, nil
	})
}

// IsVariantNull returns is_variant_null(v): true only for a variant
// holding JSON null (false for SQL NULL).
func IsVariantNull(v expr.Expr) expr.Expr {
	return rowFunc("is_variant_null", arrow.FixedWidthTypes.Boolean, []expr.Expr{v}, func(row []any) (any, error) {
		jv, ok := variantArg(row[0])
		return ok && jv.kind == jsonNull, nil
	})
}

// VariantToJSON returns to_json(v) of a variant.
func VariantToJSON(v expr.Expr) expr.Expr {
	return rowFunc("to_json", stringType, []expr.Expr{v}, func(row []any) (any, error) {
		jv, ok := variantArg(row[0])
		if !ok {
			return nil, nil
		}
		return string(appendVariantJSON(nil, jv)), nil
	})
}

// variantSeg is one step of a variant_get path: a key or an index.
type variantSeg struct {
	key   string
	index int
	isKey bool
}

// ParseVariantPath parses a variant_get path: $ followed by .key, ['key'],
// ["key"] or [n]; ok is false for anything else.
func ParseVariantPath(s string) ([]variantSeg, bool) {
	if !strings.HasPrefix(s, "$") {
		return nil, false
	}
	s = s[1:]
	var segs []variantSeg
	for s != "" {
		switch {
		case s[0] == '.':
			n := strings.IndexAny(s[1:], ".[")
			if n < 0 {
				n = len(s) - 1
			}
			if n == 0 {
				return nil, false
			}
			segs = append(segs, variantSeg{key: s[1 : 1+n], isKey: true})
			s = s[1+n:]
		case strings.HasPrefix(s, "['") || strings.HasPrefix(s, `["`):
			q := s[1]
			end := strings.IndexByte(s[2:], q)
			if end < 0 || !strings.HasPrefix(s[2+end:], string(q)+"]") {
				return nil, false
			}
			segs = append(segs, variantSeg{key: s[2 : 2+end], isKey: true})
			s = s[2+end+2:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 2 {
				return nil, false
			}
			for _, c := range s[1:end] {
				if c < '0' || c > '9' {
					return nil, false
				}
			}
			n, err := strconv.ParseInt(s[1:end], 10, 32)
			if err != nil {
				return nil, false
			}
			segs = append(segs, variantSeg{index: int(n)})
			s = s[end+1:]
		default:
			return nil, false
		}
	}
	return segs, true
}

// VariantGet returns variant_get(v, path, type) for a valid path (see
// ParseVariantPath): the value at path cast to typ (VariantType() keeps it
// a variant); NULL when the path does not exist. A value that does not
// cast is an error, or NULL when try is set (try_variant_get).
func VariantGet(v expr.Expr, path string, typ arrow.DataType, try bool) expr.Expr {
	name := "variant_get"
	if try {
		name = "try_variant_get"
	}
	segs, _ := ParseVariantPath(path)
	return rowFunc(name, typ, []expr.Expr{v}, func(row []any) (any, error) {
		jv, ok := variantArg(row[0])
		if !ok {
			return nil, nil
		}
		for _, s := range segs {
			switch {
			case s.isKey && jv.kind == jsonObject:
				var found *jsonValue
				for i, k := range jv.keys {
					if k == s.key {
						found = jv.vals[i]
					}
				}
				jv = found
			case !s.isKey && jv.kind == jsonArray && s.index < len(jv.elems):
				jv = jv.elems[s.index]
			default:
				jv = nil
			}
			if jv == nil {
				return nil, nil
			}
		}
		return castVariant(jv, typ, try)
	})
}

// invalidVariantCast is Spark's INVALID_VARIANT_CAST error.
func invalidVariantCast(v *jsonValue, t arrow.DataType) error {
	return fmt.Errorf("[INVALID_VARIANT_CAST] The variant value `%s` cannot be cast into \"%s\". Please use `try_variant_get` instead", appendVariantJSON(nil, v), strings.ToUpper(values.TypeName(t)))
}

// castVariant casts a variant value to t as Spark's VariantGet.cast does
// (ANSI casts of the value's own type; objects and arrays only to strings,
// arrays, maps and structs).
func castVariant(v *jsonValue, t arrow.DataType, try bool) (any, error) {
	if IsVariant(t) {
		out, err := canonicalVariant(nil, v)
		return string(out), err
	}
	if v.kind == jsonNull {
		return nil, nil
	}
	fail := func() (any, error) {
		if try {
			return nil, nil
		}
		return nil, invalidVariantCast(v, t)
	}
	switch tt := t.(type) {
	case *arrow.ListType:
		if v.kind != jsonArray {
			return fail()
		}
		out := make([]any, len(v.elems))
		for i, e := range v.elems {
			x, err := castVariant(e, tt.Elem(), try)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case *arrow.MapType:
		if v.kind != jsonObject || tt.KeyType().ID() != arrow.STRING {
			return fail()
		}
		m := values.Map{Keys: make([]any, len(v.keys)), Values: make([]any, len(v.keys))}
		for i, k := range v.keys {
			x, err := castVariant(v.vals[i], tt.ItemType(), try)
			if err != nil {
				return nil, err
			}
			m.Keys[i], m.Values[i] = k, x
		}
		return m, nil
	case *arrow.StructType:
		if v.kind != jsonObject {
			return fail()
		}
		out := make([]any, tt.NumFields())
		for i, k := range v.keys {
			if idx, ok := tt.FieldIdx(k); ok {
				x, err := castVariant(v.vals[i], tt.Field(idx).Type, try)
				if err != nil {
					return nil, err
				}
				out[idx] = x
			}
		}
		return out, nil
	}
	if v.kind == jsonObject || v.kind == jsonArray {
		if t.ID() == arrow.STRING {
			return string(appendVariantJSON(nil, v)), nil
		}
		return fail()
	}
	if out, ok := castVariantScalar(v, t); ok {
		return out, nil
	}
	return fail()
}

// variantNumber is the exact value of a variant number (nil for a
// double's NaN or infinity, which JSON cannot hold anyway).
func variantNumber(v *jsonValue) (*big.Rat, float64, string) {
	kind := numberKind(v.s)
	f, _ := strconv.ParseFloat(v.s, 64)
	r, _ := new(big.Rat).SetString(v.s)
	return r, f, kind
}

// castVariantScalar is the ANSI cast of a scalar variant value (boolean,
// number or string) to the scalar type t; ok is false when it fails.
func castVariantScalar(v *jsonValue, t arrow.DataType) (any, bool) {
	switch t.ID() {
	case arrow.STRING:
		switch v.kind {
		case jsonString:
			return v.s, true
		case jsonBool:
			return strconv.FormatBool(v.b), true
		}
		return string(appendVariantJSON(nil, v)), true
	case arrow.BOOL:
		switch v.kind {
		case jsonBool:
			return v.b, true
		case jsonNumber:
			r, _, _ := variantNumber(v)
			return r.Sign() != 0, true
		case jsonString:
			switch strings.ToLower(strings.TrimSpace(v.s)) {
			case "t", "true", "y", "yes", "1":
				return true, true
			case "f", "false", "n", "no", "0":
				return false, true
			}
		}
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		bits := map[arrow.Type]uint{arrow.INT8: 8, arrow.INT16: 16, arrow.INT32: 32, arrow.INT64: 64}[t.ID()]
		var r *big.Rat
		switch v.kind {
		case jsonBool:
			if v.b {
				return int64(1), true
			}
			return int64(0), true
		case jsonNumber:
			r, _, _ = variantNumber(v)
		case jsonString:
			r = stringToIntegral(v.s)
		}
		if r == nil {
			return nil, false
		}
		q := new(big.Int).Quo(r.Num(), r.Denom()) // truncates toward zero
		lim := new(big.Int).Lsh(big.NewInt(1), bits-1)
		if q.Cmp(lim) >= 0 || q.Cmp(new(big.Int).Neg(lim)) < 0 {
			return nil, false
		}
		return q.Int64(), true
	case arrow.FLOAT32, arrow.FLOAT64:
		switch v.kind {
		case jsonBool:
			if v.b {
				return 1.0, true
			}
			return 0.0, true
		case jsonNumber:
			_, f, _ := variantNumber(v)
			return f, true
		case jsonString:
			if f, ok := javaDouble(v.s); ok {
				return f, true
			}
			switch strings.ToLower(strings.TrimSpace(v.s)) {
			case "inf", "+inf", "infinity", "+infinity":
				return math.Inf(1), true
			case "-inf", "-infinity":
				return math.Inf(-1), true
			case "nan":
				return math.NaN(), true
			}
		}
	case arrow.DECIMAL64, arrow.DECIMAL128:
		p, s := decimalPS(t)
		switch v.kind {
		case jsonNumber:
			r, _, _ := variantNumber(v)
			return decimalFromRat(r, p, s)
		case jsonString:
			return decimalFromString(v.s, p, s)
		case jsonBool:
			if v.b {
				return decimalFromRat(big.NewRat(1, 1), p, s)
			}
			return decimalFromRat(new(big.Rat), p, s)
		}
	case arrow.DATE32:
		if v.kind == jsonString {
			return (*Options)(nil).parseDate(v.s)
		}
	case arrow.TIMESTAMP:
		switch v.kind {
		case jsonString:
			return parseTimestampText(v.s)
		case jsonNumber:
			r, _, _ := variantNumber(v)
			us := new(big.Rat).Mul(r, big.NewRat(1_000_000, 1))
			q := new(big.Int).Quo(us.Num(), us.Denom())
			if !q.IsInt64() {
				return nil, false
			}
			return time.UnixMicro(q.Int64()).UTC(), true
		}
	}
	return nil, false
}

func decimalPS(t arrow.DataType) (int32, int32) {
	switch tt := t.(type) {
	case *arrow.Decimal64Type:
		return tt.Precision, tt.Scale
	case *arrow.Decimal128Type:
		return tt.Precision, tt.Scale
	}
	return 38, 0
}

// stringToIntegral reads text as Spark's string-to-integer cast does:
// blanks trimmed, an optional sign, digits and an optional fraction that
// is dropped; nil when it is not such a number.
func stringToIntegral(s string) *big.Rat {
	s = strings.TrimSpace(s)
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" {
		return nil
	}
	ip, fp, hasPoint := strings.Cut(body, ".")
	if ip == "" && (!hasPoint || fp == "") {
		return nil
	}
	for _, c := range ip + fp {
		if c < '0' || c > '9' {
			return nil
		}
	}
	if ip == "" {
		ip = "0"
	}
	r, ok := new(big.Rat).SetString(ip)
	if !ok {
		return nil
	}
	if strings.HasPrefix(s, "-") {
		r.Neg(r)
	}
	return r
}

// variantSchema is the schema of a variant value as Spark's
// schema_of_variant reports it.
func variantSchema(v *jsonValue) *inferred {
	switch v.kind {
	case jsonNull:
		return &inferred{name: "VOID"}
	case jsonBool:
		return &inferred{name: "BOOLEAN"}
	case jsonString:
		return inferString
	case jsonNumber:
		switch numberKind(v.s) {
		case "DOUBLE":
			return inferDouble
		case "DECIMAL":
			d := stripDecimal(v.s)
			ip, fp, _ := strings.Cut(strings.TrimPrefix(d, "-"), ".")
			ip = strings.TrimLeft(ip, "0")
			return &inferred{name: "DECIMAL", p: max(len(ip)+len(fp), 1), s: len(fp)}
		}
		return inferBigint
	case jsonArray:
		var elem *inferred
		for _, e := range v.elems {
			elem = mergeVariantSchema(elem, variantSchema(e))
		}
		if elem == nil {
			elem = &inferred{name: "VOID"}
		}
		return &inferred{name: "ARRAY", elem: elem}
	}
	st := &inferred{name: "OBJECT"}
	for i, k := range v.keys {
		st.fields = append(st.fields, inferredField{name: k, t: variantSchema(v.vals[i])})
	}
	return st
}

// mergeVariantSchema merges the schemas of two values of one array, as
// Spark's schema_of_variant does: VOID gives way, integers and decimals
// widen to a decimal, numbers with a double to DOUBLE, arrays and objects
// merge their parts, anything else is VARIANT.
func mergeVariantSchema(a, b *inferred) *inferred {
	switch {
	case a == nil || a.name == "VOID":
		return b
	case b.name == "VOID":
		return a
	case a.name == "ARRAY" && b.name == "ARRAY":
		return &inferred{name: "ARRAY", elem: mergeVariantSchema(a.elem, b.elem)}
	case a.name == "OBJECT" && b.name == "OBJECT":
		byName := map[string]*inferred{}
		for _, f := range a.fields {
			byName[f.name] = f.t
		}
		for _, f := range b.fields {
			byName[f.name] = mergeVariantSchema(byName[f.name], f.t)
		}
		st := &inferred{name: "OBJECT"}
		for k, t := range byName {
			st.fields = append(st.fields, inferredField{name: k, t: t})
		}
		sort.Slice(st.fields, func(i, j int) bool { return st.fields[i].name < st.fields[j].name })
		return st
	case a.name == b.name && a.name != "DECIMAL" && a.name != "ARRAY" && a.name != "OBJECT":
		return a
	}
	num := func(t *inferred) bool { return t.name == "BIGINT" || t.name == "DOUBLE" || t.name == "DECIMAL" }
	if num(a) && num(b) {
		return mergeInferred(a, b)
	}
	return &inferred{name: "VARIANT"}
}

// SchemaOfVariant returns schema_of_variant(v): the SQL form of the
// value's schema, such as ARRAY<OBJECT<a: BIGINT, b: BOOLEAN>>.
func SchemaOfVariant(v expr.Expr) expr.Expr {
	return rowFunc("schema_of_variant", stringType, []expr.Expr{v}, func(row []any) (any, error) {
		jv, ok := variantArg(row[0])
		if !ok {
			return nil, nil
		}
		return variantSchema(jv).sql(), nil
	})
}

// appendCanonicalFromValue writes the row-form value v of type t as
// canonical variant text, as Spark's cast to VARIANT builds one: struct
// fields and map entries become object keys (NULLs as JSON null), arrays
// arrays, numbers keep their kind. Dates and timestamps become strings
// (gspark's variant has no date kinds).
func appendCanonicalFromValue(dst []byte, v any, t arrow.DataType) ([]byte, error) {
	if v == nil {
		return append(dst, "null"...), nil
	}
	obj := &jsonValue{kind: jsonObject}
	switch tt := t.(type) {
	case *arrow.StructType:
		vals := structValues(v)
		for i, f := range tt.Fields() {
			var x any
			if i < len(vals) {
				x = vals[i]
			}
			text, err := appendCanonicalFromValue(nil, x, f.Type)
			if err != nil {
				return nil, err
			}
			fv, err := parseWholeJSON(string(text))
			if err != nil {
				return nil, err
			}
			obj.keys, obj.vals = append(obj.keys, f.Name), append(obj.vals, fv)
		}
		return canonicalVariant(dst, obj)
	case *arrow.MapType:
		m, _ := v.(values.Map)
		for i, k := range m.Keys {
			text, err := appendCanonicalFromValue(nil, m.Values[i], tt.ItemType())
			if err != nil {
				return nil, err
			}
			fv, err := parseWholeJSON(string(text))
			if err != nil {
				return nil, err
			}
			obj.keys, obj.vals = append(obj.keys, keyText(k, tt.KeyType())), append(obj.vals, fv)
		}
		return canonicalVariant(dst, obj)
	case arrow.ListLikeType:
		xs, _ := v.([]any)
		dst = append(dst, '[')
		for i, x := range xs {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendCanonicalFromValue(dst, x, tt.Elem()); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	}
	switch x := v.(type) {
	case Variant:
		return append(dst, x.canonical...), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case string:
		return appendQuoted(dst, x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("gspark's VARIANT cannot hold %v", x)
		}
		return strconv.AppendFloat(dst, x, 'e', -1, 64), nil
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("gspark's VARIANT cannot hold %v", x)
		}
		return strconv.AppendFloat(dst, float64(x), 'e', -1, 32), nil
	case values.Decimal:
		return appendCanonicalNumber(dst, x.String()), nil
	case int8, int16, int32, int64:
		return append(dst, fmt.Sprint(x)...), nil
	}
	return appendToJSON(dst, v, t, nil), nil
}

// ToVariantObject returns to_variant_object(x) of a struct, array or map x.
func ToVariantObject(x expr.Expr) expr.Expr {
	typ := x.DataType()
	return rowFunc("to_variant_object", VariantType(), []expr.Expr{x}, func(row []any) (any, error) {
		if row[0] == nil {
			return nil, nil
		}
		out, err := appendCanonicalFromValue(nil, row[0], typ)
		if err != nil {
			return nil, fmt.Errorf("to_variant_object: %w", err)
		}
		return string(out), nil
	})
}
