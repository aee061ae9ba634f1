package analyzer

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/logical"
)

// checkWindow validates a resolved window expression and fills in its default
// frame and the lag/lead default's cast.
func checkWindow(w *logical.WindowExpr) (*logical.WindowExpr, error) {
	for _, c := range w.Children() {
		if logical.ContainsWindow(c) {
			return nil, logical.AnalysisErr("window functions cannot be nested: %s", logical.StripIDs(w.String()))
		}
	}
	for _, c := range w.Children()[1:] {
		if logical.ContainsAggregate(c) {
			return nil, logical.AnalysisErr("aggregate function in window specification %s", logical.StripIDs(w.String()))
		}
	}
	if al, ok := w.Func.(*logical.Alias); ok {
		// Type coercion names a rewritten aggregate call (regr_*(y, CAST(x
		// AS double)) AS regr_*(y, x)); the window column has its own name.
		if ac, ok := al.E.(*logical.AggregateCall); ok {
			w = &logical.WindowExpr{Func: ac, PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Frame: w.Frame}
		}
	}
	f, err := compile.WindowFuncOf(w.Func)
	if err != nil {
		return nil, err
	}
	out := *w
	// Inputs are evaluated on plain values: dictionary columns are decoded.
	switch x := w.Func.(type) {
	case *logical.WindowFunction:
		if x.Arg != nil {
			if d, ok := x.Arg.DataType().(*arrow.DictionaryType); ok {
				nf := *x
				nf.Arg = logical.CastTo(x.Arg, d.ValueType)
				out.Func, w = &nf, &logical.WindowExpr{Func: &nf, PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Frame: w.Frame}
			}
		}
	case *logical.AggregateCall:
		d1, ok1 := dictType(x.Arg)
		d2, ok2 := dictType(x.Arg2)
		if ok1 || ok2 {
			na := *x
			if ok1 {
				na.Arg = logical.CastTo(x.Arg, d1.ValueType)
			}
			if ok2 {
				na.Arg2 = logical.CastTo(x.Arg2, d2.ValueType)
			}
			out.Func, w = &na, &logical.WindowExpr{Func: &na, PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Frame: w.Frame}
		}
	}
	if wf, ok := w.Func.(*logical.WindowFunction); ok {
		if wf.Arg != nil && logical.ContainsAggregate(wf.Arg) {
			return nil, logical.AnalysisErr("aggregate function in window function argument %s", logical.StripIDs(w.String()))
		}
		if (f < window.FirstValue) && len(w.OrderBy) == 0 {
			return nil, logical.AnalysisErr("window function %s requires an ORDER BY in its window", f)
		}
		if f.NeedsInput() && wf.Arg == nil {
			return nil, logical.AnalysisErr("window function %s needs an argument", f)
		}
		if (f == window.Ntile || f == window.NthValue) && wf.N <= 0 {
			return nil, logical.AnalysisErr("window function %s needs a positive argument, got %d", f, wf.N)
		}
		if wf.Default != nil {
			if _, ok := stripCasts(wf.Default).(*logical.Literal); !ok {
				return nil, logical.AnalysisErr("the default of %s must be a literal, got %s", f, logical.StripIDs(wf.Default.String()))
			}
			nf := *wf
			nf.Default = logical.CastTo(wf.Default, wf.Arg.DataType())
			out.Func = &nf
		}
	} else if ac := w.Func.(*logical.AggregateCall); ac.Arg != nil && logical.ContainsAggregate(ac.Arg) {
		return nil, logical.AnalysisErr("aggregate function calls cannot be nested: %s", logical.StripIDs(w.String()))
	}
	if out.DataType() == nil {
		return nil, logical.AnalysisErr("window function %s of this argument type is not supported", logical.StripIDs(w.Func.String()))
	}
	if ac, ok := w.Func.(*logical.AggregateCall); ok && ac.Arg != nil {
		var rt arrow.DataType
		var err error
		if f == window.Agg {
			var t2 arrow.DataType
			if ac.Arg2 != nil {
				t2 = ac.Arg2.DataType()
			}
			rt, err = aggregate.ResultType2(compile.ExecAggOf(ac), ac.Arg.DataType(), t2)
		} else {
			rt, err = window.ResultType(f, ac.Arg.DataType())
		}
		if err != nil {
			return nil, logical.AnalysisErr("window %s: %v", logical.StripIDs(w.Func.String()), err)
		}
		if !arrow.TypeEqual(rt, ac.Type) {
			return nil, logical.AnalysisErr("window %s: result type %s is not supported", logical.StripIDs(w.Func.String()), logical.TypeName(ac.Type))
		}
	}
	if out.Frame == nil {
		fr := window.DefaultFrame(len(w.OrderBy) > 0)
		out.Frame = &fr
	}
	fr := *out.Frame
	if fr.Start.Kind == window.UnboundedFollowing || fr.End.Kind == window.UnboundedPreceding {
		return nil, logical.AnalysisErr("invalid window frame %s", fr)
	}
	if fr.Range && (isOffset(fr.Start) || isOffset(fr.End)) {
		if len(w.OrderBy) != 1 {
			return nil, logical.AnalysisErr("a RANGE window frame with offsets needs exactly one ORDER BY expression: %s", logical.StripIDs(w.String()))
		}
		t := w.OrderBy[0].E.DataType()
		if err := intervalFrameOffsets(&fr, t, w); err != nil {
			return nil, err
		}
		switch t.ID() {
		case arrow.TIMESTAMP:
			if !fr.Start.Interval && !fr.End.Interval {
				return nil, logical.AnalysisErr("a RANGE window frame over a timestamp needs INTERVAL offsets such as INTERVAL '1' DAY PRECEDING: %s", logical.StripIDs(w.String()))
			}
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.DATE32, arrow.FLOAT32, arrow.FLOAT64:
		case arrow.DECIMAL64:
			scale := math.Pow10(int(t.(*arrow.Decimal64Type).Scale))
			for _, b := range []*window.Bound{&fr.Start, &fr.End} {
				b.Offset = int64(float64(b.Offset) * scale)
			}
		default:
			return nil, logical.AnalysisErr("a RANGE window frame with offsets needs a numeric or date ORDER BY expression, %s has type %s",
				logical.StripIDs(w.OrderBy[0].E.String()), logical.TypeName(t))
		}
		out.Frame = &fr
	}
	return &out, nil
}

