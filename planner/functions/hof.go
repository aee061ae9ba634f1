package functions

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/planner/logical"
)

// LambdaParam is the type of a lambda function's parameter.
type LambdaParam struct {
	Type     arrow.DataType
	Nullable bool
}

// hofLambda describes lambda argument i of the higher-order function
// name: the parameter lists it accepts, a function of the arguments already
// resolved (ok false when argument i takes no lambda).
func hofLambda(name string, i int) (func(args []logical.Expr) ([][]LambdaParam, error), bool) {
	switch {
	case (name == "transform" || name == "filter") && i == 1:
		return elemAndIndex, true
	case (name == "exists" || name == "forall") && i == 1:
		return elemOnly, true
	case name == "aggregate" && i == 2:
		return accAndElem, true
	case name == "aggregate" && i == 3:
		return accOnly, true
	case name == "zip_with" && i == 2:
		return func(args []logical.Expr) ([][]LambdaParam, error) {
			return [][]LambdaParam{{elemParam(args[0]), elemParam(args[1])}}, nil
		}, true
	case name == "array_sort" && i == 1:
		return func(args []logical.Expr) ([][]LambdaParam, error) {
			e := elemParam(args[0])
			return [][]LambdaParam{{e, e}}, nil
		}, true
	case (name == "map_filter" || name == "transform_keys" || name == "transform_values") && i == 1:
		return keyAndValue, true
	case name == "map_zip_with" && i == 2:
		return func(args []logical.Expr) ([][]LambdaParam, error) {
			k, v1, err := mapParams(name, args[0])
			if err != nil {
				return nil, err
			}
			_, v2, err := mapParams(name, args[1])
			if err != nil {
				return nil, err
			}
			return [][]LambdaParam{{k, v1, v2}}, nil
		}, true
	}
	return nil, false
}

// isHOF reports whether name is a higher-order function.
func isHOF(name string) bool {
	for i := 1; i < 4; i++ {
		if _, ok := hofLambda(name, i); ok {
			return true
		}
	}
	return false
}

// elemParam is the parameter for the elements of array argument a (of the
// null type for a NULL argument; the caller's Resolve reports other types).
func elemParam(a logical.Expr) LambdaParam {
	if t, ok := a.DataType().(*arrow.ListType); ok {
		return LambdaParam{Type: plainType(t.Elem()), Nullable: true}
	}
	return LambdaParam{Type: arrow.Null, Nullable: true}
}

var indexParam = LambdaParam{Type: arrow.PrimitiveTypes.Int32}

func elemAndIndex(args []logical.Expr) ([][]LambdaParam, error) {
	e := elemParam(args[0])
	return [][]LambdaParam{{e}, {e, indexParam}}, nil
}

func elemOnly(args []logical.Expr) ([][]LambdaParam, error) {
	return [][]LambdaParam{{elemParam(args[0])}}, nil
}

func accAndElem(args []logical.Expr) ([][]LambdaParam, error) {
	return [][]LambdaParam{{{Type: plainType(args[1].DataType()), Nullable: true}, elemParam(args[0])}}, nil
}

func accOnly(args []logical.Expr) ([][]LambdaParam, error) {
	return [][]LambdaParam{{{Type: plainType(args[1].DataType()), Nullable: true}}}, nil
}

// mapParams returns the key and value parameters of map argument a.
func mapParams(name string, a logical.Expr) (LambdaParam, LambdaParam, error) {
	mt, ok := a.DataType().(*arrow.MapType)
	if !ok {
		return LambdaParam{}, LambdaParam{}, ArgError(name, a, "a map argument")
	}
	return LambdaParam{Type: mt.KeyType()}, LambdaParam{Type: mt.ItemType(), Nullable: true}, nil
}

func keyAndValue(args []logical.Expr) ([][]LambdaParam, error) {
	k, v, err := mapParams("map function", args[0])
	if err != nil {
		return nil, err
	}
	return [][]LambdaParam{{k, v}}, nil
}

