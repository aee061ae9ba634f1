package sql

import (
	"fmt"
	"strings"

	"github.com/gspark/gspark/planner/logical"
)

// hiddenPrefix names the extra columns computed for ORDER BY and HAVING.
const hiddenPrefix = "__hidden_"

// ordinal returns n when e is a positive integer literal (a select-list position).
func ordinal(e logical.Expr) (int, bool) {
	lit, ok := e.(*logical.Literal)
	if !ok {
		return 0, false
	}
	switch v := lit.Value.(type) {
	case int32:
		return int(v), true
	case int64:
		return int(v), true
	}
	return 0, false
}

func containsAggregate(e logical.Expr) bool {
	found := false
	logical.Walk(e, func(x logical.Expr) bool {
		switch x.(type) {
		case *logical.AggregateCall:
			found = true
		case *logical.WindowExpr:
			return false // a window's aggregate is evaluated by the window
		}
		return !found
	})
	return found
}

// builder turns a selectCore into a plan, collecting hidden columns.
type builder struct {
	c        *selectCore
	agg      bool
	hidden   []logical.Expr          // aliased hidden items
	hiddenOf logical.ExprMap[string] // hidden item name by expression
	lambdas  []string                // parameters of the lambdas being rewritten
}

// hide adds e as a hidden item (once per distinct expression) and returns a reference to it.
func (b *builder) hide(e logical.Expr) logical.Expr {
	if name, ok := b.hiddenOf.Get(e); ok {
		return &logical.UnresolvedColumn{Name: name}
	}
	name := fmt.Sprintf("%s%d", hiddenPrefix, len(b.hidden))
	b.hiddenOf.Set(e, name)
	b.hidden = append(b.hidden, &logical.Alias{E: e, Name: name})
	return &logical.UnresolvedColumn{Name: name}
}

func (b *builder) hasStar() bool {
	for _, it := range b.c.items {
		if _, ok := it.e.(*logical.Star); ok {
			return true
		}
	}
	return false
}

// isAlias reports whether name is the alias of a select item.
func (b *builder) isAlias(name string) bool {
	for _, it := range b.c.items {
		if it.alias != "" && strings.EqualFold(it.alias, name) {
			return true
		}
	}
	return false
}

// selectsColumn reports whether a select item is the plain column name.
func (b *builder) selectsColumn(name string) bool {
	for _, it := range b.c.items {
		if uc, ok := it.e.(*logical.UnresolvedColumn); ok && it.alias == "" && strings.EqualFold(uc.Name, name) {
			return true
		}
	}
	return false
}

// itemRef refers to select item i (0-based) from above the projection.
func (b *builder) itemRef(i int) logical.Expr {
	it := b.c.items[i]
	if it.alias != "" {
		return &logical.UnresolvedColumn{Name: it.alias}
	}
	if uc, ok := it.e.(*logical.UnresolvedColumn); ok {
		return uc
	}
	return b.hide(it.e)
}

// matchItem finds a select item whose expression is e (structurally equal).
func (b *builder) matchItem(e logical.Expr) (int, bool) {
	if _, ok := e.(*logical.Literal); ok {
		return 0, false
	}
	for i, it := range b.c.items {
		if _, ok := it.e.(*logical.Star); !ok && logical.Equal(it.e, e) {
			return i, true
		}
	}
	return 0, false
}

func (b *builder) ordinalRef(n int, clause string) (logical.Expr, error) {
	if b.hasStar() {
		return nil, fmt.Errorf("%s position %d with * in the select list is not supported yet", clause, n)
	}
	if n < 1 || n > len(b.c.items) {
		return nil, fmt.Errorf("%s position %d is not in the select list (valid: 1..%d)", clause, n, len(b.c.items))
	}
	return b.itemRef(n - 1), nil
}

// refersToAlias reports whether e reads a select alias.
func (b *builder) refersToAlias(e logical.Expr) bool {
	found := false
	logical.Walk(e, func(x logical.Expr) bool {
		if uc, ok := x.(*logical.UnresolvedColumn); ok && b.isAlias(uc.Name) {
			found = true
		}
		return !found
	})
	return found
}

