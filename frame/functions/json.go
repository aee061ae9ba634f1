package functions

import (
	"sort"

	"github.com/gspark/gspark/frame"
)

// optionsMap is options as the map('key', 'value', ...) argument the JSON,
// CSV and XML functions take, keys sorted; nil when there are none.
func optionsMap(options map[string]string) []frame.Column {
	if len(options) == 0 {
		return nil
	}
	keys := make([]string, 0, len(options))
	for k := range options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	args := make([]frame.Column, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, frame.Lit(k), frame.Lit(options[k]))
	}
	return []frame.Column{frame.Call("map", args...)}
}

// GetJSONObject is the JSON value path ($.a.b[0], $['a'], $[*]) selects in
// the JSON text c: strings without quotes, other values as JSON; NULL when
// c is malformed or nothing matches.
func GetJSONObject(c frame.Column, path string) frame.Column {
	return frame.Call("get_json_object", c, frame.Lit(path))
}

// JSONTuple is json_tuple: as a whole item of Select it becomes one string
// column per field name (c0, c1, ...) holding that top-level field of the
// JSON object c.
func JSONTuple(c frame.Column, fields ...string) frame.Column {
	args := []frame.Column{c}
	for _, f := range fields {
		args = append(args, frame.Lit(f))
	}
	return frame.Call("json_tuple", args...)
}

// FromJSON parses the JSON text c into schema, a DDL string such as
// "a INT, b STRING" or a type such as "array<int>" or "map<string,int>".
// Options: timestampFormat, dateFormat (others are an error).
func FromJSON(c frame.Column, schema string, options map[string]string) frame.Column {
	return frame.Call("from_json", append([]frame.Column{c, frame.Lit(schema)}, optionsMap(options)...)...)
}

// ToJSON is the JSON text of the struct, array or map c. Options:
// timestampFormat, dateFormat.
func ToJSON(c frame.Column, options map[string]string) frame.Column {
	return frame.Call("to_json", append([]frame.Column{c}, optionsMap(options)...)...)
}

// SchemaOfJSON is the schema Spark infers for the JSON text json, in SQL
// form such as ARRAY<STRUCT<col: BIGINT>>.
func SchemaOfJSON(json string) frame.Column {
	return frame.Call("schema_of_json", frame.Lit(json))
}

// JSONArrayLength is the number of elements of the JSON array c; NULL for
// other or malformed text.
func JSONArrayLength(c frame.Column) frame.Column { return frame.Call("json_array_length", c) }

// JSONObjectKeys is the array of the keys of the JSON object c; NULL for
// other or malformed text.
func JSONObjectKeys(c frame.Column) frame.Column { return frame.Call("json_object_keys", c) }
