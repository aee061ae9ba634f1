package analyzer

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// Catalog resolves table names to sources.
type Catalog interface {
	// LookupTable finds a table by name (case-insensitive): either a source
	// or the analyzed plan of a view.
	LookupTable(name string) (logical.Source, logical.Plan, bool)
	// TableNames lists the known tables, for suggestions.
	TableNames() []string
}

// Analyzer resolves the names and types of a logical plan.
type Analyzer struct {
	Catalog Catalog
	IDs     *logical.IDs
	// TimeZone is the session time zone (spark.sql.session.timeZone) by
	// name, and Location the zone itself; nil is UTC.
	TimeZone string
	Location *time.Location
	// outer holds the inputs of the enclosing queries, innermost first,
	// while a subquery is analyzed.
	outer [][]*logical.Attribute
	// lambdas holds the parameters of the lambda functions being resolved,
	// innermost last.
	lambdas []*logical.LambdaVar
}

// Analyze resolves every table, column, function and type in p, inserting the
// implicit casts Spark would, and validates the plan.
func (a *Analyzer) Analyze(p logical.Plan) (logical.Plan, error) {
	return a.AnalyzeAbove(p)
}

// AnalyzeAbove is Analyze for a plan built on top of plans already returned
// by Analyze: the subtrees identical (same node) to one of analyzed are kept
// as they are rather than resolved again. A DataFrame adding one node to an
// analyzed plan so costs the new node only, and a chain of n such steps stays
// linear in n instead of re-resolving the whole chain at every step.
func (a *Analyzer) AnalyzeAbove(p logical.Plan, analyzed ...logical.Plan) (logical.Plan, error) {
	return a.analyzeAbove(p, analyzed)
}

func (a *Analyzer) analyzeAbove(p logical.Plan, analyzed []logical.Plan) (logical.Plan, error) {
	for _, done := range analyzed {
		if p == done {
			return p, nil
		}
	}
	if kids := p.Children(); len(kids) > 0 {
		nk := make([]logical.Plan, len(kids))
		for i, k := range kids {
			r, err := a.analyzeAbove(k, analyzed)
			if err != nil {
				return nil, err
			}
			nk[i] = r
		}
		p = p.WithChildren(nk)
	}
	r, err := a.resolveNode(p)
	if err == nil {
		r, err = a.rewriteValueSubqueries(r)
	}
	return r, err
}

// NewScan builds a resolved scan of src with fresh attributes qualified by table.
func (a *Analyzer) NewScan(src logical.Source, table string) *logical.Scan {
	s := src.Schema()
	attrs := make([]*logical.Attribute, s.NumFields())
	for i, f := range s.Fields() {
		attrs[i] = &logical.Attribute{ID: a.IDs.Next(), Name: f.Name, Qualifier: table, Type: f.Type, Null: f.Nullable}
		if f.HasMetadata() {
			md := f.Metadata
			attrs[i].Meta = &md
		}
	}
	return &logical.Scan{Source: src, Attrs: attrs, Limit: -1}
}

// NodeName is a plan node's type name without its package, for messages.
func NodeName(p logical.Plan) string {
	name := fmt.Sprintf("%T", p)
	return name[strings.LastIndexByte(name, '.')+1:]
}

