package sql

import "github.com/gspark/gspark/planner/logical"

// ParseExpression parses one select-list item — an expression with an
// optional alias, or * and t.* — as it may stand in a SELECT list, into an
// unresolved expression (Spark's expr() and selectExpr). An alias makes a
// *logical.Alias. Text after the expression is a syntax error.
func ParseExpression(text string) (logical.Expr, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{src: text, toks: toks}
	it, err := p.selectItem()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tkEOF {
		return nil, p.expected("end of expression")
	}
	if it.alias != "" {
		return &logical.Alias{E: it.e, Name: it.alias}, nil
	}
	return it.e, nil
}