// LambdaParams returns the parameter types of the lambda function that is
// argument i of a call of name with n parameters, given the call's
// arguments (those that are not lambdas already resolved).
func LambdaParams(name string, args []logical.Expr, i, n int) ([]LambdaParam, error) {
	d, ok := Builtins().Lookup(name)
	if ok {
		name = d.Name
	}
	if !isHOF(name) {
		return nil, logical.AnalysisErr("function %s does not take a lambda function argument (argument %d is one)", name, i+1)
	}
	sig, ok := hofLambda(name, i)
	if !ok {
		return nil, logical.AnalysisErr("argument %d of %s cannot be a lambda function", i+1, name)
	}
	for _, a := range args[:i] {
		if a == nil {
			return nil, logical.AnalysisErr("argument %d of %s cannot be a lambda function", i+1, name)
		}
	}
	forms, err := sig(args)
	if err != nil {
		return nil, err
	}
	var counts []int
	for _, f := range forms {
		if len(f) == n {
			return f, nil
		}
		counts = append(counts, len(f))
	}
	want := ""
	for k, c := range counts {
		if k > 0 {
			want += " or "
		}
		want += strconv.Itoa(c)
	}
	return nil, logical.AnalysisErr("the lambda function given to %s takes %d parameter(s), %s expects %s", name, n, name, want)
}

// lambdaArg returns argument i of a call as a lambda function (ok false
// when it is not one).
func lambdaArg(args []logical.Expr, i int) (*logical.Lambda, bool) {
	if i >= len(args) {
		return nil, false
	}
	l, ok := args[i].(*logical.Lambda)
	return l, ok
}

// needLambda returns argument i as a lambda function or an error.
func needLambda(name string, args []logical.Expr, i int) (*logical.Lambda, error) {
	l, ok := lambdaArg(args, i)
	if !ok || len(l.Vars) != len(l.Params) {
		return nil, logical.AnalysisErr("argument %d of %s must be a lambda function, such as x -> x + 1", i+1, name)
	}
	return l, nil
}

// withBody returns l with its body replaced.
func withBody(l *logical.Lambda, body logical.Expr) *logical.Lambda {
	return &logical.Lambda{Params: l.Params, Vars: l.Vars, Body: body}
}

// booleanLambda returns l with a NULL body cast to boolean, or an error
// when the body is not boolean.
func booleanLambda(name string, l *logical.Lambda) (*logical.Lambda, error) {
	switch l.Body.DataType().ID() {
	case arrow.BOOL:
		return l, nil
	case arrow.NULL:
		return withBody(l, logical.CastTo(l.Body, arrow.FixedWidthTypes.Boolean)), nil
	}
	return nil, logical.AnalysisErr("the lambda function of %s must return a boolean, %s has type %s", name, logical.StripIDs(l.Body.String()), logical.TypeName(l.Body.DataType()))
}

// hofArrayArg checks the array argument of a higher-order function.
func hofArrayArg(name string, a logical.Expr) (logical.Expr, error) {
	switch a.DataType().(type) {
	case *arrow.ListType:
		return a, nil
	case *arrow.NullType:
		return a, nil
	}
	return nil, ArgError(name, a, "an array argument")
}

// compiledLambda returns compiled argument i as a lambda.
func compiledLambda(name string, a []expr.Expr, i int) (*arrayfn.Lambda, error) {
	if i >= len(a) {
		return nil, nil
	}
	l, ok := a[i].(*arrayfn.Lambda)
	if !ok {
		return nil, logical.AnalysisErr("argument %d of %s must be a lambda function", i+1, name)
	}
	return l, nil
}

// compileLambda1 compiles f(x, lambda) with build.
func compileLambda1(build func(x expr.Expr, f *arrayfn.Lambda) (expr.Expr, error)) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		f, err := compiledLambda(call.Name, a, 1)
		if err != nil {
			return nil, err
		}
		return build(a[0], f)
	}
}

// compileLambda2 compiles f(x, y, lambda) with build.
func compileLambda2(build func(x, y expr.Expr, f *arrayfn.Lambda) (expr.Expr, error)) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		f, err := compiledLambda(call.Name, a, 2)
		if err != nil {
			return nil, err
		}
		return build(a[0], a[1], f)
	}
}

