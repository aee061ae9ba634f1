package sql

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// The hidden columns of the session merge.
const (
	sessionRowCol     = "__session_row"
	sessionPrevEndCol = "__session_prev_end"
	sessionIDCol      = "__session_id"
	sessionStartCol   = "__session_start"
	sessionEndCol     = "__session_end"
)

// otherGroupKeys returns the GROUP BY keys other than the time window
// column name (GROUP BY positions read from the select list).
func (c *selectCore) otherGroupKeys(name string) []logical.Expr {
	var keys []logical.Expr
	for _, g := range c.groups {
		if u, ok := g.(*logical.UnresolvedColumn); ok && strings.EqualFold(u.Name, name) {
			continue
		}
		if n, ok := ordinal(g); ok && n >= 1 && n <= len(c.items) {
			g = c.items[n-1].e
		}
		keys = append(keys, g)
	}
	return keys
}

// sessionWindows does what Spark's SessionWindowing rule and its merging
// aggregation do over plan (rows with a time): each row with a positive
// gap gets the window [time, time + gap). Grouped by the session window,
// the windows of each group (the other GROUP BY keys) are merged in order
// of their starts: a window that starts at or before the end of the session
// so far extends it, as Spark's MergingSessionsIterator does. The merge is
// planned with window functions: the largest end among the earlier rows of
// the group, a running count of the rows starting a new session (the
// session number), and the first start and last end of each session.
func sessionWindows(plan logical.Plan, call *logical.Func, keys []logical.Expr, grouped bool) logical.Plan {
	rowCol := functions.SessionWindowName
	if grouped {
		rowCol = sessionRowCol
	}
	col := func(name string) logical.Expr { return &logical.UnresolvedColumn{Name: name} }
	project := func(child logical.Plan, name string, e logical.Expr) logical.Plan {
		return &logical.Project{Child: child, List: []logical.Expr{&logical.Star{}, &logical.Alias{E: e, Name: name}}}
	}
	plan = project(plan, rowCol, call)
	plan = &logical.Filter{Child: plan, Cond: &logical.Binary{Op: logical.OpGt, L: col(rowCol + ".end"), R: col(rowCol + ".start")}}
	if !grouped {
		return plan
	}
	start, end := col(sessionRowCol+".start"), col(sessionRowCol+".end")
	order := []*logical.SortOrder{{E: start, NullsFirst: true}}
	before := &window.Frame{Start: window.Bound{Kind: window.UnboundedPreceding}, End: window.Bound{Kind: window.Preceding, Offset: 1}}
	running := &window.Frame{Start: window.Bound{Kind: window.UnboundedPreceding}, End: window.Bound{Kind: window.CurrentRow}}
	whole := &window.Frame{Start: window.Bound{Kind: window.UnboundedPreceding}, End: window.Bound{Kind: window.UnboundedFollowing}}
	plan = project(plan, sessionPrevEndCol, &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggMax, Arg: end},
		PartitionBy: keys, OrderBy: order, Frame: before})
	prev := col(sessionPrevEndCol)
	starts := &logical.CaseWhen{
		Whens: []logical.Expr{&logical.Binary{Op: logical.OpOr,
			L: &logical.Unary{Op: logical.OpIsNull, E: prev},
			R: &logical.Binary{Op: logical.OpGt, L: start, R: prev}}},
		Thens: []logical.Expr{&logical.Literal{Value: int64(1), Type: arrow.PrimitiveTypes.Int64}},
		Else:  &logical.Literal{Value: int64(0), Type: arrow.PrimitiveTypes.Int64}}
	plan = project(plan, sessionIDCol, &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggSum, Arg: starts},
		PartitionBy: keys, OrderBy: order, Frame: running})
	session := append(append([]logical.Expr{}, keys...), col(sessionIDCol))
	plan = project(plan, sessionStartCol, &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggMin, Arg: start},
		PartitionBy: session, Frame: whole})
	plan = project(plan, sessionEndCol, &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggMax, Arg: end},
		PartitionBy: session, Frame: whole})
	return project(plan, functions.SessionWindowName, &logical.Func{Name: "named_struct", Args: []logical.Expr{
		&logical.Literal{Value: "start", Type: arrow.BinaryTypes.String}, col(sessionStartCol),
		&logical.Literal{Value: "end", Type: arrow.BinaryTypes.String}, col(sessionEndCol)}})
}