func (a *Analyzer) resolveNode(p logical.Plan) (logical.Plan, error) {
	switch n := p.(type) {
	case *logical.UnresolvedRelation:
		if a.Catalog == nil {
			return nil, logical.AnalysisErr("unknown table %s", n.Name)
		}
		src, view, ok := a.Catalog.LookupTable(n.Name)
		if !ok {
			return nil, logical.AnalysisErr("unknown table %s%s", n.Name, logical.Suggest(n.Name, a.Catalog.TableNames()))
		}
		short := n.Name[strings.LastIndexByte(n.Name, '.')+1:]
		if view != nil {
			return &logical.SubqueryAlias{Alias: short, Child: view}, nil
		}
		return a.NewScan(src, short), nil
	case *logical.Project:
		list, err := a.resolveList(n.List, n.Child.Output(), "Project", true)
		if err != nil {
			return nil, err
		}
		if list, err = a.expandJSONTuple(list); err != nil {
			return nil, err
		}
		if p, ok, err := a.extractGenerator(list, n.Child); ok || err != nil {
			return p, err
		}
		for _, e := range list {
			if logical.ContainsWindow(e) {
				return a.extractWindows(list, n.Child)
			}
		}
		for _, e := range list {
			if logical.ContainsAggregate(e) {
				return nil, logical.AnalysisErr("aggregate function %s is not allowed in Select; use GroupBy/Agg", logical.StripIDs(e.String()))
			}
		}
		return &logical.Project{List: list, Child: n.Child}, nil
	case *logical.Filter:
		c, err := a.resolveExpr(n.Cond, n.Child.Output(), "Filter")
		if err != nil {
			return nil, err
		}
		if err := expectBoolean(c, "Filter"); err != nil {
			return nil, err
		}
		if c.DataType().ID() == arrow.NULL {
			c = logical.CastTo(c, arrow.FixedWidthTypes.Boolean) // WHERE NULL keeps no row
		}
		if logical.ContainsAggregate(c) {
			return nil, logical.AnalysisErr("aggregate function in Filter condition %s", logical.StripIDs(c.String()))
		}
		if logical.ContainsWindow(c) {
			return nil, logical.AnalysisErr("window function in Filter condition %s; compute it in a subquery first", logical.StripIDs(c.String()))
		}
		return &logical.Filter{Cond: c, Child: n.Child}, nil
	case *logical.Aggregate:
		in := n.Child.Output()
		groups := make([]logical.Expr, len(n.Groups))
		for i, g := range n.Groups {
			r, err := a.resolveExpr(g, in, "Aggregate")
			if err != nil {
				return nil, err
			}
			if logical.ContainsAggregate(r) {
				return nil, logical.AnalysisErr("aggregate function in grouping expression %s", logical.StripIDs(r.String()))
			}
			if al, ok := r.(*logical.Alias); ok {
				r = al.E // a grouping expression's name belongs to the output list
			}
			if r.DataType().ID() == arrow.NULL {
				r = logical.CastTo(r, arrow.PrimitiveTypes.Int32) // GROUP BY NULL: one group
			}
			groups[i] = r
		}
		list, err := a.resolveList(n.List, in, "Aggregate", true)
		if err != nil {
			return nil, err
		}
		for _, e := range list {
			if logical.ContainsWindow(e) {
				return nil, logical.AnalysisErr("window function %s in an aggregation is not supported; aggregate in a subquery first", logical.StripIDs(e.String()))
			}
		}
		if n.GroupingSets != nil {
			return a.resolveGroupingSets(groups, list, n.GroupingSets, n.Child)
		}
		if err := checkAggregateList(groups, list); err != nil {
			return nil, err
		}
		return a.rewriteDistinctAggregates(&logical.Aggregate{Groups: groups, List: list, Child: n.Child})
	case *logical.Sort:
		orders := make([]*logical.SortOrder, len(n.Orders))
		for i, o := range n.Orders {
			r, err := a.resolveExpr(o.E, n.Child.Output(), "Sort")
			if err != nil {
				return nil, notSelectedByDistinct(err, n.Child)
			}
			if logical.ContainsWindow(r) {
				return nil, logical.AnalysisErr("window function in Sort key %s; select it and sort by its name", logical.StripIDs(r.String()))
			}
			if r.DataType().ID() == arrow.NULL {
				r = logical.CastTo(r, arrow.PrimitiveTypes.Int32) // ORDER BY NULL: every row ties
			}
			orders[i] = &logical.SortOrder{E: r, Desc: o.Desc, NullsFirst: o.NullsFirst}
		}
		return &logical.Sort{Orders: orders, Child: n.Child}, nil
	case *logical.Join:
		right, err := a.dedupRight(n.Left, n.Right)
		if err != nil {
			return nil, err
		}
		if n.Cond == nil {
			return &logical.Join{Left: n.Left, Right: right, Kind: n.Kind}, nil
		}
		in := append(append([]*logical.Attribute{}, n.Left.Output()...), right.Output()...)
		c, err := a.resolveExpr(n.Cond, in, "Join")
		if err != nil {
			return nil, err
		}
		if err := expectBoolean(c, "Join"); err != nil {
			return nil, err
		}
		return &logical.Join{Left: n.Left, Right: right, Kind: n.Kind, Cond: c}, nil
	case *logical.UsingJoin:
		return a.resolveUsingJoin(n)
	case *logical.RenameColumns:
		return a.resolveRenameColumns(n)
	case *logical.Union:
		return a.resolveUnion(n)
	case *logical.Repartition:
		return a.resolveRepartition(n)
	case *logical.SetOp:
		return a.resolveSetOp(n)
	case *logical.Distinct:
		return logical.DistinctOf(n.Child), nil
	case *logical.Limit:
		if n.N < 0 {
			return nil, logical.AnalysisErr("limit must be non-negative, got %d", n.N)
		}
		return n, nil
	case *logical.Offset:
		if n.N < 0 {
			return nil, logical.AnalysisErr("offset must be non-negative, got %d", n.N)
		}
		return n, nil
	}
	return p, nil
}

