package logical

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Plan is a logical plan node. Nodes are immutable: rewrites build new nodes.
type Plan interface {
	// Output lists the columns the node produces (valid once analyzed).
	Output() []*Attribute
	Children() []Plan
	WithChildren(children []Plan) Plan
	// Expressions returns the node's own expressions, in a fixed order that
	// WithExpressions accepts back.
	Expressions() []Expr
	WithExpressions(exprs []Expr) Plan
	// String describes the node in one line, used by EXPLAIN.
	String() string
}

// Schema is the Arrow schema of a plan's output.
func Schema(p Plan) *arrow.Schema {
	out := p.Output()
	fields := make([]arrow.Field, len(out))
	for i, a := range out {
		fields[i] = arrow.Field{Name: a.Name, Type: a.Type, Nullable: a.Null}
		if a.Meta != nil {
			fields[i].Metadata = *a.Meta
		}
	}
	return arrow.NewSchema(fields, nil)
}

// UnresolvedRelation names a catalog table the analyzer has yet to look up.
type UnresolvedRelation struct{ Name string }

func (p *UnresolvedRelation) Output() []*Attribute { return nil }

func (p *UnresolvedRelation) Children() []Plan { return nil }

func (p *UnresolvedRelation) WithChildren([]Plan) Plan { return p }

func (p *UnresolvedRelation) Expressions() []Expr { return nil }

func (p *UnresolvedRelation) WithExpressions([]Expr) Plan { return p }

func (p *UnresolvedRelation) String() string { return "UnresolvedRelation " + p.Name }

// Scan reads a Source. Attrs are all the source's columns; Columns selects the
// ones produced (nil: all). Filters are predicates pushed into the scan: the
// scan evaluates them and may use them to skip data. Limit, when ≥ 0, bounds
// the rows each partition needs to produce.
type Scan struct {
	Source  Source
	Attrs   []*Attribute
	Columns []int
	Filters []Expr
	Limit   int64
}

// Output implements Plan.
func (p *Scan) Output() []*Attribute {
	if p.Columns == nil {
		return p.Attrs
	}
	out := make([]*Attribute, len(p.Columns))
	for i, c := range p.Columns {
		out[i] = p.Attrs[c]
	}
	return out
}

func (p *Scan) Children() []Plan { return nil }

func (p *Scan) WithChildren([]Plan) Plan { return p }

func (p *Scan) Expressions() []Expr { return p.Filters }

func (p *Scan) WithExpressions(e []Expr) Plan {
	c := *p
	c.Filters = e
	return &c
}

func (p *Scan) String() string {
	s := fmt.Sprintf("Scan %s %s", p.Source.Describe(), AttrList(p.Output()))
	if len(p.Filters) > 0 {
		s += " PushedFilters: " + exprList(p.Filters)
	}
	if p.Limit >= 0 {
		s += fmt.Sprintf(" Limit: %d", p.Limit)
	}
	return s
}

// Project computes a list of named expressions (attributes or aliases).
type Project struct {
	List  []Expr
	Child Plan
}

func (p *Project) Output() []*Attribute { return NamedOutput(p.List) }

func (p *Project) Children() []Plan { return []Plan{p.Child} }

func (p *Project) WithChildren(c []Plan) Plan {
	return &Project{List: p.List, Child: c[0]}
}

func (p *Project) Expressions() []Expr { return p.List }

func (p *Project) WithExpressions(e []Expr) Plan {
	return &Project{List: e, Child: p.Child}
}

func (p *Project) String() string { return "Project " + exprList(p.List) }

// Filter keeps the rows for which Cond is true.
type Filter struct {
	Cond  Expr
	Child Plan
}

func (p *Filter) Output() []*Attribute { return p.Child.Output() }

func (p *Filter) Children() []Plan { return []Plan{p.Child} }

func (p *Filter) WithChildren(c []Plan) Plan {
	return &Filter{Cond: p.Cond, Child: c[0]}
}

func (p *Filter) Expressions() []Expr { return []Expr{p.Cond} }

func (p *Filter) WithExpressions(e []Expr) Plan {
	return &Filter{Cond: e[0], Child: p.Child}
}

func (p *Filter) String() string { return "Filter " + p.Cond.String() }

// Aggregate groups rows by Groups and computes List, whose expressions combine
// grouping expressions and aggregate functions.
type Aggregate struct {
	Groups []Expr
	List   []Expr
	// GroupingSets, when not nil, lists the grouping sets (positions in
	// Groups) of GROUPING SETS, ROLLUP or CUBE; the analyzer rewrites such an
	// aggregation into a plain one over an Expand.
	GroupingSets [][]int
	Child        Plan
}

