package planner

import "github.com/apache/arrow-go/v18/arrow"

// Union concatenates its children's rows (UNION ALL): columns are matched by
// position. Its output is the first child's attributes, nullable where any
// child's column is.
type Union struct {
	Inputs []Plan
}

// Output implements Plan.
func (p *Union) Output() []*Attribute {
	first := p.Inputs[0].Output()
	out := make([]*Attribute, len(first))
	for i, a := range first {
		c := *a
		for _, in := range p.Inputs[1:] {
			if o := in.Output(); i < len(o) && o[i].Null {
				c.Null = true
			}
		}
		out[i] = &c
	}
	return out
}

// Children implements Plan.
func (p *Union) Children() []Plan { return p.Inputs }

// WithChildren implements Plan.
func (p *Union) WithChildren(c []Plan) Plan { return &Union{Inputs: c} }

// Expressions implements Plan.
func (p *Union) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *Union) WithExpressions([]Expr) Plan { return p }

func (p *Union) String() string { return "Union " + attrList(p.Output()) }

// resolveUnion checks that the inputs have the same number of columns and
// brings every column to the type all inputs widen to, naming both columns
// when two types have no common type.
func (a *Analyzer) resolveUnion(u *Union) (Plan, error) {
	first := u.Inputs[0].Output()
	for i, in := range u.Inputs[1:] {
		if n := len(in.Output()); n != len(first) {
			return nil, analysisErr("UNION can only combine inputs with the same number of columns: the first has %d, input %d has %d", len(first), i+2, n)
		}
	}
	types := make([]arrow.DataType, len(first))
	for c := range first {
		t := first[c].Type
		for i, in := range u.Inputs[1:] {
			o := in.Output()[c]
			ct, ok := commonType(t, o.Type)
			if !ok {
				return nil, analysisErr("UNION column %d: %s of the first input has type %s, but %s of input %d has type %s",
					c+1, first[c].Name, TypeName(first[c].Type), o.Name, i+2, TypeName(o.Type))
			}
			t = ct
		}
		types[c] = t
	}
	inputs := make([]Plan, len(u.Inputs))
	for i, in := range u.Inputs {
		out := in.Output()
		var list []Expr
		cast := false
		for c, at := range out {
			t := types[c]
			if arrow.TypeEqual(at.Type, t) {
				list = append(list, at)
				continue
			}
			cast = true
			list = append(list, &Alias{E: castTo(at, t), Name: at.Name, ID: a.IDs.Next()})
		}
		if cast {
			inputs[i] = &Project{List: list, Child: in}
		} else {
			inputs[i] = in
		}
	}
	return &Union{Inputs: inputs}, nil
}

// Distinct keeps one copy of each distinct row of its child. The analyzer
// turns it into an aggregation grouped by every column.
type Distinct struct {
	Child Plan
}

// Output implements Plan.
func (p *Distinct) Output() []*Attribute { return p.Child.Output() }

// Children implements Plan.
func (p *Distinct) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *Distinct) WithChildren(c []Plan) Plan { return &Distinct{Child: c[0]} }

// Expressions implements Plan.
func (p *Distinct) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *Distinct) WithExpressions([]Expr) Plan { return p }

func (p *Distinct) String() string { return "Distinct" }

// DistinctOf is the aggregation that keeps one copy of each row of p:
// grouped by, and producing, every column (nulls group together).
func DistinctOf(p Plan) Plan {
	out := p.Output()
	groups := make([]Expr, len(out))
	for i, a := range out {
		groups[i] = a
	}
	return &Aggregate{Groups: groups, List: append([]Expr(nil), groups...), Child: p}
}
