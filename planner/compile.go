package planner

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

var binaryOps = map[BinaryOp]expr.BinaryOp{
	OpAdd: expr.Add, OpSub: expr.Sub, OpMul: expr.Mul, OpDiv: expr.Div, OpMod: expr.Mod,
	OpEq: expr.Eq, OpNotEq: expr.NotEq, OpLt: expr.Lt, OpLtEq: expr.LtEq, OpGt: expr.Gt, OpGtEq: expr.GtEq,
	OpAnd: expr.And, OpOr: expr.Or,
}

// compileExpr turns a resolved logical expression into a physical one that
// reads the columns of a batch laid out as input.
func compileExpr(e Expr, input []*Attribute) (expr.Expr, error) {
	switch x := e.(type) {
	case *Attribute:
		for i, a := range input {
			if a.ID == x.ID {
				return expr.Column(i, x.Name, x.Type), nil
			}
		}
		return nil, fmt.Errorf("internal error: column %s is not in the operator's input %s", x, attrList(input))
	case *Literal:
		return expr.Literal(literalValue(x.Value), x.Type)
	case *Alias:
		return compileExpr(x.E, input)
	case *Binary:
		l, err := compileExpr(x.L, input)
		if err != nil {
			return nil, err
		}
		r, err := compileExpr(x.R, input)
		if err != nil {
			return nil, err
		}
		if x.Op == OpNullSafeEq {
			return nullSafeEqual(l, r)
		}
		out, err := expr.Binary(binaryOps[x.Op], l, r)
		if err != nil {
			return nil, err
		}
		if x.Type != nil && !arrow.TypeEqual(out.DataType(), x.Type) {
			return nil, fmt.Errorf("internal error: %s evaluates to %s, analyzer typed it %s", stripIDs(x.String()), TypeName(out.DataType()), TypeName(x.Type))
		}
		return out, nil
	case *Unary:
		in, err := compileExpr(x.E, input)
		if err != nil {
			return nil, err
		}
		switch x.Op {
		case OpNot:
			return expr.Not(in)
		case OpNegate:
			return expr.Negate(in)
		case OpIsNull:
			return expr.IsNull(in), nil
		default:
			return expr.IsNotNull(in), nil
		}
	case *Cast:
		in, err := compileExpr(x.E, input)
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
	case *CaseWhen:
		whens := make([]expr.Expr, len(x.Whens))
		thens := make([]expr.Expr, len(x.Thens))
		for i := range x.Whens {
			w, err := compileExpr(x.Whens[i], input)
			if err != nil {
				return nil, err
			}
			t, err := compileExpr(x.Thens[i], input)
			if err != nil {
				return nil, err
			}
			whens[i], thens[i] = w, t
		}
		var els expr.Expr
		if x.Else != nil {
			var err error
			if els, err = compileExpr(x.Else, input); err != nil {
				return nil, err
			}
		}
		return expr.CaseWhen(whens, thens, els)
	case *Like:
		in, err := compileExpr(x.E, input)
		if err != nil {
			return nil, err
		}
		return expr.Like(in, x.Pattern)
	case *Func:
		args := make([]expr.Expr, len(x.Args))
		for i, a := range x.Args {
			c, err := compileExpr(a, input)
			if err != nil {
				return nil, err
			}
			args[i] = c
		}
		return compileFunc(x, args)
	case *UDF:
		args := make([]expr.Expr, len(x.Args))
		for i, a := range x.Args {
			c, err := compileExpr(a, input)
			if err != nil {
				return nil, err
			}
			args[i] = c
		}
		return expr.UDF(x.Name, x.Type, args, x.Fn), nil
	case *Subquery:
		if x.Kind == ScalarSubquery {
			return unevaluated{x}, nil
		}
		return nil, fmt.Errorf("internal error: %s was not rewritten into a join", x)
	case *AggregateCall:
		return nil, fmt.Errorf("internal error: aggregate %s outside an aggregation", stripIDs(x.String()))
	}
	return nil, fmt.Errorf("internal error: cannot compile %T %s", e, e)
}

// literalValue converts a row-form literal to what expr.Literal accepts.
func literalValue(v any) any {
	if iv, ok := intValue(v); ok {
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
type unevaluated struct{ s *Subquery }

func (u unevaluated) DataType() arrow.DataType { return u.s.DataType() }
func (u unevaluated) String() string           { return u.s.String() }
func (u unevaluated) Eval(memory.Allocator, arrow.RecordBatch) (arrow.Array, error) {
	return nil, fmt.Errorf("internal error: %s was not evaluated before the query ran", u.s)
}
