package compile

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/planner/logical"
)

// compileLambda compiles a lambda function argument. Its body reads an
// element batch: the input columns the body refers to (repeated for each
// element), then the lambda's parameters, which stand in the body's input
// as attributes of the variables' IDs.
func compileLambda(l *logical.Lambda, input []*logical.Attribute) (expr.Expr, error) {
	if len(l.Vars) != len(l.Params) {
		return nil, fmt.Errorf("internal error: the lambda function %s was not resolved", logical.StripIDs(l.String()))
	}
	refs := map[int64]bool{}
	logical.Walk(l.Body, func(x logical.Expr) bool {
		switch v := x.(type) {
		case *logical.Attribute:
			refs[v.ID] = true
		case *logical.LambdaVar:
			refs[v.ID] = true
		}
		return true
	})
	var outer []int
	var bodyInput []*logical.Attribute
	for i, a := range input {
		if refs[a.ID] {
			outer = append(outer, i)
			bodyInput = append(bodyInput, a)
		}
	}
	names := make([]string, len(l.Vars))
	types := make([]arrow.DataType, len(l.Vars))
	for k, v := range l.Vars {
		names[k], types[k] = v.Name, v.Type
		bodyInput = append(bodyInput, &logical.Attribute{Name: v.Name, ID: v.ID, Type: v.Type, Null: v.Null})
	}
	body, err := CompileExpr(l.Body, bodyInput)
	if err != nil {
		return nil, err
	}
	return arrayfn.NewLambda(body, outer, names, types)
}

// compileLambdaVar compiles a lambda variable: a column of the element
// batch compileLambda lays out.
func compileLambdaVar(v *logical.LambdaVar, input []*logical.Attribute) (expr.Expr, error) {
	for i, a := range input {
		if a.ID == v.ID {
			return expr.Column(i, v.Name, v.Type), nil
		}
	}
	return nil, fmt.Errorf("internal error: the lambda variable %s is read outside its lambda function", v)
}
