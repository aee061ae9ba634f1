package logical

import (
	"fmt"
	"strings"
)

// Expand emits, for every input row, one row per projection: the input
// columns with some grouping columns replaced by nulls and the grouping
// set's ID, so that one aggregation computes GROUPING SETS, ROLLUP and CUBE.
type Expand struct {
	// Projections each list one expression per output attribute.
	Projections [][]Expr
	Attrs       []*Attribute
	Child       Plan
}

// Output implements Plan.
func (p *Expand) Output() []*Attribute { return p.Attrs }

// Children implements Plan.
func (p *Expand) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *Expand) WithChildren(c []Plan) Plan {
	return &Expand{Projections: p.Projections, Attrs: p.Attrs, Child: c[0]}
}

// Expressions implements Plan: the projections, one after another.
func (p *Expand) Expressions() []Expr {
	var out []Expr
	for _, pr := range p.Projections {
		out = append(out, pr...)
	}
	return out
}

// WithExpressions implements Plan.
func (p *Expand) WithExpressions(e []Expr) Plan {
	n := len(p.Attrs)
	prs := make([][]Expr, len(p.Projections))
	for i := range prs {
		prs[i] = e[i*n : (i+1)*n : (i+1)*n]
	}
	return &Expand{Projections: prs, Attrs: p.Attrs, Child: p.Child}
}

func (p *Expand) String() string {
	parts := make([]string, len(p.Projections))
	for i, pr := range p.Projections {
		parts[i] = exprList(pr)
	}
	return fmt.Sprintf("Expand [%s] output=%s", strings.Join(parts, ", "), exprList(AttrsAsExprs(p.Attrs)))
}

// AttrsAsExprs returns attributes as a list of expressions.
func AttrsAsExprs(as []*Attribute) []Expr {
	out := make([]Expr, len(as))
	for i, a := range as {
		out[i] = a
	}
	return out
}

// GroupingSetsOf returns the grouping sets of ROLLUP over n expressions:
// all of them, then ever shorter prefixes down to none.
func RollupSets(n int) [][]int {
	sets := make([][]int, 0, n+1)
	for k := n; k >= 0; k-- {
		s := make([]int, k)
		for i := range s {
			s[i] = i
		}
		sets = append(sets, s)
	}
	return sets
}

// CubeSets returns the grouping sets of CUBE over n expressions: every
// Subset, from all expressions down to none.
func CubeSets(n int) [][]int {
	var sets [][]int
	for mask := (1 << n) - 1; mask >= 0; mask-- {
		var s []int
		for i := 0; i < n; i++ {
			if mask&(1<<(n-1-i)) != 0 {
				s = append(s, i)
			}
		}
		sets = append(sets, s)
	}
	return sets
}
