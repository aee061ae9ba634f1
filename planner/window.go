package planner

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exchange"
	xsort "github.com/gspark/gspark/exec/sort"
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

func (e *WindowExpr) spec() string {
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
	s := e.spec()
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
	return append(append([]*Attribute{}, p.Child.Output()...), namedOutput(p.Exprs)...)
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

// windowOf returns the window expression a Window output expression computes.
func windowOf(e Expr) *WindowExpr {
	if a, ok := e.(*Alias); ok {
		e = a.E
	}
	w, _ := e.(*WindowExpr)
	return w
}

func containsWindow(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*WindowExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// windowFuncOf maps a window expression's function to the operator's.
func windowFuncOf(f Expr) (window.Func, error) {
	switch x := f.(type) {
	case *WindowFunction:
		return x.Func, nil
	case *AggregateCall:
		if x.Distinct {
			return 0, analysisErr("DISTINCT aggregate %s is not supported as a window function", stripIDs(x.String()))
		}
		switch x.Func {
		case AggCount:
			if x.Arg == nil {
				return window.CountStar, nil
			}
			return window.Count, nil
		case AggSum:
			return window.Sum, nil
		case AggAvg:
			return window.Avg, nil
		case AggMin:
			return window.Min, nil
		case AggMax:
			return window.Max, nil
		}
		return 0, analysisErr("aggregate %s is not supported as a window function", x.Func)
	}
	return 0, analysisErr("%s is not a window function", stripIDs(f.String()))
}

// checkWindow validates a resolved window expression and fills in its default
// frame and the lag/lead default's cast.
func checkWindow(w *WindowExpr) (*WindowExpr, error) {
	for _, c := range w.Children() {
		if containsWindow(c) {
			return nil, analysisErr("window functions cannot be nested: %s", stripIDs(w.String()))
		}
	}
	for _, c := range w.Children()[1:] {
		if containsAggregate(c) {
			return nil, analysisErr("aggregate function in window specification %s", stripIDs(w.String()))
		}
	}
	f, err := windowFuncOf(w.Func)
	if err != nil {
		return nil, err
	}
	out := *w
	// Inputs are evaluated on plain values: dictionary columns are decoded.
	switch x := w.Func.(type) {
	case *WindowFunction:
		if x.Arg != nil {
			if d, ok := x.Arg.DataType().(*arrow.DictionaryType); ok {
				nf := *x
				nf.Arg = castTo(x.Arg, d.ValueType)
				out.Func, w = &nf, &WindowExpr{Func: &nf, PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Frame: w.Frame}
			}
		}
	case *AggregateCall:
		if x.Arg != nil {
			if d, ok := x.Arg.DataType().(*arrow.DictionaryType); ok {
				na := *x
				na.Arg = castTo(x.Arg, d.ValueType)
				out.Func, w = &na, &WindowExpr{Func: &na, PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Frame: w.Frame}
			}
		}
	}
	if wf, ok := w.Func.(*WindowFunction); ok {
		if wf.Arg != nil && containsAggregate(wf.Arg) {
			return nil, analysisErr("aggregate function in window function argument %s", stripIDs(w.String()))
		}
		if (f < window.FirstValue) && len(w.OrderBy) == 0 {
			return nil, analysisErr("window function %s requires an ORDER BY in its window", f)
		}
		if f.NeedsInput() && wf.Arg == nil {
			return nil, analysisErr("window function %s needs an argument", f)
		}
		if (f == window.Ntile || f == window.NthValue) && wf.N <= 0 {
			return nil, analysisErr("window function %s needs a positive argument, got %d", f, wf.N)
		}
		if wf.Default != nil {
			if _, ok := stripCasts(wf.Default).(*Literal); !ok {
				return nil, analysisErr("the default of %s must be a literal, got %s", f, stripIDs(wf.Default.String()))
			}
			nf := *wf
			nf.Default = castTo(wf.Default, wf.Arg.DataType())
			out.Func = &nf
		}
	} else if ac := w.Func.(*AggregateCall); ac.Arg != nil && containsAggregate(ac.Arg) {
		return nil, analysisErr("aggregate function calls cannot be nested: %s", stripIDs(w.String()))
	}
	if out.DataType() == nil {
		return nil, analysisErr("window function %s of this argument type is not supported", stripIDs(w.Func.String()))
	}
	if ac, ok := w.Func.(*AggregateCall); ok && ac.Arg != nil {
		rt, err := window.ResultType(f, ac.Arg.DataType())
		if err != nil {
			return nil, analysisErr("window %s: %v", stripIDs(w.Func.String()), err)
		}
		if !arrow.TypeEqual(rt, ac.Type) {
			return nil, analysisErr("window %s: result type %s is not supported", stripIDs(w.Func.String()), TypeName(ac.Type))
		}
	}
	if out.Frame == nil {
		fr := window.DefaultFrame(len(w.OrderBy) > 0)
		out.Frame = &fr
	}
	fr := *out.Frame
	if fr.Start.Kind == window.UnboundedFollowing || fr.End.Kind == window.UnboundedPreceding {
		return nil, analysisErr("invalid window frame %s", fr)
	}
	if fr.Range && (isOffset(fr.Start) || isOffset(fr.End)) {
		if len(w.OrderBy) != 1 {
			return nil, analysisErr("a RANGE window frame with offsets needs exactly one ORDER BY expression: %s", stripIDs(w.String()))
		}
		t := w.OrderBy[0].E.DataType()
		switch t.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.DATE32, arrow.FLOAT32, arrow.FLOAT64:
		case arrow.DECIMAL64:
			scale := math.Pow10(int(t.(*arrow.Decimal64Type).Scale))
			for _, b := range []*window.Bound{&fr.Start, &fr.End} {
				b.Offset = int64(float64(b.Offset) * scale)
			}
		default:
			return nil, analysisErr("a RANGE window frame with offsets needs a numeric or date ORDER BY expression, %s has type %s",
				stripIDs(w.OrderBy[0].E.String()), TypeName(t))
		}
		out.Frame = &fr
	}
	return &out, nil
}

func isOffset(b window.Bound) bool { return b.Kind == window.Preceding || b.Kind == window.Following }

func stripCasts(e Expr) Expr {
	for {
		c, ok := e.(*Cast)
		if !ok {
			return e
		}
		e = c.E
	}
}

// extractWindows rewrites a Project whose list has window expressions into a
// Project of attributes over one Window node per distinct window
// specification, like Spark's ExtractWindowExpressions.
func (a *Analyzer) extractWindows(list []Expr, child Plan) (Plan, error) {
	var keys []string
	groups := map[string][]Expr{}
	add := func(w *WindowExpr, name string, id int64) (*Attribute, error) {
		cw, err := checkWindow(w)
		if err != nil {
			return nil, err
		}
		k := cw.spec()
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], &Alias{E: cw, Name: name, ID: id})
		return &Attribute{ID: id, Name: name, Type: cw.DataType(), Null: cw.Nullable()}, nil
	}
	out := make([]Expr, len(list))
	for i, e := range list {
		if al, ok := e.(*Alias); ok {
			if w, ok := al.E.(*WindowExpr); ok {
				att, err := add(w, al.Name, al.ID)
				if err != nil {
					return nil, err
				}
				out[i] = att
				continue
			}
		}
		var err error
		r, _ := Transform(e, func(x Expr) (Expr, bool) {
			w, ok := x.(*WindowExpr)
			if !ok || err != nil {
				return x, false
			}
			var att *Attribute
			att, err = add(w, outputName(w), a.IDs.Next())
			if err != nil {
				return x, false
			}
			return att, true
		})
		if err != nil {
			return nil, err
		}
		if containsAggregate(r) {
			return nil, analysisErr("aggregate function %s is not allowed in Select outside a window; use GroupBy/Agg", stripIDs(r.String()))
		}
		out[i] = r
	}
	p := child
	for _, k := range keys {
		p = &Window{Exprs: groups[k], Child: p}
	}
	return &Project{List: out, Child: p}, nil
}

