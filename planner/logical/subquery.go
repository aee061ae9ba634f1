package logical

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// SubqueryKind tells what a subquery expression asks of its query.
type SubqueryKind int

// The kinds of subquery expressions.
const (
	// ScalarSubquery yields the single value of a one-column query (null
	// when it returns no row, an error when it returns more than one).
	ScalarSubquery SubqueryKind = iota
	// ExistsSubquery is true when the query returns at least one row.
	ExistsSubquery
	// InSubquery is true when Value equals a value the one-column query returns.
	InSubquery
)

// Subquery is a query nested in an expression: (SELECT …), EXISTS (…) or
// x IN (SELECT …). Its plan may refer to the enclosing query's columns
// through OuterRef (a correlated subquery); the subquery rules turn EXISTS,
// IN and correlated scalar subqueries into joins before planning, and the
// engine runs the remaining (uncorrelated) scalar subqueries first and uses
// their values as literals.
type Subquery struct {
	Kind SubqueryKind
	// ID tells the subquery apart from others in the same query.
	ID   int64
	Plan Plan
	// Value is the left operand of IN.
	Value Expr
}

func (e *Subquery) String() string {
	switch e.Kind {
	case ExistsSubquery:
		return fmt.Sprintf("exists#%d", e.ID)
	case InSubquery:
		return fmt.Sprintf("(%s IN subquery#%d)", e.Value, e.ID)
	}
	return fmt.Sprintf("scalar-subquery#%d", e.ID)
}

// Children implements Expr: the IN operand; the nested plan is not an expression child.
func (e *Subquery) Children() []Expr {
	if e.Kind == InSubquery {
		return []Expr{e.Value}
	}
	return nil
}

// WithChildren implements Expr.
func (e *Subquery) WithChildren(c []Expr) Expr {
	out := *e
	if e.Kind == InSubquery {
		out.Value = c[0]
	}
	return &out
}

// DataType implements Expr.
func (e *Subquery) DataType() arrow.DataType {
	if e.Kind != ScalarSubquery {
		return arrow.FixedWidthTypes.Boolean
	}
	if e.Plan == nil {
		return nil
	}
	out := e.Plan.Output()
	if len(out) == 0 {
		return nil
	}
	return out[0].Type
}

// Nullable implements Expr.
func (e *Subquery) Nullable() bool { return e.Kind != ExistsSubquery }

// OuterRef is a column of an enclosing query read inside a subquery.
type OuterRef struct{ Attr *Attribute }

func (e *OuterRef) String() string { return "outer(" + e.Attr.String() + ")" }

func (e *OuterRef) Children() []Expr { return nil }

func (e *OuterRef) WithChildren([]Expr) Expr { return e }

func (e *OuterRef) DataType() arrow.DataType { return e.Attr.Type }

func (e *OuterRef) Nullable() bool { return e.Attr.Null }

// HasOuterRef reports whether e reads a column of an enclosing query.
func HasOuterRef(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*OuterRef); ok {
			found = true
		}
		return !found
	})
	return found
}

// UnwrapOuter replaces outer references by the attributes they name.
func UnwrapOuter(e Expr) Expr {
	out, _ := Transform(e, func(x Expr) (Expr, bool) {
		if o, ok := x.(*OuterRef); ok {
			return o.Attr, true
		}
		return x, false
	})
	return out
}

// PlanHasOuterRef reports whether any expression of p or its descendants reads an outer column.
func PlanHasOuterRef(p Plan) bool {
	for _, e := range p.Expressions() {
		if HasOuterRef(e) {
			return true
		}
		found := false
		Walk(e, func(x Expr) bool {
			if s, ok := x.(*Subquery); ok && PlanHasOuterRef(s.Plan) {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	for _, c := range p.Children() {
		if PlanHasOuterRef(c) {
			return true
		}
	}
	return false
}

// RemapOuterRefs rewrites the outer references of the subqueries in e (at any
// depth) whose attributes were given new IDs.
func RemapOuterRefs(e Expr, remap map[int64]int64) Expr {
	out, _ := Transform(e, func(x Expr) (Expr, bool) {
		switch v := x.(type) {
		case *OuterRef:
			if id, ok := remap[v.Attr.ID]; ok {
				c := *v.Attr
				c.ID = id
				return &OuterRef{Attr: &c}, true
			}
		case *Subquery:
			p, _, _ := TransformUp(v.Plan, func(n Plan) (Plan, bool, error) {
				exprs := n.Expressions()
				if len(exprs) == 0 {
					return n, false, nil
				}
				ne := make([]Expr, len(exprs))
				for i, e := range exprs {
					ne[i] = RemapOuterRefs(e, remap)
				}
				return n.WithExpressions(ne), true, nil
			})
			c := *v
			c.Plan = p
			return &c, true
		}
		return x, false
	})
	return out
}

// SubqueriesIn lists the subquery expressions in e, outermost first, without
// looking inside their plans.
func SubqueriesIn(e Expr) []*Subquery {
	var out []*Subquery
	Walk(e, func(x Expr) bool {
		if s, ok := x.(*Subquery); ok {
			out = append(out, s)
		}
		return true
	})
	return out
}

// ScalarSubqueries lists the scalar subqueries left in p's expressions (not
// those nested inside other subqueries' plans), each once.
func ScalarSubqueries(p Plan) []*Subquery {
	var out []*Subquery
	seen := map[int64]bool{}
	var walk func(Plan)
	walk = func(n Plan) {
		for _, e := range n.Expressions() {
			for _, s := range SubqueriesIn(e) {
				if s.Kind == ScalarSubquery && !seen[s.ID] {
					seen[s.ID] = true
					out = append(out, s)
				}
			}
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(p)
	return out
}

// ReplaceScalarSubqueries replaces the scalar subqueries of p whose IDs are in
// values by those literals.
func ReplaceScalarSubqueries(p Plan, values map[int64]*Literal) Plan {
	out, _, _ := TransformUp(p, func(n Plan) (Plan, bool, error) {
		exprs := n.Expressions()
		changed := false
		ne := make([]Expr, len(exprs))
		for i, e := range exprs {
			r, c := Transform(e, func(x Expr) (Expr, bool) {
				if s, ok := x.(*Subquery); ok && s.Kind == ScalarSubquery {
					if l, ok := values[s.ID]; ok {
						return l, true
					}
				}
				return x, false
			})
			ne[i] = r
			changed = changed || c
		}
		if !changed {
			return n, false, nil
		}
		return n.WithExpressions(ne), true, nil
	})
	return out
}

// TransformUpWithSubqueries is TransformUp that also rewrites the plans of
// the subqueries in every node's expressions.
func TransformUpWithSubqueries(p Plan, fn func(Plan) (Plan, bool, error)) (Plan, bool, error) {
	return TransformUp(p, func(n Plan) (Plan, bool, error) {
		exprs := n.Expressions()
		changed := false
		ne := make([]Expr, len(exprs))
		for i, e := range exprs {
			var ferr error
			r, c := Transform(e, func(x Expr) (Expr, bool) {
				s, ok := x.(*Subquery)
				if !ok || ferr != nil {
					return x, false
				}
				sp, c, err := TransformUpWithSubqueries(s.Plan, fn)
				if err != nil {
					ferr = err
					return x, false
				}
				if !c {
					return x, false
				}
				cp := *s
				cp.Plan = sp
				return &cp, true
			})
			if ferr != nil {
				return nil, false, ferr
			}
			ne[i] = r
			changed = changed || c
		}
		if changed {
			n = n.WithExpressions(ne)
		}
		np, c, err := fn(n)
		return np, changed || c, err
	})
}
