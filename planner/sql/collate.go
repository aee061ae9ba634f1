package sql

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// atCollate reports whether the next tokens are the COLLATE postfix of
// Spark, `expr COLLATE name`: the word COLLATE followed by a collation
// name — a quoted name, or a word that has an underscore (UTF8_BINARY,
// UTF8_LCASE, UNICODE_CI, en_US), is UNICODE or is qualified — so that a column or
// alias named collate keeps working.
func (p *parser) atCollate() bool {
	if !p.peek().is("COLLATE") {
		return false
	}
	n := p.peekAt(1)
	if n.kind == tkQuoted {
		return true
	}
	return n.kind == tkWord && (strings.Contains(n.text, "_") || strings.EqualFold(n.text, "UNICODE") || p.peekAt(2).isOp("."))
}

// collatePostfix parses COLLATE name after e (atCollate is true) into
// collate(e, 'name'), which accepts UTF8_BINARY only; a qualified name
// (SYSTEM.BUILTIN.UTF8_BINARY) is read whole.
func (p *parser) collatePostfix(e logical.Expr) logical.Expr {
	p.next() // COLLATE
	name := p.next().text
	for p.peek().isOp(".") && (p.peekAt(1).kind == tkWord || p.peekAt(1).kind == tkQuoted) {
		p.next()
		name += "." + p.next().text
	}
	return &logical.Func{Name: "collate", Args: []logical.Expr{e, &logical.Literal{Value: name, Type: arrow.BinaryTypes.String}}}
}