func (p *Aggregate) Output() []*Attribute { return NamedOutput(p.List) }

func (p *Aggregate) Children() []Plan { return []Plan{p.Child} }

func (p *Aggregate) WithChildren(c []Plan) Plan {
	return &Aggregate{Groups: p.Groups, List: p.List, GroupingSets: p.GroupingSets, Child: c[0]}
}

func (p *Aggregate) Expressions() []Expr {
	return append(append([]Expr{}, p.Groups...), p.List...)
}

func (p *Aggregate) WithExpressions(e []Expr) Plan {
	n := len(p.Groups)
	return &Aggregate{Groups: e[:n:n], List: e[n:], GroupingSets: p.GroupingSets, Child: p.Child}
}

func (p *Aggregate) String() string {
	return fmt.Sprintf("Aggregate [%s] %s", strings.Trim(exprList(p.Groups), "[]"), exprList(p.List))
}

// Sort orders rows globally.
type Sort struct {
	Orders []*SortOrder
	Child  Plan
}

func (p *Sort) Output() []*Attribute { return p.Child.Output() }

func (p *Sort) Children() []Plan { return []Plan{p.Child} }

func (p *Sort) WithChildren(c []Plan) Plan {
	return &Sort{Orders: p.Orders, Child: c[0]}
}

func (p *Sort) Expressions() []Expr {
	out := make([]Expr, len(p.Orders))
	for i, o := range p.Orders {
		out[i] = o
	}
	return out
}

func (p *Sort) WithExpressions(e []Expr) Plan {
	orders := make([]*SortOrder, len(e))
	for i, x := range e {
		orders[i] = x.(*SortOrder)
	}
	return &Sort{Orders: orders, Child: p.Child}
}

func (p *Sort) String() string { return "Sort " + exprList(p.Expressions()) }

// Limit keeps the first N rows.
type Limit struct {
	N     int64
	Child Plan
}

func (p *Limit) Output() []*Attribute { return p.Child.Output() }

func (p *Limit) Children() []Plan { return []Plan{p.Child} }

func (p *Limit) WithChildren(c []Plan) Plan {
	return &Limit{N: p.N, Child: c[0]}
}

func (p *Limit) Expressions() []Expr { return nil }

func (p *Limit) WithExpressions([]Expr) Plan { return p }

func (p *Limit) String() string { return fmt.Sprintf("Limit %d", p.N) }

// JoinKind is the kind of a join.
type JoinKind int

// The join kinds, as Spark has them. A cross join is an inner join without
// a condition.
const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	FullJoin
	LeftSemiJoin
	LeftAntiJoin
)

func (k JoinKind) String() string {
	switch k {
	case LeftJoin:
		return "LeftOuter"
	case RightJoin:
		return "RightOuter"
	case FullJoin:
		return "FullOuter"
	case LeftSemiJoin:
		return "LeftSemi"
	case LeftAntiJoin:
		return "LeftAnti"
	}
	return "Inner"
}

// LeftPreserved reports whether every left row reaches the output of a join
// of kind k whatever the right side holds (so a condition on the left side
// alone must not filter the left input below it).
func (k JoinKind) LeftPreserved() bool { return k == LeftJoin || k == FullJoin || k == LeftAntiJoin }

// RightPreserved is leftPreserved for the right side.
func (k JoinKind) RightPreserved() bool { return k == RightJoin || k == FullJoin }

// OutputsRight reports whether the join produces the right side's columns.
func (k JoinKind) OutputsRight() bool { return k != LeftSemiJoin && k != LeftAntiJoin }

// Join combines rows of Left and Right for which Cond holds (Cond nil: all pairs).
type Join struct {
	Left, Right Plan
	Kind        JoinKind
	Cond        Expr
}

// Output implements Plan: the left columns then the right ones (nullable for a left join).
func (p *Join) Output() []*Attribute {
	var out []*Attribute
	for _, a := range p.Left.Output() {
		if p.Kind == RightJoin || p.Kind == FullJoin {
			a = a.WithNullable(true)
		}
		out = append(out, a)
	}
	if !p.Kind.OutputsRight() {
		return out
	}
	for _, a := range p.Right.Output() {
		if p.Kind == LeftJoin || p.Kind == FullJoin {
			a = a.WithNullable(true)
		}
		out = append(out, a)
	}
	return out
}

func (p *Join) Children() []Plan { return []Plan{p.Left, p.Right} }

