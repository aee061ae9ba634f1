package analyzer

import (
	"strings"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// resolveUsingJoin builds the join and the projection of a UsingJoin whose
// sides are analyzed.
func (a *Analyzer) resolveUsingJoin(n *logical.UsingJoin) (logical.Plan, error) {
	right, err := a.dedupRight(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	find := func(p logical.Plan, name, side string) (*logical.Attribute, error) {
		var found *logical.Attribute
		for _, at := range p.Output() {
			if strings.EqualFold(at.Name, name) {
				if found != nil {
					return nil, logical.AnalysisErr("USING column %s is ambiguous in the %s side of the join", name, side)
				}
				found = at
			}
		}
		if found == nil {
			return nil, logical.AnalysisErr("USING column %s is not in the %s side of the join", name, side)
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
	var conds []logical.Expr
	keys := map[int64]bool{}
	var list []logical.Expr
	for _, c := range cols {
		l, err := find(n.Left, c, "left")
		if err != nil {
			return nil, err
		}
		r, err := find(right, c, "right")
		if err != nil {
			return nil, err
		}
		eq, err := logical.TypeBinary(&logical.Binary{Op: logical.OpEq, L: l, R: r})
		if err != nil {
			return nil, err
		}
		conds = append(conds, eq)
		keys[l.ID], keys[r.ID] = true, true
		switch n.Kind {
		case logical.RightJoin:
			list = append(list, r)
		case logical.FullJoin:
			co, err := functions.TypeFunc(&logical.Func{Name: "coalesce", Args: []logical.Expr{l.WithNullable(true), r.WithNullable(true)}})
			if err != nil {
				return nil, err
			}
			list = append(list, &logical.Alias{E: co, Name: l.Name, ID: a.IDs.Next()})
		default:
			list = append(list, l)
		}
	}
	j := &logical.Join{Left: n.Left, Right: right, Kind: n.Kind}
	if len(conds) > 0 {
		j.Cond = logical.And(conds...)
	} else if n.Kind != logical.InnerJoin {
		return nil, logical.AnalysisErr("a NATURAL %s join needs a column name both sides share", n.Kind)
	}
	for _, at := range n.Left.Output() {
		if !keys[at.ID] {
			list = append(list, at)
		}
	}
	if n.Kind.OutputsRight() {
		for _, at := range right.Output() {
			if !keys[at.ID] {
				list = append(list, at)
			}
		}
	}
	// Take the join's own attributes, whose nullability the kind decides.
	joined := map[int64]*logical.Attribute{}
	for _, at := range j.Output() {
		joined[at.ID] = at
	}
	for i, e := range list {
		if at, ok := e.(*logical.Attribute); ok && joined[at.ID] != nil {
			list[i] = joined[at.ID]
		}
	}
	return &logical.Project{List: list, Child: j}, nil
}
