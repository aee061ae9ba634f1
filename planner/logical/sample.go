package logical

import (
	"fmt"
)

// Sample keeps the rows whose pseudo-random draw falls in [Lower, Upper),
// drawn per partition from Seed (see exec.Sample).
type Sample struct {
	Lower, Upper float64
	Seed         int64
	Child        Plan
}

// Output implements Plan.
func (p *Sample) Output() []*Attribute { return p.Child.Output() }

// Children implements Plan.
func (p *Sample) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *Sample) WithChildren(c []Plan) Plan {
	out := *p
	out.Child = c[0]
	return &out
}

// Expressions implements Plan.
func (p *Sample) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *Sample) WithExpressions([]Expr) Plan { return p }

func (p *Sample) String() string {
	return fmt.Sprintf("Sample [%g, %g) seed=%d", p.Lower, p.Upper, p.Seed)
}
