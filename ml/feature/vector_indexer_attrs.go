package feature

import (
	"sort"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/attribute"
	"github.com/gspark/gspark/values"
)

// outputGroup is the attribute group Spark's VectorIndexerModel writes on
// its output: a categorical feature is binary when it has two values (and
// handleInvalid is not keep), else nominal, not ordinal, with its values
// sorted by value as Scala prints doubles (as Spark lists them, which is not
// the index order when 0.0 moves first) and "__unknown" last under keep;
// other features are numeric. Names of the input's slot attributes are
// kept, as are the input's attributes of non-categorical slots.
func (m *VectorIndexerModel) outputGroup(schema *arrow.Schema) attribute.Group {
	keep := m.handleInvalid.Get(m.Params()) == invalidKeep
	var orig []attribute.Attribute
	if i := ml.FieldIndex(schema, m.inputCol.Get(m.Params())); i >= 0 {
		if g, ok, err := attribute.GroupFromField(schema.Field(i)); err == nil && ok && len(g.Attrs) == m.numFeatures {
			orig = g.Attrs
		}
	}
	notOrdinal := false
	attrs := make([]attribute.Attribute, m.numFeatures)
	for j := range attrs {
		name := ""
		if orig != nil {
			name = orig[j].Name
		}
		c, ok := m.categories[j]
		if !ok {
			if orig != nil {
				attrs[j] = orig[j]
			} else {
				attrs[j] = attribute.NewNumeric("")
			}
			continue
		}
		vals := make([]float64, 0, len(c))
		for v := range c {
			vals = append(vals, v)
		}
		sort.Float64s(vals)
		names := make([]string, len(vals), len(vals)+1)
		for k, v := range vals {
			names[k] = values.FormatDouble(v)
		}
		if keep {
			names = append(names, "__unknown")
		}
		if len(names) == 2 && !keep {
			a := attribute.NewBinary(name)
			a.Values = names
			attrs[j] = a
			continue
		}
		a := attribute.NewNominal(name, names)
		a.Ordinal = &notOrdinal
		attrs[j] = a
	}
	return attribute.NewGroup(attrs)
}