// notSelectedByDistinct turns the unknown-column error of a sort key over a
// SELECT DISTINCT into Spark's rule when the column exists below the
// DISTINCT: ORDER BY may only use the columns the DISTINCT keeps.
func notSelectedByDistinct(err error, child logical.Plan) error {
	var unknown *unknownColumnError
	if !errors.As(err, &unknown) || unknown.name == "" {
		return err
	}
	agg, ok := child.(*logical.Aggregate)
	if !ok || !isDistinct(agg) {
		return err
	}
	for p := agg.Child; p != nil; {
		if _, lerr := lookupColumn(unknown.name, p.Output(), "Sort"); lerr == nil {
			return logical.AnalysisErr("ORDER BY column %s is not in the select list; with SELECT DISTINCT, ORDER BY may only use selected columns", unknown.name)
		}
		kids := p.Children()
		if len(kids) != 1 {
			break
		}
		p = kids[0]
	}
	return err
}

// isDistinct reports whether agg is DISTINCT over its input: it groups by
// every input column and outputs just those (logical.DistinctOf).
func isDistinct(agg *logical.Aggregate) bool {
	in := agg.Child.Output()
	if len(agg.Groups) != len(in) || len(agg.List) != len(in) {
		return false
	}
	for i, att := range in {
		g, gok := agg.Groups[i].(*logical.Attribute)
		l, lok := agg.List[i].(*logical.Attribute)
		if !gok || !lok || g.ID != att.ID || l.ID != att.ID {
			return false
		}
	}
	return true
}

func expectBoolean(e logical.Expr, where string) error {
	t := e.DataType()
	if t.ID() != arrow.BOOL && t.ID() != arrow.NULL {
		return logical.AnalysisErr("%s condition %s has type %s, not boolean", where, logical.StripIDs(e.String()), logical.TypeName(t))
	}
	return nil
}

// resolveList resolves a select list: stars expand to the input columns and
// every expression gets a name (an alias with a fresh ID where needed).
func (a *Analyzer) resolveList(list []logical.Expr, in []*logical.Attribute, where string, allowStar bool) ([]logical.Expr, error) {
	var out []logical.Expr
	for _, e := range list {
		if s, ok := e.(*logical.Star); ok && allowStar {
			matched := false
			for _, att := range in {
				if s.Qualifier == "" || strings.EqualFold(att.Qualifier, s.Qualifier) {
					out = append(out, att)
					matched = true
				}
			}
			if !matched && s.Qualifier != "" {
				return nil, logical.AnalysisErr("cannot resolve %s in %s", s, where)
			}
			continue
		}
		r, err := a.resolveExpr(e, in, where)
		if err != nil {
			return nil, err
		}
		switch x := r.(type) {
		case *logical.Attribute:
		case *logical.Alias:
			if x.ID == 0 {
				r = &logical.Alias{E: x.E, Name: x.Name, ID: a.IDs.Next(), Meta: x.Meta}
			}
		default:
			name := logical.OutputName(r)
			if u, ok := e.(*logical.UnresolvedColumn); ok {
				// A session variable (or outer column) is named as written, like Spark.
				name = logical.OutputName(u)
			}
			r = &logical.Alias{E: r, Name: name, ID: a.IDs.Next()}
		}
		out = append(out, r)
	}
	return out, nil
}

