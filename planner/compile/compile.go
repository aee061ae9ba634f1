package compile

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

var binaryOps = map[logical.BinaryOp]expr.BinaryOp{
	logical.OpAdd: expr.Add, logical.OpSub: expr.Sub, logical.OpMul: expr.Mul, logical.OpDiv: expr.Div, logical.OpMod: expr.Mod,
	logical.OpEq: expr.Eq, logical.OpNotEq: expr.NotEq, logical.OpLt: expr.Lt, logical.OpLtEq: expr.LtEq, logical.OpGt: expr.Gt, logical.OpGtEq: expr.GtEq,
	logical.OpAnd: expr.And, logical.OpOr: expr.Or,
}

// CompileExpr turns a resolved logical expression into a physical one that
// reads the columns of a batch laid out as input.
func CompileExpr(e logical.Expr, input []*logical.Attribute) (expr.Expr, error) {
	switch x := e.(type) {
	case *logical.Attribute:
		for i, a := range input {
			if a.ID == x.ID {
				return expr.Column(i, x.Name, x.Type), nil
			}
		}
		return nil, fmt.Errorf("internal error: column %s is not in the operator's input %s", x, logical.AttrList(input))
	case *logical.Literal:
		return expr.Literal(LiteralValue(x.Value), x.Type)
	case *logical.Alias:
		return CompileExpr(x.E, input)
	case *logical.Binary:
		if x.Op == logical.OpOr || x.Op == logical.OpAnd {
			return compileJunction(x, input)
		}
		l, err := CompileExpr(x.L, input)
		if err != nil {
			return nil, err
		}
		r, err := CompileExpr(x.R, input)
		if err != nil {
			return nil, err
		}
		if x.Op == logical.OpNullSafeEq {
			return nullSafeEqual(l, r)
		}
		out, err := expr.Binary(binaryOps[x.Op], l, r)
		if err != nil {
			return nil, err
		}
		if x.Type != nil && !arrow.TypeEqual(out.DataType(), x.Type) {
			return nil, fmt.Errorf("internal error: %s evaluates to %s, analyzer typed it %s", logical.StripIDs(x.String()), logical.TypeName(out.DataType()), logical.TypeName(x.Type))
		}
		return out, nil
	case *logical.Unary:
		in, err := CompileExpr(x.E, input)
		if err != nil {
			return nil, err
		}
		switch x.Op {
		case logical.OpNot:
			return expr.Not(in)
		case logical.OpNegate:
			return expr.Negate(in)
		case logical.OpIsNull:
			return expr.IsNull(in), nil
		default:
			return expr.IsNotNull(in), nil
		}
	case *logical.Cast:
		in, err := CompileExpr(x.E, input)
		if err != nil {
			return nil, err
		}
		if arrow.TypeEqual(in.DataType(), x.To) {
			return in, nil
		}
		if x.Try {
			return expr.TryCast(in, x.To)
		}
		return expr.Cast(in, x.To)
	case *logical.CaseWhen:
		whens := make([]expr.Expr, len(x.Whens))
		thens := make([]expr.Expr, len(x.Thens))
		for i := range x.Whens {
			w, err := CompileExpr(x.Whens[i], input)
			if err != nil {
				return nil, err
			}
			t, err := CompileExpr(x.Thens[i], input)
			if err != nil {
				return nil, err
			}
			whens[i], thens[i] = w, t
		}
		var els expr.Expr
		if x.Else != nil {
			var err error
			if els, err = CompileExpr(x.Else, input); err != nil {
				return nil, err
			}
		}
		return expr.CaseWhen(whens, thens, els)
	case *logical.Like:
		in, err := CompileExpr(x.E, input)
		if err != nil {
			return nil, err
		}
		return expr.Like(in, x.Pattern)
	case *logical.Func:
		args := make([]expr.Expr, len(x.Args))
		for i, a := range x.Args {
			c, err := CompileExpr(a, input)
			if err != nil {
				return nil, err
			}
			args[i] = c
		}
		return functions.CompileFunc(x, args)
	case *logical.UDF:
		args := make([]expr.Expr, len(x.Args))
		for i, a := range x.Args {
			c, err := CompileExpr(a, input)
			if err != nil {
				return nil, err
			}
			args[i] = c
		}
		return expr.UDF(x.Name, x.Type, args, x.Fn), nil
	case *logical.Lambda:
		return compileLambda(x, input)
	case *logical.LambdaVar:
		return compileLambdaVar(x, input)
	case *logical.Subquery:
		if x.Kind == logical.ScalarSubquery {
			return unevaluated{x}, nil
		}
		return nil, fmt.Errorf("internal error: %s was not rewritten into a join", x)
	case *logical.AggregateCall:
		return nil, fmt.Errorf("internal error: aggregate %s outside an aggregation", logical.StripIDs(x.String()))
	}
	return nil, fmt.Errorf("internal error: cannot compile %T %s", e, e)
}

// LiteralValue converts a row-form literal to what expr.Literal accepts.
func LiteralValue(v any) any {
	if iv, ok := logical.IntValue(v); ok {
		return iv
	}
	if f, ok := v.(float32); ok {
		return float64(f)
	}
	return v
}

