package analyzer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// rewriteValueSubqueries replaces the uncorrelated IN and EXISTS subqueries
// of n that stand where a value is read — a select list, a CASE, an OR —
// by uncorrelated scalar subqueries, which run before the query: EXISTS (q)
// is (SELECT count(*) FROM q LIMIT 1) > 0, and v IN (q) reads the distinct
// values of q as an array, with SQL's nulls (null when v is null and q has
// rows, or when v is not found and q holds a null). The AND-ed conditions
// of a filter stay: the optimizer turns them into semi and anti joins.
func (a *Analyzer) rewriteValueSubqueries(n logical.Plan) (logical.Plan, error) {
	exprs := n.Expressions()
	if len(exprs) == 0 {
		return n, nil
	}
	// The conjuncts of a filter that the join rewrite handles.
	keep := map[*logical.Subquery]bool{}
	if f, ok := n.(*logical.Filter); ok {
		for _, c := range logical.SplitConjuncts(f.Cond) {
			if u, ok := c.(*logical.Unary); ok && u.Op == logical.OpNot {
				c = u.E
			}
			if s, ok := c.(*logical.Subquery); ok {
				keep[s] = true
			}
		}
	}
	kids := n.Children()
	changed := false
	var ferr error
	done := map[int64]logical.Expr{} // by subquery ID: a group and a list share theirs
	ne := make([]logical.Expr, len(exprs))
	for i, e := range exprs {
		ne[i], _ = logical.TransformDownExpr(e, func(x logical.Expr) (logical.Expr, bool) {
			s, ok := x.(*logical.Subquery)
			if !ok || ferr != nil || keep[s] || s.Kind == logical.ScalarSubquery || logical.PlanHasOuterRef(s.Plan) {
				return x, false
			}
			if r, ok := done[s.ID]; ok {
				return r, true
			}
			var r logical.Expr
			var err error
			if s.Kind == logical.ExistsSubquery {
				r, err = a.existsValue(s)
			} else if len(kids) != 1 {
				err = logical.AnalysisErr("IN (subquery) is not supported in %s", NodeName(n))
			} else {
				r, kids[0], err = a.inValue(s, kids[0])
			}
			if err != nil {
				ferr = err
				return x, false
			}
			done[s.ID] = r
			changed = true
			return r, true
		})
	}
	if ferr != nil {
		return nil, ferr
	}
	if !changed {
		return n, nil
	}
	out := n.Output()
	n = n.WithExpressions(ne).WithChildren(kids)
	if len(n.Output()) != len(out) {
		// A filter or sort passes its input's columns: drop the joined ones.
		n = &logical.Project{List: logical.AttrsAsExprs(out), Child: n}
	}
	return n, nil
}

// scalarAggregate is the scalar subquery (SELECT agg FROM p).
func (a *Analyzer) scalarAggregate(agg *logical.AggregateCall, name string, p logical.Plan) (logical.Expr, error) {
	typed, err := typeAggregate(agg)
	if err != nil {
		return nil, err
	}
	plan := &logical.Aggregate{List: []logical.Expr{&logical.Alias{E: typed, Name: name, ID: a.IDs.Next()}}, Child: p}
	return &logical.Subquery{Kind: logical.ScalarSubquery, ID: a.IDs.Next(), Plan: plan}, nil
}

func (a *Analyzer) existsValue(s *logical.Subquery) (logical.Expr, error) {
	cnt, err := a.scalarAggregate(&logical.AggregateCall{Func: logical.AggCount}, "exists", &logical.Limit{N: 1, Child: s.Plan})
	if err != nil {
		return nil, err
	}
	return TypeCheck(&logical.Binary{Op: logical.OpGt, L: cnt, R: &logical.Literal{Value: int64(0), Type: arrow.PrimitiveTypes.Int64}})
}

// inValue plans v IN (q) over n's input: a left join with q's distinct
// values, each marked true, so that a row finds its value's mark; row
// counts of q, run first as scalar subqueries, give SQL's nulls.
func (a *Analyzer) inValue(s *logical.Subquery, child logical.Plan) (logical.Expr, logical.Plan, error) {
	cols := s.Plan.Output()
	if len(cols) != 1 {
		return nil, nil, logical.AnalysisErr("IN with a subquery of %d columns is supported only as an AND-ed condition of WHERE or HAVING", len(cols))
	}
	v := s.Value
	t, ok := logical.CommonType(v.DataType(), cols[0].Type)
	if !ok {
		return nil, nil, logical.AnalysisErr("IN compares %s with the subquery's column of type %s", logical.StripIDs(v.String()), logical.TypeName(cols[0].Type))
	}
	key := logical.CastTo(cols[0], t)
	keyAlias := &logical.Alias{E: key, Name: "__in_value", ID: a.IDs.Next()}
	mark := &logical.Alias{E: &logical.Literal{Value: true, Type: arrow.FixedWidthTypes.Boolean}, Name: "__in_match", ID: a.IDs.Next()}
	values := &logical.Aggregate{Groups: []logical.Expr{key}, List: []logical.Expr{keyAlias, mark}, Child: s.Plan}
	out := values.Output()
	on, err := logical.TypeBinary(&logical.Binary{Op: logical.OpEq, L: logical.CastTo(v, t), R: out[0]})
	if err != nil {
		return nil, nil, err
	}
	joined := &logical.Join{Left: child, Right: values, Kind: logical.LeftJoin, Cond: on}
	rows, err := a.scalarAggregate(&logical.AggregateCall{Func: logical.AggCount}, "rows", s.Plan)
	if err != nil {
		return nil, nil, err
	}
	nonNull, err := a.scalarAggregate(&logical.AggregateCall{Func: logical.AggCount, Arg: cols[0]}, "non_null", s.Plan)
	if err != nil {
		return nil, nil, err
	}
	zero := &logical.Literal{Value: int64(0), Type: arrow.PrimitiveTypes.Int64}
	null := &logical.Literal{Type: arrow.FixedWidthTypes.Boolean}
	empty, err := TypeCheck(&logical.Binary{Op: logical.OpEq, L: rows, R: zero})
	if err != nil {
		return nil, nil, err
	}
	isNull, err := TypeCheck(&logical.Unary{Op: logical.OpIsNull, E: v})
	if err != nil {
		return nil, nil, err
	}
	found, err := TypeCheck(&logical.Unary{Op: logical.OpIsNotNull, E: out[1].WithNullable(true)})
	if err != nil {
		return nil, nil, err
	}
	hasNull, err := TypeCheck(&logical.Binary{Op: logical.OpGt, L: rows, R: nonNull})
	if err != nil {
		return nil, nil, err
	}
	// CASE WHEN rows = 0 THEN false WHEN v IS NULL THEN NULL WHEN matched
	// THEN true WHEN rows > non_null THEN NULL ELSE false END
	r, err := TypeCheck(&logical.CaseWhen{
		Whens: []logical.Expr{empty, isNull, found, hasNull},
		Thens: []logical.Expr{
			&logical.Literal{Value: false, Type: arrow.FixedWidthTypes.Boolean}, null,
			&logical.Literal{Value: true, Type: arrow.FixedWidthTypes.Boolean}, null,
		},
		Else: &logical.Literal{Value: false, Type: arrow.FixedWidthTypes.Boolean},
	})
	return r, joined, err
}