// intervalFrameOffsets converts INTERVAL offsets of a RANGE frame to the
// order key's units: whole days for a DATE, microseconds for a TIMESTAMP
// (kept marked, so a second analysis converts nothing); other keys take no
// interval.
func intervalFrameOffsets(fr *window.Frame, t arrow.DataType, w *logical.WindowExpr) error {
	for _, b := range []*window.Bound{&fr.Start, &fr.End} {
		if b.Months && isOffset(*b) && t.ID() != arrow.DATE32 {
			return logical.AnalysisErr("a RANGE window frame by a year-month interval needs a DATE ORDER BY expression (a TIMESTAMP is not supported yet), %s has type %s",
				logical.StripIDs(w.OrderBy[0].E.String()), logical.TypeName(t))
		}
		if !b.Interval || !isOffset(*b) {
			continue
		}
		switch t.ID() {
		case arrow.TIMESTAMP:
		case arrow.DATE32:
			if b.Offset%86400_000_000 != 0 {
				return logical.AnalysisErr("a RANGE window frame over a date needs whole days, not %s: %s", *b, logical.StripIDs(w.String()))
			}
			b.Offset /= 86400_000_000
			b.Interval = false
		default:
			return logical.AnalysisErr("an INTERVAL window frame offset needs a date or timestamp ORDER BY expression, %s has type %s",
				logical.StripIDs(w.OrderBy[0].E.String()), logical.TypeName(t))
		}
	}
	return nil
}

// dictType returns e's dictionary type when e is dictionary-encoded.
func dictType(e logical.Expr) (*arrow.DictionaryType, bool) {
	if e == nil {
		return nil, false
	}
	d, ok := e.DataType().(*arrow.DictionaryType)
	return d, ok
}

func isOffset(b window.Bound) bool { return b.Kind == window.Preceding || b.Kind == window.Following }

func stripCasts(e logical.Expr) logical.Expr {
	for {
		c, ok := e.(*logical.Cast)
		if !ok {
			return e
		}
		e = c.E
	}
}

// extractWindows rewrites a Project whose list has window expressions into a
// Project of attributes over one Window node per distinct window
// specification, like Spark's ExtractWindowExpressions.
func (a *Analyzer) extractWindows(list []logical.Expr, child logical.Plan) (logical.Plan, error) {
	var keys []string
	groups := map[string][]logical.Expr{}
	add := func(w *logical.WindowExpr, name string, id int64) (*logical.Attribute, error) {
		cw, err := checkWindow(w)
		if err != nil {
			return nil, err
		}
		k := cw.Spec()
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], &logical.Alias{E: cw, Name: name, ID: id})
		return &logical.Attribute{ID: id, Name: name, Type: cw.DataType(), Null: cw.Nullable()}, nil
	}
	out := make([]logical.Expr, len(list))
	for i, e := range list {
		if al, ok := e.(*logical.Alias); ok {
			if w, ok := al.E.(*logical.WindowExpr); ok {
				att, err := add(w, al.Name, al.ID)
				if err != nil {
					return nil, err
				}
				out[i] = att
				continue
			}
		}
		var err error
		r, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
			w, ok := x.(*logical.WindowExpr)
			if !ok || err != nil {
				return x, false
			}
			var att *logical.Attribute
			att, err = add(w, logical.OutputName(w), a.IDs.Next())
			if err != nil {
				return x, false
			}
			return att, true
		})
		if err != nil {
			return nil, err
		}
		if logical.ContainsAggregate(r) {
			return nil, logical.AnalysisErr("aggregate function %s is not allowed in Select outside a window; use GroupBy/Agg", logical.StripIDs(r.String()))
		}
		out[i] = r
	}
	p := child
	for _, k := range keys {
		p = &logical.Window{Exprs: groups[k], Child: p}
	}
	return &logical.Project{List: out, Child: p}, nil
}
