package logical

import (
	"fmt"
)

// Offset skips the first N rows of its child (SQL's OFFSET; with an ORDER BY
// below it, the first N in that order).
type Offset struct {
	N     int64
	Child Plan
}

// Output implements Plan.
func (p *Offset) Output() []*Attribute { return p.Child.Output() }

// Children implements Plan.
func (p *Offset) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *Offset) WithChildren(c []Plan) Plan { return &Offset{N: p.N, Child: c[0]} }

// Expressions implements Plan.
func (p *Offset) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *Offset) WithExpressions([]Expr) Plan { return p }

func (p *Offset) String() string { return fmt.Sprintf("Offset %d", p.N) }
