package analyzer

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// resolveHigherOrder resolves a call with lambda arguments: the other
// arguments first, then each lambda's body with its parameters bound to
// variables the function types (an array's element type, a map's key and
// value types, ...). A parameter shadows a column of the same name inside
// the body; the body may read the query's columns as well.
func (a *Analyzer) resolveHigherOrder(f *logical.Func, in []*logical.Attribute, where string) (logical.Expr, error) {
	args := make([]logical.Expr, len(f.Args))
	for i, arg := range f.Args {
		if _, ok := arg.(*logical.Lambda); ok {
			continue
		}
		r, err := a.resolveExpr(arg, in, where)
		if err != nil {
			return nil, err
		}
		args[i] = r
	}
	for i, arg := range f.Args {
		l, ok := arg.(*logical.Lambda)
		if !ok {
			continue
		}
		types, err := functions.LambdaParams(f.Name, args, i, len(l.Params))
		if err != nil {
			return nil, err
		}
		// A variable's ID is its place on the stack of parameters in scope,
		// far below attribute IDs (which are positive, or -1 for an unnamed
		// output): unique among the variables a body can see, and the same
		// for the same lambda written twice, so that GROUP BY f(xs, x -> ...)
		// matches the select list's.
		vars := make([]*logical.LambdaVar, len(l.Params))
		for k, p := range l.Params {
			vars[k] = &logical.LambdaVar{Name: p, ID: lambdaVarIDBase - int64(len(a.lambdas)+k), Type: types[k].Type, Null: types[k].Nullable}
		}
		outer := len(a.lambdas)
		a.lambdas = append(a.lambdas, vars...)
		body, err := a.resolveExpr(l.Body, in, where)
		a.lambdas = a.lambdas[:outer]
		if err != nil {
			return nil, err
		}
		args[i] = &logical.Lambda{Params: l.Params, Vars: vars, Body: body}
	}
	return TypeCheck(&logical.Func{Name: f.Name, Args: args})
}

// lambdaVarIDBase is the ID of the outermost lambda's first parameter.
const lambdaVarIDBase = -1 << 40

// lookupLambdaVar finds the innermost lambda parameter name refers to (or
// a field of it, for x.f over a struct parameter).
func (a *Analyzer) lookupLambdaVar(name string) (logical.Expr, bool, error) {
	parts := strings.Split(name, ".")
	for i := len(a.lambdas) - 1; i >= 0; i-- {
		v := a.lambdas[i]
		if !strings.EqualFold(v.Name, parts[0]) {
			continue
		}
		var e logical.Expr = v
		for _, f := range parts[1:] {
			typed, err := functions.TypeFunc(&logical.Func{Name: functions.SubscriptName, Args: []logical.Expr{e, &logical.Literal{Value: f, Type: arrow.BinaryTypes.String}}})
			if err != nil {
				return nil, true, err
			}
			e = typed
		}
		return e, true, nil
	}
	return nil, false, nil
}

// boundLambdaVar returns the variable in scope with v's ID (typed as the
// enclosing function now types it).
func (a *Analyzer) boundLambdaVar(v *logical.LambdaVar) (logical.Expr, error) {
	for i := len(a.lambdas) - 1; i >= 0; i-- {
		if a.lambdas[i].ID == v.ID {
			return a.lambdas[i], nil
		}
	}
	return nil, logical.AnalysisErr("the lambda variable %s is used outside its lambda function", v.Name)
}
