package unparse

import (
	"fmt"
	"strings"

	"github.com/gspark/gspark/planner/logical"
)

// SQL returns Spark SQL text (one SELECT statement, no trailing semicolon)
// that computes the plan p: the same rows, and columns of the same names
// and types in the same order.
func SQL(p logical.Plan) (string, error) {
	u := &unparser{}
	b, err := u.plan(p)
	if err != nil {
		return "", err
	}
	return u.top(b, p.Output())
}

// unparser holds the state of one conversion: the counter of generated
// table aliases and the scopes of the enclosing queries (for correlated
// subqueries), innermost last.
type unparser struct {
	next  int
	outer []map[int64]string
}

// alias returns a fresh table alias.
func (u *unparser) alias(prefix string) string {
	u.next++
	return fmt.Sprintf("%s%d", prefix, u.next)
}

// block is one SELECT being built. Operators add their clause to their
// child's block when SQL's clause order allows it, else the child becomes a
// derived table of a new block.
type block struct {
	hints string
	from  string // the FROM clause's body; "" for a SELECT without FROM
	// single reports that from is one table reference (not a join or
	// lateral view), which may stand on the right of a join.
	single bool
	// scope maps the attributes the FROM clause provides to SQL text.
	scope map[int64]string
	// outs is the block's output while sel is nil: attributes of scope.
	outs []*logical.Attribute
	// sel, when not nil, is the select list: expression text and the
	// output attribute of each item; names are their unique aliases.
	sel      []string
	selAttrs []*logical.Attribute
	names    []string
	where    []string
	groupBy  []string
	grouped  bool
	distinct bool
	// orders is the ORDER BY; over a select list its keys may name the
	// list's items (rendered with the names the SELECT gives them).
	orders []*logical.SortOrder
	limit  int64
	offset int64
}

func newBlock(from string, single bool, scope map[int64]string, outs []*logical.Attribute) *block {
	return &block{from: from, single: single, scope: scope, outs: outs, limit: -1, offset: -1}
}

// bare reports whether b is only a FROM clause (with lateral views), so a
// WHERE, a select list or a grouping may still be added.
func (b *block) bare() bool {
	return b.sel == nil && !b.grouped && !b.distinct && b.orders == nil && b.limit < 0 && b.offset < 0 && b.hints == ""
}

// output is the block's output attributes.
func (b *block) output() []*logical.Attribute {
	if b.sel != nil {
		return b.selAttrs
	}
	return b.outs
}

// uniqueNames names attributes for a derived table: their names with any
// character other than a letter, digit or underscore replaced (so that a
// qualified reference is never read as a nested field), suffixed by their
// IDs where a name (case-insensitively) repeats.
func uniqueNames(attrs []*logical.Attribute) []string {
	base := make([]string, len(attrs))
	count := map[string]int{}
	for i, a := range attrs {
		base[i] = safeName(a.Name)
		count[strings.ToLower(base[i])]++
	}
	names := make([]string, len(attrs))
	used := map[string]bool{}
	for i, a := range attrs {
		n := base[i]
		if count[strings.ToLower(n)] > 1 {
			if a.ID >= 0 {
				n = fmt.Sprintf("%s_%d", n, a.ID)
			} else {
				n = fmt.Sprintf("%s_c%d", n, i)
			}
		}
		for used[strings.ToLower(n)] {
			n += "_"
		}
		used[strings.ToLower(n)] = true
		names[i] = n
	}
	return names
}