// aboveAggregate rewrites a HAVING or ORDER BY expression of an aggregate
// query to read the aggregate's output: select items by alias, other
// aggregates and grouping columns as hidden items.
func (b *builder) aboveAggregate(e logical.Expr) logical.Expr {
	if i, ok := b.matchItem(e); ok {
		return b.itemRef(i)
	}
	switch x := e.(type) {
	case *logical.UnresolvedColumn:
		if b.isAlias(x.Name) || b.selectsColumn(x.Name) || b.isLambdaParam(x.Name) {
			return x
		}
		return b.hide(x)
	case *logical.Lambda:
		outer := len(b.lambdas)
		b.lambdas = append(b.lambdas, x.Params...)
		body := b.aboveAggregate(x.Body)
		b.lambdas = b.lambdas[:outer]
		return x.WithChildren([]logical.Expr{body})
	case *logical.AggregateCall:
		return b.hide(x)
	case *logical.Func:
		if n := strings.ToLower(x.Name); n == "grouping" || n == "grouping_id" {
			return b.hide(x) // computed by the aggregation, like an aggregate
		}
	}
	kids := e.Children()
	if len(kids) == 0 {
		return e
	}
	nk := make([]logical.Expr, len(kids))
	for i, k := range kids {
		nk[i] = b.aboveAggregate(k)
	}
	return e.WithChildren(nk)
}

// aboveProject rewrites an ORDER BY expression of a plain query: select
// items and aliases are read from the projection's output, other
// expressions are computed as hidden items.
func (b *builder) aboveProject(e logical.Expr) logical.Expr {
	if i, ok := b.matchItem(e); ok {
		return b.itemRef(i)
	}
	if uc, ok := e.(*logical.UnresolvedColumn); ok && (b.isAlias(uc.Name) || b.selectsColumn(uc.Name) || b.hasStar()) {
		return uc
	}
	if b.refersToAlias(e) {
		return e
	}
	if _, ok := e.(*logical.Literal); ok {
		return e
	}
	return b.hide(e)
}

// groupExprs returns the GROUP BY expressions with positions and select
// aliases replaced by the select items they name.
func (b *builder) groupExprs() ([]logical.Expr, error) {
	c := b.c
	groups := make([]logical.Expr, len(c.groups))
	for i, g := range c.groups {
		if n, ok := ordinal(g); ok {
			if b.hasStar() || n < 1 || n > len(c.items) {
				return nil, fmt.Errorf("GROUP BY position %d is not in the select list", n)
			}
			g = c.items[n-1].e
			if containsAggregate(g) {
				return nil, fmt.Errorf("GROUP BY position %d refers to an aggregate, %s", n, g)
			}
		} else if uc, ok := g.(*logical.UnresolvedColumn); ok && b.isAlias(uc.Name) {
			// GROUP BY a select alias, as Spark allows, unless it names the same column.
			for _, it := range c.items {
				if it.alias != "" && strings.EqualFold(it.alias, uc.Name) {
					if ic, ok := it.e.(*logical.UnresolvedColumn); !ok || !strings.EqualFold(ic.Name, uc.Name) {
						if !containsAggregate(it.e) {
							g = it.e
						}
					}
					break
				}
			}
		}
		groups[i] = g
	}
	return groups, nil
}

