package fmtfn

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// This file holds from_xml, to_xml and schema_of_xml, with the defaults
// of Spark's XmlOptions: a row is one element whose name does not matter
// when reading (rowTag ROW when writing), an attribute a is the field
// "_a" (attributePrefix), the text of an element that also has attributes
// or children is the field "_VALUE" (valueTag), surrounding spaces of text
// are ignored, repeated child elements form an array.

// XMLOptions are the options of the XML functions: Spark's rowTag,
// attributePrefix, valueTag, excludeAttribute and ignoreSurroundingSpaces
// (true only), and the options the JSON functions take (timestampFormat,
// dateFormat, mode).
type XMLOptions struct {
	text        *Options
	rowTag      string
	attrPrefix  string
	valueTag    string
	excludeAttr bool
}

// ParseXMLOptions reads the options map of XML function fn; an option
// gspark does not implement is an error naming it.
func ParseXMLOptions(fn string, m map[string]string) (*XMLOptions, error) {
	o := &XMLOptions{rowTag: "ROW", attrPrefix: "_", valueTag: "_VALUE"}
	rest := map[string]string{}
	for k, v := range m {
		switch strings.ToLower(k) {
		case "rowtag":
			if strings.TrimSpace(v) == "" {
				return nil, fmt.Errorf("%s option %s must not be empty", fn, k)
			}
			o.rowTag = v
		case "attributeprefix":
			o.attrPrefix = v
		case "valuetag":
			if v == "" {
				return nil, fmt.Errorf("%s option %s must not be empty", fn, k)
			}
			o.valueTag = v
		case "excludeattribute":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, fmt.Errorf("%s option %s must be true or false, got %q", fn, k, v)
			}
			o.excludeAttr = b
		case "ignoresurroundingspaces":
			if !strings.EqualFold(v, "true") {
				return nil, fmt.Errorf("%s option %s=%s is not supported; gspark always ignores surrounding spaces (Spark's default)", fn, k, v)
			}
		default:
			rest[k] = v
		}
	}
	t, err := ParseOptions(fn, rest, false)
	if err != nil {
		return nil, fmt.Errorf("%w (the XML options rowTag, attributePrefix, valueTag, excludeAttribute are supported too)", err)
	}
	o.text = t
	return o, nil
}

// xelem is a parsed XML element.
type xelem struct {
	name     string
	attrs    []xml.Attr
	children []*xelem
	text     strings.Builder
}

// errMalformedXML is wrapped by every error of parseXML.
var errMalformedXML = errors.New("malformed XML")

// parseXML reads one XML document: its root element, with a depth limit.
func parseXML(doc string) (*xelem, error) {
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	var stack []*xelem
	var root *xelem
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errMalformedXML, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, fmt.Errorf("%w: more than one root element", errMalformedXML)
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%w: nested deeper than %d", errMalformedXML, maxDepth)
			}
			e := &xelem{name: t.Name.Local, attrs: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, e)
			} else {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if strings.TrimSpace(string(t)) != "" {
				return nil, fmt.Errorf("%w: text outside the root element", errMalformedXML)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: no element", errMalformedXML)
	}
	return root, nil
}

// FromXML returns from_xml(doc) converted to the struct type typ with the
// options o, as Spark's PERMISSIVE mode: NULL text is NULL, a malformed
// document a struct of NULLs, a value that does not convert NULL.
func FromXML(doc expr.Expr, typ *arrow.StructType, o *XMLOptions) expr.Expr {
	return rowFunc("from_xml", typ, []expr.Expr{doc}, func(row []any) (any, error) {
		d, ok := text(row[0])
		if !ok {
			return nil, nil
		}
		e, err := parseXML(d)
		if err != nil {
			return make([]any, typ.NumFields()), nil
		}
		return o.structFromXML(e, typ), nil
	})
}

// structFromXML reads element e as a struct: attributes, child elements
// by name (appended to an array field when repeated) and the text as the
// value tag field.
func (o *XMLOptions) structFromXML(e *xelem, st *arrow.StructType) []any {
	out := make([]any, st.NumFields())
	if !o.excludeAttr {
		for _, a := range e.attrs {
			if idx, ok := st.FieldIdx(o.attrPrefix + a.Name.Local); ok {
				out[idx] = o.leafFromText(a.Value, st.Field(idx).Type)
			}
		}
	}
	for _, c := range e.children {
		idx, ok := st.FieldIdx(c.name)
		if !ok {
			continue
		}
		if lt, isList := st.Field(idx).Type.(*arrow.ListType); isList {
			xs, _ := out[idx].([]any)
			out[idx] = append(xs, o.valueFromXML(c, lt.Elem()))
			continue
		}
		out[idx] = o.valueFromXML(c, st.Field(idx).Type)
	}
	if idx, ok := st.FieldIdx(o.valueTag); ok {
		if s := strings.TrimSpace(e.text.String()); s != "" {
			out[idx] = o.leafFromText(s, st.Field(idx).Type)
		}
	}
	return out
}

