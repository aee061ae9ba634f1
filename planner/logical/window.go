package logical

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/window"
)

// WindowFunction is a ranking, offset or value window function call:
// row_number, rank, dense_rank, percent_rank, cume_dist, ntile(N),
// lag/lead(Arg, N, Default), first_value/last_value(Arg) and
// nth_value(Arg, N). It is only valid as the function of a WindowExpr.
type WindowFunction struct {
	Func window.Func
	// Arg is the input of the offset and value functions, nil otherwise.
	Arg Expr
	// N is the ntile bucket count, the lag/lead offset or the nth_value position.
	N int64
	// Default is the lag/lead value for rows without a row at the offset (nil: null).
	Default     Expr
	IgnoreNulls bool
}

// String renders the call as in SQL.
func (e *WindowFunction) String() string {
	var args []string
	if e.Arg != nil {
		args = append(args, e.Arg.String())
	}
	switch e.Func {
	case window.Ntile, window.NthValue:
		args = append(args, fmt.Sprint(e.N))
	case window.Lag, window.Lead:
		args = append(args, fmt.Sprint(e.N))
		if e.Default != nil {
			args = append(args, e.Default.String())
		}
	}
	s := e.Func.String() + "(" + strings.Join(args, ", ") + ")"
	if e.IgnoreNulls {
		s += " IGNORE NULLS"
	}
	return s
}

// Children returns the argument and the default.
func (e *WindowFunction) Children() []Expr {
	var out []Expr
	if e.Arg != nil {
		out = append(out, e.Arg)
	}
	if e.Default != nil {
		out = append(out, e.Default)
	}
	return out
}

// WithChildren replaces the argument and the default, in Children's order.
func (e *WindowFunction) WithChildren(c []Expr) Expr {
	out := *e
	i := 0
	if e.Arg != nil {
		out.Arg = c[i]
		i++
	}
	if e.Default != nil {
		out.Default = c[i]
	}
	return &out
}

// DataType is window.ResultType of the function over its argument (nil when invalid).
func (e *WindowFunction) DataType() arrow.DataType {
	var in arrow.DataType
	if e.Arg != nil {
		in = e.Arg.DataType()
		if in == nil {
			return nil
		}
	}
	t, err := window.ResultType(e.Func, in)
	if err != nil {
		return nil
	}
	return t
}

// Nullable is false for the ranking functions.
func (e *WindowFunction) Nullable() bool { return e.Func.NeedsInput() }

// WindowExpr is a window function (a *WindowFunction or an *AggregateCall of
// count, sum, avg, min or max) evaluated over a window: rows with the same
// PartitionBy values, ordered by OrderBy, restricted to Frame (nil: Spark's
// default frame).
type WindowExpr struct {
	Func        Expr
	PartitionBy []Expr
	OrderBy     []*SortOrder
	Frame       *window.Frame
}

// Spec formats the window's partitioning, ordering and frame.
func (e *WindowExpr) Spec() string {
	var parts []string
	if len(e.PartitionBy) > 0 {
		ps := make([]string, len(e.PartitionBy))
		for i, p := range e.PartitionBy {
			ps[i] = p.String()
		}
		parts = append(parts, "PARTITION BY "+strings.Join(ps, ", "))
	}
	if len(e.OrderBy) > 0 {
		os := make([]string, len(e.OrderBy))
		for i, o := range e.OrderBy {
			os[i] = o.String()
		}
		parts = append(parts, "ORDER BY "+strings.Join(os, ", "))
	}
	return strings.Join(parts, " ")
}

// String renders the expression as in SQL.
func (e *WindowExpr) String() string {
	s := e.Spec()
	if e.Frame != nil {
		if s != "" {
			s += " "
		}
		s += e.Frame.String()
	}
	return fmt.Sprintf("%s OVER (%s)", e.Func, s)
}

// Children returns the function, the partition expressions and the sort orders.
func (e *WindowExpr) Children() []Expr {
	out := []Expr{e.Func}
	out = append(out, e.PartitionBy...)
	for _, o := range e.OrderBy {
		out = append(out, o)
	}
	return out
}

// WithChildren replaces the children in Children's order.
func (e *WindowExpr) WithChildren(c []Expr) Expr {
	np := len(e.PartitionBy)
	out := &WindowExpr{Func: c[0], PartitionBy: append([]Expr{}, c[1:1+np]...), Frame: e.Frame}
	for _, o := range c[1+np:] {
		so, ok := o.(*SortOrder)
		if !ok {
			so = &SortOrder{E: o}
		}
		out.OrderBy = append(out.OrderBy, so)
	}
	return out
}

// DataType is the type of the function's result.
func (e *WindowExpr) DataType() arrow.DataType { return e.Func.DataType() }

// Nullable is the function's nullability (aggregates over empty frames are null).
func (e *WindowExpr) Nullable() bool { return e.Func.Nullable() }

// Window computes window expressions over its child: its output is the
// child's output followed by one column per expression. Exprs are *Alias of
// *WindowExpr sharing one partitioning and ordering.
type Window struct {
	Exprs []Expr
	Child Plan
}

// Output is the child's output followed by the window columns.
func (p *Window) Output() []*Attribute {
	return append(append([]*Attribute{}, p.Child.Output()...), NamedOutput(p.Exprs)...)
}

// Children returns the child plan.
func (p *Window) Children() []Plan { return []Plan{p.Child} }

// WithChildren replaces the child.
func (p *Window) WithChildren(c []Plan) Plan { return &Window{Exprs: p.Exprs, Child: c[0]} }

// Expressions returns the window output expressions.
func (p *Window) Expressions() []Expr { return p.Exprs }

// WithExpressions replaces the window output expressions.
func (p *Window) WithExpressions(e []Expr) Plan {
	return &Window{Exprs: e, Child: p.Child}
}

// String describes the node for EXPLAIN.
func (p *Window) String() string { return "Window " + exprList(p.Exprs) }

// WindowOf returns the window expression a Window output expression computes.
func WindowOf(e Expr) *WindowExpr {
	if a, ok := e.(*Alias); ok {
		e = a.E
	}
	w, _ := e.(*WindowExpr)
	return w
}

// ContainsWindow reports whether e contains a window expression.
func ContainsWindow(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*WindowExpr); ok {
			found = true
		}
		return !found
	})
	return found
}
