package sql

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// TableFunction is a call of a table-valued function in a FROM clause,
// name(arg, …), where an argument is an expression (a literal) or a table,
// TABLE(name) or TABLE(query). The session resolves it through its registry
// of table functions before analysis; it is a leaf: its table arguments are
// not children, the session analyzes them itself.
type TableFunction struct {
	Name string
	Args []TableFunctionArg
	// Line and Column (1-based) locate the function name in the source,
	// SourceLine is that line, for errors.
	Line, Column int
	SourceLine   string
}

// TableFunctionArg is one argument of a table function: Table is set for
// TABLE(…), else Expr holds the argument expression.
type TableFunctionArg struct {
	Expr  logical.Expr
	Table logical.Plan
}

// Errorf returns an error located at the call, with the source line and a
// caret under the function name.
func (p *TableFunction) Errorf(format string, args ...any) error {
	return p.Wrap(fmt.Errorf(format, args...))
}

// Wrap locates err at the call (nil stays nil).
func (p *TableFunction) Wrap(err error) error {
	if err == nil {
		return nil
	}
	return &CallError{Line: p.Line, Column: p.Column, SourceLine: p.SourceLine, Err: err}
}

// CallError is an error of a table function call found after parsing (an
// unknown function, a bad argument, the function's own failure), located
// at the call in the SQL source.
type CallError struct {
	Line, Column int // 1-based; the column counts characters
	SourceLine   string
	Err          error
}

// Error renders "line L, column C: message", then the source line and a
// caret under the call.
func (e *CallError) Error() string {
	s := (&SyntaxError{Line: e.Line, Column: e.Column, Msg: e.Err.Error(), SourceLine: e.SourceLine}).Error()
	return strings.TrimPrefix(s, "syntax error at ")
}

// Unwrap returns the underlying error.
func (e *CallError) Unwrap() error { return e.Err }

// Output implements logical.Plan: unknown until the call is resolved.
func (p *TableFunction) Output() []*logical.Attribute { return nil }

// Children implements logical.Plan: none (see TableFunction).
func (p *TableFunction) Children() []logical.Plan { return nil }

// WithChildren implements logical.Plan.
func (p *TableFunction) WithChildren([]logical.Plan) logical.Plan { return p }

// Expressions implements logical.Plan.
func (p *TableFunction) Expressions() []logical.Expr { return nil }

// WithExpressions implements logical.Plan.
func (p *TableFunction) WithExpressions([]logical.Expr) logical.Plan { return p }

// String implements logical.Plan.
func (p *TableFunction) String() string {
	args := make([]string, len(p.Args))
	for i, a := range p.Args {
		if a.Table != nil {
			args[i] = "TABLE(" + a.Table.String() + ")"
		} else {
			args[i] = a.Expr.String()
		}
	}
	return "TableFunction " + p.Name + "(" + strings.Join(args, ", ") + ")"
}

// tableFunction parses the argument list of name( … ) in a FROM clause; the
// current token is the '('.
func (p *parser) tableFunction(name string, at token) (logical.Plan, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	loc := errorAt(p.src, at.pos, "")
	call := &TableFunction{Name: name, Line: loc.Line, Column: loc.Column, SourceLine: loc.SourceLine}
	p.next() // (
	if p.acceptOp(")") {
		return call, nil
	}
	for {
		if p.peek().is("TABLE") && p.peekAt(1).isOp("(") {
			p.next()
			t, err := p.tableArg()
			if err != nil {
				return nil, err
			}
			call.Args = append(call.Args, TableFunctionArg{Table: t})
		} else {
			e, err := p.argExpr()
			if err != nil {
				return nil, err
			}
			call.Args = append(call.Args, TableFunctionArg{Expr: e})
		}
		if p.acceptOp(")") {
			return call, nil
		}
		if !p.acceptOp(",") {
			return nil, p.expected("',' or ')' in the arguments of " + name)
		}
	}
}

// tableArg parses (name) or (query) after TABLE.
func (p *parser) tableArg() (logical.Plan, error) {
	p.next() // (
	var plan logical.Plan
	if t := p.peek(); t.is("SELECT") || t.is("WITH") || t.is("VALUES") || t.isOp("(") {
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		plan = q
	} else {
		name, err := p.qualifiedName("table name or query in TABLE(…)")
		if err != nil {
			return nil, err
		}
		plan = p.namedRelation(name)
	}
	return plan, p.expectOp(")")
}

// namedRelation is the relation a table name refers to: a common table
// expression in scope, else a catalog table.
func (p *parser) namedRelation(name string) logical.Plan {
	if !strings.Contains(name, ".") {
		for i := len(p.ctes) - 1; i >= 0; i-- {
			if q, ok := p.ctes[i][strings.ToLower(name)]; ok {
				return &logical.SubqueryAlias{Alias: name, Child: q}
			}
		}
	}
	return &logical.UnresolvedRelation{Name: name}
}

// DescribeModelFunction is the table function DESCRIBE MODEL 'path' calls:
// the session resolves the statement as describe_model('path'), which the
// ML side registers.
const DescribeModelFunction = "describe_model"

// DescribeModel is DESCRIBE MODEL 'path': one row per stage of the saved
// model at Path (index, class, uid, params), then its input and output
// columns. Call is the equivalent describe_model('path') table function call.
type DescribeModel struct {
	Path string
	Call *TableFunction
	Text string
}

// SQL implements Statement.
func (s *DescribeModel) SQL() string { return s.Text }

func (*DescribeModel) statement()         {}
func (s *DescribeModel) setText(t string) { s.Text = t }

// describeModel parses MODEL 'path' after DESCRIBE.
func (p *parser) describeModel() (Statement, error) {
	at := p.next() // MODEL
	t := p.peek()
	if t.kind != tkString {
		return nil, p.expected("the model's path as a string after DESCRIBE MODEL")
	}
	p.next()
	loc := errorAt(p.src, at.pos, "")
	call := &TableFunction{Name: DescribeModelFunction, Line: loc.Line, Column: loc.Column, SourceLine: loc.SourceLine,
		Args: []TableFunctionArg{{Expr: &logical.Literal{Value: t.text, Type: arrow.BinaryTypes.String}}}}
	return &DescribeModel{Path: t.text, Call: call}, nil
}