// resolveExpr resolves the columns of e against the input attributes and types it bottom-up.
func (a *Analyzer) resolveExpr(e logical.Expr, in []*logical.Attribute, where string) (logical.Expr, error) {
	switch x := e.(type) {
	case *logical.UnresolvedColumn:
		if v, ok, err := a.lookupLambdaVar(x.Name); ok {
			return v, err
		}
		r, err := lookupColumn(x.Name, in, where)
		var unknown *unknownColumnError
		if err != nil && errors.As(err, &unknown) {
			for _, scope := range a.outer {
				if o, oerr := lookupColumn(x.Name, scope, where); oerr == nil {
					return &logical.OuterRef{Attr: o.(*logical.Attribute)}, nil
				}
			}
			if v, ok := a.variableRef(x.Name); ok {
				return a.inZone(v, nil)
			}
		}
		return r, err
	case *logical.OuterRef:
		return x, nil
	case *logical.OrdinalRef:
		return resolveOrdinal(x, in, where)
	case *logical.LateralAlias:
		return a.resolveLateralAlias(x, in, where)
	case *logical.MultiAlias:
		r, err := a.resolveExpr(x.E, in, where)
		if err != nil {
			return nil, err
		}
		return &logical.MultiAlias{E: r, Names: x.Names, Qualifier: x.Qualifier}, nil
	case *logical.LambdaVar:
		return a.boundLambdaVar(x)
	case *logical.Lambda:
		return nil, logical.AnalysisErr("a lambda function (%s) is allowed only as an argument of a higher-order function such as transform or filter", logical.StripIDs(x.String()))
	case *logical.Func:
		if logical.HasLambda(x.Args) {
			return a.inZone(a.resolveHigherOrder(x, in, where))
		}
	case *logical.Subquery:
		return a.inZone(a.resolveSubquery(x, in, where))
	case *logical.UDF:
		if x.ID == 0 {
			c := *x
			c.ID = a.IDs.Next()
			e = &c
		}
	case *logical.Attribute:
		for _, att := range in {
			if att.ID == x.ID {
				return att, nil
			}
		}
		return nil, logical.AnalysisErr("column %s is not an input of %s", x.Name, where)
	case *logical.Star:
		return nil, logical.AnalysisErr("%s is not allowed in %s", x, where)
	}
	kids := e.Children()
	var nk []logical.Expr
	if len(kids) > 0 {
		nk = make([]logical.Expr, len(kids))
		for i, k := range kids {
			r, err := a.resolveExpr(k, in, where)
			if err != nil {
				return nil, err
			}
			nk[i] = r
		}
		e = e.WithChildren(nk)
	}
	typed, err := TypeCheck(e)
	if err != nil {
		return nil, err
	}
	// The children went through resolveExpr, so they are in the zone
	// already: only this node and what typing put above them are
	// rewritten, which keeps analysis linear in the size of the expression.
	loc, zone := a.zone()
	return functions.InZoneAbove(typed, nk, zone, loc), nil
}

// zone is the session time zone and its name, UTC when none is set.
func (a *Analyzer) zone() (*time.Location, string) {
	if a.Location == nil {
		return time.UTC, "UTC"
	}
	return a.Location, a.TimeZone
}

// inZone rewrites a whole expression resolved without going through
// resolveExpr's last step (higher-order calls, subqueries) for the session
// time zone.
func (a *Analyzer) inZone(e logical.Expr, err error) (logical.Expr, error) {
	if err != nil {
		return nil, err
	}
	loc, zone := a.zone()
	return functions.InZone(e, zone, loc), nil
}

func lookupColumn(name string, in []*logical.Attribute, where string) (logical.Expr, error) {
	qual, col := "", name
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		qual, col = name[:i], name[i+1:]
	}
	var found []*logical.Attribute
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
		if e, ok := structFieldRef(name, in, where); ok {
			return e, nil
		}
		names := make([]string, len(in))
		for i, att := range in {
			names[i] = att.Name
		}
		return nil, &unknownColumnError{name: name, err: logical.AnalysisErr("unknown column %s in %s%s", name, where, logical.Suggest(name, names))}
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
	return nil, logical.AnalysisErr("column %s in %s is ambiguous: could be %s", name, where, strings.Join(quals, " or "))
}

// unknownColumnError is the error for a name no input column has.
type unknownColumnError struct {
	name string
	err  error
}

func (e *unknownColumnError) Error() string { return e.err.Error() }

func (e *unknownColumnError) Unwrap() error { return e.err }

// checkAggregateList verifies that every column an aggregate's output reads
// outside an aggregate function is a grouping expression.
func checkAggregateList(groups, list []logical.Expr) error {
	var bad logical.Expr
	var visit func(e logical.Expr)
	visit = func(e logical.Expr) {
		if bad != nil || logical.IndexOf(groups, e) >= 0 {
			return
		}
		switch x := e.(type) {
		case *logical.AggregateCall:
			if x.Arg != nil && logical.ContainsAggregate(x.Arg) {
				bad = x
			}
			return
		case *logical.Attribute:
			bad = x
			return
		}
		for _, c := range e.Children() {
			visit(c)
		}
	}
	for _, e := range list {
		if al, ok := e.(*logical.Alias); ok {
			e = al.E
		}
		visit(e)
		if bad != nil {
			if ag, ok := bad.(*logical.AggregateCall); ok {
				return logical.AnalysisErr("aggregate function calls cannot be nested: %s", logical.StripIDs(ag.String()))
			}
			return logical.AnalysisErr("column %s in Aggregate is neither grouped nor aggregated; add it to GroupBy or wrap it in an aggregate such as first()", logical.StripIDs(bad.String()))
		}
	}
	return nil
}
