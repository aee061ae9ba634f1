package logical

import (
	"fmt"
	"strings"
)

// RenameColumns names the columns of its child by position, as a table
// alias with a column list does (FROM t AS x(a, b), VALUES … AS v(a, b)).
type RenameColumns struct {
	Names []string
	Child Plan
}

// Output implements Plan: none until analyzed.
func (p *RenameColumns) Output() []*Attribute { return nil }

// Children implements Plan.
func (p *RenameColumns) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *RenameColumns) WithChildren(c []Plan) Plan {
	return &RenameColumns{Names: p.Names, Child: c[0]}
}

// Expressions implements Plan.
func (p *RenameColumns) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *RenameColumns) WithExpressions([]Expr) Plan { return p }

func (p *RenameColumns) String() string {
	return fmt.Sprintf("RenameColumns [%s]", strings.Join(p.Names, ", "))
}
