package optimizer

import (
	"github.com/gspark/gspark/planner/analyzer"
	"github.com/gspark/gspark/planner/logical"
)

// RewritePredicateSubqueries turns EXISTS and IN subqueries that are
// conjuncts of a filter into left semi joins (NOT EXISTS, NOT IN: left anti
// joins), their correlated predicates becoming the join condition. NOT IN
// keeps SQL's null semantics: a null on either side makes the row fail.
func RewritePredicateSubqueries() Rule {
	return Rule{Name: "RewritePredicateSubqueries", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformUp(p, func(n logical.Plan) (logical.Plan, bool, error) {
			for _, e := range n.Expressions() {
				if _, isFilter := n.(*logical.Filter); !isFilter && containsPredicateSubquery(e) {
					return nil, false, logical.AnalysisErr("EXISTS and IN (subquery) are supported in WHERE and HAVING conditions only, not in %s", analyzer.NodeName(n))
				}
			}
			f, ok := n.(*logical.Filter)
			if !ok || !containsPredicateSubquery(f.Cond) {
				return n, false, nil
			}
			var rest []logical.Expr
			type pending struct {
				s   *logical.Subquery
				not bool
			}
			var subs []pending
			for _, c := range logical.SplitConjuncts(f.Cond) {
				if s, not := asPredicateSubquery(c); s != nil {
					subs = append(subs, pending{s, not})
					continue
				}
				if containsPredicateSubquery(c) {
					return nil, false, logical.AnalysisErr("EXISTS and IN (subquery) must be AND-ed conditions of WHERE or HAVING; %s is not supported", logical.StripIDs(c.String()))
				}
				rest = append(rest, c)
			}
			child := f.Child
			// Conditions holding (scalar) subqueries go above the semi and
			// anti joins, which usually shrink what those must look at;
			// the others below, where they filter first.
			var restAbove []logical.Expr
			if len(rest) > 0 {
				var below []logical.Expr
				for _, c := range rest {
					if len(logical.SubqueriesIn(c)) > 0 {
						restAbove = append(restAbove, c)
					} else {
						below = append(below, c)
					}
				}
				if len(below) > 0 {
					child = &logical.Filter{Cond: logical.And(below...), Child: child}
				}
			}
			for _, ps := range subs {
				inner, conds, err := pullCorrelated(ps.s.Plan)
				if err != nil {
					return nil, false, err
				}
				if ps.s.Kind == logical.InSubquery {
					// (a, b) IN (SELECT x, y …) compares column by column; for
					// NOT IN a null comparison excludes the row, as in Spark.
					cols := inner.Output()
					for i, v := range logical.InValues(ps.s, len(cols)) {
						col := cols[i]
						eq, err := logical.TypeBinary(&logical.Binary{Op: logical.OpEq, L: v, R: col})
						if err != nil {
							return nil, false, err
						}
						if ps.not && (v.Nullable() || col.Nullable()) {
							isNull, err := analyzer.TypeCheck(&logical.Unary{Op: logical.OpIsNull, E: eq})
							if err != nil {
								return nil, false, err
							}
							eq, err = logical.TypeBinary(&logical.Binary{Op: logical.OpOr, L: eq, R: isNull})
							if err != nil {
								return nil, false, err
							}
						}
						conds = append(conds, eq)
					}
				}
				if err := checkCorrelationDepth(conds, child, inner); err != nil {
					return nil, false, err
				}
				kind := logical.LeftSemiJoin
				if ps.not {
					kind = logical.LeftAntiJoin
				}
				j := &logical.Join{Left: child, Right: inner, Kind: kind}
				if len(conds) > 0 {
					j.Cond = logical.And(conds...)
				}
				child = j
			}
			if len(restAbove) > 0 {
				child = &logical.Filter{Cond: logical.And(restAbove...), Child: child}
			}
			return child, true, nil
		})
	}}
}

// asPredicateSubquery recognizes EXISTS (…), x IN (…) and their negations.
func asPredicateSubquery(e logical.Expr) (*logical.Subquery, bool) {
	not := false
	if u, ok := e.(*logical.Unary); ok && u.Op == logical.OpNot {
		e, not = u.E, true
	}
	if s, ok := e.(*logical.Subquery); ok && s.Kind != logical.ScalarSubquery {
		return s, not
	}
	return nil, false
}

func containsPredicateSubquery(e logical.Expr) bool {
	for _, s := range logical.SubqueriesIn(e) {
		if s.Kind != logical.ScalarSubquery {
			return true
		}
	}
	return false
}
