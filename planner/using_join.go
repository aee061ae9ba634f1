package planner

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

// resolveUsingJoin builds the join and the projection of a UsingJoin whose
// sides are analyzed.
func (a *Analyzer) resolveUsingJoin(n *UsingJoin) (Plan, error) {
	right, err := a.dedupRight(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	find := func(p Plan, name, side string) (*Attribute, error) {
		var found *Attribute
		for _, at := range p.Output() {
			if strings.EqualFold(at.Name, name) {
				if found != nil {
					return nil, analysisErr("USING column %s is ambiguous in the %s side of the join", name, side)
				}
				found = at
			}
		}
		if found == nil {
			return nil, analysisErr("USING column %s is not in the %s side of the join", name, side)
		}
		return found, nil
	}
	cols := n.Cols
	if n.Natural {
		cols = nil
		for _, l := range n.Left.Output() {
			for _, r := range right.Output() {
				if strings.EqualFold(l.Name, r.Name) {
					cols = append(cols, l.Name)
					break
				}
			}
		}
	}
	var conds []Expr
	keys := map[int64]bool{}
	var list []Expr
	for _, c := range cols {
		l, err := find(n.Left, c, "left")
		if err != nil {
			return nil, err
		}
		r, err := find(right, c, "right")
		if err != nil {
			return nil, err
		}
		eq, err := typeBinary(&Binary{Op: OpEq, L: l, R: r})
		if err != nil {
			return nil, err
		}
		conds = append(conds, eq)
		keys[l.ID], keys[r.ID] = true, true
		switch n.Kind {
		case RightJoin:
			list = append(list, r)
		case FullJoin:
			co, err := typeFunc(&Func{Name: "coalesce", Args: []Expr{l.withNullable(true), r.withNullable(true)}})
			if err != nil {
				return nil, err
			}
			list = append(list, &Alias{E: co, Name: l.Name, ID: a.IDs.Next()})
		default:
			list = append(list, l)
		}
	}
	j := &Join{Left: n.Left, Right: right, Kind: n.Kind}
	if len(conds) > 0 {
		j.Cond = And(conds...)
	} else if n.Kind != InnerJoin {
		return nil, analysisErr("a NATURAL %s join needs a column name both sides share", n.Kind)
	}
	for _, at := range n.Left.Output() {
		if !keys[at.ID] {
			list = append(list, at)
		}
	}
	if n.Kind.outputsRight() {
		for _, at := range right.Output() {
			if !keys[at.ID] {
				list = append(list, at)
			}
		}
	}
	// Take the join's own attributes, whose nullability the kind decides.
	joined := map[int64]*Attribute{}
	for _, at := range j.Output() {
		joined[at.ID] = at
	}
	for i, e := range list {
		if at, ok := e.(*Attribute); ok && joined[at.ID] != nil {
			list[i] = joined[at.ID]
		}
	}
	return &Project{List: list, Child: j}, nil
}
