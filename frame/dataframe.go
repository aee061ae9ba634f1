package frame

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// DataFrame is a lazy, immutable query: a logical plan bound to a session.
// Transformations return new DataFrames; nothing runs until an action.
type DataFrame struct {
	s    *Session
	plan logical.Plan
	err  error
}

// newFrame analyzes p and wraps it; analysis errors stick to the DataFrame.
func (s *Session) newFrame(p logical.Plan) *DataFrame {
	return s.newFrameAbove(p)
}

// newFrameAbove is newFrame for a plan built on analyzed plans (those of
// other DataFrames): they are not analyzed again, which keeps long chains of
// transformations linear.
func (s *Session) newFrameAbove(p logical.Plan, analyzed ...logical.Plan) *DataFrame {
	ap, err := s.analyzer().AnalyzeAbove(p, analyzed...)
	if err != nil {
		return &DataFrame{s: s, err: err}
	}
	return &DataFrame{s: s, plan: ap}
}

// derive builds a new DataFrame from a plan on top of df's analyzed plan
// (and of others, analyzed plans of other DataFrames of the same session).
func (df *DataFrame) derive(build func() (logical.Plan, error), others ...*DataFrame) *DataFrame {
	if df.err != nil {
		return df
	}
	p, err := build()
	if err != nil {
		return &DataFrame{s: df.s, err: err}
	}
	analyzed := []logical.Plan{df.plan}
	for _, o := range others {
		if o != nil && o.plan != nil {
			analyzed = append(analyzed, o.plan)
		}
	}
	return df.s.newFrameAbove(p, analyzed...)
}

// Err returns the error this DataFrame carries (from reading its source or
// analyzing one of its transformations), or nil.
func (df *DataFrame) Err() error { return df.err }

// Session returns the session the DataFrame belongs to.
func (df *DataFrame) Session() *Session { return df.s }

// Plan returns the analyzed logical plan.
func (df *DataFrame) Plan() logical.Plan { return df.plan }

// FromPlan wraps an unresolved or analyzed logical plan as a DataFrame.
func (s *Session) FromPlan(p logical.Plan) *DataFrame { return s.newFrame(p) }

// Schema returns the Arrow schema of the result (nil if the DataFrame carries an error).
func (df *DataFrame) Schema() *arrow.Schema {
	if df.err != nil {
		return nil
	}
	return logical.Schema(df.plan)
}

// Columns returns the result's column names.
func (df *DataFrame) Columns() []string {
	if df.err != nil {
		return nil
	}
	out := df.plan.Output()
	names := make([]string, len(out))
	for i, a := range out {
		names[i] = a.Name
	}
	return names
}

func exprs(cols []Column) ([]logical.Expr, error) {
	out := make([]logical.Expr, len(cols))
	for i, c := range cols {
		if c.err != nil {
			return nil, c.err
		}
		if c.expr == nil {
			return nil, fmt.Errorf("empty column")
		}
		out[i] = c.expr
	}
	return out, nil
}

// Select computes a list of columns.
func (df *DataFrame) Select(cols ...Column) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		list, err := exprs(cols)
		if err != nil {
			return nil, err
		}
		if wl, child, ok, err := timeWindowSelect(list, df.plan); err != nil {
			return nil, err
		} else if ok {
			return &logical.Project{List: wl, Child: child}, nil
		}
		return &logical.Project{List: list, Child: df.plan}, nil
	})
}

// SelectCols selects columns by name.
func (df *DataFrame) SelectCols(names ...string) *DataFrame {
	cols := make([]Column, len(names))
	for i, n := range names {
		cols[i] = Col(n)
	}
	return df.Select(cols...)
}

// Filter keeps the rows where cond is true.
func (df *DataFrame) Filter(cond Column) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		if cond.err != nil {
			return nil, cond.err
		}
		return &logical.Filter{Cond: cond.expr, Child: df.plan}, nil
	})
}

