package planner

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
)

// ErrAnalysis marks errors found while resolving names and types.
var ErrAnalysis = errors.New("analysis error")

// Catalog resolves table names to sources.
type Catalog interface {
	// LookupTable finds a table by name (case-insensitive): either a source
	// or the analyzed plan of a view.
	LookupTable(name string) (Source, Plan, bool)
	// TableNames lists the known tables, for suggestions.
	TableNames() []string
}

// IDs hands out attribute IDs unique within a session.
type IDs struct{ n atomic.Int64 }

// Next returns a new ID.
func (g *IDs) Next() int64 { return g.n.Add(1) }

// Analyzer resolves the names and types of a logical plan.
type Analyzer struct {
	Catalog Catalog
	IDs     *IDs
	// outer holds the inputs of the enclosing queries, innermost first,
	// while a subquery is analyzed.
	outer [][]*Attribute
}

func analysisErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrAnalysis, fmt.Sprintf(format, args...))
}

// Analyze resolves every table, column, function and type in p, inserting the
// implicit casts Spark would, and validates the plan.
func (a *Analyzer) Analyze(p Plan) (Plan, error) {
	out, _, err := TransformUp(p, func(n Plan) (Plan, bool, error) {
		r, err := a.resolveNode(n)
		return r, true, err
	})
	return out, err
}

// NewScan builds a resolved scan of src with fresh attributes qualified by table.
func (a *Analyzer) NewScan(src Source, table string) *Scan {
	s := src.Schema()
	attrs := make([]*Attribute, s.NumFields())
	for i, f := range s.Fields() {
		attrs[i] = &Attribute{ID: a.IDs.Next(), Name: f.Name, Qualifier: table, Type: f.Type, Null: f.Nullable}
	}
	return &Scan{Source: src, Attrs: attrs, Limit: -1}
}

func nodeName(p Plan) string {
	name := fmt.Sprintf("%T", p)
	return name[strings.LastIndexByte(name, '.')+1:]
}

