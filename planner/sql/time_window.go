package sql

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// isTimeWindowCall reports whether e is a call of window(time, duration...).
func isTimeWindowCall(e logical.Expr) bool {
	f, ok := e.(*logical.Func)
	return ok && f.Type == nil && strings.EqualFold(f.Name, functions.TimeWindowName)
}

// timeWindows does what Spark's TimeWindowing rule does: a query whose
// select list, GROUP BY, HAVING or ORDER BY calls window(time, ...) gets
// the window as a column named window of its input, rows with a null time
// are dropped, and each call becomes a reference to that column — so that
// window.start and window.end can be selected while grouping by the call.
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
			if isTimeWindowCall(x) {
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
	ref := func(e logical.Expr) logical.Expr {
		if e == nil {
			return nil
		}
		out, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
			if isTimeWindowCall(x) {
				return &logical.UnresolvedColumn{Name: functions.TimeWindowName}, true
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
	if len(c.groups) > 0 {
		c.groupByWindowFields()
	}
	from := &logical.Filter{Cond: &logical.Unary{Op: logical.OpIsNotNull, E: call.Args[0]}, Child: c.from}
	c.from = &logical.Project{Child: from, List: []logical.Expr{&logical.Star{},
		&logical.Alias{E: call, Name: functions.TimeWindowName}}}
	return nil
}

// groupByWindowFields groups by window.start and window.end instead of the
// window struct (the aggregate needs keys of simple types); a select item,
// HAVING or ORDER BY that reads the whole window gets the struct rebuilt
// from the two fields. Select items window.start and window.end are named
// start and end, as Spark names them.
func (c *selectCore) groupByWindowFields() {
	isWindow := func(e logical.Expr) bool {
		u, ok := e.(*logical.UnresolvedColumn)
		return ok && strings.EqualFold(u.Name, functions.TimeWindowName)
	}
	field := func(f string) logical.Expr {
		return &logical.UnresolvedColumn{Name: functions.TimeWindowName + "." + f}
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
		return
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
					c.items[i].alias = functions.TimeWindowName
				case strings.EqualFold(u.Name, functions.TimeWindowName+".start"):
					c.items[i].alias = "start"
				case strings.EqualFold(u.Name, functions.TimeWindowName+".end"):
					c.items[i].alias = "end"
				}
			}
		}
		c.items[i].e = rebuild(it.e)
	}
	c.having = rebuild(c.having)
}
