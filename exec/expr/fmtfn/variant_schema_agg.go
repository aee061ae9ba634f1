package fmtfn

import (
	"encoding/json"
	"fmt"
	"strings"
)

// VariantSchema is the state of schema_of_variant_agg: the schema of the
// variant values seen so far, merged as Spark merges them (VOID before
// any value; conflicting kinds VARIANT).
type VariantSchema struct{ t *inferred }

// AddCanonical merges the schema of a variant given as its canonical JSON
// text (the storage of a VARIANT column).
func (s *VariantSchema) AddCanonical(text string) error {
	// The state outlives text, which may point into an Arrow buffer that is
	// reused once its batch is released: the field names parsed from it
	// must not share its bytes.
	jv, err := parseWholeJSON(strings.Clone(text))
	if err != nil {
		return fmt.Errorf("schema_of_variant_agg: a variant value is not valid: %w", err)
	}
	s.t = mergeVariantSchema(s.t, variantSchema(jv))
	return nil
}

// Merge merges another state into s.
func (s *VariantSchema) Merge(o *VariantSchema) {
	if o.t != nil {
		s.t = mergeVariantSchema(s.t, o.t)
	}
}

// String is the schema in Spark's SQL form; VOID when no value was seen.
func (s *VariantSchema) String() string {
	if s.t == nil {
		return "VOID"
	}
	return s.t.sql()
}

// schemaNode is the JSON form of an inferred type in a partial state.
type schemaNode struct {
	Name   string        `json:"n"`
	P      int           `json:"p,omitempty"`
	S      int           `json:"s,omitempty"`
	Elem   *schemaNode   `json:"e,omitempty"`
	Fields []schemaField `json:"f,omitempty"`
}

type schemaField struct {
	Name string      `json:"n"`
	T    *schemaNode `json:"t"`
}

func toNode(t *inferred) *schemaNode {
	if t == nil {
		return nil
	}
	n := &schemaNode{Name: t.name, P: t.p, S: t.s, Elem: toNode(t.elem)}
	for _, f := range t.fields {
		n.Fields = append(n.Fields, schemaField{Name: f.name, T: toNode(f.t)})
	}
	return n
}

func fromNode(n *schemaNode, depth int) (*inferred, error) {
	if n == nil {
		return nil, nil
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("schema_of_variant_agg: a partial state nested deeper than %d", maxDepth)
	}
	t := &inferred{name: n.Name, p: n.P, s: n.S}
	var err error
	if t.elem, err = fromNode(n.Elem, depth+1); err != nil {
		return nil, err
	}
	if t.name == "ARRAY" && t.elem == nil {
		return nil, fmt.Errorf("schema_of_variant_agg: a partial state has an array without its element type")
	}
	for _, f := range n.Fields {
		ft, err := fromNode(f.T, depth+1)
		if err != nil {
			return nil, err
		}
		if ft == nil {
			return nil, fmt.Errorf("schema_of_variant_agg: a partial state has a field %q without a type", f.Name)
		}
		t.fields = append(t.fields, inferredField{name: f.Name, t: ft})
	}
	return t, nil
}

// MarshalBinary writes the state for the exchange between the two phases
// of the aggregation.
func (s *VariantSchema) MarshalBinary() ([]byte, error) {
	return json.Marshal(toNode(s.t))
}

// UnmarshalBinary reads a state MarshalBinary wrote.
func (s *VariantSchema) UnmarshalBinary(b []byte) error {
	var n *schemaNode
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("schema_of_variant_agg: a partial state is not valid: %w", err)
	}
	t, err := fromNode(n, 0)
	if err != nil {
		return err
	}
	s.t = t
	return nil
}
