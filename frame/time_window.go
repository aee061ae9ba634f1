package frame

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

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
