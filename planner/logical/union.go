package logical

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
		out[i] = &c
	}
	for _, in := range p.Inputs[1:] {
		for i, o := range in.Output() { // each input's output once
			if i < len(out) && o.Null {
				out[i].Null = true
			}
		}
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

func (p *Union) String() string { return "Union " + AttrList(p.Output()) }

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