func (a *Analyzer) resolveNode(p Plan) (Plan, error) {
	switch n := p.(type) {
	case *UnresolvedRelation:
		if a.Catalog == nil {
			return nil, analysisErr("unknown table %s", n.Name)
		}
		src, view, ok := a.Catalog.LookupTable(n.Name)
		if !ok {
			return nil, analysisErr("unknown table %s%s", n.Name, suggest(n.Name, a.Catalog.TableNames()))
		}
		short := n.Name[strings.LastIndexByte(n.Name, '.')+1:]
		if view != nil {
			return &SubqueryAlias{Alias: short, Child: view}, nil
		}
		return a.NewScan(src, short), nil
	case *Project:
		list, err := a.resolveList(n.List, n.Child.Output(), "Project", true)
		if err != nil {
			return nil, err
		}
		if p, ok, err := a.extractGenerator(list, n.Child); ok || err != nil {
			return p, err
		}
		for _, e := range list {
			if containsWindow(e) {
				return a.extractWindows(list, n.Child)
			}
		}
		for _, e := range list {
			if containsAggregate(e) {
				return nil, analysisErr("aggregate function %s is not allowed in Select; use GroupBy/Agg", stripIDs(e.String()))
			}
		}
		return &Project{List: list, Child: n.Child}, nil
	case *Filter:
		c, err := a.resolveExpr(n.Cond, n.Child.Output(), "Filter")
		if err != nil {
			return nil, err
		}
		if err := expectBoolean(c, "Filter"); err != nil {
			return nil, err
		}
		if c.DataType().ID() == arrow.NULL {
			c = castTo(c, arrow.FixedWidthTypes.Boolean) // WHERE NULL keeps no row
		}
		if containsAggregate(c) {
			return nil, analysisErr("aggregate function in Filter condition %s", stripIDs(c.String()))
		}
		if containsWindow(c) {
			return nil, analysisErr("window function in Filter condition %s; compute it in a subquery first", stripIDs(c.String()))
		}
		return &Filter{Cond: c, Child: n.Child}, nil
	case *Aggregate:
		in := n.Child.Output()
		groups := make([]Expr, len(n.Groups))
		for i, g := range n.Groups {
			r, err := a.resolveExpr(g, in, "Aggregate")
			if err != nil {
				return nil, err
			}
			if containsAggregate(r) {
				return nil, analysisErr("aggregate function in grouping expression %s", stripIDs(r.String()))
			}
			if al, ok := r.(*Alias); ok {
				r = al.E // a grouping expression's name belongs to the output list
			}
			if r.DataType().ID() == arrow.NULL {
				r = castTo(r, arrow.PrimitiveTypes.Int32) // GROUP BY NULL: one group
			}
			groups[i] = r
		}
		list, err := a.resolveList(n.List, in, "Aggregate", true)
		if err != nil {
			return nil, err
		}
		for _, e := range list {
			if containsWindow(e) {
				return nil, analysisErr("window function %s in an aggregation is not supported; aggregate in a subquery first", stripIDs(e.String()))
			}
		}
		if n.GroupingSets != nil {
			return a.resolveGroupingSets(groups, list, n.GroupingSets, n.Child)
		}
		if err := checkAggregateList(groups, list); err != nil {
			return nil, err
		}
		return a.rewriteDistinctAggregates(&Aggregate{Groups: groups, List: list, Child: n.Child})
	case *Sort:
		orders := make([]*SortOrder, len(n.Orders))
		for i, o := range n.Orders {
			r, err := a.resolveExpr(o.E, n.Child.Output(), "Sort")
			if err != nil {
				return nil, err
			}
			if containsWindow(r) {
				return nil, analysisErr("window function in Sort key %s; select it and sort by its name", stripIDs(r.String()))
			}
			if r.DataType().ID() == arrow.NULL {
				r = castTo(r, arrow.PrimitiveTypes.Int32) // ORDER BY NULL: every row ties
			}
			orders[i] = &SortOrder{E: r, Desc: o.Desc, NullsFirst: o.NullsFirst}
		}
		return &Sort{Orders: orders, Child: n.Child}, nil
	case *Join:
		right, err := a.dedupRight(n.Left, n.Right)
		if err != nil {
			return nil, err
		}
		if n.Cond == nil {
			return &Join{Left: n.Left, Right: right, Kind: n.Kind}, nil
		}
		in := append(append([]*Attribute{}, n.Left.Output()...), right.Output()...)
		c, err := a.resolveExpr(n.Cond, in, "Join")
		if err != nil {
			return nil, err
		}
		if err := expectBoolean(c, "Join"); err != nil {
			return nil, err
		}
		return &Join{Left: n.Left, Right: right, Kind: n.Kind, Cond: c}, nil
	case *UsingJoin:
		return a.resolveUsingJoin(n)
	case *RenameColumns:
		return a.resolveRenameColumns(n)
	case *Union:
		return a.resolveUnion(n)
	case *Repartition:
		return a.resolveRepartition(n)
	case *SetOp:
		return a.resolveSetOp(n)
	case *Distinct:
		return DistinctOf(n.Child), nil
	case *Limit:
		if n.N < 0 {
			return nil, analysisErr("limit must be non-negative, got %d", n.N)
		}
		return n, nil
	case *Offset:
		if n.N < 0 {
			return nil, analysisErr("offset must be non-negative, got %d", n.N)
		}
		return n, nil
	}
	return p, nil
}

func expectBoolean(e Expr, where string) error {
	t := e.DataType()
	if t.ID() != arrow.BOOL && t.ID() != arrow.NULL {
		return analysisErr("%s condition %s has type %s, not boolean", where, stripIDs(e.String()), TypeName(t))
	}
	return nil
}

// resolveList resolves a select list: stars expand to the input columns and
// every expression gets a name (an alias with a fresh ID where needed).
func (a *Analyzer) resolveList(list []Expr, in []*Attribute, where string, allowStar bool) ([]Expr, error) {
	var out []Expr
	for _, e := range list {
		if s, ok := e.(*Star); ok && allowStar {
			matched := false
			for _, att := range in {
				if s.Qualifier == "" || strings.EqualFold(att.Qualifier, s.Qualifier) {
					out = append(out, att)
					matched = true
				}
			}
			if !matched && s.Qualifier != "" {
				return nil, analysisErr("cannot resolve %s in %s", s, where)
			}
			continue
		}
		r, err := a.resolveExpr(e, in, where)
		if err != nil {
			return nil, err
		}
		switch x := r.(type) {
		case *Attribute:
		case *Alias:
			if x.ID == 0 {
				r = &Alias{E: x.E, Name: x.Name, ID: a.IDs.Next()}
			}
		default:
			r = &Alias{E: r, Name: outputName(r), ID: a.IDs.Next()}
		}
		out = append(out, r)
	}
	return out, nil
}

