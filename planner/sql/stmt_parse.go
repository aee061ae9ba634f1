package sql

import (
	"strings"
)

// statement parses one statement: a query or a command.
func (p *parser) statement() (Statement, error) {
	t := p.peek()
	switch {
	case t.is("SELECT"), t.is("WITH"), t.isOp("("):
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &Query{Plan: q}, nil
	case t.is("CREATE"):
		p.next()
		replace := false
		if p.acceptKw("OR") {
			if err := p.expectKw("REPLACE"); err != nil {
				return nil, err
			}
			replace = true
		}
		if !p.acceptKw("TEMP") && !p.acceptKw("TEMPORARY") {
			if p.peek().is("VIEW") || p.peek().is("TABLE") {
				return nil, p.errAt(p.peek(), "only CREATE TEMP VIEW is supported yet, found %s", p.peek().describe())
			}
			return nil, p.expected("TEMP or TEMPORARY")
		}
		if err := p.expectKw("VIEW"); err != nil {
			return nil, err
		}
		name, err := p.qualifiedName("view name")
		if err != nil {
			return nil, err
		}
		if err := p.expectKw("AS"); err != nil {
			return nil, err
		}
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &CreateView{Name: name, Replace: replace, Query: q}, nil
	case t.is("EXPLAIN"):
		p.next()
		ext := p.acceptKw("EXTENDED")
		analyze := !ext && p.acceptKw("ANALYZE")
		if !ext && (p.peek().is("FORMATTED") || p.peek().is("CODEGEN") || p.peek().is("COST")) {
			return nil, p.errAt(p.peek(), "EXPLAIN %s is not supported yet", strings.ToUpper(p.peek().text))
		}
		t := p.peek()
		if !(t.is("SELECT") || t.is("WITH") || t.isOp("(")) {
			return nil, p.expected("a query after EXPLAIN")
		}
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &Explain{Extended: ext, Analyze: analyze, Query: q}, nil
	case t.is("SHOW"):
		p.next()
		if p.acceptKw("FUNCTIONS") {
			return &ShowFunctions{}, nil
		}
		if err := p.expectKw("TABLES"); err != nil {
			return nil, err
		}
		return &ShowTables{}, nil
	case t.is("DROP"):
		p.next()
		p.acceptKw("TEMPORARY")
		p.acceptKw("TEMP")
		if err := p.expectKw("VIEW"); err != nil {
			return nil, err
		}
		ifExists := false
		if p.acceptKw("IF") {
			if err := p.expectKw("EXISTS"); err != nil {
				return nil, err
			}
			ifExists = true
		}
		name, err := p.qualifiedName("view name")
		if err != nil {
			return nil, err
		}
		return &DropView{Name: name, IfExists: ifExists}, nil
	case t.is("DESCRIBE"), t.is("DESC"):
		p.next()
		p.acceptKw("TABLE")
		name, err := p.qualifiedName("table name")
		if err != nil {
			return nil, err
		}
		return &Describe{Name: name}, nil
	}
	return nil, p.expected("SELECT, WITH, CREATE, DROP, EXPLAIN, SHOW or DESCRIBE")
}