// valueFromXML reads element e as a value of type t.
func (o *XMLOptions) valueFromXML(e *xelem, t arrow.DataType) any {
	switch tt := t.(type) {
	case *arrow.StructType:
		return o.structFromXML(e, tt)
	case *arrow.ListType:
		return []any{o.valueFromXML(e, tt.Elem())}
	case *arrow.MapType:
		if tt.KeyType().ID() != arrow.STRING {
			return nil
		}
		m := values.Map{}
		for _, c := range e.children {
			m.Keys = append(m.Keys, c.name)
			m.Values = append(m.Values, o.valueFromXML(c, tt.ItemType()))
		}
		return m
	}
	return o.leafFromText(e.text.String(), t)
}

// leafFromText converts the text of an attribute or element to a scalar
// of type t: empty text is "" for a string and NULL otherwise; numbers,
// booleans, dates and timestamps convert as from_json converts the same
// text.
func (o *XMLOptions) leafFromText(s string, t arrow.DataType) any {
	s = strings.TrimSpace(s)
	if s == "" {
		if t.ID() == arrow.STRING {
			return ""
		}
		return nil
	}
	v := &jsonValue{kind: jsonString, s: s}
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL64, arrow.DECIMAL128:
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			v = &jsonValue{kind: jsonNumber, s: s, float: strings.ContainsAny(s, ".eE")}
		}
	case arrow.BOOL:
		if b, err := strconv.ParseBool(s); err == nil && (strings.EqualFold(s, "true") || strings.EqualFold(s, "false")) {
			v = &jsonValue{kind: jsonBool, b: b}
		}
	}
	out, _ := fromJSONValue(v, t, o.text)
	return out
}

// ToXML returns to_xml(x) of a struct x: the row element (rowTag) with a
// child element per non-null field, an attribute per field named with the
// attribute prefix and the value tag field as text, indented by four
// spaces a level as Spark's generator writes it.
func ToXML(x expr.Expr, o *XMLOptions) expr.Expr {
	st, _ := x.DataType().(*arrow.StructType)
	return rowFunc("to_xml", stringType, []expr.Expr{x}, func(row []any) (any, error) {
		if row[0] == nil || st == nil {
			return nil, nil
		}
		var b strings.Builder
		o.writeElem(&b, o.rowTag, row[0], st, 0)
		return b.String(), nil
	})
}

// writeElem writes element name holding value v of type t at depth.
func (o *XMLOptions) writeElem(b *strings.Builder, name string, v any, t arrow.DataType, depth int) {
	indent := strings.Repeat("    ", depth)
	switch tt := t.(type) {
	case *arrow.StructType:
		vals := structValues(v)
		b.WriteString(indent + "<" + name)
		var textVal string
		hasText := false
		var children []int
		for i, f := range tt.Fields() {
			if i >= len(vals) || vals[i] == nil {
				continue
			}
			switch {
			case f.Name == o.valueTag:
				textVal, hasText = o.scalarXML(vals[i], f.Type), true
			case o.attrPrefix != "" && strings.HasPrefix(f.Name, o.attrPrefix):
				b.WriteString(" " + strings.TrimPrefix(f.Name, o.attrPrefix) + `="`)
				xml.EscapeText(b, []byte(o.scalarXML(vals[i], f.Type)))
				b.WriteString(`"`)
			default:
				children = append(children, i)
			}
		}
		if len(children) == 0 && !hasText {
			b.WriteString("/>")
			return
		}
		b.WriteString(">")
		if hasText {
			xml.EscapeText(b, []byte(textVal))
		}
		if len(children) > 0 {
			for _, i := range children {
				b.WriteString("\n")
				o.writeField(b, tt.Field(i).Name, vals[i], tt.Field(i).Type, depth+1)
			}
			b.WriteString("\n" + indent)
		}
		b.WriteString("</" + name + ">")
		return
	case *arrow.MapType:
		m, _ := v.(values.Map)
		b.WriteString(indent + "<" + name + ">")
		for i, k := range m.Keys {
			if m.Values[i] == nil {
				continue
			}
			b.WriteString("\n")
			o.writeField(b, keyText(k, tt.KeyType()), m.Values[i], tt.ItemType(), depth+1)
		}
		b.WriteString("\n" + indent + "</" + name + ">")
		return
	}
	b.WriteString(indent + "<" + name + ">")
	xml.EscapeText(b, []byte(o.scalarXML(v, t)))
	b.WriteString("</" + name + ">")
}

