package sql

import "github.com/gspark/gspark/planner/logical"

// rowConstructor parses the rest of (e1, e2, …) after its first expression:
// a struct of the values, as Spark reads it; (a, b) IN (SELECT x, y …)
// compares it column by column.
func (p *parser) rowConstructor(first logical.Expr) (logical.Expr, error) {
	args := []logical.Expr{first}
	for p.acceptOp(",") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	return &logical.Func{Name: "struct", Args: args}, nil
}