// hofFunctions are the higher-order functions over arrays and maps.
func hofFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: "transform", MinArgs: 2, MaxArgs: 2, Resolve: resolveTransform, Compile: compileLambda1(arrayfn.Transform)},
		{Name: "filter", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayPredicate(true), Compile: compileLambda1(arrayfn.Filter)},
		{Name: "exists", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayPredicate(false), Compile: compileLambda1(arrayfn.Exists)},
		{Name: "forall", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayPredicate(false), Compile: compileLambda1(arrayfn.Forall)},
		{Name: "aggregate", Aliases: []string{"reduce"}, MinArgs: 3, MaxArgs: 4, Resolve: resolveAggregateHOF, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			merge, err := compiledLambda(call.Name, a, 2)
			if err != nil {
				return nil, err
			}
			finish, err := compiledLambda(call.Name, a, 3)
			if err != nil {
				return nil, err
			}
			return arrayfn.Aggregate(a[0], a[1], merge, finish)
		}},
		{Name: "zip_with", MinArgs: 3, MaxArgs: 3, Resolve: resolveZipWith, Compile: compileLambda2(arrayfn.ZipWith)},
		{Name: "array_sort", MinArgs: 1, MaxArgs: 2, Resolve: resolveArraySort, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if len(a) == 1 {
				return arrayfn.ArraySortDefault(a[0])
			}
			f, err := compiledLambda(call.Name, a, 1)
			if err != nil {
				return nil, err
			}
			return arrayfn.ArraySort(a[0], f)
		}},
		{Name: "map_filter", MinArgs: 2, MaxArgs: 2, Resolve: resolveMapHOF, Compile: compileLambda1(arrayfn.MapFilter)},
		{Name: "transform_keys", MinArgs: 2, MaxArgs: 2, Resolve: resolveMapHOF, Compile: compileLambda1(arrayfn.TransformKeys)},
		{Name: "transform_values", MinArgs: 2, MaxArgs: 2, Resolve: resolveMapHOF, Compile: compileLambda1(arrayfn.TransformValues)},
		{Name: "map_zip_with", MinArgs: 3, MaxArgs: 3, Resolve: resolveMapZipWith, Compile: compileLambda2(arrayfn.MapZipWith)},
	}
}

func resolveTransform(name string, args []logical.Expr) (logical.Expr, error) {
	arr, err := hofArrayArg(name, args[0])
	if err != nil {
		return nil, err
	}
	f, err := needLambda(name, args, 1)
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{arr, f}, Type: arrow.ListOf(plainType(f.DataType()))}, nil
}

// resolveArrayPredicate types filter (returning the array) and exists and
// forall (returning a boolean).
func resolveArrayPredicate(returnsArray bool) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		arr, err := hofArrayArg(name, args[0])
		if err != nil {
			return nil, err
		}
		f, err := needLambda(name, args, 1)
		if err != nil {
			return nil, err
		}
		if f, err = booleanLambda(name, f); err != nil {
			return nil, err
		}
		var t arrow.DataType = arrow.FixedWidthTypes.Boolean
		if returnsArray {
			t = arr.DataType()
			if t.ID() == arrow.NULL {
				t = arrow.ListOf(arrow.Null)
			}
		}
		return &logical.Func{Name: name, Args: []logical.Expr{arr, f}, Type: t, MayBeNull: !returnsArray}, nil
	}
}