// nullSafeEqual compiles l <=> r as CASE WHEN l IS NULL THEN r IS NULL
// WHEN r IS NULL THEN false ELSE l = r END.
func nullSafeEqual(l, r expr.Expr) (expr.Expr, error) {
	eq, err := expr.Binary(expr.Eq, l, r)
	if err != nil {
		return nil, err
	}
	f, err := expr.Literal(false, arrow.FixedWidthTypes.Boolean)
	if err != nil {
		return nil, err
	}
	return expr.CaseWhen([]expr.Expr{expr.IsNull(l), expr.IsNull(r)}, []expr.Expr{expr.IsNull(r), f}, eq)
}

// unevaluated stands for a scalar subquery in a plan shown but not run (EXPLAIN).
type unevaluated struct{ s *logical.Subquery }

func (u unevaluated) DataType() arrow.DataType { return u.s.DataType() }

func (u unevaluated) String() string { return u.s.String() }

func (u unevaluated) Eval(memory.Allocator, arrow.RecordBatch) (arrow.Array, error) {
	return nil, fmt.Errorf("internal error: %s was not evaluated before the query ran", u.s)
}

// inSetMin is the shortest IN list compiled to a hash set; shorter chains of
// comparisons are as fast.
const inSetMin = 8

// inSetMinString is inSetMin for strings: a set of strings is searched in one
// pass over the rows, by length first, where each comparison of a chain makes
// its own pass and its own result.
const inSetMinString = 2

// inSetMinFor returns the shortest list of values of type t compiled to a set.
func inSetMinFor(t arrow.DataType) int {
	if t != nil && (t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING) {
		return inSetMinString
	}
	return inSetMin
}

// compileJunction compiles a tree of ORs (or of ANDs) as the list of its
// operands, without recursing into the tree: operands e = l₁, e = l₂, … of
// one expression e with literals of e's type (what the parser makes of
// e IN (l₁, l₂, …)), inSetMin or more of them, become one hash-set lookup
// per row in the place of the first; for a tree of ANDs, operands
// e != l₁, e != l₂, … (e NOT IN (…)) become the negated lookup. Under
// three-valued logic both are null when e is null, and when e is not found
// but a literal is null, as the comparisons are. The other operands stay
// comparisons, joined from left to right.
func compileJunction(root *logical.Binary, input []*logical.Attribute) (expr.Expr, error) {
	cmp := logical.OpEq
	if root.Op == logical.OpAnd {
		cmp = logical.OpNotEq
	}
	ops := logical.SplitBinary(root, root.Op)
	type group struct {
		arg   logical.Expr
		lits  []*logical.Literal
		where []int // the operands' positions
	}
	var groups []*group
	var byArg logical.ExprMap[*group]
	for i, o := range ops {
		b, ok := o.(*logical.Binary)
		if !ok || b.Op != cmp {
			continue
		}
		side, lit := b.L, b.R
		if l, ok := side.(*logical.Literal); ok {
			side, lit = b.R, l
		}
		l, ok := lit.(*logical.Literal)
		if !ok {
			continue
		}
		g, ok := byArg.Get(side)
		if !ok {
			g = &group{arg: side}
			byArg.Set(side, g)
			groups = append(groups, g)
		}
		g.lits = append(g.lits, l)
		g.where = append(g.where, i)
	}
	compiled := make([]expr.Expr, len(ops))
	skip := make([]bool, len(ops))
	for _, g := range groups {
		if len(g.lits) < inSetMinFor(g.arg.DataType()) {
			continue
		}
		set, ok, err := inSet(g.arg, g.lits, input)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if cmp == logical.OpNotEq {
			if set, err = expr.Not(set); err != nil {
				return nil, err
			}
		}
		compiled[g.where[0]] = set
		for _, i := range g.where[1:] {
			skip[i] = true
		}
	}
	var out expr.Expr
	for i, o := range ops {
		if skip[i] {
			continue
		}
		c := compiled[i]
		if c == nil {
			var err error
			if c, err = CompileExpr(o, input); err != nil {
				return nil, err
			}
		}
		if out == nil {
			out = c
			continue
		}
		var err error
		if out, err = expr.Binary(binaryOps[root.Op], out, c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// inSet compiles a lookup of arg in the literals, each of arg's type or
// null; ok is false when a literal is of another type.
func inSet(arg logical.Expr, lits []*logical.Literal, input []*logical.Attribute) (expr.Expr, bool, error) {
	a, err := CompileExpr(arg, input)
	if err != nil {
		return nil, false, err
	}
	les := make([]expr.Expr, len(lits))
	for i, l := range lits {
		if l.Value != nil && !arrow.TypeEqual(l.Type, a.DataType()) {
			return nil, false, nil
		}
		le, err := expr.Literal(LiteralValue(l.Value), a.DataType())
		if err != nil {
			return nil, false, nil
		}
		les[i] = le
	}
	in, ok := expr.InSet(a, les)
	return in, ok, nil
}
