package fmtfn

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/values"
)

// VariantTypeName is the Arrow extension name of VARIANT columns.
const VariantTypeName = "variant"

// VariantExtType is gspark's VARIANT: an Arrow extension type over a
// string storage holding the value as canonical JSON text — object keys
// sorted and unique, integers plain, decimals without trailing zeros but
// with a point (1.5, 10.0), doubles always with an exponent (1e+02). The
// kind of every number (integer, decimal or double, as Spark's variant
// encoding keeps it) is thus recoverable from the text. Spark stores a
// binary encoding instead; the values and the functions' answers are the
// same.
type VariantExtType struct {
	arrow.ExtensionBase
}

var variantType = &VariantExtType{ExtensionBase: arrow.ExtensionBase{Storage: arrow.BinaryTypes.String}}

// VariantType returns the VARIANT type (one immutable instance).
func VariantType() *VariantExtType { return variantType }

// IsVariant reports whether t is the VARIANT type.
func IsVariant(t arrow.DataType) bool {
	e, ok := t.(arrow.ExtensionType)
	return ok && e.ExtensionName() == VariantTypeName
}

// ArrayType implements arrow.ExtensionType.
func (*VariantExtType) ArrayType() reflect.Type { return reflect.TypeOf(VariantArray{}) }

// ExtensionName implements arrow.ExtensionType.
func (*VariantExtType) ExtensionName() string { return VariantTypeName }

// String returns "variant", the name Spark gives the type.
func (*VariantExtType) String() string { return VariantTypeName }

// Serialize implements arrow.ExtensionType; the type has no parameters.
func (*VariantExtType) Serialize() string { return "" }

// Deserialize implements arrow.ExtensionType.
func (*VariantExtType) Deserialize(storage arrow.DataType, _ string) (arrow.ExtensionType, error) {
	if storage.ID() != arrow.STRING {
		return nil, fmt.Errorf("%s: invalid storage type %s", VariantTypeName, storage)
	}
	return variantType, nil
}

// ExtensionEquals implements arrow.ExtensionType.
func (*VariantExtType) ExtensionEquals(other arrow.ExtensionType) bool {
	return other.ExtensionName() == VariantTypeName
}

// VariantArray is an Arrow array of variants.
type VariantArray struct {
	array.ExtensionArrayBase
}

// ValueStr returns row i as Spark prints a variant: its JSON text.
func (a *VariantArray) ValueStr(i int) string {
	if a.IsNull(i) {
		return array.NullValueStr
	}
	return Variant{a.Storage().(*array.String).Value(i)}.String()
}

// RowValue returns row i as a Variant (nil for NULL); Collect uses it.
func (a *VariantArray) RowValue(i int) any {
	if a.IsNull(i) {
		return nil
	}
	return Variant{a.Storage().(*array.String).Value(i)}
}

// GetOneForMarshal returns row i's JSON text.
func (a *VariantArray) GetOneForMarshal(i int) any {
	if a.IsNull(i) {
		return nil
	}
	return a.ValueStr(i)
}

// Variant is a VARIANT value in row form.
type Variant struct {
	canonical string
}

// String returns the value as Spark writes a variant as JSON: decimals
// without trailing zeros, doubles as Java prints them.
func (v Variant) String() string {
	jv, err := parseWholeJSON(v.canonical)
	if err != nil {
		return v.canonical
	}
	return string(appendVariantJSON(nil, jv))
}

// numberKind tells the kind of a number of canonical variant text.
func numberKind(s string) string {
	switch {
	case strings.ContainsAny(s, "eE"):
		return "DOUBLE"
	case strings.Contains(s, "."):
		return "DECIMAL"
	}
	return "BIGINT"
}

// errDuplicateKey is wrapped by parse_json's error on an object with a key
// twice.
var errDuplicateKey = fmt.Errorf("duplicate object key")

// canonicalVariant turns a parsed JSON value into canonical variant text,
// with Spark's number rules: integers that fit 64 bits stay integers,
// numbers without an exponent that fit DECIMAL(38) are decimals, anything
// else a double.
func canonicalVariant(dst []byte, v *jsonValue) ([]byte, error) {
	switch v.kind {
	case jsonNumber:
		return appendCanonicalNumber(dst, v.s), nil
	case jsonArray:
		dst = append(dst, '[')
		for i, e := range v.elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = canonicalVariant(dst, e); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case jsonObject:
		idx := make([]int, len(v.keys))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return v.keys[idx[a]] < v.keys[idx[b]] })
		dst = append(dst, '{')
		for n, i := range idx {
			if n > 0 {
				if v.keys[idx[n-1]] == v.keys[i] {
					return nil, fmt.Errorf("[VARIANT_DUPLICATE_KEY] Failed to build variant because of a duplicate object key `%s`: %w", v.keys[i], errDuplicateKey)
				}
				dst = append(dst, ',')
			}
			dst = appendQuoted(dst, v.keys[i])
			dst = append(dst, ':')
			var err error
			if dst, err = canonicalVariant(dst, v.vals[i]); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	}
	return appendJSON(dst, v), nil
}

func appendCanonicalNumber(dst []byte, s string) []byte {
	if !strings.ContainsAny(s, ".eE") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return strconv.AppendInt(dst, n, 10)
		}
	}
	if !strings.ContainsAny(s, "eE") {
		digits := strings.TrimLeft(strings.Replace(strings.TrimPrefix(s, "-"), ".", "", 1), "0")
		scale := 0
		if p := strings.IndexByte(s, '.'); p >= 0 {
			scale = len(s) - p - 1
		}
		if len(digits) <= 38 && scale <= 38 {
			// Spark reads decimals back without trailing zeros; a point
			// stays, so that the text still reads as a decimal.
			d := stripDecimal(s)
			if !strings.Contains(d, ".") {
				d += ".0"
			}
			return append(dst, d...)
		}
	}
	f, _ := strconv.ParseFloat(s, 64)
	return strconv.AppendFloat(dst, f, 'e', -1, 64)
}

// stripDecimal writes decimal text as Java's BigDecimal
// stripTrailingZeros().toPlainString() does: 1.50 is 1.5, 10.0 is 10.
func stripDecimal(s string) string {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	ip, fp, _ := strings.Cut(body, ".")
	fp = strings.TrimRight(fp, "0")
	ip = strings.TrimLeft(ip, "0")
	if ip == "" {
		ip = "0"
	}
	out := ip
	if fp != "" {
		out += "." + fp
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// appendVariantJSON writes canonical variant JSON as Spark's to_json of a
// variant does.
func appendVariantJSON(dst []byte, v *jsonValue) []byte {
	switch v.kind {
	case jsonNumber:
		switch numberKind(v.s) {
		case "DOUBLE":
			f, _ := strconv.ParseFloat(v.s, 64)
			return append(dst, values.FormatDouble(f)...)
		case "DECIMAL":
			return append(dst, stripDecimal(v.s)...)
		}
		return append(dst, v.s...)
	case jsonArray, jsonObject:
		return appendComposite(dst, v, appendVariantJSON)
	}
	return appendJSON(dst, v)
}

// ParseVariant parses JSON text into canonical variant text; the error
// reports malformed JSON or a repeated key.
func ParseVariant(s string) (string, error) {
	v, err := parseWhole(s, true)
	if err != nil {
		return "", err
	}
	out, err := canonicalVariant(nil, v)
	if err != nil {
		return "", err
	}
	return string(out), nil
}
