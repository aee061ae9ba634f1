package functions

import "github.com/gspark/gspark/frame"

// FromXML is from_xml(c, schema, options): the XML document c read as a
// struct of the DDL schema ('a INT, b STRING'); attributes are fields
// named "_attr", an element's text beside attributes "_VALUE". Options:
// rowTag, attributePrefix, valueTag, excludeAttribute, timestampFormat,
// dateFormat (nil for none).
func FromXML(c frame.Column, schema string, options map[string]string) frame.Column {
	return frame.Call("from_xml", append([]frame.Column{c, frame.Lit(schema)}, optionsMap(options)...)...)
}

// ToXML is to_xml(c, options): the struct c as an XML element (rowTag,
// ROW by default), its fields indented by four spaces.
func ToXML(c frame.Column, options map[string]string) frame.Column {
	return frame.Call("to_xml", append([]frame.Column{c}, optionsMap(options)...)...)
}

// SchemaOfXML is schema_of_xml(xml, options): the schema Spark infers for
// the XML document, in SQL form (STRUCT<a: BIGINT>).
func SchemaOfXML(xml string, options map[string]string) frame.Column {
	return frame.Call("schema_of_xml", append([]frame.Column{frame.Lit(xml)}, optionsMap(options)...)...)
}
