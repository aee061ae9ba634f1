package sql

import (
	"fmt"
	"strings"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// generatorNames are the generator functions Spark also accepts as table
// functions in FROM and in LATERAL VIEW.
var generatorNames = map[string]bool{
	"explode": true, "explode_outer": true, "posexplode": true, "posexplode_outer": true,
	"inline": true, "inline_outer": true, "stack": true,
}

// generatorRelation is FROM gen(args): the generator over a single row, as
// SELECT gen(args). It reports false when name is no generator or an
// argument is a TABLE(…); a table function other than a generator takes no
// named arguments.
func generatorRelation(tf *TableFunction) (logical.Plan, bool, error) {
	name := strings.ToLower(tf.Name)
	args := make([]logical.Expr, len(tf.Args))
	for i, a := range tf.Args {
		if a.Table != nil {
			return nil, false, nil
		}
		args[i] = a.Expr
		if _, named := a.Expr.(*functions.NamedArg); named && !generatorNames[name] {
			return nil, false, fmt.Errorf("table function %s does not take named arguments (name => value)", tf.Name)
		}
	}
	if !generatorNames[name] {
		return nil, false, nil
	}
	args, err := functions.BindNamedArgs(name, args)
	if err != nil {
		return nil, false, err
	}
	call := &logical.Func{Name: name, Args: args}
	return &logical.Project{List: []logical.Expr{call}, Child: &logical.UnresolvedRelation{Name: OneRowRelation}}, true, nil
}

// argExpr parses a function argument: an expression, or name => expression.
func (p *parser) argExpr() (logical.Expr, error) {
	if t := p.peek(); (t.kind == tkWord || t.kind == tkQuoted) && p.peekAt(1).isOp("=>") {
		p.next()
		p.next()
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		return &functions.NamedArg{Name: t.text, Value: e}, nil
	}
	return p.expr()
}

// lateralViews parses LATERAL VIEW [OUTER] gen(args) name [AS] c1, c2, …
// clauses after a FROM clause: each joins every row of from with the rows
// its generator makes of it.
func (p *parser) lateralViews(from logical.Plan) (logical.Plan, error) {
	for p.peek().is("LATERAL") && p.peekAt(1).is("VIEW") {
		p.next()
		p.next()
		outer := p.acceptKw("OUTER")
		at := p.peek()
		name, err := p.ident("generator function after LATERAL VIEW")
		if err != nil {
			return nil, err
		}
		fn := strings.ToLower(name)
		if !generatorNames[fn] {
			return nil, p.errAt(at, "LATERAL VIEW needs a generator function (explode, posexplode, inline, stack and their _outer forms), found %s", name)
		}
		if outer && !strings.HasSuffix(fn, "_outer") && fn != "stack" {
			fn += "_outer"
		}
		if !p.peek().isOp("(") {
			return nil, p.expected("'(' after " + name)
		}
		p.next()
		var args []logical.Expr
		if !p.peek().isOp(")") {
			if args, err = p.exprList(); err != nil {
				return nil, err
			}
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		view := "" // the table name is optional
		if !p.peek().is("AS") {
			if view, err = p.ident("table name of the LATERAL VIEW"); err != nil {
				return nil, err
			}
		}
		var cols []string
		if p.acceptKw("AS") || p.peek().kind == tkQuoted || (p.peek().kind == tkWord && !reserved[strings.ToUpper(p.peek().text)]) {
			for {
				c, err := p.ident("column name of the LATERAL VIEW")
				if err != nil {
					return nil, err
				}
				cols = append(cols, c)
				if !p.acceptOp(",") {
					break
				}
			}
		}
		gen := &logical.MultiAlias{E: &logical.Func{Name: fn, Args: args}, Names: cols, Qualifier: view}
		from = &logical.Project{List: []logical.Expr{&logical.Star{}, gen}, Child: from}
	}
	return from, nil
}

// multiAlias parses the ( name, … ) of item AS (a, b), the names of a
// generator's columns; the current token is the '('.
func (p *parser) multiAlias(e logical.Expr) (logical.Expr, error) {
	p.next() // (
	var names []string
	for {
		n, err := p.ident("column name")
		if err != nil {
			return nil, err
		}
		names = append(names, n)
		if !p.acceptOp(",") {
			break
		}
	}
	return &logical.MultiAlias{E: e, Names: names}, p.expectOp(")")
}
