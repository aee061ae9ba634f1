package frame

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner"
)

// Union returns the rows of df followed by the rows of other, matching
// columns by position and keeping duplicates (Spark's union, SQL's UNION ALL).
// Column types widen to a common type; a pair without one is an error that
// names both columns.
func (df *DataFrame) Union(other *DataFrame) *DataFrame {
	if other.err != nil {
		return &DataFrame{s: df.s, err: other.err}
	}
	return df.derive(func() (planner.Plan, error) {
		return &planner.Union{Inputs: []planner.Plan{df.plan, other.plan}}, nil
	})
}

// UnionAll is Union.
func (df *DataFrame) UnionAll(other *DataFrame) *DataFrame { return df.Union(other) }

// UnionByName is Union with other's columns matched to df's by name
// (case-insensitive). With allowMissingColumns, a column only one side has is
// filled with nulls on the other; without it, that is an error.
func (df *DataFrame) UnionByName(other *DataFrame, allowMissingColumns bool) *DataFrame {
	if other.err != nil {
		return &DataFrame{s: df.s, err: other.err}
	}
	return df.derive(func() (planner.Plan, error) {
		left, right := df.plan.Output(), other.plan.Output()
		find := func(attrs []*planner.Attribute, name string) *planner.Attribute {
			for _, a := range attrs {
				if strings.EqualFold(a.Name, name) {
					return a
				}
			}
			return nil
		}
		var llist, rlist []planner.Expr
		for _, a := range left {
			llist = append(llist, a)
			if b := find(right, a.Name); b != nil {
				rlist = append(rlist, b)
			} else if allowMissingColumns {
				rlist = append(rlist, &planner.Alias{E: &planner.Literal{Type: a.Type}, Name: a.Name})
			} else {
				return nil, fmt.Errorf("unionByName: column %s is missing on the right side (right has %s)", a.Name, names(right))
			}
		}
		for _, b := range right {
			if find(left, b.Name) != nil {
				continue
			}
			if !allowMissingColumns {
				return nil, fmt.Errorf("unionByName: column %s is missing on the left side (left has %s)", b.Name, names(left))
			}
			llist = append(llist, &planner.Alias{E: &planner.Literal{Type: b.Type}, Name: b.Name})
			rlist = append(rlist, b)
		}
		return &planner.Union{Inputs: []planner.Plan{
			&planner.Project{List: llist, Child: df.plan},
			&planner.Project{List: rlist, Child: other.plan},
		}}, nil
	})
}

// Distinct keeps one copy of each distinct row (nulls compare equal, as in
// GROUP BY).
func (df *DataFrame) Distinct() *DataFrame {
	return df.derive(func() (planner.Plan, error) {
		return &planner.Distinct{Child: df.plan}, nil
	})
}

// DropDuplicates is Distinct: with no columns it compares whole rows. A
// subset of columns is not supported yet (it needs the first() aggregate).
func (df *DataFrame) DropDuplicates(cols ...string) *DataFrame {
	if len(cols) > 0 {
		return &DataFrame{s: df.s, err: fmt.Errorf("dropDuplicates(%s): dropping duplicates on a subset of columns is not supported yet", strings.Join(cols, ", "))}
	}
	return df.Distinct()
}

func names(attrs []*planner.Attribute) string {
	s := make([]string, len(attrs))
	for i, a := range attrs {
		s[i] = a.Name
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// Intersect keeps the distinct rows of df that also occur in other, matching
// columns by position; nulls compare equal, as in Spark's intersect.
func (df *DataFrame) Intersect(other *DataFrame) *DataFrame {
	return df.setJoin(other, planner.LeftSemiJoin, "intersect")
}

// Except keeps the distinct rows of df that do not occur in other (SQL's
// EXCEPT DISTINCT, Spark's subtract); nulls compare equal.
func (df *DataFrame) Except(other *DataFrame) *DataFrame {
	return df.setJoin(other, planner.LeftAntiJoin, "except")
}

// Subtract is Except.
func (df *DataFrame) Subtract(other *DataFrame) *DataFrame { return df.Except(other) }

// setJoin is Distinct(df) semi- or anti-joined with other on null-safe
// equality of every column. a <=> b is written as two plain equalities,
// (a IS NULL) = (b IS NULL) and coalesce(a, d) = coalesce(b, d) for a
// constant d, so the join still hashes on its keys.
func (df *DataFrame) setJoin(other *DataFrame, kind planner.JoinKind, op string) *DataFrame {
	if other.err != nil {
		return &DataFrame{s: df.s, err: other.err}
	}
	return df.derive(func() (planner.Plan, error) {
		rplan, err := df.s.analyzer().DedupRight(df.plan, other.plan)
		if err != nil {
			return nil, err
		}
		left, right := df.plan.Output(), rplan.Output()
		if len(left) != len(right) {
			return nil, fmt.Errorf("%w: %s can only combine inputs with the same number of columns: %d and %d", planner.ErrAnalysis, op, len(left), len(right))
		}
		dl := &planner.Distinct{Child: df.plan}
		var conds []planner.Expr
		for i := range left {
			l, r := planner.Expr(left[i]), planner.Expr(right[i])
			t, ok := planner.CommonType(left[i].Type, right[i].Type)
			if !ok {
				return nil, fmt.Errorf("%w: %s column %d: %s has type %s, but %s has type %s", planner.ErrAnalysis, op, i+1,
					left[i].Name, planner.TypeName(left[i].Type), right[i].Name, planner.TypeName(right[i].Type))
			}
			fill, err := neutralValue(t)
			if err != nil {
				return nil, fmt.Errorf("%s column %s: %w", op, left[i].Name, err)
			}
			coalesce := func(e planner.Expr) planner.Expr {
				return &planner.Func{Name: "coalesce", Args: []planner.Expr{planner.CastTo(e, t), fill}}
			}
			conds = append(conds,
				&planner.Binary{Op: planner.OpEq, L: &planner.Unary{Op: planner.OpIsNull, E: l}, R: &planner.Unary{Op: planner.OpIsNull, E: r}},
				&planner.Binary{Op: planner.OpEq, L: coalesce(l), R: coalesce(r)})
		}
		return &planner.Join{Left: dl, Right: rplan, Kind: kind, Cond: planner.And(conds...)}, nil
	})
}

// neutralValue is a constant of type t that stands in for null in a
// null-safe comparison.
func neutralValue(t arrow.DataType) (planner.Expr, error) {
	var c Column
	switch {
	case planner.IsNumeric(t):
		c = Lit(0).CastTo(t)
	case planner.IsString(t):
		c = Lit("")
	case t.ID() == arrow.BOOL:
		c = Lit(false)
	case t.ID() == arrow.DATE32, t.ID() == arrow.TIMESTAMP:
		c = Lit("1970-01-01").CastTo(t)
	default:
		return nil, fmt.Errorf("type %s is not supported in set operations yet", planner.TypeName(t))
	}
	if c.err != nil {
		return nil, c.err
	}
	return c.expr, nil
}