// build makes the plan of a SELECT with its ORDER BY.
func (c *selectCore) build(orders []orderItem) (logical.Plan, error) {
	if err := c.timeWindows(orders); err != nil {
		return nil, err
	}
	if c.distinct {
		return c.buildDistinct(orders)
	}
	for i := range orders {
		e, err := resolveWindowRefs(orders[i].e, c.windows)
		if err != nil {
			return nil, err
		}
		orders[i].e = e
	}
	if err := c.prepare(); err != nil {
		return nil, err
	}
	b := &builder{c: c}
	b.agg = c.grouped || c.having != nil
	for _, it := range c.items {
		b.agg = b.agg || containsAggregate(it.e)
	}
	if b.agg && c.windowedAggregate() {
		return c.buildWindowedAggregate(b, orders)
	}
	plan := c.from
	if c.where != nil {
		if containsAggregate(c.where) {
			return nil, fmt.Errorf("aggregate functions are not allowed in WHERE: %s; use HAVING", c.where)
		}
		plan = &logical.Filter{Cond: c.where, Child: plan}
	}
	list := make([]logical.Expr, len(c.items))
	for i, it := range c.items {
		list[i] = it.e
		if it.alias != "" {
			list[i] = &logical.Alias{E: it.e, Name: it.alias}
		}
	}
	var having logical.Expr
	var sorts []*logical.SortOrder
	if b.agg {
		groups, err := b.groupExprs()
		if err != nil {
			return nil, err
		}
		if c.having != nil {
			having = b.aboveAggregate(c.having)
		}
		for _, o := range orders {
			e := o.e
			if n, ok := ordinal(e); ok {
				r, err := b.ordinalRef(n, "ORDER BY")
				if err != nil {
					return nil, err
				}
				e = r
			} else {
				e = b.aboveAggregate(e)
			}
			sorts = append(sorts, &logical.SortOrder{E: e, Desc: o.desc, NullsFirst: o.nullsFirst})
		}
		plan = &logical.Aggregate{Groups: groups, List: append(list, b.hidden...), GroupingSets: c.sets, Child: plan}
		if having != nil {
			plan = &logical.Filter{Cond: having, Child: plan}
		}
	} else {
		for _, o := range orders {
			e := o.e
			if n, ok := ordinal(e); ok {
				r, err := b.ordinalRef(n, "ORDER BY")
				if err != nil {
					return nil, err
				}
				e = r
			} else {
				e = b.aboveProject(e)
			}
			sorts = append(sorts, &logical.SortOrder{E: e, Desc: o.desc, NullsFirst: o.nullsFirst})
		}
		if len(b.hidden) > 0 && b.hasStar() {
			// With * the hidden columns cannot be pruned by position: sort
			// below the projection instead, on the input's columns.
			sorts = sorts[:0]
			for _, o := range orders {
				if _, ok := ordinal(o.e); ok || b.refersToAlias(o.e) {
					return nil, fmt.Errorf("ORDER BY %s: ordering by a select alias or position together with * and expressions outside the select list is not supported yet", o.e)
				}
				sorts = append(sorts, &logical.SortOrder{E: o.e, Desc: o.desc, NullsFirst: o.nullsFirst})
			}
			return &logical.Project{List: list, Child: &logical.Sort{Orders: sorts, Child: plan}}, nil
		}
		var qualify logical.Expr
		if c.qualify != nil {
			qualify = b.aboveProject(c.qualify)
			if len(b.hidden) > 0 && b.hasStar() {
				return nil, fmt.Errorf("QUALIFY on window functions outside the select list is not supported together with * yet")
			}
		}
		plan = &logical.Project{List: append(list, b.hidden...), Child: plan}
		if qualify != nil {
			plan = &logical.Filter{Cond: qualify, Child: plan}
		}
	}
	if len(sorts) > 0 {
		plan = &logical.Sort{Orders: sorts, Child: plan}
	}
	if len(b.hidden) > 0 {
		if b.hasStar() {
			return nil, fmt.Errorf("ORDER BY or HAVING on expressions outside the select list is not supported together with * yet")
		}
		plan = &Prune{Keep: len(c.items), Child: plan}
	}
	return plan, nil
}

// buildDistinct plans SELECT DISTINCT: the select list made distinct, then
// ordered by output columns (names, aliases or positions), as Spark requires.
func (c *selectCore) buildDistinct(orders []orderItem) (logical.Plan, error) {
	inner := *c
	inner.distinct = false
	plan, err := inner.build(nil)
	if err != nil {
		return nil, err
	}
	plan = &logical.Distinct{Child: plan}
	if len(orders) == 0 {
		return plan, nil
	}
	sorts := make([]*logical.SortOrder, len(orders))
	for i, o := range orders {
		e := o.e
		if n, ok := ordinal(e); ok {
			if n < 1 || n > len(c.items) {
				return nil, fmt.Errorf("ORDER BY position %d is not in the select list", n)
			}
			it := c.items[n-1]
			switch {
			case it.alias != "":
				e = &logical.UnresolvedColumn{Name: it.alias}
			default:
				if _, isCol := it.e.(*logical.UnresolvedColumn); !isCol {
					return nil, fmt.Errorf("ORDER BY position %d of a SELECT DISTINCT must name a column or an alias", n)
				}
				e = it.e
			}
		}
		sorts[i] = &logical.SortOrder{E: e, Desc: o.desc, NullsFirst: o.nullsFirst}
	}
	return &logical.Sort{Orders: sorts, Child: plan}, nil
}
