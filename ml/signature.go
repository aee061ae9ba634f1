package ml

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

// ColumnSpec is a column of a model's signature: its name and its type as
// TypeName spells it (double, string, vector, array<string>, …).
type ColumnSpec struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Signature describes what a fitted model reads and adds: Inputs are the
// columns the data must have (those its first stage reads, and any later
// stage reads that no earlier stage produces), Outputs the columns
// Transform appends, in order. Saved models record it in their metadata.
type Signature struct {
	Inputs  []ColumnSpec `json:"inputs"`
	Outputs []ColumnSpec `json:"outputs"`
}

// String renders the signature as "inputs (a double, f vector) → outputs (…)".
func (s *Signature) String() string {
	list := func(cs []ColumnSpec) string {
		parts := make([]string, len(cs))
		for i, c := range cs {
			parts[i] = c.Name + " " + c.Type
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return "inputs " + list(s.Inputs) + " → outputs " + list(s.Outputs)
}

// Input returns the input column name (case-insensitive) and whether there is one.
func (s *Signature) Input(name string) (ColumnSpec, bool) {
	for _, c := range s.Inputs {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return ColumnSpec{}, false
}

// signatureProbes are the types tried, in order, for a column of unknown
// type: the first the stages accept is recorded.
var signatureProbes = []arrow.DataType{
	arrow.BinaryTypes.String, arrow.PrimitiveTypes.Float64, linalg.VectorType(), arrow.PrimitiveTypes.Int64,
	arrow.FixedWidthTypes.Boolean, arrow.ListOf(arrow.BinaryTypes.String),
}

// InferSignature works out the signature of a Transformer from its params
// and TransformSchema: it offers the columns its stages name as inputs
// (inputCol, inputCols, featuresCol) with each type in turn until the
// stages accept the schema. ok is false when no schema is accepted (a stage
// that names its inputs otherwise); st is then saved without a signature.
func InferSignature(st Stage) (sig *Signature, ok bool) {
	t, isT := st.(Transformer)
	if !isT {
		return nil, false
	}
	type guess struct {
		name  string
		probe int // index in signatureProbes
	}
	var cols []*guess
	seen := map[string]bool{}
	add := func(name string, probe int) {
		if name != "" && !seen[strings.ToLower(name)] {
			seen[strings.ToLower(name)] = true
			cols = append(cols, &guess{name: name, probe: probe})
		}
	}
	for _, s := range flatStages(t) {
		ps := s.Params()
		if v, ok := ps.Get("featuresCol"); ok {
			if n, ok := v.(string); ok {
				add(n, 2) // a vector, first
			}
		}
		if v, ok := ps.Get("inputCol"); ok {
			if n, ok := v.(string); ok {
				add(n, 0)
			}
		}
		if v, ok := ps.Get("inputCols"); ok {
			if ns, ok := v.([]string); ok {
				for _, n := range ns {
					add(n, 0)
				}
			}
		}
	}
	if len(cols) == 0 {
		return nil, false
	}
	// Each round either succeeds, drops a column a stage produces, or moves
	// one column to its next type: a finite walk. last is the column moved
	// most recently: when a stage refuses a column that is no guess (one an
	// earlier stage made from an input, of a type that follows the input's,
	// as a Binarizer's output follows its input), that column moves on.
	var last *guess
	rounds := len(cols)*(len(signatureProbes)+1) + 1 // counted before any drop
	for round := 0; round < rounds; round++ {
		fields := make([]arrow.Field, len(cols))
		for i, g := range cols {
			fields[i] = arrow.Field{Name: g.name, Type: signatureProbes[g.probe], Nullable: true}
		}
		in := arrow.NewSchema(fields, nil)
		out, err := t.TransformSchema(in)
		if err == nil {
			// A guess that a stage adds again is no input (a SQLTransformer
			// does not refuse a name that exists).
			i := slices.IndexFunc(cols, func(g *guess) bool { return nameCount(out, g.name) > 1 })
			if i >= 0 {
				cols = slices.Delete(cols, i, i+1)
				continue
			}
			// Drop inputs the model can do without (a StringIndexerModel
			// skips a missing column, as a label indexer does when scoring).
			for i := len(fields) - 1; i >= 0 && len(fields) > 1; i-- {
				fewer := slices.Delete(slices.Clone(fields), i, i+1)
				if o, err := t.TransformSchema(arrow.NewSchema(fewer, nil)); err == nil {
					fields, out = fewer, o
				}
			}
			sig := &Signature{}
			for _, f := range fields {
				sig.Inputs = append(sig.Inputs, ColumnSpec{Name: f.Name, Type: TypeName(f.Type)})
			}
			for _, f := range out.Fields()[len(fields):] {
				sig.Outputs = append(sig.Outputs, ColumnSpec{Name: f.Name, Type: TypeName(f.Type)})
			}
			return sig, true
		}
		msg := err.Error()
		i := slices.IndexFunc(cols, func(g *guess) bool {
			return strings.Contains(msg, fmt.Sprintf("output column %q already exists", g.name))
		})
		if i >= 0 { // a later stage's input that an earlier stage produces
			cols = slices.Delete(cols, i, i+1)
			continue
		}
		i = slices.IndexFunc(cols, func(g *guess) bool {
			return strings.Contains(msg, fmt.Sprintf("column %q", g.name))
		})
		if i < 0 && last != nil {
			i = slices.Index(cols, last)
		}
		if i < 0 || cols[i].probe+1 >= len(signatureProbes) {
			return nil, false
		}
		cols[i].probe++
		last = cols[i]
	}
	return nil, false
}

// nameCount counts the fields of s named name (ignoring case).
func nameCount(s *arrow.Schema, name string) int {
	n := 0
	for _, f := range s.Fields() {
		if strings.EqualFold(f.Name, name) {
			n++
		}
	}
	return n
}

// flatStages lists the stages of a pipeline model, recursively, or of the
// best model of a tuning model, or st itself.
func flatStages(st Transformer) []Transformer {
	if b, ok := st.(interface{ BestModel() Model }); ok && b.BestModel() != nil {
		return flatStages(b.BestModel())
	}
	pm, ok := st.(*PipelineModel)
	if !ok {
		return []Transformer{st}
	}
	var out []Transformer
	for _, s := range pm.stages {
		out = append(out, flatStages(s)...)
	}
	return out
}

// CheckSignature checks the schema of data a model with signature sig is
// applied to: every input column must exist with the recorded type (any
// numeric type where the model records double). Its error names the column,
// the expected type and the type found.
func CheckSignature(sig *Signature, s *arrow.Schema) error {
	if sig == nil {
		return nil
	}
	for _, c := range sig.Inputs {
		i := FieldIndex(s, c.Name)
		if i < 0 {
			return fmt.Errorf("input column %q (%s) is missing; available columns: %s", c.Name, c.Type, columnList(s))
		}
		got := s.Field(i).Type
		name := TypeName(got)
		if name == c.Type || c.Type == "double" && IsNumeric(got) || c.Type == "string" && IsString(got) {
			continue
		}
		return fmt.Errorf("input column %q must be %s, got %s", c.Name, c.Type, name)
	}
	return nil
}
