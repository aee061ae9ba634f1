package functions

import "github.com/gspark/gspark/frame"

// FromCSV parses the CSV record c into schema, a DDL string of scalar
// fields such as "a INT, b STRING". Options: sep, timestampFormat,
// dateFormat (others are an error).
func FromCSV(c frame.Column, schema string, options map[string]string) frame.Column {
	return frame.Call("from_csv", append([]frame.Column{c, frame.Lit(schema)}, optionsMap(options)...)...)
}

// ToCSV is the CSV record of the struct c. Options: sep, timestampFormat,
// dateFormat.
func ToCSV(c frame.Column, options map[string]string) frame.Column {
	return frame.Call("to_csv", append([]frame.Column{c}, optionsMap(options)...)...)
}

// SchemaOfCSV is the schema Spark infers for the CSV record csv, in SQL
// form such as STRUCT<_c0: INT, _c1: STRING>.
func SchemaOfCSV(csv string, options map[string]string) frame.Column {
	return frame.Call("schema_of_csv", append([]frame.Column{frame.Lit(csv)}, optionsMap(options)...)...)
}