// resolveExpr resolves the columns of e against the input attributes and types it bottom-up.
func (a *Analyzer) resolveExpr(e Expr, in []*Attribute, where string) (Expr, error) {
	switch x := e.(type) {
	case *UnresolvedColumn:
		r, err := lookupColumn(x.Name, in, where)
		var unknown *unknownColumnError
		if err != nil && errors.As(err, &unknown) {
			for _, scope := range a.outer {
				if o, oerr := lookupColumn(x.Name, scope, where); oerr == nil {
					return &OuterRef{Attr: o.(*Attribute)}, nil
				}
			}
		}
		return r, err
	case *OuterRef:
		return x, nil
	case *Subquery:
		return a.resolveSubquery(x, in, where)
	case *UDF:
		if x.ID == 0 {
			c := *x
			c.ID = a.IDs.Next()
			e = &c
		}
	case *Attribute:
		for _, att := range in {
			if att.ID == x.ID {
				return att, nil
			}
		}
		return nil, analysisErr("column %s is not an input of %s", x.Name, where)
	case *Star:
		return nil, analysisErr("%s is not allowed in %s", x, where)
	}
	kids := e.Children()
	if len(kids) > 0 {
		nk := make([]Expr, len(kids))
		for i, k := range kids {
			r, err := a.resolveExpr(k, in, where)
			if err != nil {
				return nil, err
			}
			nk[i] = r
		}
		e = e.WithChildren(nk)
	}
	return typeCheck(e)
}

func lookupColumn(name string, in []*Attribute, where string) (Expr, error) {
	qual, col := "", name
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		qual, col = name[:i], name[i+1:]
	}
	var found []*Attribute
	for _, att := range in {
		if strings.EqualFold(att.Name, col) && (qual == "" || strings.EqualFold(att.Qualifier, qual)) {
			found = append(found, att)
		}
	}
	if len(found) == 0 && qual != "" {
		// A dotted name may be a column whose name contains a dot.
		for _, att := range in {
			if strings.EqualFold(att.Name, name) {
				found = append(found, att)
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		names := make([]string, len(in))
		for i, att := range in {
			names[i] = att.Name
		}
		return nil, &unknownColumnError{analysisErr("unknown column %s in %s%s", name, where, suggest(name, names))}
	}
	same := true
	for _, f := range found[1:] {
		same = same && f.ID == found[0].ID
	}
	if same {
		return found[0], nil
	}
	quals := make([]string, len(found))
	for i, f := range found {
		quals[i] = f.Qualifier + "." + f.Name
	}
	return nil, analysisErr("column %s in %s is ambiguous: could be %s", name, where, strings.Join(quals, " or "))
}

// unknownColumnError is the error for a name no input column has.
type unknownColumnError struct{ err error }

func (e *unknownColumnError) Error() string { return e.err.Error() }
func (e *unknownColumnError) Unwrap() error { return e.err }

// suggest returns "; did you mean X?" for the candidate nearest to name, or "".
func suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	lname := strings.ToLower(name)
	sorted := append([]string{}, candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		d := editDistance(lname, strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(name)/3) {
		return ""
	}
	return "; did you mean " + best + "?"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev[j-1]) // transposition costs one, like a substitution
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkAggregateList verifies that every column an aggregate's output reads
// outside an aggregate function is a grouping expression.
func checkAggregateList(groups, list []Expr) error {
	keys := map[string]bool{}
	for _, g := range groups {
		keys[g.String()] = true
	}
	var bad Expr
	var visit func(e Expr)
	visit = func(e Expr) {
		if bad != nil || keys[e.String()] {
			return
		}
		switch x := e.(type) {
		case *AggregateCall:
			if x.Arg != nil && containsAggregate(x.Arg) {
				bad = x
			}
			return
		case *Attribute:
			bad = x
			return
		}
		for _, c := range e.Children() {
			visit(c)
		}
	}
	for _, e := range list {
		if al, ok := e.(*Alias); ok {
			e = al.E
		}
		visit(e)
		if bad != nil {
			if ag, ok := bad.(*AggregateCall); ok {
				return analysisErr("aggregate function calls cannot be nested: %s", stripIDs(ag.String()))
			}
			return analysisErr("column %s in Aggregate is neither grouped nor aggregated; add it to GroupBy or wrap it in an aggregate such as first()", stripIDs(bad.String()))
		}
	}
	return nil
}