func resolveAggregateHOF(name string, args []logical.Expr) (logical.Expr, error) {
	arr, err := hofArrayArg(name, args[0])
	if err != nil {
		return nil, err
	}
	zero := args[1]
	if _, ok := zero.(*logical.Lambda); ok {
		return nil, logical.AnalysisErr("argument 2 of %s is the initial value and cannot be a lambda function", name)
	}
	merge, err := needLambda(name, args, 2)
	if err != nil {
		return nil, err
	}
	acc := plainType(zero.DataType())
	// As in Spark, the merge function must return the initial value's type
	// (no implicit widening of the accumulator).
	switch mt := plainType(merge.DataType()); {
	case arrow.TypeEqual(mt, acc):
	case mt.ID() == arrow.NULL:
		merge = withBody(merge, logical.CastTo(merge.Body, acc))
	default:
		return nil, logical.AnalysisErr("%s: the merge function returns %s but the initial value %s has type %s; cast the initial value to %s", name, logical.TypeName(mt), logical.StripIDs(zero.String()), logical.TypeName(acc), logical.TypeName(mt))
	}
	out := []logical.Expr{arr, zero, merge}
	t := acc
	if len(args) > 3 {
		finish, err := needLambda(name, args, 3)
		if err != nil {
			return nil, err
		}
		out = append(out, finish)
		t = plainType(finish.DataType())
	}
	return &logical.Func{Name: name, Args: out, Type: t, MayBeNull: true}, nil
}

func resolveZipWith(name string, args []logical.Expr) (logical.Expr, error) {
	l, err := hofArrayArg(name, args[0])
	if err != nil {
		return nil, err
	}
	r, err := hofArrayArg(name, args[1])
	if err != nil {
		return nil, err
	}
	f, err := needLambda(name, args, 2)
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{l, r, f}, Type: arrow.ListOf(plainType(f.DataType()))}, nil
}

func resolveArraySort(name string, args []logical.Expr) (logical.Expr, error) {
	arr, err := hofArrayArg(name, args[0])
	if err != nil {
		return nil, err
	}
	t := arr.DataType()
	if len(args) == 1 {
		return &logical.Func{Name: name, Args: []logical.Expr{arr}, Type: t}, nil
	}
	f, err := needLambda(name, args, 1)
	if err != nil {
		return nil, err
	}
	switch bt := f.Body.DataType(); {
	case bt.ID() == arrow.INT32:
	case logical.IsInteger(bt) || bt.ID() == arrow.NULL:
		f = withBody(f, logical.CastTo(f.Body, arrow.PrimitiveTypes.Int32))
	default:
		return nil, logical.AnalysisErr("the comparator of %s must return an integer, %s has type %s", name, logical.StripIDs(f.Body.String()), logical.TypeName(bt))
	}
	return &logical.Func{Name: name, Args: []logical.Expr{arr, f}, Type: t}, nil
}

func resolveMapHOF(name string, args []logical.Expr) (logical.Expr, error) {
	mt, ok := args[0].DataType().(*arrow.MapType)
	if !ok {
		return nil, ArgError(name, args[0], "a map argument")
	}
	f, err := needLambda(name, args, 1)
	if err != nil {
		return nil, err
	}
	var t arrow.DataType
	switch name {
	case "map_filter":
		if f, err = booleanLambda(name, f); err != nil {
			return nil, err
		}
		t = mt
	case "transform_keys":
		kt := plainType(f.DataType())
		if nestedType(kt) || kt.ID() == arrow.NULL {
			return nil, logical.AnalysisErr("%s: keys of type %s are not supported", name, logical.TypeName(kt))
		}
		t = arrow.MapOf(kt, mt.ItemType())
	default:
		t = arrow.MapOf(mt.KeyType(), plainType(f.DataType()))
	}
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], f}, Type: t, MayBeNull: name == "transform_keys"}, nil
}

func resolveMapZipWith(name string, args []logical.Expr) (logical.Expr, error) {
	var kt arrow.DataType
	for _, a := range args[:2] {
		mt, ok := a.DataType().(*arrow.MapType)
		if !ok {
			return nil, ArgError(name, a, "a map argument")
		}
		if kt != nil && !arrow.TypeEqual(kt, mt.KeyType()) {
			return nil, logical.AnalysisErr("%s: the maps' key types %s and %s differ", name, logical.TypeName(kt), logical.TypeName(mt.KeyType()))
		}
		kt = mt.KeyType()
	}
	f, err := needLambda(name, args, 2)
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], args[1], f}, Type: arrow.MapOf(kt, plainType(f.DataType()))}, nil
}