// Where is Filter.
func (df *DataFrame) Where(cond Column) *DataFrame { return df.Filter(cond) }

// WithColumn adds a column, or replaces the column of that name.
func (df *DataFrame) WithColumn(name string, c Column) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		if c.err != nil {
			return nil, c.err
		}
		var list []logical.Expr
		replaced := false
		for _, a := range df.plan.Output() {
			if strings.EqualFold(a.Name, name) {
				list = append(list, &logical.Alias{E: c.expr, Name: name})
				replaced = true
				continue
			}
			list = append(list, a)
		}
		if !replaced {
			list = append(list, &logical.Alias{E: c.expr, Name: name})
		}
		return &logical.Project{List: list, Child: df.plan}, nil
	})
}

// WithColumnRenamed renames a column; renaming a column that does not exist is a no-op, as in Spark.
func (df *DataFrame) WithColumnRenamed(existing, newName string) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		var list []logical.Expr
		for _, a := range df.plan.Output() {
			if strings.EqualFold(a.Name, existing) {
				list = append(list, &logical.Alias{E: a, Name: newName})
				continue
			}
			list = append(list, a)
		}
		return &logical.Project{List: list, Child: df.plan}, nil
	})
}

// Drop removes columns by name; unknown names are ignored, as in Spark.
func (df *DataFrame) Drop(names ...string) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		var list []logical.Expr
	outer:
		for _, a := range df.plan.Output() {
			for _, n := range names {
				if strings.EqualFold(a.Name, n) {
					continue outer
				}
			}
			list = append(list, a)
		}
		return &logical.Project{List: list, Child: df.plan}, nil
	})
}

// Limit keeps the first n rows.
func (df *DataFrame) Limit(n int) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		return &logical.Limit{N: int64(n), Child: df.plan}, nil
	})
}

// Offset skips the first n rows (in the order of an OrderBy before it).
func (df *DataFrame) Offset(n int) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		return &logical.Offset{N: int64(n), Child: df.plan}, nil
	})
}

// OrderBy sorts the rows globally. Columns without a direction sort
// ascending with nulls first, as in Spark.
func (df *DataFrame) OrderBy(cols ...Column) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		orders := make([]*logical.SortOrder, len(cols))
		for i, c := range cols {
			if c.err != nil {
				return nil, c.err
			}
			if o, ok := c.expr.(*logical.SortOrder); ok {
				orders[i] = o
			} else {
				orders[i] = &logical.SortOrder{E: c.expr, NullsFirst: true}
			}
		}
		return &logical.Sort{Orders: orders, Child: df.plan}, nil
	})
}

// Sort is OrderBy.
func (df *DataFrame) Sort(cols ...Column) *DataFrame { return df.OrderBy(cols...) }

// Alias qualifies the DataFrame's columns with a name, so that "name.col"
// refers to them (useful to tell the sides of a join apart).
func (df *DataFrame) Alias(name string) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		return &logical.SubqueryAlias{Alias: name, Child: df.plan}, nil
	})
}

func joinKind(how string) (logical.JoinKind, error) {
	switch strings.ToLower(strings.ReplaceAll(how, "_", "")) {
	case "", "inner", "cross":
		return logical.InnerJoin, nil
	case "left", "leftouter":
		return logical.LeftJoin, nil
	case "right", "rightouter":
		return logical.RightJoin, nil
	case "full", "outer", "fullouter":
		return logical.FullJoin, nil
	case "semi", "leftsemi":
		return logical.LeftSemiJoin, nil
	case "anti", "leftanti":
		return logical.LeftAntiJoin, nil
	}
	return 0, fmt.Errorf("unsupported join type %q: supported are inner, cross, left (left_outer), right (right_outer), full (outer, full_outer), left_semi (semi) and left_anti (anti)", how)
}

// CrossJoin pairs every row of df with every row of other.
func (df *DataFrame) CrossJoin(other *DataFrame) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		if other.err != nil {
			return nil, other.err
		}
		return &logical.Join{Left: df.plan, Right: other.plan, Kind: logical.InnerJoin}, nil
	})
}

