package planner

import "github.com/gspark/gspark/exec/window"

// SetOp is INTERSECT or EXCEPT (DISTINCT) of two inputs whose columns match
// by position; rows compare with null-safe equality. The analyzer plans it
// as the distinct left rows semi- (intersect) or anti- (except) joined with
// the right on <=> of every column, which hash-joins.
//
// With All (INTERSECT ALL, EXCEPT ALL) duplicates count: each side numbers
// the copies of every row (row_number over a partition by all columns) and
// the join also matches those numbers, so a row m times on the left and n
// times on the right is kept min(m, n) times, or max(m - n, 0) times.
type SetOp struct {
	Intersect   bool
	All         bool
	Left, Right Plan
}

// Output implements Plan.
func (p *SetOp) Output() []*Attribute { return p.Left.Output() }

// Children implements Plan.
func (p *SetOp) Children() []Plan { return []Plan{p.Left, p.Right} }

// WithChildren implements Plan.
func (p *SetOp) WithChildren(c []Plan) Plan {
	return &SetOp{Intersect: p.Intersect, All: p.All, Left: c[0], Right: c[1]}
}

// Expressions implements Plan.
func (p *SetOp) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *SetOp) WithExpressions([]Expr) Plan { return p }

func (p *SetOp) String() string {
	name := "Except"
	if p.Intersect {
		name = "Intersect"
	}
	if p.All {
		name += " All"
	}
	return name
}

func (a *Analyzer) resolveSetOp(n *SetOp) (Plan, error) {
	op := "EXCEPT"
	kind := LeftAntiJoin
	if n.Intersect {
		op, kind = "INTERSECT", LeftSemiJoin
	}
	right, err := a.dedupRight(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	left, rout := n.Left.Output(), right.Output()
	if len(left) != len(rout) {
		return nil, analysisErr("%s can only combine inputs with the same number of columns: %d and %d", op, len(left), len(rout))
	}
	var conds []Expr
	for i := range left {
		if _, ok := commonType(left[i].Type, rout[i].Type); !ok {
			return nil, analysisErr("%s column %d: %s has type %s, but %s has type %s", op, i+1,
				left[i].Name, TypeName(left[i].Type), rout[i].Name, TypeName(rout[i].Type))
		}
		conds = append(conds, &Binary{Op: OpNullSafeEq, L: left[i], R: rout[i]})
	}
	if n.All {
		return a.resolveSetOpAll(n.Left, right, conds, kind, op)
	}
	distinctLeft := DistinctOf(n.Left)
	in := append(append([]*Attribute{}, distinctLeft.Output()...), rout...)
	cond, err := a.resolveExpr(And(conds...), in, op)
	if err != nil {
		return nil, err
	}
	return &Join{Left: distinctLeft, Right: right, Kind: kind, Cond: cond}, nil
}

// resolveSetOpAll plans INTERSECT ALL and EXCEPT ALL: both sides number the
// copies of each row, and the semi or anti join matches the numbers too.
func (a *Analyzer) resolveSetOpAll(left, right Plan, conds []Expr, kind JoinKind, op string) (Plan, error) {
	number := func(p Plan) (Plan, *Attribute, error) {
		cols := attrsAsExprs(p.Output())
		orders := make([]*SortOrder, len(cols))
		for i, c := range cols {
			orders[i] = &SortOrder{E: c}
		}
		rn := &Alias{E: &WindowExpr{Func: &WindowFunction{Func: window.RowNumber}, PartitionBy: cols, OrderBy: orders}, Name: "__copy"}
		np, err := a.resolveNode(&Project{List: append(append([]Expr{}, cols...), rn), Child: p})
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
	conds = append(conds, &Binary{Op: OpEq, L: lrn, R: rrn})
	in := append(append([]*Attribute{}, l.Output()...), r.Output()...)
	cond, err := a.resolveExpr(And(conds...), in, op)
	if err != nil {
		return nil, err
	}
	return &Project{List: attrsAsExprs(left.Output()), Child: &Join{Left: l, Right: r, Kind: kind, Cond: cond}}, nil
}
