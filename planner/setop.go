package planner

// SetOp is INTERSECT or EXCEPT (DISTINCT) of two inputs whose columns match
// by position; rows compare with null-safe equality. The analyzer plans it
// as the distinct left rows semi- (intersect) or anti- (except) joined with
// the right on <=> of every column, which hash-joins.
type SetOp struct {
	Intersect   bool
	Left, Right Plan
}

// Output implements Plan.
func (p *SetOp) Output() []*Attribute { return p.Left.Output() }

// Children implements Plan.
func (p *SetOp) Children() []Plan { return []Plan{p.Left, p.Right} }

// WithChildren implements Plan.
func (p *SetOp) WithChildren(c []Plan) Plan {
	return &SetOp{Intersect: p.Intersect, Left: c[0], Right: c[1]}
}

// Expressions implements Plan.
func (p *SetOp) Expressions() []Expr { return nil }

// WithExpressions implements Plan.
func (p *SetOp) WithExpressions([]Expr) Plan { return p }

func (p *SetOp) String() string {
	if p.Intersect {
		return "Intersect"
	}
	return "Except"
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
	distinctLeft := DistinctOf(n.Left)
	in := append(append([]*Attribute{}, distinctLeft.Output()...), rout...)
	cond, err := a.resolveExpr(And(conds...), in, op)
	if err != nil {
		return nil, err
	}
	return &Join{Left: distinctLeft, Right: right, Kind: kind, Cond: cond}, nil
}
