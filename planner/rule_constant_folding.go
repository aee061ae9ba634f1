package planner

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/values"
)

// ConstantFolding evaluates expressions whose inputs are all literals once, at
// planning time, and simplifies boolean logic with literal operands
// (x AND true → x, x OR true → true, ...). Filters whose condition folds to
// true disappear. An expression whose evaluation fails (e.g. overflow) is left
// alone so that the error surfaces when the query runs.
func ConstantFolding() Rule {
	return Rule{Name: "ConstantFolding", Apply: func(p Plan) (Plan, bool, error) {
		return TransformUp(p, func(n Plan) (Plan, bool, error) {
			exprs := n.Expressions()
			changed := false
			if len(exprs) > 0 {
				out := make([]Expr, len(exprs))
				for i, e := range exprs {
					var c bool
					out[i], c = Transform(e, foldExpr)
					changed = changed || c
				}
				if changed {
					n = n.WithExpressions(out)
				}
			}
			if f, ok := n.(*Filter); ok {
				if l, ok := f.Cond.(*Literal); ok && l.Value == true {
					return f.Child, true, nil
				}
			}
			return n, changed, nil
		})
	}}
}

func isBoolLit(e Expr, v bool) bool {
	l, ok := e.(*Literal)
	return ok && l.Value == v
}

func foldExpr(e Expr) (Expr, bool) {
	switch x := e.(type) {
	case *Literal, *Attribute, *AggregateCall, *SortOrder, *Alias:
		return e, false
	case *Binary:
		switch x.Op {
		case OpAnd:
			switch {
			case isBoolLit(x.L, true):
				return x.R, true
			case isBoolLit(x.R, true):
				return x.L, true
			case isBoolLit(x.L, false), isBoolLit(x.R, false):
				return &Literal{Value: false, Type: arrow.FixedWidthTypes.Boolean}, true
			}
		case OpOr:
			switch {
			case isBoolLit(x.L, false):
				return x.R, true
			case isBoolLit(x.R, false):
				return x.L, true
			case isBoolLit(x.L, true), isBoolLit(x.R, true):
				return &Literal{Value: true, Type: arrow.FixedWidthTypes.Boolean}, true
			}
		}
	}
	for _, c := range e.Children() {
		if _, ok := c.(*Literal); !ok {
			return e, false
		}
	}
	if len(e.Children()) == 0 || e.DataType() == nil {
		return e, false
	}
	if _, ok := e.(*UDF); ok {
		return e, false
	}
	switch e.DataType().(type) {
	case arrow.NestedType:
		// No literal holds an array, map or struct value.
		return e, false
	}
	if f, ok := e.(*Func); ok {
		if d, ok := Builtins().Lookup(f.Name); ok && d.Nondeterministic {
			return e, false
		}
	}
	v, ok := evalConstant(e)
	if !ok {
		return e, false
	}
	return &Literal{Value: v, Type: e.DataType()}, true
}

// evalConstant evaluates an expression without column references.
func evalConstant(e Expr) (any, bool) {
	c, err := compileExpr(e, nil)
	if err != nil {
		return nil, false
	}
	b := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
	defer b.Release()
	arr, err := c.Eval(memory.DefaultAllocator, b)
	if err != nil {
		return nil, false
	}
	defer arr.Release()
	if arr.Len() != 1 {
		return nil, false
	}
	return values.Value(arr, 0), true
}
