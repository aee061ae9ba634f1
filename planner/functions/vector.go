package functions

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values/vectors"
)

// SubscriptName is the function the SQL parser and Column.GetItem /
// Column.GetField build for x[key]: an array element (0-based), a map
// value, or a struct field, as Spark's UnresolvedExtractValue.
const SubscriptName = "subscript"

// vectorFunctions are vector_to_array and array_to_vector (Spark's
// pyspark.ml.functions), get, and the subscript operator.
func vectorFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: "vector_to_array", MinArgs: 1, MaxArgs: 2, Resolve: resolveVectorToArray, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			f32 := call.Type.(*arrow.ListType).Elem().ID() == arrow.FLOAT32
			return arrayfn.VectorToArray(a[0], f32)
		}},
		{Name: "array_to_vector", MinArgs: 1, MaxArgs: 1, Resolve: resolveArrayToVector, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayToVector(a[0])
		}},
		{Name: "get", MinArgs: 2, MaxArgs: 2, Resolve: resolveGet, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayItem(a[0], a[1], true)
		}},
		{Name: SubscriptName, MinArgs: 2, MaxArgs: 2, Resolve: resolveSubscript, Compile: compileSubscript},
	}
}

// resolveVectorToArray types vector_to_array(v [, dtype]): dtype is the
// string literal 'float64' (the default) or 'float32'.
func resolveVectorToArray(name string, args []logical.Expr) (logical.Expr, error) {
	if t := args[0].DataType(); !vectors.IsVector(t) && t.ID() != arrow.NULL {
		return nil, ArgError(name, args[0], "a vector argument")
	}
	var elem arrow.DataType = arrow.PrimitiveTypes.Float64
	if len(args) > 1 {
		d, err := StringLiteralArg(name, args[1])
		if err != nil {
			return nil, err
		}
		switch d {
		case "float64":
		case "float32":
			elem = arrow.PrimitiveTypes.Float32
		default:
			return nil, logical.AnalysisErr("%s: unsupported dtype '%s', expected 'float64' or 'float32'", name, d)
		}
	}
	typ := arrow.ListOf(elem)
	if isNullLit(args[0]) {
		return &logical.Literal{Type: typ}, nil
	}
	return &logical.Func{Name: name, Args: args[:1], Type: typ}, nil
}

// resolveArrayToVector types array_to_vector(a) for an array of numbers.
func resolveArrayToVector(name string, args []logical.Expr) (logical.Expr, error) {
	if isNullLit(args[0]) {
		return &logical.Literal{Type: vectors.VectorType()}, nil
	}
	lt, ok := args[0].DataType().(*arrow.ListType)
	if !ok {
		return nil, ArgError(name, args[0], "an array of numbers")
	}
	switch lt.Elem().ID() {
	case arrow.FLOAT64, arrow.FLOAT32, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
	default:
		return nil, ArgError(name, args[0], "an array of numbers")
	}
	// A null element is an error at run time, so a null result comes only from a null array.
	return &logical.Func{Name: name, Args: args, Type: vectors.VectorType()}, nil
}

// resolveGet types get(array, index): a 0-based index, null outside the array.
func resolveGet(name string, args []logical.Expr) (logical.Expr, error) {
	lt, ok := args[0].DataType().(*arrow.ListType)
	if !ok {
		return nil, ArgError(name, args[0], "an array argument")
	}
	if it := args[1].DataType(); !logical.IsInteger(it) && it.ID() != arrow.NULL {
		return nil, ArgError(name, args[1], "an integer index")
	}
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], logical.CastTo(args[1], arrow.PrimitiveTypes.Int32)}, Type: lt.Elem(), MayBeNull: true}, nil
}

// resolveSubscript types x[key]: for an array a 0-based integer index (an
// error outside the array, as Spark 4 with ANSI on), for a map a key (null
// when absent), for a struct a field name given as a string literal,
// matched case-insensitively as Spark's default resolver does.
func resolveSubscript(name string, args []logical.Expr) (logical.Expr, error) {
	x, key := args[0], args[1]
	switch t := x.DataType().(type) {
	case *arrow.ListType:
		if it := key.DataType(); !logical.IsInteger(it) && it.ID() != arrow.NULL {
			return nil, logical.AnalysisErr("%s[%s]: an array index must be an integer, %s has type %s", logical.StripIDs(x.String()), logical.StripIDs(key.String()), logical.StripIDs(key.String()), logical.TypeName(key.DataType()))
		}
		return &logical.Func{Name: name, Args: []logical.Expr{x, logical.CastTo(key, arrow.PrimitiveTypes.Int32)}, Type: t.Elem(), MayBeNull: true}, nil
	case *arrow.MapType:
		call, err := resolveElementAt(name, args)
		if err != nil {
			return nil, err
		}
		return call, nil
	case *arrow.StructType:
		field, err := StringLiteralArg(name, key)
		if err != nil {
			return nil, logical.AnalysisErr("%s[%s]: a struct field must be named by a string literal", logical.StripIDs(x.String()), logical.StripIDs(key.String()))
		}
		idx := structFieldIndex(t, field)
		if idx < 0 {
			return nil, logical.AnalysisErr("no field %s in %s of type %s", field, logical.StripIDs(x.String()), logical.TypeName(t))
		}
		f := t.Field(idx)
		lit := &logical.Literal{Value: f.Name, Type: arrow.BinaryTypes.String}
		return &logical.Func{Name: name, Args: []logical.Expr{x, lit}, Type: f.Type, MayBeNull: true}, nil
	case *arrow.NullType:
		return &logical.Literal{Type: arrow.Null}, nil
	}
	if vectors.IsVector(x.DataType()) {
		return nil, logical.AnalysisErr("%s[%s]: %s is a vector; use vector_to_array(%s)[%s]", logical.StripIDs(x.String()), logical.StripIDs(key.String()), logical.StripIDs(x.String()), logical.StripIDs(x.String()), logical.StripIDs(key.String()))
	}
	return nil, logical.AnalysisErr("%s[%s]: %s has type %s, expected an array, a map or a struct", logical.StripIDs(x.String()), logical.StripIDs(key.String()), logical.StripIDs(x.String()), logical.TypeName(x.DataType()))
}

// structFieldIndex finds a field by exact name, else case-insensitively (-1 if none).
func structFieldIndex(t *arrow.StructType, name string) int {
	if i, ok := t.FieldIdx(name); ok {
		return i
	}
	for i, f := range t.Fields() {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

func compileSubscript(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	switch call.Args[0].DataType().(type) {
	case *arrow.MapType:
		return arrayfn.MapElementAt(a[0], a[1])
	case *arrow.StructType:
		return arrayfn.GetField(a[0], call.Args[1].(*logical.Literal).Value.(string))
	}
	return arrayfn.ArrayItem(a[0], a[1], false)
}
