package sql

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// windowCallName returns the column name of a time window call, window or
// session_window, and "" for any other expression.
func windowCallName(e logical.Expr) string {
	f, ok := e.(*logical.Func)
	if !ok || f.Type != nil {
		return ""
	}
	for _, n := range []string{functions.TimeWindowName, functions.SessionWindowName} {
		if strings.EqualFold(f.Name, n) {
			return n
		}
	}
	return ""
}

// timeWindows does what Spark's TimeWindowing and SessionWindowing rules
// do: a query whose select list, GROUP BY, HAVING or ORDER BY calls
// window(time, ...) or session_window(time, gap) gets the window as a
// column named window (session_window) of its input, rows with a null time
// are dropped, and each call becomes a reference to that column — so that
// window.start and window.end can be selected while grouping by the call.
// A sliding window gives each row one row per window holding it; session
// windows of an aggregation are merged per group (see sessionWindows).
// Only one distinct window call is allowed, as in Spark.
func (c *selectCore) timeWindows(orders []orderItem) error {
	if c.from == nil {
		return nil
	}
	var call *logical.Func
	var err error
	find := func(e logical.Expr) {
		if e == nil {
			return
		}
		logical.Walk(e, func(x logical.Expr) bool {
			if _, ok := x.(*logical.Subquery); ok {
				return false
			}
			if windowCallName(x) != "" {
				if call == nil {
					call = x.(*logical.Func)
				} else if call.String() != x.String() && err == nil {
					err = fmt.Errorf("a query can use only one time window, found %s and %s", logical.StripIDs(call.String()), logical.StripIDs(x.String()))
				}
				return false
			}
			return true
		})
	}
	for _, it := range c.items {
		find(it.e)
	}
	for _, g := range c.groups {
		find(g)
	}
	find(c.having)
	for _, o := range orders {
		find(o.e)
	}
	if err != nil || call == nil {
		return err
	}
	name := windowCallName(call)
	ref := func(e logical.Expr) logical.Expr {
		if e == nil {
			return nil
		}
		out, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
			if windowCallName(x) != "" {
				return &logical.UnresolvedColumn{Name: name}, true
			}
			return x, false
		})
		return out
	}
	for i := range c.items {
		c.items[i].e = ref(c.items[i].e)
	}
	for i := range c.groups {
		c.groups[i] = ref(c.groups[i])
	}
	c.having = ref(c.having)
	for i := range orders {
		orders[i].e = ref(orders[i].e)
	}
	keys := c.otherGroupKeys(name)
	groupedBy := len(c.groups) > 0 && c.groupByWindowFields(name)
	if name == functions.SessionWindowName {
		if len(c.sets) > 0 {
			return fmt.Errorf("session_window cannot be used with GROUPING SETS, ROLLUP or CUBE")
		}
		if c.where != nil {
			// A session is built from the rows the query keeps.
			if containsAggregate(c.where) {
				return fmt.Errorf("aggregate functions are not allowed in WHERE: %s; use HAVING", c.where)
			}
			c.from = &logical.Filter{Cond: c.where, Child: c.from}
			c.where = nil
		}
	}
	c.from = TimeWindowInput(c.from, call, keys, groupedBy)
	return nil
}

// TimeWindowInput returns child with a column for the time window call
// (window or session_window), named as the function, as Spark's
// TimeWindowing and SessionWindowing rules build it: rows with a null time
// are dropped; a sliding window gives a row one row per window holding it;
// session windows get the window [time, time + gap) of each row with a
// positive gap and, when grouped is set (the query groups by the session
// window), are merged per group of the keys (the other grouping keys).
func TimeWindowInput(child logical.Plan, call *logical.Func, keys []logical.Expr, grouped bool) logical.Plan {
	from := &logical.Filter{Cond: &logical.Unary{Op: logical.OpIsNotNull, E: call.Args[0]}, Child: child}
	if windowCallName(call) == functions.SessionWindowName {
		return sessionWindows(from, call, keys, grouped)
	}
	if len(call.Args) > 2 {
		if dur, slide, _, err := functions.TimeWindowSpec(call.Args); err == nil && slide < dur {
			return slidingWindows(call, from, dur%slide != 0)
		}
	}
	return &logical.Project{Child: from, List: []logical.Expr{&logical.Star{},
		&logical.Alias{E: call, Name: functions.TimeWindowName}}}
}

// slidingWindows expands each row into one row per window holding its
// time, as Spark's TimeWindowing: the ceil(duration/slide) candidate
// windows, filtered to those holding the time unless the slide divides the
// duration (then every candidate holds it).
func slidingWindows(call *logical.Func, from logical.Plan, filter bool) logical.Plan {
	gen := &logical.Func{Name: "explode", Args: []logical.Expr{&logical.Func{Name: functions.TimeWindowsName, Args: call.Args}}}
	var plan logical.Plan = &logical.Project{Child: from, List: []logical.Expr{&logical.Star{},
		&logical.Alias{E: gen, Name: functions.TimeWindowName}}}
	if filter {
		plan = &logical.Filter{Child: plan, Cond: &logical.Func{Name: functions.InTimeWindowName,
			Args: []logical.Expr{call.Args[0], &logical.UnresolvedColumn{Name: functions.TimeWindowName}}}}
	}
	return plan
}

// groupByWindowFields groups by window.start and window.end instead of the
// window struct (the aggregate needs keys of simple types); a select item,
// HAVING or ORDER BY that reads the whole window gets the struct rebuilt
// from the two fields. Select items window.start and window.end are named
// start and end, as Spark names them. It reports whether the query groups
// by the window.
func (c *selectCore) groupByWindowFields(name string) bool {
	isWindow := func(e logical.Expr) bool {
		u, ok := e.(*logical.UnresolvedColumn)
		return ok && strings.EqualFold(u.Name, name)
	}
	field := func(f string) logical.Expr {
		return &logical.UnresolvedColumn{Name: name + "." + f}
	}
	grouped := false
	var groups []logical.Expr
	for _, g := range c.groups {
		if isWindow(g) {
			grouped = true
			groups = append(groups, field("start"), field("end"))
			continue
		}
		groups = append(groups, g)
	}
	if !grouped || len(c.sets) > 0 {
		return false
	}
	c.groups = groups
	rebuild := func(e logical.Expr) logical.Expr {
		if e == nil {
			return nil
		}
		out, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
			if isWindow(x) {
				return &logical.Func{Name: "named_struct", Args: []logical.Expr{
					&logical.Literal{Value: "start", Type: arrow.BinaryTypes.String}, field("start"),
					&logical.Literal{Value: "end", Type: arrow.BinaryTypes.String}, field("end")}}, true
			}
			return x, false
		})
		return out
	}
	for i, it := range c.items {
		if it.alias == "" {
			if u, ok := it.e.(*logical.UnresolvedColumn); ok {
				switch {
				case isWindow(u):
					c.items[i].alias = name
				case strings.EqualFold(u.Name, name+".start"):
					c.items[i].alias = "start"
				case strings.EqualFold(u.Name, name+".end"):
					c.items[i].alias = "end"
				}
			}
		}
		c.items[i].e = rebuild(it.e)
	}
	c.having = rebuild(c.having)
	return true
}

// TimeWindowCallName returns window or session_window when e is a call of
// that time window function, and "" otherwise.
func TimeWindowCallName(e logical.Expr) string { return windowCallName(e) }
