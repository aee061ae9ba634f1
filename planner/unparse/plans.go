package unparse

import (
	"fmt"
	"strings"

	"github.com/gspark/gspark/io/csv"

	"github.com/gspark/gspark/planner/logical"
)

// plan renders a plan node as a block.
func (u *unparser) plan(p logical.Plan) (*block, error) {
	switch n := p.(type) {
	case *logical.Scan:
		return u.scan(n)
	case *logical.SubqueryAlias:
		return u.plan(n.Child)
	case *logical.Project:
		return u.project(n)
	case *logical.Filter:
		return u.filter(n)
	case *logical.Aggregate:
		return u.aggregate(n)
	case *logical.Sort:
		return u.sort(n)
	case *logical.Limit:
		b, err := u.plan(n.Child)
		if err != nil {
			return nil, err
		}
		if b.limit >= 0 || b.from == "" && b.sel == nil {
			if b, err = u.wrap(b); err != nil {
				return nil, err
			}
		}
		b.limit = n.N
		return b, nil
	case *logical.Offset:
		b, err := u.plan(n.Child)
		if err != nil {
			return nil, err
		}
		if b.limit >= 0 || b.offset >= 0 || b.from == "" && b.sel == nil {
			if b, err = u.wrap(b); err != nil {
				return nil, err
			}
		}
		b.offset = n.N
		return b, nil
	case *logical.Join:
		return u.join(n)
	case *logical.Union:
		return u.setOp(n.Inputs, "UNION ALL", n.Output())
	case *logical.SetOp:
		op := "EXCEPT"
		if n.Intersect {
			op = "INTERSECT"
		}
		if n.All {
			op += " ALL"
		}
		return u.setOp([]logical.Plan{n.Left, n.Right}, op, n.Output())
	case *logical.Distinct:
		b, err := u.plan(n.Child)
		if err != nil {
			return nil, err
		}
		if b.grouped || b.distinct || b.orders != nil || b.limit >= 0 || b.offset >= 0 {
			if b, err = u.wrap(b); err != nil {
				return nil, err
			}
		}
		if b.sel == nil {
			items, err := u.refs(b, b.outs)
			if err != nil {
				return nil, err
			}
			b.setSelect(items, b.outs)
		}
		b.distinct = true
		return b, nil
	case *logical.Window:
		return u.window(n)
	case *logical.Generate:
		return u.generate(n)
	case *logical.Expand:
		return u.expand(n)
	case *logical.Repartition:
		return u.repartition(n)
	case *logical.Sample:
		return nil, fmt.Errorf("unparse: sample [%g, %g) with seed %d has no Spark SQL form (TABLESAMPLE takes no seed)", n.Lower, n.Upper, n.Seed)
	case *logical.UnresolvedRelation:
		return nil, fmt.Errorf("unparse: table %s is not resolved; analyze the plan first", n.Name)
	}
	return nil, fmt.Errorf("unparse: plan node %T (%s) has no Spark SQL form", p, p.String())
}

// refs renders attributes of b's scope.
func (u *unparser) refs(b *block, attrs []*logical.Attribute) ([]string, error) {
	out := make([]string, len(attrs))
	for i, a := range attrs {
		r, ok := b.scope[a.ID]
		if !ok {
			return nil, fmt.Errorf("unparse: column %s is not in scope", a)
		}
		out[i] = r
	}
	return out, nil
}

// scan renders a table reference.
func (u *unparser) scan(n *logical.Scan) (*block, error) {
	ref, oneRow, err := sourceRef(n.Source)
	if err != nil {
		return nil, err
	}
	scope := map[int64]string{}
	var b *block
	if oneRow {
		for _, a := range n.Attrs {
			scope[a.ID] = "0"
		}
		b = newBlock("", false, scope, n.Output())
	} else {
		alias := u.alias("t")
		for _, a := range n.Attrs {
			scope[a.ID] = Quote(alias) + "." + Quote(a.Name)
		}
		b = newBlock(ref+" AS "+Quote(alias), true, scope, n.Output())
	}
	for _, f := range n.Filters {
		s, err := u.expr(f, b.scope)
		if err != nil {
			return nil, err
		}
		b.where = append(b.where, s)
	}
	if n.Limit >= 0 {
		b.limit = n.Limit
	}
	return b, nil
}

// TableRef is a source that the side running the SQL knows as a table,
// such as a table of a remote server: SQLTableRef is its Spark SQL table
// reference, already quoted (`db`.`t`).
type TableRef interface {
	SQLTableRef() string
}

// csvFiles is a CSV source: its files and whether it reads them with
// Spark's default options (no header, every column a string, ',').
type csvFiles interface {
	Files() []string
	Options() csv.Options
}

