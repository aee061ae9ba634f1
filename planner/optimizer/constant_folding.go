package optimizer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// ConstantFolding evaluates expressions whose inputs are all literals once, at
// planning time, and simplifies boolean logic with literal operands
// (x AND true → x, x OR true → true, ...). Filters whose condition folds to
// true disappear. An expression whose evaluation fails (e.g. overflow) is left
// alone so that the error surfaces when the query runs.
func ConstantFolding() Rule {
	return Rule{Name: "ConstantFolding", Apply: func(p logical.Plan) (logical.Plan, bool, error) {
		return logical.TransformUp(p, func(n logical.Plan) (logical.Plan, bool, error) {
			exprs := n.Expressions()
			changed := false
			if len(exprs) > 0 {
				out := make([]logical.Expr, len(exprs))
				for i, e := range exprs {
					var c bool
					out[i], c = logical.Transform(e, foldExpr)
					changed = changed || c
				}
				if changed {
					n = n.WithExpressions(out)
				}
			}
			if f, ok := n.(*logical.Filter); ok {
				if l, ok := f.Cond.(*logical.Literal); ok && l.Value == true {
					return f.Child, true, nil
				}
			}
			return n, changed, nil
		})
	}}
}

func isBoolLit(e logical.Expr, v bool) bool {
	l, ok := e.(*logical.Literal)
	return ok && l.Value == v
}

func foldExpr(e logical.Expr) (logical.Expr, bool) {
	switch x := e.(type) {
	case *logical.Literal, *logical.Attribute, *logical.AggregateCall, *logical.SortOrder, *logical.Alias:
		return e, false
	case *logical.Binary:
		switch x.Op {
		case logical.OpAnd:
			switch {
			case isBoolLit(x.L, true):
				return x.R, true
			case isBoolLit(x.R, true):
				return x.L, true
			case isBoolLit(x.L, false), isBoolLit(x.R, false):
				return &logical.Literal{Value: false, Type: arrow.FixedWidthTypes.Boolean}, true
			}
		case logical.OpOr:
			switch {
			case isBoolLit(x.L, false):
				return x.R, true
			case isBoolLit(x.R, false):
				return x.L, true
			case isBoolLit(x.L, true), isBoolLit(x.R, true):
				return &logical.Literal{Value: true, Type: arrow.FixedWidthTypes.Boolean}, true
			}
		}
	}
	for _, c := range e.Children() {
		if _, ok := c.(*logical.Literal); !ok {
			return e, false
		}
	}
	if len(e.Children()) == 0 || e.DataType() == nil {
		return e, false
	}
	if _, ok := e.(*logical.UDF); ok {
		return e, false
	}
	switch e.DataType().(type) {
	case arrow.NestedType:
		// No literal holds an array, map or struct value.
		return e, false
	}
	if f, ok := e.(*logical.Func); ok {
		if d, ok := functions.Builtins().Lookup(f.Name); ok && d.Nondeterministic {
			return e, false
		}
	}
	v, ok := compile.EvalConstant(e)
	if !ok {
		return e, false
	}
	return &logical.Literal{Value: v, Type: e.DataType()}, true
}
