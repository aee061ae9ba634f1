package logical

import (
	"fmt"
)

// Generate turns each row of its child into one row per element of an array
// or map expression (explode, posexplode and their outer forms): the output
// is the child's columns followed by Attrs — the position (posexplode), then
// the element, or the key and the value of a map.
type Generate struct {
	Input    Expr
	Outer    bool
	Position bool
	Attrs    []*Attribute
	Child    Plan
}

// Output implements Plan.
func (p *Generate) Output() []*Attribute {
	return append(append([]*Attribute{}, p.Child.Output()...), p.Attrs...)
}

// Children implements Plan.
func (p *Generate) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *Generate) WithChildren(c []Plan) Plan {
	out := *p
	out.Child = c[0]
	return &out
}

// Expressions implements Plan.
func (p *Generate) Expressions() []Expr { return []Expr{p.Input} }

// WithExpressions implements Plan.
func (p *Generate) WithExpressions(e []Expr) Plan {
	out := *p
	out.Input = e[0]
	return &out
}

func (p *Generate) String() string {
	return fmt.Sprintf("Generate %s(%s) %s", GeneratorName(p.Outer, p.Position), p.Input, exprList(AttrsAsExprs(p.Attrs)))
}

// GeneratorName names a generator: explode, posexplode and their _outer forms.
func GeneratorName(outer, position bool) string {
	name := "explode"
	if position {
		name = "posexplode"
	}
	if outer {
		name += "_outer"
	}
	return name
}