// sourceRef names a source as a Spark SQL table reference: a catalog
// table (samples.lineitem), a direct file query (parquet.`path`, a UNION
// ALL of them for several files) or a call of range.
func sourceRef(src logical.Source) (ref string, oneRow bool, err error) {
	if t, ok := src.(TableRef); ok {
		return t.SQLTableRef(), false, nil
	}
	desc := src.Describe()
	format, rest, _ := strings.Cut(desc, " ")
	files := strings.Split(rest, ", ")
	if c, ok := src.(csvFiles); ok {
		if !defaultCSV(c.Options()) {
			return "", false, fmt.Errorf("unparse: CSV files %s read with options have no Spark SQL form (csv.`path` reads with the default options); register them as a table on the remote side", strings.Join(c.Files(), ", "))
		}
		format, files = "csv", c.Files()
	}
	switch {
	case desc == "memory one_row":
		return "", true, nil
	case format == "parquet" && strings.HasPrefix(rest, "samples.") && len(files) == 1:
		return Quote("samples") + "." + Quote(strings.TrimPrefix(rest, "samples.")), false, nil
	case strings.HasPrefix(desc, "range(") && strings.HasSuffix(desc, ")"):
		return desc, false, nil
	case format == "memory":
		return "", false, fmt.Errorf("unparse: in-memory table %s has no Spark SQL form (Go data cannot run remotely)", rest)
	case format == "parquet" || format == "json" || format == "avro" || format == "csv":
		if rest == "" {
			break
		}
		if len(files) == 1 {
			return format + "." + Quote(files[0]), false, nil
		}
		parts := make([]string, len(files))
		for i, f := range files {
			parts[i] = "SELECT * FROM " + format + "." + Quote(f)
		}
		return "(" + strings.Join(parts, " UNION ALL ") + ")", false, nil
	}
	return "", false, fmt.Errorf("unparse: source %q has no Spark SQL table reference", desc)
}

func (u *unparser) project(n *logical.Project) (*block, error) {
	b, err := u.plan(n.Child)
	if err != nil {
		return nil, err
	}
	if !(b.sel == nil && !b.grouped && !b.distinct && b.limit < 0 && b.offset < 0) {
		if b, err = u.wrap(b); err != nil {
			return nil, err
		}
	}
	items := make([]string, len(n.List))
	for i, e := range n.List {
		if items[i], err = u.expr(unalias(e), b.scope); err != nil {
			return nil, err
		}
	}
	b.setSelect(items, logical.NamedOutput(n.List))
	return b, nil
}

// unalias strips an Alias (the select list names items itself).
func unalias(e logical.Expr) logical.Expr {
	if a, ok := e.(*logical.Alias); ok {
		return a.E
	}
	return e
}

func (u *unparser) filter(n *logical.Filter) (*block, error) {
	b, err := u.plan(n.Child)
	if err != nil {
		return nil, err
	}
	// WHERE comes before ORDER BY, so a sorted block takes a filter too.
	if !(b.sel == nil && !b.grouped && !b.distinct && b.limit < 0 && b.offset < 0 && b.hints == "") || b.from == "" {
		if b, err = u.wrap(b); err != nil {
			return nil, err
		}
	}
	c, err := u.expr(n.Cond, b.scope)
	if err != nil {
		return nil, err
	}
	b.where = append(b.where, "("+c+")")
	return b, nil
}

func (u *unparser) aggregate(n *logical.Aggregate) (*block, error) {
	b, err := u.plan(n.Child)
	if err != nil {
		return nil, err
	}
	if !b.bare() {
		if b, err = u.wrap(b); err != nil {
			return nil, err
		}
	}
	groups := make([]string, len(n.Groups))
	for i, g := range n.Groups {
		if groups[i], err = u.groupKey(g, b.scope); err != nil {
			return nil, err
		}
	}
	if n.GroupingSets != nil {
		sets := make([]string, len(n.GroupingSets))
		for i, set := range n.GroupingSets {
			keys := make([]string, len(set))
			for j, k := range set {
				keys[j] = groups[k]
			}
			sets[i] = "(" + strings.Join(keys, ", ") + ")"
		}
		groups = []string{"GROUPING SETS (" + strings.Join(sets, ", ") + ")"}
	}
	items := make([]string, len(n.List))
	for i, e := range n.List {
		if items[i], err = u.expr(unalias(e), b.scope); err != nil {
			return nil, err
		}
	}
	b.groupBy = groups
	b.grouped = true
	b.setSelect(items, logical.NamedOutput(n.List))
	return b, nil
}

// groupKey renders a GROUP BY or ORDER BY key; an integer literal, which
// Spark would read as a position in the select list, is cast.
func (u *unparser) groupKey(e logical.Expr, scope map[int64]string) (string, error) {
	s, err := u.expr(e, scope)
	if err != nil {
		return "", err
	}
	if l, ok := e.(*logical.Literal); ok && l.Value != nil {
		ts, err := typeSQL(l.Type)
		if err != nil {
			return "", err
		}
		return "CAST(" + s + " AS " + ts + ")", nil
	}
	return s, nil
}

