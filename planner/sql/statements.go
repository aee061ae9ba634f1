// Package sql parses the Spark SQL dialect into the logical plans of package
// planner, the same unresolved plans the DataFrame API builds, so that both
// surfaces share the analyzer's semantics.
package sql

import (
	"github.com/gspark/gspark/planner/logical"
)

// OneRowRelation is the table name a SELECT without FROM reads: the
// session resolves it to a single row without columns.
const OneRowRelation = "__one_row__"

// Statement is one parsed SQL statement: *Query, *CreateView,
// *CreateSourceView, *CreateTableAs, *InsertOverwriteDirectory, *Explain,
// *ShowTables, *ShowFunctions, *DropView, *Describe or *Set.
type Statement interface {
	// SQL returns the statement's source text.
	SQL() string
	statement()
	setText(string)
}

// Query is a SELECT (or WITH, or parenthesized) query; Plan is unresolved
// and may hold Prune nodes, which Lower replaces once the plan is analyzed.
type Query struct {
	Plan logical.Plan
	Text string
}

// CreateView is CREATE [OR REPLACE] TEMP[ORARY] VIEW Name AS Query.
type CreateView struct {
	Name    string
	Replace bool
	Query   logical.Plan
	Text    string
}

// Explain is EXPLAIN [EXTENDED | FORMATTED | ANALYZE] query.
type Explain struct {
	Extended bool
	// Formatted asks for Spark's formatted physical plan: a numbered
	// operator tree, then each operator's details.
	Formatted bool
	// Analyze runs the query and reports what each operator did.
	Analyze bool
	Query   logical.Plan
	Text    string
}

// ShowTables is SHOW TABLES.
type ShowTables struct{ Text string }

// ShowFunctions is SHOW FUNCTIONS [[LIKE] 'pattern']: the scalar and
// aggregate functions, those matching Pattern when set (Spark's pattern:
// * is any text, | separates alternatives, case does not matter).
type ShowFunctions struct {
	Pattern string
	Text    string
}

// DropView is DROP VIEW [IF EXISTS] name.
type DropView struct {
	Name     string
	IfExists bool
	Text     string
}

// Describe is DESCRIBE [TABLE] [EXTENDED | FORMATTED] Name.
type Describe struct {
	Name     string
	Extended bool
	Text     string
}

// CreateSourceView is CREATE [OR REPLACE] TEMP[ORARY] VIEW Name USING
// Format OPTIONS (path '…', key 'value', …), or CREATE TABLE [IF NOT
// EXISTS] Name USING Format LOCATION 'path' without a query: a view over
// files.
type CreateSourceView struct {
	Name    string
	Replace bool
	// IfNotExists (CREATE TABLE IF NOT EXISTS … LOCATION without a query)
	// keeps an existing table of the name.
	IfNotExists bool
	// Format is the data source, lower case: parquet, csv or json.
	Format string
	// Options holds the OPTIONS with lower-case keys, path included.
	Options map[string]string
	Text    string
}

// CreateTableAs is CREATE TABLE [IF NOT EXISTS] Name USING Format
// [OPTIONS (…)] LOCATION 'path' [AS] query: it writes the query's result to
// Location (which must not exist) and registers Name over the written files.
type CreateTableAs struct {
	Name        string
	IfNotExists bool
	Format      string
	Options     map[string]string
	Location    string
	Query       logical.Plan
	Text        string
}

// InsertOverwriteDirectory is INSERT OVERWRITE [LOCAL] DIRECTORY ['path']
// USING Format [OPTIONS (…)] query: it replaces the directory Path with the
// query's result. Path may also come from OPTIONS (path '…').
type InsertOverwriteDirectory struct {
	Path    string
	Format  string
	Options map[string]string
	Query   logical.Plan
	Text    string
}

// Set is SET (list the settings), SET key (show one) or SET key=value.
type Set struct {
	Key      string
	Value    string
	HasValue bool
	Text     string
}

