package sql

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// Spark SQL select-list extensions: GROUP BY ALL, lateral column aliases,
// window functions and QUALIFY over an aggregation, count of several
// arguments.

// aggPrefix names the columns an aggregation computes for the window
// functions and QUALIFY evaluated above it.
const aggPrefix = "__agg_"

// prepare completes a parsed SELECT before it is planned: lateral column
// aliases become LateralAlias references and GROUP BY ALL becomes the list
// of select items without aggregates.
func (c *selectCore) prepare() error {
	c.items = lateralAliases(c.items)
	if !c.groupAll {
		return nil
	}
	c.groupAll = false
	c.groups = nil
	for _, it := range c.items {
		if _, ok := it.e.(*logical.Star); ok {
			return fmt.Errorf("GROUP BY ALL with * in the select list is not supported: list the columns")
		}
		if containsAggregate(it.e) || logical.ContainsWindow(it.e) {
			continue
		}
		c.groups = append(c.groups, it.e)
	}
	return nil
}

// lateralAliases replaces, in each select item, an unqualified name that is
// the alias of an earlier item by a LateralAlias, which the analyzer reads
// as that item's expression unless the input has a column of the name.
func lateralAliases(items []selectItem) []selectItem {
	out := make([]selectItem, len(items))
	aliases := map[string]logical.Expr{}
	for i, it := range items {
		if len(aliases) > 0 {
			e := substituteAliases(it.e, aliases)
			if e != it.e && it.alias == "" {
				it.alias = logical.OutputName(it.e) // named as written, (x + 1)
			}
			it.e = e
		}
		out[i] = it
		if it.alias != "" {
			if _, seen := aliases[strings.ToLower(it.alias)]; !seen {
				aliases[strings.ToLower(it.alias)] = it.e
			}
		}
	}
	return out
}

func substituteAliases(e logical.Expr, aliases map[string]logical.Expr) logical.Expr {
	switch x := e.(type) {
	case *logical.UnresolvedColumn:
		if a, ok := aliases[strings.ToLower(x.Name)]; ok && !strings.Contains(x.Name, ".") {
			return &logical.LateralAlias{Name: x.Name, E: a}
		}
		return e
	case *logical.Subquery, *logical.LateralAlias:
		return e
	}
	kids := e.Children()
	if len(kids) == 0 {
		return e
	}
	nk := make([]logical.Expr, len(kids))
	changed := false
	for i, k := range kids {
		nk[i] = substituteAliases(k, aliases)
		changed = changed || nk[i] != k
	}
	if !changed {
		return e
	}
	return e.WithChildren(nk)
}

// windowedAggregate reports whether an aggregating SELECT evaluates window
// functions (in its items or its QUALIFY) over the aggregation's result.
func (c *selectCore) windowedAggregate() bool {
	if c.qualify != nil {
		return true
	}
	for _, it := range c.items {
		if logical.ContainsWindow(it.e) {
			return true
		}
	}
	return false
}