func (u *unparser) sort(n *logical.Sort) (*block, error) {
	b, err := u.plan(n.Child)
	if err != nil {
		return nil, err
	}
	if b.limit >= 0 || b.offset >= 0 || b.from == "" && b.sel == nil {
		if b, err = u.wrap(b); err != nil {
			return nil, err
		}
	}
	if b.sel != nil {
		// The keys may read the select list's items and (without a
		// grouping or DISTINCT) the FROM clause's columns; others need
		// the list as a derived table.
		visible := map[int64]bool{}
		if !b.grouped && !b.distinct {
			for id := range b.scope {
				visible[id] = true
			}
		}
		for _, a := range b.selAttrs {
			visible[a.ID] = true
		}
		for _, o := range n.Orders {
			if !logical.Subset(logical.References(o.E), visible) {
				if b, err = u.wrap(b); err != nil {
					return nil, err
				}
				break
			}
		}
	}
	b.orders = n.Orders
	return b, nil
}

func sortSuffix(o *logical.SortOrder) string {
	s := " ASC"
	if o.Desc {
		s = " DESC"
	}
	if o.NullsFirst {
		return s + " NULLS FIRST"
	}
	return s + " NULLS LAST"
}

var joinKeywords = map[logical.JoinKind]string{
	logical.InnerJoin:    "INNER JOIN",
	logical.LeftJoin:     "LEFT OUTER JOIN",
	logical.RightJoin:    "RIGHT OUTER JOIN",
	logical.FullJoin:     "FULL OUTER JOIN",
	logical.LeftSemiJoin: "LEFT SEMI JOIN",
	logical.LeftAntiJoin: "LEFT ANTI JOIN",
}

func (u *unparser) join(n *logical.Join) (*block, error) {
	l, err := u.plan(n.Left)
	if err != nil {
		return nil, err
	}
	if !l.bare() || len(l.where) > 0 || l.from == "" {
		if l, err = u.wrap(l); err != nil {
			return nil, err
		}
	}
	r, err := u.plan(n.Right)
	if err != nil {
		return nil, err
	}
	if !r.bare() || len(r.where) > 0 || !r.single || r.from == "" {
		if r, err = u.wrap(r); err != nil {
			return nil, err
		}
	}
	scope := make(map[int64]string, len(l.scope)+len(r.scope))
	for id, s := range l.scope {
		scope[id] = s
	}
	for id, s := range r.scope {
		scope[id] = s
	}
	kw, ok := joinKeywords[n.Kind]
	if !ok {
		return nil, fmt.Errorf("unparse: join kind %s has no Spark SQL form", n.Kind)
	}
	from := l.from + " "
	switch {
	case n.Cond != nil:
		c, err := u.expr(n.Cond, scope)
		if err != nil {
			return nil, err
		}
		from += kw + " " + r.from + " ON " + c
	case n.Kind == logical.InnerJoin:
		from += "CROSS JOIN " + r.from
	default:
		from += kw + " " + r.from + " ON TRUE"
	}
	return newBlock(from, false, scope, n.Output()), nil
}

// setOp renders UNION ALL, INTERSECT or EXCEPT of inputs as a derived table.
func (u *unparser) setOp(inputs []logical.Plan, op string, out []*logical.Attribute) (*block, error) {
	parts := make([]string, len(inputs))
	var first []string
	for i, in := range inputs {
		b, err := u.plan(in)
		if err != nil {
			return nil, err
		}
		if b.orders != nil || b.limit >= 0 || b.offset >= 0 {
			if b, err = u.wrap(b); err != nil {
				return nil, err
			}
		}
		t, names, err := u.innerText(b)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = names
		}
		parts[i] = t
	}
	alias := u.alias("t")
	scope := make(map[int64]string, len(out))
	for i, a := range out {
		if _, dup := scope[a.ID]; !dup {
			scope[a.ID] = Quote(alias) + "." + Quote(first[i])
		}
	}
	return newBlock("("+strings.Join(parts, " "+op+" ")+") AS "+Quote(alias), true, scope, out), nil
}

func (u *unparser) window(n *logical.Window) (*block, error) {
	b, err := u.plan(n.Child)
	if err != nil {
		return nil, err
	}
	if !(b.sel == nil && !b.grouped && !b.distinct && b.orders == nil && b.limit < 0 && b.offset < 0) {
		if b, err = u.wrap(b); err != nil {
			return nil, err
		}
	}
	items, err := u.refs(b, b.outs)
	if err != nil {
		return nil, err
	}
	for _, e := range n.Exprs {
		s, err := u.expr(unalias(e), b.scope)
		if err != nil {
			return nil, err
		}
		items = append(items, s)
	}
	b.setSelect(items, n.Output())
	return b, nil
}

