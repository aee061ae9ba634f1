package frame

import (
	"context"
	"fmt"

	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// PivotedData is grouped data whose aggregates are spread into one column
// per value of a pivot column.
type PivotedData struct {
	g      *GroupedData
	pivot  Column
	values []any
}

// Pivot spreads the aggregates of Agg over one column per listed value of
// col (Spark's pivot with explicit values; nil stands for the null value).
func (g *GroupedData) Pivot(col Column, values ...any) *PivotedData {
	return &PivotedData{g: g, pivot: col, values: values}
}

// PivotDistinct is Pivot over every distinct value of col, found by running
// a query first (sorted, nulls first), as Spark's pivot without values does.
func (g *GroupedData) PivotDistinct(ctx context.Context, col Column) (*PivotedData, error) {
	rows, err := g.df.Select(col.Alias("v")).Distinct().OrderBy(Col("v").Asc()).Collect(ctx)
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(rows))
	for i, r := range rows {
		vals[i] = r[0]
	}
	return g.Pivot(col, vals...), nil
}

// Agg computes each aggregate once per pivot value, over the rows holding
// that value: the columns are named after the value (value_name when there
// are several aggregates).
func (p *PivotedData) Agg(aggs ...Column) *DataFrame {
	if p.pivot.err != nil {
		return &DataFrame{s: p.g.df.s, err: p.pivot.err}
	}
	if len(p.values) == 0 {
		return &DataFrame{s: p.g.df.s, err: fmt.Errorf("%w: pivot needs at least one value (or use PivotDistinct)", logical.ErrAnalysis)}
	}
	var cols []Column
	for _, v := range p.values {
		var cond logical.Expr
		if v == nil {
			cond = &logical.Unary{Op: logical.OpIsNull, E: p.pivot.expr}
		} else {
			lit := Lit(v)
			if lit.err != nil {
				return &DataFrame{s: p.g.df.s, err: lit.err}
			}
			cond = &logical.Binary{Op: logical.OpEq, L: p.pivot.expr, R: lit.expr}
		}
		label := "null"
		if v != nil {
			label = values.FormatValue(v)
		}
		for _, a := range aggs {
			if a.err != nil {
				return &DataFrame{s: p.g.df.s, err: a.err}
			}
			inner, name := a.expr, ""
			if al, ok := inner.(*logical.Alias); ok {
				inner, name = al.E, al.Name
			}
			if name == "" {
				name = inner.String()
			}
			found := false
			rewritten, _ := logical.TransformDownExpr(inner, func(x logical.Expr) (logical.Expr, bool) {
				c, ok := x.(*logical.AggregateCall)
				if !ok {
					return x, false
				}
				found = true
				out := *c
				arg := c.Arg
				if arg == nil { // count(*) counts the rows holding the value
					arg = Lit(1).expr
				}
				out.Arg = &logical.CaseWhen{Whens: []logical.Expr{cond}, Thens: []logical.Expr{arg}}
				return &out, true
			})
			if !found {
				return &DataFrame{s: p.g.df.s, err: fmt.Errorf("%w: pivot: %s is not an aggregate", logical.ErrAnalysis, inner)}
			}
			colName := label
			if len(aggs) > 1 {
				colName = label + "_" + name
			}
			cols = append(cols, Column{expr: &logical.Alias{E: rewritten, Name: colName}})
		}
	}
	return p.g.Agg(cols...)
}

// Unpivot turns the value columns into rows: for each input row and value
// column, one row of the id columns, the value column's name (in
// variableColumn) and its value (in valueColumn). The value columns must
// share a common type (Spark's unpivot / melt).
func (df *DataFrame) Unpivot(ids, valueCols []string, variableColumn, valueColumn string) *DataFrame {
	if len(valueCols) == 0 {
		return &DataFrame{s: df.s, err: fmt.Errorf("%w: unpivot needs at least one value column", logical.ErrAnalysis)}
	}
	var inputs []*DataFrame
	for _, v := range valueCols {
		var sel []Column
		for _, id := range ids {
			sel = append(sel, Col(id))
		}
		sel = append(sel, Lit(v).Alias(variableColumn), Col(v).Alias(valueColumn))
		inputs = append(inputs, df.Select(sel...))
	}
	out := inputs[0]
	for _, in := range inputs[1:] {
		out = out.Union(in)
	}
	return out
}

// Melt is Unpivot.
func (df *DataFrame) Melt(ids, valueCols []string, variableColumn, valueColumn string) *DataFrame {
	return df.Unpivot(ids, valueCols, variableColumn, valueColumn)
}
