package logical

import (
	"fmt"
	"strings"
)

// UsingJoin is a join on the equality of same-named columns: JOIN … USING
// (Cols) or, with Natural, on every column name both sides have. The
// analyzer turns it into a Join under a Project that keeps one copy of each
// key column first (the coalesce of both for a full join), then the other
// columns of the left side, then those of the right side, as Spark does.
type UsingJoin struct {
	Left, Right Plan
	Kind        JoinKind
	Cols        []string
	Natural     bool
}

// Output implements Plan: none until analyzed.
func (p *UsingJoin) Output() []*Attribute { return nil }

// Children implements Plan.
func (p *UsingJoin) Children() []Plan { return []Plan{p.Left, p.Right} }

// WithChildren implements Plan.
func (p *UsingJoin) WithChildren(c []Plan) Plan {
	out := *p
	out.Left, out.Right = c[0], c[1]
	return &out
}

// Expressions implements Plan.
func (p *UsingJoin) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *UsingJoin) WithExpressions([]Expr) Plan { return p }

func (p *UsingJoin) String() string {
	if p.Natural {
		return fmt.Sprintf("NaturalJoin %s", p.Kind)
	}
	return fmt.Sprintf("UsingJoin %s [%s]", p.Kind, strings.Join(p.Cols, ", "))
}