// generate renders explode and posexplode as a LATERAL VIEW.
func (u *unparser) generate(n *logical.Generate) (*block, error) {
	b, err := u.plan(n.Child)
	if err != nil {
		return nil, err
	}
	if !b.bare() || b.from == "" {
		if b, err = u.wrap(b); err != nil {
			return nil, err
		}
	}
	in, err := u.expr(n.Input, b.scope)
	if err != nil {
		return nil, err
	}
	view := u.alias("g")
	names := uniqueNames(n.Attrs)
	cols := make([]string, len(names))
	for i, a := range n.Attrs {
		cols[i] = Quote(names[i])
		b.scope[a.ID] = Quote(view) + "." + Quote(names[i])
	}
	outer := ""
	if n.Outer {
		outer = "OUTER "
	}
	fn := logical.GeneratorName(false, n.Position)
	b.from += fmt.Sprintf(" LATERAL VIEW %s%s(%s) %s AS %s", outer, fn, in, Quote(view), strings.Join(cols, ", "))
	b.single = false
	b.outs = n.Output()
	return b, nil
}

// expand renders one copy of each row per projection (grouping sets) as a
// LATERAL VIEW over the projection numbers and a CASE per column.
func (u *unparser) expand(n *logical.Expand) (*block, error) {
	b, err := u.plan(n.Child)
	if err != nil {
		return nil, err
	}
	if !b.bare() || b.from == "" {
		if b, err = u.wrap(b); err != nil {
			return nil, err
		}
	}
	view := u.alias("g")
	nums := make([]string, len(n.Projections))
	for i := range nums {
		nums[i] = fmt.Sprint(i)
	}
	b.from += fmt.Sprintf(" LATERAL VIEW explode(array(%s)) %s AS %s", strings.Join(nums, ", "), Quote(view), Quote("g"))
	b.single = false
	items := make([]string, len(n.Attrs))
	for j := range n.Attrs {
		var cases strings.Builder
		cases.WriteString("CASE " + Quote(view) + "." + Quote("g"))
		same := true
		var firstText string
		for i, pr := range n.Projections {
			s, err := u.expr(pr[j], b.scope)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				firstText = s
			} else if s != firstText {
				same = false
			}
			fmt.Fprintf(&cases, " WHEN %d THEN %s", i, s)
		}
		cases.WriteString(" END")
		if same {
			items[j] = firstText
		} else {
			items[j] = cases.String()
		}
	}
	b.setSelect(items, n.Attrs)
	return b, nil
}

// repartition renders REPARTITION and COALESCE hints.
func (u *unparser) repartition(n *logical.Repartition) (*block, error) {
	b, err := u.plan(n.Child)
	if err != nil {
		return nil, err
	}
	if b, err = u.wrap(b); err != nil {
		return nil, err
	}
	args := []string{fmt.Sprint(n.N)}
	for _, k := range n.Keys {
		s, err := u.expr(k, b.scope)
		if err != nil {
			return nil, err
		}
		args = append(args, s)
	}
	name := "REPARTITION"
	if n.Coalesce {
		name = "COALESCE"
	}
	b.hints = "/*+ " + name + "(" + strings.Join(args, ", ") + ") */"
	return b, nil
}

// defaultCSV reports whether o reads CSV as Spark does without options:
// no header, every column a string, comma-separated, quoted with ", escaped
// with a backslash, an empty field null.
func defaultCSV(o csv.Options) bool {
	in := func(v rune, ok ...rune) bool {
		for _, r := range ok {
			if v == r {
				return true
			}
		}
		return false
	}
	oneOf := func(v string, ok ...string) bool {
		for _, s := range ok {
			if strings.EqualFold(v, s) {
				return true
			}
		}
		return false
	}
	return !o.Header && !o.InferSchema && in(o.Delimiter, 0, ',') && in(o.Quote, 0, '"') && in(o.Escape, 0, '\\') &&
		o.NullValue == "" && oneOf(o.DateFormat, "", "yyyy-MM-dd") && oneOf(o.TimestampFormat, "", "yyyy-MM-dd HH:mm:ss") &&
		o.Mode == 0 && o.EmptyValue == nil && oneOf(o.NanValue, "", "NaN") && oneOf(o.PositiveInf, "", "Inf") &&
		oneOf(o.NegativeInf, "", "-Inf") && o.Comment == 0 && in(o.LineSep, 0, '\n') && oneOf(o.Encoding, "", "UTF-8") &&
		!o.IgnoreLeadingWhiteSpace && !o.IgnoreTrailingWhiteSpace && o.LineOffset == 0
}
