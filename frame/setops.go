package frame

import (
	"fmt"
	"strings"

	"github.com/gspark/gspark/planner/logical"
)

// Union returns the rows of df followed by the rows of other, matching
// columns by position and keeping duplicates (Spark's union, SQL's UNION ALL).
// Column types widen to a common type; a pair without one is an error that
// names both columns.
func (df *DataFrame) Union(other *DataFrame) *DataFrame {
	if other.err != nil {
		return &DataFrame{s: df.s, err: other.err}
	}
	return df.derive(func() (logical.Plan, error) {
		return &logical.Union{Inputs: []logical.Plan{df.plan, other.plan}}, nil
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
	return df.derive(func() (logical.Plan, error) {
		left, right := df.plan.Output(), other.plan.Output()
		find := func(attrs []*logical.Attribute, name string) *logical.Attribute {
			for _, a := range attrs {
				if strings.EqualFold(a.Name, name) {
					return a
				}
			}
			return nil
		}
		var llist, rlist []logical.Expr
		for _, a := range left {
			llist = append(llist, a)
			if b := find(right, a.Name); b != nil {
				rlist = append(rlist, b)
			} else if allowMissingColumns {
				rlist = append(rlist, &logical.Alias{E: &logical.Literal{Type: a.Type}, Name: a.Name})
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
			llist = append(llist, &logical.Alias{E: &logical.Literal{Type: b.Type}, Name: b.Name})
			rlist = append(rlist, b)
		}
		return &logical.Union{Inputs: []logical.Plan{
			&logical.Project{List: llist, Child: df.plan},
			&logical.Project{List: rlist, Child: other.plan},
		}}, nil
	})
}

// Distinct keeps one copy of each distinct row (nulls compare equal, as in
// GROUP BY).
func (df *DataFrame) Distinct() *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		return &logical.Distinct{Child: df.plan}, nil
	})
}

// DropDuplicates keeps one row per distinct combination of cols (whole rows
// when none are named): the first row of each group in partition and row
// order, with the other columns taken from that row.
func (df *DataFrame) DropDuplicates(cols ...string) *DataFrame {
	if len(cols) == 0 {
		return df.Distinct()
	}
	return df.derive(func() (logical.Plan, error) {
		out := df.plan.Output()
		keys := map[int64]bool{}
		var groups []logical.Expr
		for _, c := range cols {
			var found *logical.Attribute
			for _, a := range out {
				if strings.EqualFold(a.Name, c) {
					found = a
					break
				}
			}
			if found == nil {
				return nil, fmt.Errorf("%w: dropDuplicates: unknown column %s (columns: %s)", logical.ErrAnalysis, c, names(out))
			}
			keys[found.ID] = true
			groups = append(groups, found)
		}
		// Every other column takes first() of its group; first() orders rows
		// by partition and position, so all columns come from the same row.
		var list []logical.Expr
		for _, a := range out {
			if keys[a.ID] {
				list = append(list, a)
				continue
			}
			list = append(list, &logical.Alias{E: &logical.AggregateCall{Func: logical.AggFirst, Arg: a}, Name: a.Name})
		}
		return &logical.Aggregate{Groups: groups, List: list, Child: df.plan}, nil
	})
}

func names(attrs []*logical.Attribute) string {
	s := make([]string, len(attrs))
	for i, a := range attrs {
		s[i] = a.Name
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// Intersect keeps the distinct rows of df that also occur in other, matching
// columns by position; nulls compare equal, as in Spark's intersect.
func (df *DataFrame) Intersect(other *DataFrame) *DataFrame {
	return df.setJoin(other, true)
}

// Except keeps the distinct rows of df that do not occur in other (SQL's
// EXCEPT DISTINCT, Spark's subtract); nulls compare equal.
func (df *DataFrame) Except(other *DataFrame) *DataFrame {
	return df.setJoin(other, false)
}

// Subtract is Except.
func (df *DataFrame) Subtract(other *DataFrame) *DataFrame { return df.Except(other) }

// IntersectAll keeps the rows of df that occur in other, duplicates
// included: a row m times in df and n times in other is kept min(m, n) times.
func (df *DataFrame) IntersectAll(other *DataFrame) *DataFrame {
	return df.setJoinAll(other, true, true)
}

// ExceptAll keeps the rows of df not matched in other, duplicates included:
// a row m times in df and n times in other is kept max(m - n, 0) times.
func (df *DataFrame) ExceptAll(other *DataFrame) *DataFrame {
	return df.setJoinAll(other, false, true)
}

// setJoin plans INTERSECT or EXCEPT (DISTINCT) of df and other.
func (df *DataFrame) setJoin(other *DataFrame, intersect bool) *DataFrame {
	return df.setJoinAll(other, intersect, false)
}

// setJoinAll plans INTERSECT or EXCEPT, DISTINCT or ALL, of df and other.
func (df *DataFrame) setJoinAll(other *DataFrame, intersect, all bool) *DataFrame {
	if other.err != nil {
		return &DataFrame{s: df.s, err: other.err}
	}
	return df.derive(func() (logical.Plan, error) {
		return &logical.SetOp{Intersect: intersect, All: all, Left: df.plan, Right: other.plan}, nil
	})
}