// safeName keeps letters, digits and underscores of a name.
func safeName(n string) string {
	var b strings.Builder
	for _, c := range n {
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 || n[0] >= '0' && n[0] <= '9' {
		return "c_" + b.String()
	}
	return b.String()
}

// setSelect makes items the block's select list, named uniquely.
func (b *block) setSelect(items []string, attrs []*logical.Attribute) {
	b.sel, b.selAttrs, b.names = items, attrs, uniqueNames(attrs)
}

// text renders the block as a SELECT whose columns are named names.
func (u *unparser) text(b *block, names []string) (string, error) {
	var s strings.Builder
	s.WriteString("SELECT ")
	if b.hints != "" {
		s.WriteString(b.hints + " ")
	}
	if b.distinct {
		s.WriteString("DISTINCT ")
	}
	var items []string
	if b.sel != nil {
		for i, e := range b.sel {
			items = append(items, e+" AS "+Quote(names[i]))
		}
	} else {
		for i, a := range b.outs {
			ref, ok := b.scope[a.ID]
			if !ok {
				return "", fmt.Errorf("unparse: column %s is not in scope", a)
			}
			items = append(items, ref+" AS "+Quote(names[i]))
		}
	}
	if len(items) == 0 {
		return "", fmt.Errorf("unparse: a query without columns has no Spark SQL form")
	}
	s.WriteString(strings.Join(items, ", "))
	if b.from != "" {
		s.WriteString(" FROM " + b.from)
	}
	if len(b.where) > 0 {
		s.WriteString(" WHERE " + strings.Join(b.where, " AND "))
	}
	if len(b.groupBy) > 0 {
		s.WriteString(" GROUP BY " + strings.Join(b.groupBy, ", "))
	}
	if len(b.orders) > 0 {
		keys, err := u.orderKeys(b, names)
		if err != nil {
			return "", err
		}
		s.WriteString(" ORDER BY " + strings.Join(keys, ", "))
	}
	if b.limit >= 0 {
		fmt.Fprintf(&s, " LIMIT %d", b.limit)
	}
	if b.offset >= 0 {
		fmt.Fprintf(&s, " OFFSET %d", b.offset)
	}
	return s.String(), nil
}

// innerText renders b with unique column names, for a derived table or a
// set operation's input; it returns the names too.
func (u *unparser) innerText(b *block) (string, []string, error) {
	names := b.names
	if b.sel == nil {
		names = uniqueNames(b.outs)
	}
	t, err := u.text(b, names)
	return t, names, err
}

// wrap turns b into a derived table of a new, bare block.
func (u *unparser) wrap(b *block) (*block, error) {
	t, names, err := u.innerText(b)
	if err != nil {
		return nil, err
	}
	alias := u.alias("t")
	out := b.output()
	scope := make(map[int64]string, len(out))
	for i, a := range out {
		if _, dup := scope[a.ID]; !dup {
			scope[a.ID] = Quote(alias) + "." + Quote(names[i])
		}
	}
	return newBlock("("+t+") AS "+Quote(alias), true, scope, out), nil
}

// top renders the outermost SELECT, its columns named as the plan's.
func (u *unparser) top(b *block, out []*logical.Attribute) (string, error) {
	names := make([]string, len(out))
	for i, a := range out {
		names[i] = a.Name
	}
	if b.sel == nil {
		return u.text(b, names)
	}
	return u.text(b, names)
}

// orderKeys renders the sort keys of b. Over a select list, a key that is
// an item's attribute names the item (by its name when that is a plain,
// unrepeated identifier, else by repeating its expression); other
// attributes are the FROM clause's.
func (u *unparser) orderKeys(b *block, names []string) ([]string, error) {
	scope := b.scope
	if b.sel != nil {
		scope = map[int64]string{}
		if !b.grouped && !b.distinct {
			for id, s := range b.scope {
				scope[id] = s
			}
		}
		count := map[string]int{}
		for _, n := range names {
			count[strings.ToLower(n)]++
		}
		for i, a := range b.selAttrs {
			if count[strings.ToLower(names[i])] == 1 && lambdaName(names[i]) == names[i] {
				scope[a.ID] = Quote(names[i])
			} else if !strings.Contains(b.sel[i], " OVER (") {
				scope[a.ID] = b.sel[i]
			} else {
				scope[a.ID] = Quote(names[i])
			}
		}
	}
	keys := make([]string, len(b.orders))
	for i, o := range b.orders {
		k, err := u.groupKey(o.E, scope)
		if err != nil {
			return nil, err
		}
		keys[i] = k + sortSuffix(o)
	}
	return keys, nil
}