// Join joins with other where on holds; how names the kind as Spark does:
// "inner" (default), "cross", "left", "right", "full", "left_semi" or
// "left_anti". Conditions may mix equalities between the sides (hash join)
// with any other predicate; without an equality the join runs as a nested loop.
func (df *DataFrame) Join(other *DataFrame, on Column, how string) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		if other.err != nil {
			return nil, other.err
		}
		if on.err != nil {
			return nil, on.err
		}
		kind, err := joinKind(how)
		if err != nil {
			return nil, err
		}
		return &logical.Join{Left: df.plan, Right: other.plan, Kind: kind, Cond: on.expr}, nil
	})
}

// JoinUsing joins on equality of the named columns, present in both; the
// result has one copy of each key column first, then the other columns of
// the left side, then those of the right side (Spark's USING join).
func (df *DataFrame) JoinUsing(other *DataFrame, cols []string, how string) *DataFrame {
	return df.derive(func() (logical.Plan, error) {
		if other.err != nil {
			return nil, other.err
		}
		kind, err := joinKind(how)
		if err != nil {
			return nil, err
		}
		return &logical.UsingJoin{Left: df.plan, Right: other.plan, Kind: kind, Cols: cols}, nil
	})
}

// GroupBy groups the rows by the given columns for aggregation with Agg.
func (df *DataFrame) GroupBy(cols ...Column) *GroupedData {
	return &GroupedData{df: df, cols: cols}
}

// Rollup groups the rows by ROLLUP(cols…): by all the columns, then by
// ever shorter prefixes, down to the grand total; the columns a row is not
// grouped by are null (F.Grouping tells them from null values).
func (df *DataFrame) Rollup(cols ...Column) *GroupedData {
	return &GroupedData{df: df, cols: cols, sets: logical.RollupSets(len(cols))}
}

// Cube groups the rows by CUBE(cols…): by every subset of the columns.
func (df *DataFrame) Cube(cols ...Column) *GroupedData {
	return &GroupedData{df: df, cols: cols, sets: logical.CubeSets(len(cols))}
}

// Agg aggregates the whole DataFrame as one group.
func (df *DataFrame) Agg(cols ...Column) *DataFrame { return df.GroupBy().Agg(cols...) }

// CreateOrReplaceTempView registers the DataFrame under name in its session's catalog.
func (df *DataFrame) CreateOrReplaceTempView(name string) error {
	if df.err != nil {
		return df.err
	}
	if df.s.remote != nil {
		return df.remoteView(name)
	}
	df.s.registerView(name, df.plan)
	return nil
}

// GroupedData is a DataFrame grouped by some columns, waiting for aggregates.
type GroupedData struct {
	df   *DataFrame
	cols []Column
	sets [][]int // grouping sets (Rollup, Cube), nil for a plain GroupBy
}

// Agg computes aggregates per group; the result has the grouping columns first.
func (g *GroupedData) Agg(aggs ...Column) *DataFrame {
	return g.df.derive(func() (logical.Plan, error) {
		groups, err := exprs(g.cols)
		if err != nil {
			return nil, err
		}
		list, err := exprs(aggs)
		if err != nil {
			return nil, err
		}
		if kg, out, child, ok, err := timeWindowGroups(groups, g.sets, g.df.plan); err != nil {
			return nil, err
		} else if ok {
			return &logical.Aggregate{Groups: kg, List: append(out, list...), Child: child}, nil
		}
		return &logical.Aggregate{Groups: groups, List: append(append([]logical.Expr{}, groups...), list...), GroupingSets: g.sets, Child: g.df.plan}, nil
	})
}

// Count counts the rows of each group into a column named count.
func (g *GroupedData) Count() *DataFrame {
	return g.Agg(Agg(logical.AggCount, Col("*")).Alias("count"))
}