// writeField writes a field: an array as one element per (non-null)
// element, anything else as one element.
func (o *XMLOptions) writeField(b *strings.Builder, name string, v any, t arrow.DataType, depth int) {
	lt, ok := t.(arrow.ListLikeType)
	if !ok {
		o.writeElem(b, name, v, t, depth)
		return
	}
	xs, _ := v.([]any)
	first := true
	for _, x := range xs {
		if x == nil {
			continue
		}
		if !first {
			b.WriteString("\n")
		}
		first = false
		o.writeElem(b, name, x, lt.Elem(), depth)
	}
}

// scalarXML is the text of a scalar: numbers as Java prints them,
// binaries in base64, dates and timestamps in the options' formats.
func (o *XMLOptions) scalarXML(v any, t arrow.DataType) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	case time.Time:
		if t.ID() == arrow.DATE32 {
			return o.text.formatDate(x)
		}
		return o.text.formatTimestamp(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return values.FormatDouble(x)
		}
	}
	return scalarText(v)
}

// SchemaOfXML returns the schema Spark infers for the XML document doc,
// in SQL form (schema_of_xml): text is BIGINT, DOUBLE, BOOLEAN or STRING,
// an element with attributes or children a STRUCT (its text the value tag
// field), a repeated element an ARRAY; fields sorted by name.
func SchemaOfXML(doc string, o *XMLOptions) (string, error) {
	e, err := parseXML(doc)
	if err != nil {
		return "", err
	}
	st := o.inferStruct(e)
	if c := canonical(st); c != nil {
		return c.sql(), nil
	}
	return "STRUCT<>", nil
}

// inferStruct infers the struct of an element's attributes, children and
// text.
func (o *XMLOptions) inferStruct(e *xelem) *inferred {
	byName := map[string]*inferred{}
	counts := map[string]int{}
	if !o.excludeAttr {
		for _, a := range e.attrs {
			n := o.attrPrefix + a.Name.Local
			byName[n] = mergeInferred(orNull(byName[n]), inferXMLText(a.Value))
		}
	}
	for _, c := range e.children {
		byName[c.name] = mergeInferred(orNull(byName[c.name]), o.inferElem(c))
		counts[c.name]++
	}
	if s := strings.TrimSpace(e.text.String()); s != "" {
		byName[o.valueTag] = mergeInferred(orNull(byName[o.valueTag]), inferXMLText(s))
	}
	st := &inferred{name: "STRUCT"}
	for k, t := range byName {
		if counts[k] > 1 {
			t = &inferred{name: "ARRAY", elem: t}
		}
		st.fields = append(st.fields, inferredField{name: k, t: t})
	}
	sort.Slice(st.fields, func(i, j int) bool { return st.fields[i].name < st.fields[j].name })
	return st
}

// inferElem infers the type of a child element: its text's type when it
// has neither attributes (kept) nor children, a struct otherwise.
func (o *XMLOptions) inferElem(e *xelem) *inferred {
	if len(e.children) == 0 && (o.excludeAttr || len(e.attrs) == 0) {
		return inferXMLText(e.text.String())
	}
	return o.inferStruct(e)
}

// inferXMLText infers the type of a text value: BIGINT, DOUBLE, BOOLEAN,
// STRING, or NULL when empty.
func inferXMLText(s string) *inferred {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return inferNull
	case isXMLLong(s):
		return inferBigint
	case isXMLDouble(s):
		return inferDouble
	case strings.EqualFold(s, "true") || strings.EqualFold(s, "false"):
		return &inferred{name: "BOOLEAN"}
	}
	return inferString
}

func isXMLLong(s string) bool {
	_, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
	return err == nil
}

func isXMLDouble(s string) bool {
	if strings.ContainsAny(s, "xXpP_") || strings.HasSuffix(s, "d") || strings.HasSuffix(s, "D") || strings.HasSuffix(s, "f") || strings.HasSuffix(s, "F") {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
