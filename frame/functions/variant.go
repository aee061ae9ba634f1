package functions

import "github.com/gspark/gspark/frame"

// ParseJSON parses the JSON text c as a VARIANT; text that is not JSON is
// an error.
func ParseJSON(c frame.Column) frame.Column { return frame.Call("parse_json", c) }

// TryParseJSON is ParseJSON with NULL for text that is not JSON.
func TryParseJSON(c frame.Column) frame.Column { return frame.Call("try_parse_json", c) }

// IsVariantNull reports whether the variant c holds JSON null (false for
// SQL NULL).
func IsVariantNull(c frame.Column) frame.Column { return frame.Call("is_variant_null", c) }

// VariantGet is the value at path ($.a.b, $['a'], $[0]) of the variant c
// cast to typ (a type name such as "int", "array<string>" or "variant");
// NULL when the path does not exist, an error when the cast fails.
func VariantGet(c frame.Column, path, typ string) frame.Column {
	return frame.Call("variant_get", c, frame.Lit(path), frame.Lit(typ))
}

// TryVariantGet is VariantGet with NULL when the cast fails.
func TryVariantGet(c frame.Column, path, typ string) frame.Column {
	return frame.Call("try_variant_get", c, frame.Lit(path), frame.Lit(typ))
}

// SchemaOfVariant is the schema of the variant c in SQL form, such as
// OBJECT<a: BIGINT>.
func SchemaOfVariant(c frame.Column) frame.Column { return frame.Call("schema_of_variant", c) }

// ToVariantObject converts the struct, array or map c to a VARIANT.
func ToVariantObject(c frame.Column) frame.Column { return frame.Call("to_variant_object", c) }
