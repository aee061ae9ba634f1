// Package attribute carries Spark ML's column attributes (Spark's
// org.apache.spark.ml.attribute) on Arrow field metadata.
//
// Spark keeps them in a column's StructField metadata under the key
// "ml_attr". gspark keeps them in the Arrow field's metadata under the same
// key, Key, whose value is the JSON object Spark stores under "ml_attr":
//
//   - a scalar column: {"type":"nominal","name":"idx","vals":["a","b"]}
//     ("type" is numeric when absent; a nominal attribute has vals or num_vals, ord optional);
//   - a vector column: {"attrs":{"numeric":[...],"nominal":[...],
//     "binary":[...]},"num_attrs":n}, one entry per slot with its "idx" and
//     without "type", default numeric slots (no name, no statistics) left
//     out; or {"num_attrs":n} when only the size is known.
//
// DataFrame.WithMetadata puts them on a column; they follow the column
// through the plan (not into written files).
package attribute

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
)

// Key is the field-metadata key holding a column's ML attribute JSON
// (Spark's AttributeKeys.ML_ATTR).
const Key = "ml_attr"

// Type is an attribute's kind, with Spark's names.
type Type string

// The attribute types.
const (
	Numeric Type = "numeric"
	Nominal Type = "nominal"
	Binary  Type = "binary"
)

// Attribute describes one scalar column or one vector slot. Index is -1
// when unset; NumValues is -1 when unset (a nominal attribute has Values or
// NumValues).
type Attribute struct {
	Type    Type
	Name    string
	Index   int
	Ordinal *bool
	// Values are a nominal or binary attribute's values, in index order.
	Values    []string
	NumValues int
	Min, Max  *float64
	Std       *float64
	Sparsity  *float64
}

// NewNumeric is a numeric attribute named name ("" for none).
func NewNumeric(name string) Attribute {
	return Attribute{Type: Numeric, Name: name, Index: -1, NumValues: -1}
}

// NewNominal is a nominal attribute with the values in index order.
func NewNominal(name string, values []string) Attribute {
	return Attribute{Type: Nominal, Name: name, Index: -1, NumValues: -1, Values: append([]string(nil), values...)}
}

// NewNominalCount is a nominal attribute known only by its number of values.
func NewNominalCount(name string, n int) Attribute {
	return Attribute{Type: Nominal, Name: name, Index: -1, NumValues: n}
}

// NewBinary is a binary attribute named name.
func NewBinary(name string) Attribute {
	return Attribute{Type: Binary, Name: name, Index: -1, NumValues: -1}
}

// Cardinality is the number of values of a nominal (from vals or num_vals)
// or binary (2) attribute, and false for numeric or unknown.
func (a Attribute) Cardinality() (int, bool) {
	switch a.Type {
	case Nominal:
		if a.NumValues >= 0 {
			return a.NumValues, true
		}
		if a.Values != nil {
			return len(a.Values), true
		}
	case Binary:
		return 2, true
	}
	return 0, false
}

// isDefaultNumeric is Spark's test for a slot left out of a group.
func (a Attribute) isDefaultNumeric() bool {
	return a.Type == Numeric && a.Name == "" && a.Min == nil && a.Max == nil && a.Std == nil && a.Sparsity == nil
}

