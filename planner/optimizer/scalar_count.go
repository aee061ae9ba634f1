package optimizer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/analyzer"
	"github.com/gspark/gspark/planner/logical"
)

// emptyScalarValue returns the value a correlated scalar subquery over an
// aggregate has for an outer row no inner row matches, when that value is
// not null: the aggregate over no rows, where count(…) is 0 (the "count
// bug" of a plain left join, which would give null). It reports false when
// the value over no rows is null anyway (no count).
func emptyScalarValue(p logical.Plan) (logical.Expr, bool, error) {
	switch n := p.(type) {
	case *logical.SubqueryAlias:
		return emptyScalarValue(n.Child)
	case *logical.Project:
		e, ok, err := emptyScalarValue(n.Child)
		if err != nil || !ok {
			return nil, false, err
		}
		first := n.List[0]
		if al, isAlias := first.(*logical.Alias); isAlias {
			first = al.E
		}
		if at, isAttr := first.(*logical.Attribute); isAttr && at.ID == n.Child.Output()[0].ID {
			return e, true, nil
		}
		return nil, false, logical.AnalysisErr("a correlated scalar subquery computing count() is supported when the count is computed in the subquery's aggregation, not in %s", logical.StripIDs(n.List[0].String()))
	case *logical.Aggregate:
		v := n.List[0]
		if al, ok := v.(*logical.Alias); ok {
			v = al.E
		}
		counts := false
		out, _ := logical.TransformDownExpr(v, func(x logical.Expr) (logical.Expr, bool) {
			a, ok := x.(*logical.AggregateCall)
			if !ok {
				return x, false
			}
			switch a.Func {
			case logical.AggCount, logical.AggCountIf, logical.AggApproxCountDistinct:
				counts = true
				return &logical.Literal{Value: int64(0), Type: arrow.PrimitiveTypes.Int64}, true
			}
			return &logical.Literal{Type: a.DataType()}, true
		})
		if !counts {
			return nil, false, nil
		}
		return out, true, nil
	}
	return nil, false, nil
}

// countBugValue is the value of a decorrelated scalar subquery read through
// a left join: where no inner group matched (its key is null), the
// subquery's value over no rows.
func countBugValue(value logical.Expr, empty logical.Expr, conds []logical.Expr) (logical.Expr, error) {
	if len(conds) == 0 {
		return value, nil
	}
	b, ok := conds[0].(*logical.Binary)
	if !ok {
		return value, nil
	}
	missing, err := analyzer.TypeCheck(&logical.Unary{Op: logical.OpIsNull, E: b.R})
	if err != nil {
		return nil, err
	}
	if !arrow.TypeEqual(empty.DataType(), value.DataType()) {
		empty = logical.CastTo(empty, value.DataType())
	}
	return analyzer.TypeCheck(&logical.CaseWhen{Whens: []logical.Expr{missing}, Thens: []logical.Expr{empty}, Else: value})
}