// SQL implements Statement.
func (s *Query) SQL() string { return s.Text }

// SQL implements Statement.
func (s *CreateSourceView) SQL() string { return s.Text }

// SQL implements Statement.
func (s *CreateTableAs) SQL() string { return s.Text }

// SQL implements Statement.
func (s *InsertOverwriteDirectory) SQL() string { return s.Text }

// SQL implements Statement.
func (s *Set) SQL() string { return s.Text }

// SQL implements Statement.
func (s *CreateView) SQL() string { return s.Text }

// SQL implements Statement.
func (s *Explain) SQL() string { return s.Text }

// SQL implements Statement.
func (s *ShowTables) SQL() string { return s.Text }

// SQL implements Statement.
func (s *Describe) SQL() string { return s.Text }

// SQL implements Statement.
func (s *ShowFunctions) SQL() string { return s.Text }

// SQL implements Statement.
func (s *DropView) SQL() string { return s.Text }

func (*Query) statement()                    {}
func (*CreateSourceView) statement()         {}
func (*CreateTableAs) statement()            {}
func (*InsertOverwriteDirectory) statement() {}
func (*Set) statement()                      {}

func (s *Query) setText(t string)                    { s.Text = t }
func (s *CreateView) setText(t string)               { s.Text = t }
func (s *CreateSourceView) setText(t string)         { s.Text = t }
func (s *CreateTableAs) setText(t string)            { s.Text = t }
func (s *InsertOverwriteDirectory) setText(t string) { s.Text = t }
func (s *Explain) setText(t string)                  { s.Text = t }
func (s *ShowTables) setText(t string)               { s.Text = t }
func (s *ShowFunctions) setText(t string)            { s.Text = t }
func (s *DropView) setText(t string)                 { s.Text = t }
func (s *Describe) setText(t string)                 { s.Text = t }
func (s *Set) setText(t string)                      { s.Text = t }
func (*CreateView) statement()                       {}
func (*Explain) statement()                          {}
func (*ShowTables) statement()                       {}
func (*Describe) statement()                         {}
func (*ShowFunctions) statement()                    {}
func (*DropView) statement()                         {}

// Prune keeps the first Keep output columns of its child. The parser puts it
// above a projection or aggregation that computes extra, hidden columns for
// ORDER BY or HAVING; the analyzer passes it through (its output is a prefix
// of its child's) and Lower turns it into a Project of the kept columns.
type Prune struct {
	Keep  int
	Child logical.Plan
}

// Output implements logical.Plan: the first Keep columns of the child.
func (p *Prune) Output() []*logical.Attribute {
	out := p.Child.Output()
	return out[:min(p.Keep, len(out))]
}

// Children implements logical.Plan.
func (p *Prune) Children() []logical.Plan { return []logical.Plan{p.Child} }

// WithChildren implements logical.Plan.
func (p *Prune) WithChildren(c []logical.Plan) logical.Plan {
	return &Prune{Keep: p.Keep, Child: c[0]}
}

// Expressions implements logical.Plan: Prune has none.
func (p *Prune) Expressions() []logical.Expr { return nil }

// WithExpressions implements logical.Plan.
func (p *Prune) WithExpressions([]logical.Expr) logical.Plan { return p }

// String implements logical.Plan.
func (p *Prune) String() string { return "Prune hidden columns" }

// Lower replaces the Prune nodes of an analyzed plan with Projects of the
// columns they keep, leaving a plan of planner nodes only.
func Lower(p logical.Plan) logical.Plan {
	out, _, _ := logical.TransformUpWithSubqueries(p, func(n logical.Plan) (logical.Plan, bool, error) {
		pr, ok := n.(*Prune)
		if !ok {
			return n, false, nil
		}
		attrs := pr.Output()
		list := make([]logical.Expr, len(attrs))
		for i, a := range attrs {
			list[i] = a
		}
		return &logical.Project{List: list, Child: pr.Child}, true, nil
	})
	return out
}