// jsonAttr is the JSON layout of one attribute (field order as Spark writes).
type jsonAttr struct {
	Type      string   `json:"type,omitempty"`
	Name      *string  `json:"name,omitempty"`
	Index     *int     `json:"idx,omitempty"`
	Ordinal   *bool    `json:"ord,omitempty"`
	NumValues *int     `json:"num_vals,omitempty"`
	Values    []string `json:"vals,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Std       *float64 `json:"std,omitempty"`
	Sparsity  *float64 `json:"sparsity,omitempty"`
}

func (a Attribute) toJSON(withType bool) jsonAttr {
	var j jsonAttr
	if withType {
		j.Type = string(a.Type)
	}
	if a.Name != "" {
		n := a.Name
		j.Name = &n
	}
	if a.Index >= 0 {
		i := a.Index
		j.Index = &i
	}
	switch a.Type {
	case Numeric:
		j.Min, j.Max, j.Std, j.Sparsity = a.Min, a.Max, a.Std, a.Sparsity
	case Nominal:
		j.Ordinal = a.Ordinal
		if a.NumValues >= 0 {
			n := a.NumValues
			j.NumValues = &n
		}
		j.Values = a.Values
	case Binary:
		j.Values = a.Values
	}
	if j.Values != nil && len(j.Values) == 0 {
		j.Values = nil
	}
	return j
}

func fromJSON(j jsonAttr, t Type) (Attribute, error) {
	if j.Type != "" {
		t = Type(j.Type)
	}
	a := Attribute{Type: t, Index: -1, NumValues: -1}
	switch t {
	case Numeric, Nominal, Binary:
	default:
		return a, fmt.Errorf("unknown attribute type %q", j.Type)
	}
	if j.Name != nil {
		a.Name = *j.Name
	}
	if j.Index != nil {
		a.Index = *j.Index
	}
	a.Ordinal, a.Values = j.Ordinal, j.Values
	if j.NumValues != nil {
		if *j.NumValues < 0 {
			return a, fmt.Errorf("num_vals cannot be negative, got %d", *j.NumValues)
		}
		a.NumValues = *j.NumValues
	}
	if t == Nominal && a.NumValues >= 0 && a.Values != nil {
		return a, fmt.Errorf("a nominal attribute cannot have both num_vals and vals")
	}
	if t == Binary && a.Values != nil && len(a.Values) != 2 {
		return a, fmt.Errorf("a binary attribute has 2 values, got %d", len(a.Values))
	}
	a.Min, a.Max, a.Std, a.Sparsity = j.Min, j.Max, j.Std, j.Sparsity
	return a, nil
}

// JSON is the attribute's "ml_attr" JSON for a scalar column.
func (a Attribute) JSON() string {
	b, _ := json.Marshal(a.toJSON(true)) // a struct of strings and numbers: never fails
	return string(b)
}

// Metadata is md (may be empty) with the attribute under Key.
func (a Attribute) Metadata(md arrow.Metadata) arrow.Metadata {
	return with(md, a.JSON())
}

func with(md arrow.Metadata, v string) arrow.Metadata {
	keys, vals := []string{}, []string{}
	for i, k := range md.Keys() {
		if k != Key {
			keys = append(keys, k)
			vals = append(vals, md.Values()[i])
		}
	}
	return arrow.NewMetadata(append(keys, Key), append(vals, v))
}

// FromField reads the attribute of scalar field f: false when f carries
// none; an error naming the field when its JSON is malformed.
func FromField(f arrow.Field) (Attribute, bool, error) {
	v, ok := f.Metadata.GetValue(Key)
	if !ok {
		return Attribute{}, false, nil
	}
	var j jsonAttr
	if err := json.Unmarshal([]byte(v), &j); err != nil {
		return Attribute{}, false, fmt.Errorf("column %q: %s metadata: %w", f.Name, Key, err)
	}
	a, err := fromJSON(j, Numeric)
	if err != nil {
		return Attribute{}, false, fmt.Errorf("column %q: %s metadata: %w", f.Name, Key, err)
	}
	if a.Name == "" {
		a.Name = f.Name
	}
	return a, true, nil
}

// Group describes a vector column: per-slot attributes (Attrs, index i is
// slot i) or, when Attrs is nil, only the size (Size, -1 when unknown).
type Group struct {
	Attrs []Attribute
	Size  int
}

// NewGroup is a group of the attributes in slot order.
func NewGroup(attrs []Attribute) Group {
	return Group{Attrs: append([]Attribute(nil), attrs...), Size: len(attrs)}
}

// NumAttributes is the group's vector size and whether it is known.
func (g Group) NumAttributes() (int, bool) {
	if g.Attrs != nil {
		return len(g.Attrs), true
	}
	return g.Size, g.Size >= 0
}

type jsonGroup struct {
	Attrs    map[string][]jsonAttr `json:"attrs,omitempty"`
	NumAttrs *int                  `json:"num_attrs,omitempty"`
}

// JSON is the group's "ml_attr" JSON.
func (g Group) JSON() string {
	var j jsonGroup
	if g.Attrs != nil {
		j.Attrs = map[string][]jsonAttr{}
		for i, a := range g.Attrs {
			a.Index = i
			if a.isDefaultNumeric() {
				continue
			}
			j.Attrs[string(a.Type)] = append(j.Attrs[string(a.Type)], a.toJSON(false))
		}
		n := len(g.Attrs)
		j.NumAttrs = &n
	} else if g.Size >= 0 {
		n := g.Size
		j.NumAttrs = &n
	}
	b, _ := json.Marshal(j) // maps with string keys: never fails
	return string(b)
}

// Metadata is md with the group under Key.
func (g Group) Metadata(md arrow.Metadata) arrow.Metadata { return with(md, g.JSON()) }

// GroupFromField reads the attribute group of vector field f: false when f
// carries none; an error naming the field when its JSON is malformed.
func GroupFromField(f arrow.Field) (Group, bool, error) {
	v, ok := f.Metadata.GetValue(Key)
	if !ok {
		return Group{Size: -1}, false, nil
	}
	var j jsonGroup
	if err := json.Unmarshal([]byte(v), &j); err != nil {
		return Group{Size: -1}, false, fmt.Errorf("column %q: %s metadata: %w", f.Name, Key, err)
	}
	g := Group{Size: -1}
	if j.NumAttrs != nil {
		g.Size = *j.NumAttrs
	}
	if j.Attrs == nil {
		return g, true, nil
	}
	if j.NumAttrs == nil || *j.NumAttrs < 0 {
		return g, false, fmt.Errorf("column %q: %s metadata has attrs without num_attrs", f.Name, Key)
	}
	g.Attrs = make([]Attribute, *j.NumAttrs)
	for i := range g.Attrs {
		g.Attrs[i] = NewNumeric("")
		g.Attrs[i].Index = i
	}
	types := make([]string, 0, len(j.Attrs))
	for t := range j.Attrs {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		for _, ja := range j.Attrs[t] {
			a, err := fromJSON(ja, Type(t))
			if err != nil {
				return g, false, fmt.Errorf("column %q: %s metadata: %w", f.Name, Key, err)
			}
			if a.Index < 0 || a.Index >= len(g.Attrs) {
				return g, false, fmt.Errorf("column %q: %s metadata: slot index %d outside [0, %d)", f.Name, Key, a.Index, len(g.Attrs))
			}
			g.Attrs[a.Index] = a
		}
	}
	return g, true, nil
}

// CategoricalFeatures maps each slot with a nominal or binary attribute to
// its number of values (Spark's categoricalFeatures from metadata); slots
// of unknown cardinality are left out.
func (g Group) CategoricalFeatures() map[int]int {
	out := map[int]int{}
	for i, a := range g.Attrs {
		if n, ok := a.Cardinality(); ok {
			out[i] = n
		}
	}
	return out
}
