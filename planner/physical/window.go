package physical

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exchange"
	xsort "github.com/gspark/gspark/exec/sort"
	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/logical"
)

// planWindow computes the partition keys, order keys and inputs of a Window
// as columns, moves each window partition into one exec partition and runs
// the window operator.
func (pp *PhysicalPlanner) planWindow(n *logical.Window) (physical, error) {
	child, err := pp.plan(n.Child)
	if err != nil {
		return physical{}, err
	}
	if len(n.Exprs) == 0 {
		return child, nil
	}
	first := logical.WindowOf(n.Exprs[0])
	if first == nil {
		return physical{}, fmt.Errorf("internal error: window output %s is not a window expression", n.Exprs[0])
	}
	attrs := child.attrs
	var extra []logical.Expr
	colOf := func(e logical.Expr, name string) int {
		if a, ok := e.(*logical.Attribute); ok {
			for j, c := range attrs {
				if c.ID == a.ID {
					return j
				}
			}
		}
		for j, x := range extra {
			if logical.Equal(x.(*logical.Alias).E, e) {
				return len(attrs) + j
			}
		}
		a := pp.tempAttr(name, e.DataType(), e.Nullable())
		extra = append(extra, &logical.Alias{E: e, Name: a.Name, ID: a.ID})
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
		we := logical.WindowOf(e)
		f, err := compile.WindowFuncOf(we.Func)
		if err != nil {
			return physical{}, err
		}
		sp := window.Spec{Name: logical.NamedOutput([]logical.Expr{e})[0].Name, Func: f, Input: -1}
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
		var arg logical.Expr
		switch x := we.Func.(type) {
		case *logical.WindowFunction:
			arg, sp.N, sp.IgnoreNulls = x.Arg, x.N, x.IgnoreNulls
			if x.Default != nil {
				d, err := constantArray(x.Default)
				if err != nil {
					return physical{}, fmt.Errorf("window %s: default: %w", sp.Name, err)
				}
				sp.Default = d
			}
		case *logical.AggregateCall:
			arg = x.Arg
			if f == window.Agg {
				sp.Agg = compile.ExecAggSpec(x, sp.Name)
				if x.Arg2 != nil {
					sp.Input2 = colOf(x.Arg2, fmt.Sprintf("winarg%d_2", i))
				}
			}
		}
		if arg != nil {
			sp.Input = colOf(arg, fmt.Sprintf("winarg%d", i))
		}
		specs[i] = sp
	}
	in := child
	if len(extra) > 0 {
		list := make([]logical.Expr, 0, len(attrs)+len(extra))
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
	outAttrs := append(append([]*logical.Attribute{}, in.attrs...), logical.NamedOutput(n.Exprs)...)
	out := physical{op: wop, attrs: outAttrs}
	if len(extra) > 0 {
		want := append(append([]*logical.Attribute{}, attrs...), logical.NamedOutput(n.Exprs)...)
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
func samePartitioning(n *logical.Window, w *logical.WindowExpr) bool {
	c, ok := n.Child.(*logical.Window)
	if !ok || len(c.Exprs) == 0 {
		return false
	}
	cw := logical.WindowOf(c.Exprs[0])
	if cw == nil || len(cw.PartitionBy) == 0 || len(cw.PartitionBy) != len(w.PartitionBy) {
		return false
	}
	return logical.EqualLists(w.PartitionBy, cw.PartitionBy)
}

// constantArray evaluates a constant expression to a one-element array
// (allocated from the Go heap, so that it needs no release).
func constantArray(e logical.Expr) (arrow.Array, error) {
	c, err := compile.CompileExpr(e, nil)
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
		return nil, fmt.Errorf("constant %s has %d values", logical.StripIDs(e.String()), arr.Len())
	}
	return arr, nil
}
