package physical

import (
	"github.com/gspark/gspark/exec/join"
	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/logical"
)

// residualSpec compiles a hash join's residual condition into spec over only
// the left and right columns it references, so the join gathers just those
// for its candidate pairs (a residual such as Q21's l_suppkey <> l1.l_suppkey
// reads two of many columns).
func residualSpec(spec *join.Spec, cond logical.Expr, left, right []*logical.Attribute) error {
	refs := logical.References(cond)
	lcols, rcols := []int{}, []int{}
	var attrs []*logical.Attribute
	for i, a := range left {
		if refs[a.ID] {
			lcols = append(lcols, i)
			attrs = append(attrs, a)
		}
	}
	for i, a := range right {
		if refs[a.ID] {
			rcols = append(rcols, i)
			attrs = append(attrs, a)
		}
	}
	e, err := compile.CompileExpr(cond, attrs)
	if err != nil {
		return err
	}
	spec.Residual, spec.ResidualLeft, spec.ResidualRight = e, lcols, rcols
	return nil
}
