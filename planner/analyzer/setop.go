package analyzer

import (
	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/logical"
)

func (a *Analyzer) resolveSetOp(n *logical.SetOp) (logical.Plan, error) {
	op := "EXCEPT"
	kind := logical.LeftAntiJoin
	if n.Intersect {
		op, kind = "INTERSECT", logical.LeftSemiJoin
	}
	right, err := a.dedupRight(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	left, rout := n.Left.Output(), right.Output()
	if len(left) != len(rout) {
		return nil, logical.AnalysisErr("%s can only combine inputs with the same number of columns: %d and %d", op, len(left), len(rout))
	}
	var conds []logical.Expr
	for i := range left {
		if _, ok := logical.CommonType(left[i].Type, rout[i].Type); !ok {
			return nil, logical.AnalysisErr("%s column %d: %s has type %s, but %s has type %s", op, i+1,
				left[i].Name, logical.TypeName(left[i].Type), rout[i].Name, logical.TypeName(rout[i].Type))
		}
		conds = append(conds, &logical.Binary{Op: logical.OpNullSafeEq, L: left[i], R: rout[i]})
	}
	if n.All {
		return a.resolveSetOpAll(n.Left, right, conds, kind, op)
	}
	distinctLeft := logical.DistinctOf(n.Left)
	in := append(append([]*logical.Attribute{}, distinctLeft.Output()...), rout...)
	cond, err := a.resolveExpr(logical.And(conds...), in, op)
	if err != nil {
		return nil, err
	}
	return &logical.Join{Left: distinctLeft, Right: right, Kind: kind, Cond: cond}, nil
}

// resolveSetOpAll plans INTERSECT ALL and EXCEPT ALL: both sides number the
// copies of each row, and the semi or anti join matches the numbers too.
func (a *Analyzer) resolveSetOpAll(left, right logical.Plan, conds []logical.Expr, kind logical.JoinKind, op string) (logical.Plan, error) {
	number := func(p logical.Plan) (logical.Plan, *logical.Attribute, error) {
		cols := logical.AttrsAsExprs(p.Output())
		orders := make([]*logical.SortOrder, len(cols))
		for i, c := range cols {
			orders[i] = &logical.SortOrder{E: c}
		}
		rn := &logical.Alias{E: &logical.WindowExpr{Func: &logical.WindowFunction{Func: window.RowNumber}, PartitionBy: cols, OrderBy: orders}, Name: "__copy"}
		np, err := a.resolveNode(&logical.Project{List: append(append([]logical.Expr{}, cols...), rn), Child: p})
		if err != nil {
			return nil, nil, err
		}
		out := np.Output()
		return np, out[len(out)-1], nil
	}
	l, lrn, err := number(left)
	if err != nil {
		return nil, err
	}
	r, rrn, err := number(right)
	if err != nil {
		return nil, err
	}
	conds = append(conds, &logical.Binary{Op: logical.OpEq, L: lrn, R: rrn})
	in := append(append([]*logical.Attribute{}, l.Output()...), r.Output()...)
	cond, err := a.resolveExpr(logical.And(conds...), in, op)
	if err != nil {
		return nil, err
	}
	return &logical.Project{List: logical.AttrsAsExprs(left.Output()), Child: &logical.Join{Left: l, Right: r, Kind: kind, Cond: cond}}, nil
}
