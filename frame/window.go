package frame

import (
	"errors"
	"fmt"
	"math"

	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/logical"
)

// Frame boundary values for Window.RowsBetween and Window.RangeBetween, as in
// Spark: negative offsets precede the current row, positive ones follow it.
const (
	UnboundedPreceding int64 = math.MinInt64
	UnboundedFollowing int64 = math.MaxInt64
	CurrentRow         int64 = 0
)

// Window is a window specification, built like Spark's
// Window.partitionBy(...).orderBy(...).rowsBetween(...). The zero value is
// the whole input as one partition, unordered.
type Window struct {
	partition []logical.Expr
	order     []*logical.SortOrder
	frame     *window.Frame
	err       error
}

// PartitionBy returns w partitioned by cols.
func (w Window) PartitionBy(cols ...Column) Window {
	out := w
	out.partition = nil
	for _, c := range cols {
		if c.err != nil {
			out.err = errors.Join(out.err, c.err)
			continue
		}
		out.partition = append(out.partition, c.expr)
	}
	return out
}

// OrderBy returns w ordered by cols; a plain column sorts ascending with
// nulls first, use Asc/Desc/... for other orders.
func (w Window) OrderBy(cols ...Column) Window {
	out := w
	out.order = nil
	for _, c := range cols {
		if c.err != nil {
			out.err = errors.Join(out.err, c.err)
			continue
		}
		so, ok := c.expr.(*logical.SortOrder)
		if !ok {
			so = &logical.SortOrder{E: c.expr, NullsFirst: true}
		}
		out.order = append(out.order, so)
	}
	return out
}

func bound(v int64) window.Bound {
	switch {
	case v == UnboundedPreceding:
		return window.Bound{Kind: window.UnboundedPreceding}
	case v == UnboundedFollowing:
		return window.Bound{Kind: window.UnboundedFollowing}
	case v < 0:
		return window.Bound{Kind: window.Preceding, Offset: -v}
	case v > 0:
		return window.Bound{Kind: window.Following, Offset: v}
	}
	return window.Bound{Kind: window.CurrentRow}
}

// RowsBetween returns w with a ROWS frame from start to end rows relative to
// the current row (UnboundedPreceding, CurrentRow, UnboundedFollowing or an offset).
func (w Window) RowsBetween(start, end int64) Window {
	out := w
	out.frame = &window.Frame{Start: bound(start), End: bound(end)}
	return out
}

// RangeBetween returns w with a RANGE frame: rows whose order key lies
// between the current row's key plus start and plus end.
func (w Window) RangeBetween(start, end int64) Window {
	out := w
	out.frame = &window.Frame{Range: true, Start: bound(start), End: bound(end)}
	return out
}

// Over evaluates c, a window function (functions.RowNumber, functions.Lag, ...)
// or an aggregate (functions.Sum, ...), over the window w.
func (c Column) Over(w Window) Column {
	if c.err != nil {
		return c
	}
	if w.err != nil {
		return ErrColumn(w.err)
	}
	e := c.expr
	al, aliased := e.(*logical.Alias)
	if aliased {
		e = al.E
	}
	switch e.(type) {
	case *logical.WindowFunction, *logical.AggregateCall:
	default:
		return ErrColumn(fmt.Errorf("%s is not a window or aggregate function", c))
	}
	var out logical.Expr = &logical.WindowExpr{Func: e, PartitionBy: w.partition, OrderBy: w.order, Frame: w.frame}
	if aliased {
		out = &logical.Alias{E: out, Name: al.Name}
	}
	return Column{expr: out}
}
