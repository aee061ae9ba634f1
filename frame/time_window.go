package frame

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/sql"
)

// timeWindowGroups plans GroupBy over a time window column, window(...) or
// session_window(...), as the SQL builder does: the child gets the window
// as a column (a sliding window gives a row one row per window holding it;
// sessions are merged per group of the other keys), the aggregate groups
// by its start and end, and the output has the window as a struct column
// named as the function. ok is false when no group is a time window.
func timeWindowGroups(groups []logical.Expr, sets [][]int, child logical.Plan) (newGroups, outGroups []logical.Expr, newChild logical.Plan, ok bool, err error) {
	at := -1
	for i, g := range groups {
		if sql.TimeWindowCallName(g) != "" {
			if at >= 0 {
				return nil, nil, nil, false, fmt.Errorf("GroupBy: a query can use only one time window, found %s and %s",
					logical.StripIDs(groups[at].String()), logical.StripIDs(g.String()))
			}
			at = i
		}
	}
	if at < 0 {
		return nil, nil, nil, false, nil
	}
	if len(sets) > 0 {
		return nil, nil, nil, false, fmt.Errorf("GroupBy: a time window cannot be grouped with Rollup or Cube")
	}
	call := groups[at].(*logical.Func)
	name := sql.TimeWindowCallName(call)
	keys := append(append([]logical.Expr{}, groups[:at]...), groups[at+1:]...)
	start := &logical.UnresolvedColumn{Name: name + ".start"}
	end := &logical.UnresolvedColumn{Name: name + ".end"}
	newGroups = append(append(append([]logical.Expr{}, groups[:at]...), start, end), groups[at+1:]...)
	outGroups = append([]logical.Expr{}, groups...)
	outGroups[at] = &logical.Alias{Name: name, E: &logical.Func{Name: "named_struct", Args: []logical.Expr{
		&logical.Literal{Value: "start", Type: arrow.BinaryTypes.String}, start,
		&logical.Literal{Value: "end", Type: arrow.BinaryTypes.String}, end}}}
	return newGroups, outGroups, sql.TimeWindowInput(child, call, keys, true), true, nil
}

// timeWindowSelect plans a select list calling window(...) or
// session_window(...) as Spark's TimeWindowing and SessionWindowing rules:
// the child gets the window as a column named as the function (rows with a
// null time dropped, a sliding window giving a row per window holding it,
// a session one [time, time + gap) for rows with a positive gap), and the
// calls read that column. ok is false when the list calls neither, or
// calls only tumbling windows (one value per row, evaluated in place).
func timeWindowSelect(list []logical.Expr, child logical.Plan) (out []logical.Expr, newChild logical.Plan, ok bool, err error) {
	var calls []*logical.Func
	for _, e := range list {
		logical.Walk(e, func(x logical.Expr) bool {
			if _, sub := x.(*logical.Subquery); sub {
				return false
			}
			if sql.TimeWindowCallName(x) == "" {
				return true
			}
			for _, c := range calls {
				if c.String() == x.String() {
					return false
				}
			}
			calls = append(calls, x.(*logical.Func))
			return false
		})
	}
	// A tumbling window is one value per row: alone, it stays an expression.
	var call *logical.Func
	for _, c := range calls {
		if sql.TimeWindowCallName(c) == functions.SessionWindowName {
			call = c
			continue
		}
		if dur, slide, err := windowDurations(c); err == nil && slide < dur {
			call = c
		}
	}
	if call == nil {
		return nil, nil, false, nil
	}
	if len(calls) > 1 {
		return nil, nil, false, fmt.Errorf("Select: a query can use only one time window, found %s and %s",
			logical.StripIDs(calls[0].String()), logical.StripIDs(calls[1].String()))
	}
	name := sql.TimeWindowCallName(call)
	out = make([]logical.Expr, len(list))
	for i, e := range list {
		out[i], _ = logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
			if sql.TimeWindowCallName(x) != "" {
				return &logical.UnresolvedColumn{Name: name}, true
			}
			return x, false
		})
	}
	return out, sql.TimeWindowInput(child, call, nil, false), true, nil
}

// windowDurations reads the window and slide durations of a window call.
func windowDurations(c *logical.Func) (dur, slide int64, err error) {
	dur, slide, _, err = functions.TimeWindowSpec(c.Args)
	return dur, slide, err
}
