package logical

import (
	"fmt"
)

// Repartition redistributes its child's rows into N partitions: by a hash of
// Keys (rows with equal keys land together), or spread over all columns
// when Keys is empty. With Coalesce it only merges partitions, moving no
// rows between goroutines (Spark's coalesce).
type Repartition struct {
	N        int
	Keys     []Expr
	Coalesce bool
	Child    Plan
}

// Output implements Plan.
func (p *Repartition) Output() []*Attribute { return p.Child.Output() }

// Children implements Plan.
func (p *Repartition) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *Repartition) WithChildren(c []Plan) Plan {
	out := *p
	out.Child = c[0]
	return &out
}

// Expressions implements Plan.
func (p *Repartition) Expressions() []Expr { return p.Keys }

// WithExpressions implements Plan.
func (p *Repartition) WithExpressions(e []Expr) Plan {
	out := *p
	out.Keys = e
	return &out
}

func (p *Repartition) String() string {
	if p.Coalesce {
		return fmt.Sprintf("Coalesce %d", p.N)
	}
	if len(p.Keys) == 0 {
		return fmt.Sprintf("Repartition %d", p.N)
	}
	return fmt.Sprintf("Repartition %d by %s", p.N, exprList(p.Keys))
}
