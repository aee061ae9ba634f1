package analyzer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// resolveUnion checks that the inputs have the same number of columns and
// brings every column to the type all inputs widen to, naming both columns
// when two types have no common type.
func (a *Analyzer) resolveUnion(u *logical.Union) (logical.Plan, error) {
	first := u.Inputs[0].Output()
	for i, in := range u.Inputs[1:] {
		if n := len(in.Output()); n != len(first) {
			return nil, logical.AnalysisErr("UNION can only combine inputs with the same number of columns: the first has %d, input %d has %d", len(first), i+2, n)
		}
	}
	types := make([]arrow.DataType, len(first))
	for c := range first {
		t := first[c].Type
		for i, in := range u.Inputs[1:] {
			o := in.Output()[c]
			ct, ok := logical.CommonType(t, o.Type)
			if !ok {
				return nil, logical.AnalysisErr("UNION column %d: %s of the first input has type %s, but %s of input %d has type %s",
					c+1, first[c].Name, logical.TypeName(first[c].Type), o.Name, i+2, logical.TypeName(o.Type))
			}
			t = ct
		}
		types[c] = t
	}
	inputs := make([]logical.Plan, len(u.Inputs))
	for i, in := range u.Inputs {
		out := in.Output()
		var list []logical.Expr
		cast := false
		for c, at := range out {
			t := types[c]
			if arrow.TypeEqual(at.Type, t) {
				list = append(list, at)
				continue
			}
			cast = true
			list = append(list, &logical.Alias{E: logical.CastTo(at, t), Name: at.Name, ID: a.IDs.Next()})
		}
		if cast {
			inputs[i] = &logical.Project{List: list, Child: in}
		} else {
			inputs[i] = in
		}
	}
	return &logical.Union{Inputs: inputs}, nil
}
