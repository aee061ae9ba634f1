package frame

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// NAFunctions handles missing values of a DataFrame, like Spark's df.na.
type NAFunctions struct{ df *DataFrame }

// Na returns the DataFrame's missing-value functions.
func (df *DataFrame) Na() NAFunctions { return NAFunctions{df} }

// scope returns the output attributes named in cols (all when empty), or an
// error naming an unknown column.
func (n NAFunctions) scope(cols []string) (map[int64]bool, error) {
	out := n.df.plan.Output()
	in := map[int64]bool{}
	if len(cols) == 0 {
		for _, a := range out {
			in[a.ID] = true
		}
		return in, nil
	}
	for _, c := range cols {
		found := false
		for _, a := range out {
			if strings.EqualFold(a.Name, c) {
				in[a.ID], found = true, true
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: unknown column %s (columns: %s)", logical.ErrAnalysis, c, names(out))
		}
	}
	return in, nil
}

// fillable reports whether a fill or replace value v applies to a column of
// type t, as Spark matches them: numbers to numeric columns, strings to
// string columns, booleans to boolean columns.
func fillable(v any, t arrow.DataType) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, float32, float64:
		return logical.IsNumeric(t)
	case string:
		return logical.IsString(t)
	case bool:
		return t.ID() == arrow.BOOL
	}
	return false
}

// Fill replaces nulls with value in the columns of a matching type among
// cols (all columns when none are named); the value is cast to each
// column's type (Spark's na.fill / fillna).
func (n NAFunctions) Fill(value any, cols ...string) *DataFrame {
	df := n.df
	return df.derive(func() (logical.Plan, error) {
		in, err := n.scope(cols)
		if err != nil {
			return nil, err
		}
		switch value.(type) {
		case int, int8, int16, int32, int64, float32, float64, string, bool:
		default:
			return nil, fmt.Errorf("na.fill: unsupported value %v of type %T (use a number, string or bool)", value, value)
		}
		var list []logical.Expr
		for _, a := range df.plan.Output() {
			if !in[a.ID] || !fillable(value, a.Type) {
				list = append(list, a)
				continue
			}
			fill := Lit(value).CastTo(a.Type)
			if fill.err != nil {
				return nil, fill.err
			}
			list = append(list, &logical.Alias{E: &logical.Func{Name: "coalesce", Args: []logical.Expr{a, fill.expr}}, Name: a.Name})
		}
		return &logical.Project{List: list, Child: df.plan}, nil
	})
}

// Drop removes rows with nulls in cols (all columns when none are named):
// how "any" (default) drops a row with any null, "all" only a row whose
// named columns are all null.
func (n NAFunctions) Drop(how string, cols ...string) *DataFrame {
	switch strings.ToLower(how) {
	case "", "any":
		return n.DropThresh(-1, cols...)
	case "all":
		return n.DropThresh(1, cols...)
	}
	return &DataFrame{s: n.df.s, err: fmt.Errorf("na.drop: how must be \"any\" or \"all\", got %q", how)}
}

// DropThresh keeps the rows with at least minNonNulls non-null values among
// cols (all columns when none are named); minNonNulls < 0 means all of them.
func (n NAFunctions) DropThresh(minNonNulls int, cols ...string) *DataFrame {
	df := n.df
	return df.derive(func() (logical.Plan, error) {
		in, err := n.scope(cols)
		if err != nil {
			return nil, err
		}
		var checks []logical.Expr
		for _, a := range df.plan.Output() {
			if in[a.ID] {
				checks = append(checks, &logical.Unary{Op: logical.OpIsNotNull, E: a})
			}
		}
		if minNonNulls < 0 || minNonNulls >= len(checks) {
			return &logical.Filter{Cond: logical.And(checks...), Child: df.plan}, nil
		}
		if minNonNulls == 0 {
			return df.plan, nil
		}
		// Count the non-null values: sum of CASE WHEN c IS NOT NULL THEN 1 ELSE 0 END.
		var count logical.Expr
		for _, c := range checks {
			one := &logical.CaseWhen{Whens: []logical.Expr{c}, Thens: []logical.Expr{&logical.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}},
				Else: &logical.Literal{Value: int32(0), Type: arrow.PrimitiveTypes.Int32}}
			if count == nil {
				count = one
			} else {
				count = &logical.Binary{Op: logical.OpAdd, L: count, R: one}
			}
		}
		cond := &logical.Binary{Op: logical.OpGtEq, L: count, R: &logical.Literal{Value: int32(minNonNulls), Type: arrow.PrimitiveTypes.Int32}}
		return &logical.Filter{Cond: cond, Child: df.plan}, nil
	})
}

// Replace maps values in cols (all columns of a matching type when none are
// named): each key of replacement found in a column becomes its value.
func (n NAFunctions) Replace(replacement map[any]any, cols ...string) *DataFrame {
	df := n.df
	return df.derive(func() (logical.Plan, error) {
		in, err := n.scope(cols)
		if err != nil {
			return nil, err
		}
		var list []logical.Expr
		for _, a := range df.plan.Output() {
			var whens, thens []logical.Expr
			if in[a.ID] {
				for from, to := range replacement {
					if !fillable(from, a.Type) {
						continue
					}
					f, t := Lit(from).CastTo(a.Type), Lit(to).CastTo(a.Type)
					if f.err != nil || t.err != nil {
						return nil, fmt.Errorf("na.replace %v → %v in %s: %w", from, to, a.Name, firstErr(f.err, t.err))
					}
					whens = append(whens, &logical.Binary{Op: logical.OpEq, L: a, R: f.expr})
					thens = append(thens, t.expr)
				}
			}
			if len(whens) == 0 {
				list = append(list, a)
				continue
			}
			list = append(list, &logical.Alias{E: &logical.CaseWhen{Whens: whens, Thens: thens, Else: a}, Name: a.Name})
		}
		return &logical.Project{List: list, Child: df.plan}, nil
	})
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