// buildWindowedAggregate plans an aggregating SELECT with window functions or
// QUALIFY as Spark evaluates it: the aggregation (with WHERE, GROUP BY and
// HAVING) computes every aggregate and grouping expression the select list,
// QUALIFY and ORDER BY read; a SELECT over it computes the window
// functions, then QUALIFY filters and ORDER BY sorts.
func (c *selectCore) buildWindowedAggregate(b *builder, orders []orderItem) (logical.Plan, error) {
	groups, err := b.groupExprs()
	if err != nil {
		return nil, err
	}
	var inner []selectItem
	var innerOf logical.ExprMap[string]
	hide := func(e logical.Expr) logical.Expr {
		name, ok := innerOf.Get(e)
		if !ok {
			name = fmt.Sprintf("%s%d", aggPrefix, len(inner))
			innerOf.Set(e, name)
			inner = append(inner, selectItem{e: e, alias: name})
		}
		return &logical.UnresolvedColumn{Name: name}
	}
	var lift func(e logical.Expr) logical.Expr
	lift = func(e logical.Expr) logical.Expr {
		if logical.IndexOf(groups, e) >= 0 {
			return hide(e)
		}
		switch x := e.(type) {
		case *logical.AggregateCall, *logical.UnresolvedColumn:
			return hide(x)
		case *logical.LateralAlias:
			return lift(x.E)
		case *logical.Func:
			if n := strings.ToLower(x.Name); n == "grouping" || n == "grouping_id" {
				return hide(x)
			}
		case *logical.Subquery:
			return hide(x)
		case *logical.WindowExpr:
			// The window's own function stays; its arguments, partitioning
			// and ordering read the aggregation's columns.
			kids := x.Children()
			nk := make([]logical.Expr, len(kids))
			for i, k := range kids {
				if i == 0 {
					nk[i] = k.WithChildren(liftAll(lift, k.Children()))
				} else {
					nk[i] = lift(k)
				}
			}
			return x.WithChildren(nk)
		}
		kids := e.Children()
		if len(kids) == 0 {
			return e
		}
		nk := make([]logical.Expr, len(kids))
		for i, k := range kids {
			nk[i] = lift(k)
		}
		return e.WithChildren(nk)
	}
	outer := &selectCore{windows: c.windows}
	for _, it := range c.items {
		if _, ok := it.e.(*logical.Star); ok {
			return nil, fmt.Errorf("* in the select list of an aggregation with window functions or QUALIFY is not supported")
		}
		alias := it.alias
		if alias == "" {
			alias = logical.OutputName(it.e)
		}
		outer.items = append(outer.items, selectItem{e: lift(it.e), alias: alias})
	}
	if c.qualify != nil {
		// QUALIFY reads select aliases (of window functions too) as they are.
		outer.qualify = liftKeeping(c.qualify, b, lift)
	}
	outerOrders := make([]orderItem, len(orders))
	for i, o := range orders {
		outerOrders[i] = o
		if _, ok := ordinal(o.e); ok {
			continue
		}
		if uc, ok := o.e.(*logical.UnresolvedColumn); ok && b.isAlias(uc.Name) {
			continue
		}
		outerOrders[i].e = lift(o.e)
	}
	// HAVING is evaluated by the aggregation: it reads select aliases as the
	// items they name.
	var having logical.Expr
	if c.having != nil {
		aliases := map[string]logical.Expr{}
		for _, it := range c.items {
			if it.alias != "" && !logical.ContainsWindow(it.e) {
				aliases[strings.ToLower(it.alias)] = it.e
			}
		}
		having = substituteAliases(c.having, aliases)
	}
	if len(inner) == 0 {
		// Only literals and windows over them: keep one row per group.
		inner = append(inner, selectItem{e: &logical.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}, alias: aggPrefix + "one"})
	}
	agg := &selectCore{items: inner, from: c.from, where: c.where, groups: groups, grouped: true, sets: c.sets, having: having}
	from, err := agg.build(nil)
	if err != nil {
		return nil, err
	}
	outer.from = from
	return outer.build(outerOrders)
}

// allNotNull is the argument of count(a, b, ...), which counts the rows where
// every argument is non-null: CASE WHEN a IS NOT NULL AND ... THEN 1 END.
func allNotNull(args []logical.Expr) logical.Expr {
	var cond logical.Expr
	for _, a := range args {
		nn := &logical.Unary{Op: logical.OpIsNotNull, E: a}
		if cond == nil {
			cond = nn
		} else {
			cond = &logical.Binary{Op: logical.OpAnd, L: cond, R: nn}
		}
	}
	return &logical.CaseWhen{Whens: []logical.Expr{cond}, Thens: []logical.Expr{&logical.Literal{Value: int32(1), Type: arrow.PrimitiveTypes.Int32}}}
}

func liftAll(lift func(logical.Expr) logical.Expr, list []logical.Expr) []logical.Expr {
	out := make([]logical.Expr, len(list))
	for i, e := range list {
		out[i] = lift(e)
	}
	return out
}

// liftKeeping lifts e but keeps the names of select aliases.
func liftKeeping(e logical.Expr, b *builder, lift func(logical.Expr) logical.Expr) logical.Expr {
	if uc, ok := e.(*logical.UnresolvedColumn); ok && b.isAlias(uc.Name) {
		return e
	}
	if _, ok := e.(*logical.UnresolvedColumn); ok {
		return lift(e)
	}
	switch e.(type) {
	case *logical.AggregateCall, *logical.WindowExpr, *logical.Subquery, *logical.LateralAlias:
		return lift(e)
	}
	kids := e.Children()
	if len(kids) == 0 {
		return lift(e)
	}
	nk := make([]logical.Expr, len(kids))
	for i, k := range kids {
		nk[i] = liftKeeping(k, b, lift)
	}
	return e.WithChildren(nk)
}