// pruneWindow is column pruning for a Window: unused window columns are
// dropped and the child keeps what the window and its parent read.
func pruneWindow(n *Window, required map[int64]bool) (Plan, bool) {
	exprs := n.Exprs
	changed := false
	if required != nil {
		var kept []Expr
		for _, e := range n.Exprs {
			if required[namedID(e)] {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			child, _ := prune(n.Child, required)
			return child, true
		}
		if len(kept) < len(exprs) {
			exprs, changed = kept, true
		}
	}
	need := copySet(required, n.Child)
	for _, e := range exprs {
		addRefs(need, e)
	}
	child, c := prune(n.Child, need)
	if !changed && !c {
		return n, false
	}
	return &Window{Exprs: exprs, Child: child}, true
}

// pushFilterWindow moves the conjuncts of a filter above a Window that read
// only partition columns below it: they keep or drop whole window partitions.
func pushFilterWindow(f *Filter, w *Window) (Plan, bool, error) {
	var part map[int64]bool
	for _, e := range w.Exprs {
		we := windowOf(e)
		if we == nil {
			return f, false, nil
		}
		ids := map[int64]bool{}
		for _, p := range we.PartitionBy {
			if a, ok := p.(*Attribute); ok && (part == nil || part[a.ID]) {
				ids[a.ID] = true
			}
		}
		part = ids
	}
	var down, up []Expr
	for _, cj := range SplitConjuncts(f.Cond) {
		refs := References(cj)
		if len(refs) > 0 && subset(refs, part) {
			down = append(down, cj)
		} else {
			up = append(up, cj)
		}
	}
	if len(down) == 0 {
		return f, false, nil
	}
	var out Plan = &Window{Exprs: w.Exprs, Child: &Filter{Cond: And(down...), Child: w.Child}}
	if len(up) > 0 {
		out = &Filter{Cond: And(up...), Child: out}
	}
	return out, true, nil
}

// planWindow computes the partition keys, order keys and inputs of a Window
// as columns, moves each window partition into one exec partition and runs
// the window operator.
func (pp *PhysicalPlanner) planWindow(n *Window) (physical, error) {
	child, err := pp.plan(n.Child)
	if err != nil {
		return physical{}, err
	}
	if len(n.Exprs) == 0 {
		return child, nil
	}
	first := windowOf(n.Exprs[0])
	if first == nil {
		return physical{}, fmt.Errorf("internal error: window output %s is not a window expression", n.Exprs[0])
	}
	attrs := child.attrs
	var extra []Expr
	colOf := func(e Expr, name string) int {
		if a, ok := e.(*Attribute); ok {
			for j, c := range attrs {
				if c.ID == a.ID {
					return j
				}
			}
		}
		for j, x := range extra {
			if x.(*Alias).E.String() == e.String() {
				return len(attrs) + j
			}
		}
		a := pp.tempAttr(name, e.DataType(), e.Nullable())
		extra = append(extra, &Alias{E: e, Name: a.Name, ID: a.ID})
		return len(attrs) + len(extra) - 1
	}
	partCols := make([]int, len(first.PartitionBy))
	for i, p := range first.PartitionBy {
		partCols[i] = colOf(p, fmt.Sprintf("winpart%d", i))
	}
	keys := make([]xsort.Key, len(first.OrderBy))
	for i, o := range first.OrderBy {
		keys[i] = xsort.Key{Col: colOf(o.E, fmt.Sprintf("winorder%d", i)), Desc: o.Desc, NullsFirst: o.NullsFirst}
	}
	specs := make([]window.Spec, len(n.Exprs))
	for i, e := range n.Exprs {
		we := windowOf(e)
		f, err := windowFuncOf(we.Func)
		if err != nil {
			return physical{}, err
		}
		sp := window.Spec{Name: namedOutput([]Expr{e})[0].Name, Func: f, Input: -1}
		if we.Frame != nil {
			sp.Frame = *we.Frame
		} else {
			sp.Frame = window.DefaultFrame(len(we.OrderBy) > 0)
		}
		if sp.Frame.Range && len(we.OrderBy) == 1 {
			if t := we.OrderBy[0].E.DataType().ID(); t == arrow.FLOAT32 || t == arrow.FLOAT64 {
				sp.Frame.Start.FloatOffset = float64(sp.Frame.Start.Offset)
				sp.Frame.End.FloatOffset = float64(sp.Frame.End.Offset)
			}
		}
		var arg Expr
		switch x := we.Func.(type) {
		case *WindowFunction:
			arg, sp.N, sp.IgnoreNulls = x.Arg, x.N, x.IgnoreNulls
			if x.Default != nil {
				d, err := constantArray(x.Default)
				if err != nil {
					return physical{}, fmt.Errorf("window %s: default: %w", sp.Name, err)
				}
				sp.Default = d
			}
		case *AggregateCall:
			arg = x.Arg
		}
		if arg != nil {
			sp.Input = colOf(arg, fmt.Sprintf("winarg%d", i))
		}
		specs[i] = sp
	}
	in := child
	if len(extra) > 0 {
		list := make([]Expr, 0, len(attrs)+len(extra))
		for _, a := range attrs {
			list = append(list, a)
		}
		list = append(list, extra...)
		if in, err = pp.project(child, list); err != nil {
			return physical{}, err
		}
	}
	op := in.op
	switch {
	case len(partCols) > 0 && samePartitioning(n, first):
		// The child window already placed each partition in one exec partition.
	case len(partCols) > 0 && (op.Partitions() > 1 || pp.Partitions > 1):
		op = exchange.NewHashRepartition(pp.Env, op, partCols, pp.Partitions)
	case len(partCols) == 0 && op.Partitions() > 1:
		op = exchange.NewGather(pp.Env, op)
	}
	wop, err := window.New(pp.Env, op, partCols, keys, specs)
	if err != nil {
		return physical{}, err
	}
	outAttrs := append(append([]*Attribute{}, in.attrs...), namedOutput(n.Exprs)...)
	out := physical{op: wop, attrs: outAttrs}
	if len(extra) > 0 {
		want := append(append([]*Attribute{}, attrs...), namedOutput(n.Exprs)...)
		o, err := pp.projectTo(out, want)
		if err != nil {
			return physical{}, err
		}
		out = physical{op: o, attrs: want}
	}
	return out, nil
}

// samePartitioning reports whether n's child is a Window partitioned by the
// same expressions as w, so that its output is already partitioned for w.
func samePartitioning(n *Window, w *WindowExpr) bool {
	c, ok := n.Child.(*Window)
	if !ok || len(c.Exprs) == 0 {
		return false
	}
	cw := windowOf(c.Exprs[0])
	if cw == nil || len(cw.PartitionBy) == 0 || len(cw.PartitionBy) != len(w.PartitionBy) {
		return false
	}
	for i, p := range w.PartitionBy {
		if p.String() != cw.PartitionBy[i].String() {
			return false
		}
	}
	return true
}

// constantArray evaluates a constant expression to a one-element array
// (allocated from the Go heap, so that it needs no release).
func constantArray(e Expr) (arrow.Array, error) {
	c, err := compileExpr(e, nil)
	if err != nil {
		return nil, err
	}
	b := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
	defer b.Release()
	arr, err := c.Eval(memory.DefaultAllocator, b)
	if err != nil {
		return nil, err
	}
	if arr.Len() != 1 {
		arr.Release()
		return nil, fmt.Errorf("constant %s has %d values", stripIDs(e.String()), arr.Len())
	}
	return arr, nil
}