func (p *Join) WithChildren(c []Plan) Plan {
	return &Join{Left: c[0], Right: c[1], Kind: p.Kind, Cond: p.Cond}
}

func (p *Join) Expressions() []Expr {
	if p.Cond == nil {
		return nil
	}
	return []Expr{p.Cond}
}

func (p *Join) WithExpressions(e []Expr) Plan {
	c := *p
	c.Cond = nil
	if len(e) > 0 {
		c.Cond = e[0]
	}
	return &c
}

func (p *Join) String() string {
	if p.Cond == nil {
		return "Join " + p.Kind.String()
	}
	return fmt.Sprintf("Join %s %s", p.Kind, p.Cond)
}

// SubqueryAlias gives its child's columns a qualifier (a table alias).
type SubqueryAlias struct {
	Alias string
	Child Plan
}

// Output implements Plan: the child's columns, qualified by the alias.
func (p *SubqueryAlias) Output() []*Attribute {
	in := p.Child.Output()
	out := make([]*Attribute, len(in))
	for i, a := range in {
		c := *a
		c.Qualifier = p.Alias
		out[i] = &c
	}
	return out
}

func (p *SubqueryAlias) Children() []Plan { return []Plan{p.Child} }

func (p *SubqueryAlias) WithChildren(c []Plan) Plan {
	return &SubqueryAlias{Alias: p.Alias, Child: c[0]}
}

func (p *SubqueryAlias) Expressions() []Expr { return nil }

func (p *SubqueryAlias) WithExpressions([]Expr) Plan { return p }

func (p *SubqueryAlias) String() string { return "SubqueryAlias " + p.Alias }

// NamedOutput turns a list of attributes and aliases into output attributes.
func NamedOutput(list []Expr) []*Attribute {
	out := make([]*Attribute, len(list))
	for i, e := range list {
		switch x := e.(type) {
		case *Attribute:
			out[i] = x
		case *Alias:
			out[i] = &Attribute{ID: x.ID, Name: x.Name, Type: x.DataType(), Null: x.Nullable(), Meta: x.Metadata()}
		default:
			out[i] = &Attribute{ID: -1, Name: OutputName(e), Type: e.DataType(), Null: true}
		}
	}
	return out
}

// AttrList formats attributes as "[a#1, b#2]" for EXPLAIN.
func AttrList(attrs []*Attribute) string {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = a.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func exprList(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// TransformUp rewrites a plan bottom-up: fn sees each node after its children
// were rewritten. It returns the new plan and whether anything changed.
func TransformUp(p Plan, fn func(Plan) (Plan, bool, error)) (Plan, bool, error) {
	kids := p.Children()
	changed := false
	if len(kids) > 0 {
		nk := make([]Plan, len(kids))
		for i, k := range kids {
			var c bool
			var err error
			nk[i], c, err = TransformUp(k, fn)
			if err != nil {
				return nil, false, err
			}
			changed = changed || c
		}
		if changed {
			p = p.WithChildren(nk)
		}
	}
	np, c, err := fn(p)
	if err != nil {
		return nil, false, err
	}
	return np, changed || c, nil
}

// TransformDown rewrites a plan top-down: fn sees each node before its children.
func TransformDown(p Plan, fn func(Plan) (Plan, bool, error)) (Plan, bool, error) {
	np, changed, err := fn(p)
	if err != nil {
		return nil, false, err
	}
	kids := np.Children()
	if len(kids) == 0 {
		return np, changed, nil
	}
	nk := make([]Plan, len(kids))
	kc := false
	for i, k := range kids {
		var c bool
		nk[i], c, err = TransformDown(k, fn)
		if err != nil {
			return nil, false, err
		}
		kc = kc || c
	}
	if kc {
		np = np.WithChildren(nk)
	}
	return np, changed || kc, nil
}

// Format renders a plan tree one node a line, children indented.
func Format(p Plan) string {
	var b strings.Builder
	var walk func(p Plan, depth int)
	walk = func(p Plan, depth int) {
		prefix := ""
		if depth > 0 {
			prefix = strings.Repeat("   ", depth-1) + "+- "
		}
		b.WriteString(prefix + p.String() + "\n")
		for _, c := range p.Children() {
			walk(c, depth+1)
		}
	}
	walk(p, 0)
	return b.String()
}

// OutputIDs returns the set of a plan's output attribute IDs.
func OutputIDs(p Plan) map[int64]bool {
	ids := map[int64]bool{}
	for _, a := range p.Output() {
		ids[a.ID] = true
	}
	return ids
}

// Subset reports whether every ID in a is in b.
func Subset(a, b map[int64]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
