package sql

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// ShowColumns is SHOW COLUMNS (IN | FROM) table [(IN | FROM) database].
type ShowColumns struct {
	Table string
	Text  string
}

// CacheTable is CACHE [LAZY] TABLE name [AS query]: the table (or the
// query's result, registered as name) is computed once and kept in memory.
type CacheTable struct {
	Name  string
	Query logical.Plan // nil: cache the table name already names
	Lazy  bool
	Text  string
}

// UncacheTable is UNCACHE TABLE [IF EXISTS] name.
type UncacheTable struct {
	Name     string
	IfExists bool
	Text     string
}

// DeclareVariable is DECLARE [OR REPLACE] [VARIABLE] name [type]
// [DEFAULT | = expr]: a session variable, NULL without a default.
type DeclareVariable struct {
	Name    string
	Type    arrow.DataType // nil: the default's type
	Default logical.Expr
	Replace bool
	Text    string
}

// SetVariable is SET VAR[IABLE] name = expr [, name = expr …].
type SetVariable struct {
	Names  []string
	Values []logical.Expr
	Text   string
}

// DropVariable is DROP TEMPORARY VARIABLE [IF EXISTS] name.
type DropVariable struct {
	Name     string
	IfExists bool
	Text     string
}

// SQL implements Statement.
func (s *ShowColumns) SQL() string { return s.Text }

// SQL implements Statement.
func (s *CacheTable) SQL() string { return s.Text }

// SQL implements Statement.
func (s *UncacheTable) SQL() string { return s.Text }

// SQL implements Statement.
func (s *DeclareVariable) SQL() string { return s.Text }

// SQL implements Statement.
func (s *SetVariable) SQL() string { return s.Text }

// SQL implements Statement.
func (s *DropVariable) SQL() string { return s.Text }

func (*ShowColumns) statement()     {}
func (*CacheTable) statement()      {}
func (*UncacheTable) statement()    {}
func (*DeclareVariable) statement() {}
func (*SetVariable) statement()     {}
func (*DropVariable) statement()    {}

func (s *ShowColumns) setText(t string)     { s.Text = t }
func (s *CacheTable) setText(t string)      { s.Text = t }
func (s *UncacheTable) setText(t string)    { s.Text = t }
func (s *DeclareVariable) setText(t string) { s.Text = t }
func (s *SetVariable) setText(t string)     { s.Text = t }
func (s *DropVariable) setText(t string)    { s.Text = t }

// showColumns parses the rest of SHOW COLUMNS.
func (p *parser) showColumns() (Statement, error) {
	if !p.acceptKw("IN") && !p.acceptKw("FROM") {
		return nil, p.expected("IN or FROM after SHOW COLUMNS")
	}
	name, err := p.qualifiedName("table name")
	if err != nil {
		return nil, err
	}
	if p.acceptKw("IN") || p.acceptKw("FROM") {
		db, err := p.ident("database name")
		if err != nil {
			return nil, err
		}
		// Temp views and the sample tables live outside databases: the
		// default database names them unqualified.
		if !strings.Contains(name, ".") && !strings.EqualFold(db, "default") {
			name = db + "." + name
		}
	}
	return &ShowColumns{Table: name}, nil
}

// showFunctionsPattern parses the optional [LIKE] 'pattern' of SHOW FUNCTIONS.
func (p *parser) showFunctionsPattern() (string, error) {
	like := p.acceptKw("LIKE")
	if t := p.peek(); t.kind == tkString {
		p.next()
		return t.text, nil
	}
	if like {
		return "", p.expected("a pattern string after LIKE")
	}
	return "", nil
}

// cache parses CACHE [LAZY] TABLE name [OPTIONS (…)] [[AS] query].
func (p *parser) cache() (Statement, error) {
	p.next() // CACHE
	lazy := p.acceptKw("LAZY")
	if err := p.expectKw("TABLE"); err != nil {
		return nil, err
	}
	name, err := p.qualifiedName("table name")
	if err != nil {
		return nil, err
	}
	if p.peek().is("OPTIONS") {
		p.next()
		if _, err := p.options(); err != nil {
			return nil, err
		}
	}
	st := &CacheTable{Name: name, Lazy: lazy}
	p.acceptKw("AS")
	if p.startsQuery() {
		if st.Query, err = p.query(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// uncache parses UNCACHE TABLE [IF EXISTS] name.
func (p *parser) uncache() (Statement, error) {
	p.next() // UNCACHE
	if err := p.expectKw("TABLE"); err != nil {
		return nil, err
	}
	st := &UncacheTable{}
	if p.acceptKw("IF") {
		if err := p.expectKw("EXISTS"); err != nil {
			return nil, err
		}
		st.IfExists = true
	}
	name, err := p.qualifiedName("table name")
	if err != nil {
		return nil, err
	}
	st.Name = name
	return st, nil
}

// declare parses DECLARE [OR REPLACE] [VARIABLE] name [type] [DEFAULT | = expr].
func (p *parser) declare() (Statement, error) {
	p.next() // DECLARE
	st := &DeclareVariable{}
	if p.acceptKw("OR") {
		if err := p.expectKw("REPLACE"); err != nil {
			return nil, err
		}
		st.Replace = true
	}
	p.acceptKw("VARIABLE")
	name, err := p.qualifiedName("variable name")
	if err != nil {
		return nil, err
	}
	st.Name = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(name), "system.session."), "session.")
	if t := p.peek(); !t.is("DEFAULT") && !t.isOp("=") && !t.isOp(";") && t.kind != tkEOF {
		if st.Type, err = p.typeName(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("DEFAULT") || p.acceptOp("=") {
		if st.Default, err = p.expr(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// setVariable parses the rest of SET VAR[IABLE] name = expr [, …].
func (p *parser) setVariable() (Statement, error) {
	st := &SetVariable{}
	for {
		name, err := p.qualifiedName("variable name")
		if err != nil {
			return nil, err
		}
		if err := p.expectOp("="); err != nil {
			return nil, err
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		st.Names = append(st.Names, strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(name), "system.session."), "session."))
		st.Values = append(st.Values, e)
		if !p.acceptOp(",") {
			return st, nil
		}
	}
}

// dropVariable parses the rest of DROP TEMPORARY VARIABLE [IF EXISTS] name.
func (p *parser) dropVariable() (Statement, error) {
	st := &DropVariable{}
	if p.acceptKw("IF") {
		if err := p.expectKw("EXISTS"); err != nil {
			return nil, err
		}
		st.IfExists = true
	}
	name, err := p.qualifiedName("variable name")
	if err != nil {
		return nil, err
	}
	st.Name = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(name), "system.session."), "session.")
	return st, nil
}
