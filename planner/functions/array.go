package functions

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/planner/logical"
)

// arrayFunctions are the built-in functions over arrays, maps and structs.
func arrayFunctions() []FunctionDef {
	i32 := arrow.PrimitiveTypes.Int32
	return []FunctionDef{
		{Name: "split", MinArgs: 2, MaxArgs: 3, Resolve: resolveSplit, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if isNullLit(call.Args[1]) || (len(call.Args) > 2 && isNullLit(call.Args[2])) {
				return expr.Literal(nil, call.Type)
			}
			pattern, _ := StringLiteralArg(call.Name, call.Args[1])
			limit := int64(-1)
			if len(call.Args) > 2 {
				limit, _ = IntLiteralArg(call.Name, call.Args[2])
			}
			return arrayfn.Split(a[0], pattern, int(limit))
		}},
		{Name: "array", MinArgs: 0, MaxArgs: -1, Resolve: resolveArray, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.Array(call.Type.(*arrow.ListType).Elem(), a...)
		}},
		{Name: "size", Aliases: []string{"cardinality"}, MinArgs: 1, MaxArgs: 1, Resolve: resolveCollection(i32, false), Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.Size(a[0])
		}},
		{Name: "array_contains", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayContains, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayContains(a[0], a[1])
		}},
		{Name: "element_at", MinArgs: 2, MaxArgs: 2, Resolve: resolveElementAt, Compile: compileElementAt(false)},
		{Name: "try_element_at", MinArgs: 2, MaxArgs: 2, Resolve: resolveElementAt, Compile: compileElementAt(true)},
		{Name: "struct", MinArgs: 1, MaxArgs: -1, Resolve: resolveStruct, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.Struct(structNames(call.Type), a...)
		}},
		{Name: "named_struct", MinArgs: 2, MaxArgs: -1, Resolve: resolveNamedStruct, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			var vals []expr.Expr
			for i := 1; i < len(a); i += 2 {
				vals = append(vals, a[i])
			}
			return arrayfn.Struct(structNames(call.Type), vals...)
		}},
		{Name: "map", MinArgs: 0, MaxArgs: -1, Resolve: resolveMap, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			mt := call.Type.(*arrow.MapType)
			return arrayfn.Map(mt.KeyType(), mt.ItemType(), a...)
		}},
		{Name: "map_keys", MinArgs: 1, MaxArgs: 1, Resolve: resolveMapPart, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.MapKeys(a[0])
		}},
		{Name: "map_values", MinArgs: 1, MaxArgs: 1, Resolve: resolveMapPart, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.MapValues(a[0])
		}},
		{Name: "sort_array", MinArgs: 1, MaxArgs: 2, Resolve: resolveSortArray, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			asc := true
			if len(call.Args) > 1 {
				asc = call.Args[1].(*logical.Literal).Value.(bool)
			}
			return arrayfn.SortArray(a[0], asc)
		}},
		{Name: "array_distinct", MinArgs: 1, MaxArgs: 1, Resolve: resolveSameArray, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayDistinct(a[0])
		}},
		{Name: "array_min", MinArgs: 1, MaxArgs: 1, Resolve: resolveArrayElem, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayMin(a[0])
		}},
		{Name: "array_max", MinArgs: 1, MaxArgs: 1, Resolve: resolveArrayElem, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayMax(a[0])
		}},
		{Name: "array_join", MinArgs: 2, MaxArgs: 3, Resolve: resolveArrayJoin, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			var rep expr.Expr
			if len(a) > 2 {
				rep = a[2]
			}
			return arrayfn.ArrayJoin(a[0], a[1], rep)
		}},
	}
}

// isNullLit reports whether e is the NULL literal.
func isNullLit(e logical.Expr) bool {
	l, ok := e.(*logical.Literal)
	return ok && l.Value == nil
}

// nestedType reports whether t is an array, map or struct type.
func nestedType(t arrow.DataType) bool {
	switch t.(type) {
	case *arrow.ListType, *arrow.MapType, *arrow.StructType:
		return true
	}
	return false
}

// plainType is t with a dictionary replaced by its value type.
func plainType(t arrow.DataType) arrow.DataType {
	if d, ok := t.(*arrow.DictionaryType); ok {
		return d.ValueType
	}
	return t
}

// widestOf returns the type every argument widens to (the null type for none).
func widestOf(name string, args []logical.Expr) (arrow.DataType, error) {
	var t arrow.DataType = arrow.Null
	for _, a := range args {
		w, ok := logical.CommonType(t, plainType(a.DataType()))
		if !ok {
			return nil, logical.AnalysisErr("%s: arguments of types %s and %s have no common type", name, logical.TypeName(t), logical.TypeName(a.DataType()))
		}
		t = w
	}
	return t, nil
}

// castAll casts every argument to t, leaving alone those already of type t
// (dictionaries of t included) and NULLs of nested t, which the functions
// accept as they are.
func castAll(args []logical.Expr, t arrow.DataType) []logical.Expr {
	out := make([]logical.Expr, len(args))
	for i, a := range args {
		switch at := a.DataType(); {
		case arrow.TypeEqual(plainType(at), t), at.ID() == arrow.NULL && nestedType(t):
			out[i] = a
		default:
			out[i] = logical.CastTo(a, t)
		}
	}
	return out
}

// resolveSplit types split(str, regex [, limit]): the pattern and limit must
// be literals.
func resolveSplit(name string, args []logical.Expr) (logical.Expr, error) {
	s, err := strfnStringArg(name, args[0])
	if err != nil {
		return nil, err
	}
	if !isNullLit(args[1]) {
		if _, err := StringLiteralArg(name, args[1]); err != nil {
			return nil, err
		}
	}
	out := []logical.Expr{s, args[1]}
	if len(args) > 2 {
		if !isNullLit(args[2]) {
			if _, err := IntLiteralArg(name, args[2]); err != nil {
				return nil, err
			}
		}
		out = append(out, args[2])
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.ListOf(arrow.BinaryTypes.String)}, nil
}

// resolveArray types array(e1, ...): the element type is the widest of the
// arguments', which are cast to it.
func resolveArray(name string, args []logical.Expr) (logical.Expr, error) {
	elem, err := widestOf(name, args)
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: castAll(args, elem), Type: arrow.ListOf(elem)}, nil
}

// resolveCollection types a function of one array or map argument
// returning t (mapOnly: a map argument only).
func resolveCollection(t arrow.DataType, mapOnly bool) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		switch args[0].DataType().(type) {
		case *arrow.MapType, *arrow.NullType:
		case *arrow.ListType:
			if mapOnly {
				return nil, ArgError(name, args[0], "a map argument")
			}
		default:
			if mapOnly {
				return nil, ArgError(name, args[0], "a map argument")
			}
			return nil, ArgError(name, args[0], "an array or map argument")
		}
		return &logical.Func{Name: name, Args: args, Type: t}, nil
	}
}

// arrayArg checks that a is an array (or NULL) and returns its element type.
func arrayArg(name string, a logical.Expr) (arrow.DataType, error) {
	switch t := a.DataType().(type) {
	case *arrow.ListType:
		return t.Elem(), nil
	case *arrow.NullType:
		return arrow.Null, nil
	}
	return nil, ArgError(name, a, "an array argument")
}

func resolveArrayContains(name string, args []logical.Expr) (logical.Expr, error) {
	elem, err := arrayArg(name, args[0])
	if err != nil {
		return nil, err
	}
	v := args[1]
	if elem.ID() != arrow.NULL {
		w, ok := logical.CommonType(elem, plainType(v.DataType()))
		if !ok || !arrow.TypeEqual(w, elem) {
			return nil, logical.AnalysisErr("%s: the value %s of type %s does not match the array's element type %s", name, logical.StripIDs(v.String()), logical.TypeName(v.DataType()), logical.TypeName(elem))
		}
		v = castAll([]logical.Expr{v}, elem)[0]
	}
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], v}, Type: arrow.FixedWidthTypes.Boolean, MayBeNull: true}, nil
}

// resolveElementAt types element_at(array, index) (index cast to int) and
// element_at(map, key) (key cast to the key type).
func resolveElementAt(name string, args []logical.Expr) (logical.Expr, error) {
	switch t := args[0].DataType().(type) {
	case *arrow.MapType:
		k := args[1]
		w, ok := logical.CommonType(t.KeyType(), plainType(k.DataType()))
		if !ok || !arrow.TypeEqual(w, t.KeyType()) {
			return nil, logical.AnalysisErr("%s: the key %s of type %s does not match the map's key type %s", name, logical.StripIDs(k.String()), logical.TypeName(k.DataType()), logical.TypeName(t.KeyType()))
		}
		return &logical.Func{Name: name, Args: []logical.Expr{args[0], castAll([]logical.Expr{k}, t.KeyType())[0]}, Type: t.ItemType(), MayBeNull: true}, nil
	case *arrow.ListType:
		if it := args[1].DataType(); !logical.IsInteger(it) && it.ID() != arrow.NULL {
			return nil, ArgError(name, args[1], "an integer index")
		}
		return &logical.Func{Name: name, Args: []logical.Expr{args[0], logical.CastTo(args[1], arrow.PrimitiveTypes.Int32)}, Type: t.Elem(), MayBeNull: true}, nil
	}
	return nil, ArgError(name, args[0], "an array or map argument")
}

func compileElementAt(try bool) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		if _, ok := call.Args[0].DataType().(*arrow.MapType); ok {
			return arrayfn.MapElementAt(a[0], a[1])
		}
		return arrayfn.ElementAt(a[0], a[1], try)
	}
}

// structNames returns the field names of a struct type.
func structNames(t arrow.DataType) []string {
	st := t.(*arrow.StructType)
	names := make([]string, st.NumFields())
	for i, f := range st.Fields() {
		names[i] = f.Name
	}
	return names
}

// structFields makes the fields of a struct of the given names and values.
func structFields(names []string, vals []logical.Expr) *arrow.StructType {
	fields := make([]arrow.Field, len(vals))
	for i, v := range vals {
		fields[i] = arrow.Field{Name: names[i], Type: plainType(v.DataType()), Nullable: true}
	}
	return arrow.StructOf(fields...)
}

// resolveStruct types struct(e1, ...): a field takes the name of a column
// or alias argument, else col1, col2, ... as in Spark.
func resolveStruct(name string, args []logical.Expr) (logical.Expr, error) {
	names := make([]string, len(args))
	for i, a := range args {
		switch x := a.(type) {
		case *logical.Attribute:
			names[i] = x.Name
		case *logical.Alias:
			names[i] = x.Name
		case *logical.LambdaVar:
			names[i] = x.Name
		default:
			names[i] = fmt.Sprintf("col%d", i+1)
		}
	}
	return &logical.Func{Name: name, Args: args, Type: structFields(names, args)}, nil
}

// resolveNamedStruct types named_struct(name1, value1, ...): the names must
// be string literals.
func resolveNamedStruct(name string, args []logical.Expr) (logical.Expr, error) {
	if len(args)%2 != 0 {
		return nil, logical.AnalysisErr("%s takes an even number of arguments (name, value pairs), got %d", name, len(args))
	}
	var names []string
	var vals []logical.Expr
	for i := 0; i < len(args); i += 2 {
		n, err := StringLiteralArg(name, args[i])
		if err != nil {
			return nil, err
		}
		names = append(names, n)
		vals = append(vals, args[i+1])
	}
	return &logical.Func{Name: name, Args: args, Type: structFields(names, vals)}, nil
}

// resolveMap types map(k1, v1, ...): keys widen to one type and values to
// another.
func resolveMap(name string, args []logical.Expr) (logical.Expr, error) {
	if len(args)%2 != 0 {
		return nil, logical.AnalysisErr("%s takes an even number of arguments (key, value pairs), got %d", name, len(args))
	}
	var keys, vals []logical.Expr
	for i := 0; i < len(args); i += 2 {
		keys = append(keys, args[i])
		vals = append(vals, args[i+1])
	}
	kt, err := widestOf(name, keys)
	if err != nil {
		return nil, err
	}
	if nestedType(kt) {
		return nil, logical.AnalysisErr("%s: keys of type %s are not supported", name, logical.TypeName(kt))
	}
	vt, err := widestOf(name, vals)
	if err != nil {
		return nil, err
	}
	keys, vals = castAll(keys, kt), castAll(vals, vt)
	out := make([]logical.Expr, 0, len(args))
	for i := range keys {
		out = append(out, keys[i], vals[i])
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.MapOf(kt, vt)}, nil
}

func resolveMapPart(name string, args []logical.Expr) (logical.Expr, error) {
	mt, ok := args[0].DataType().(*arrow.MapType)
	if !ok {
		return nil, ArgError(name, args[0], "a map argument")
	}
	t := mt.KeyType()
	if name == "map_values" {
		t = mt.ItemType()
	}
	return &logical.Func{Name: name, Args: args, Type: arrow.ListOf(t)}, nil
}

func resolveSortArray(name string, args []logical.Expr) (logical.Expr, error) {
	if _, err := arrayArg(name, args[0]); err != nil {
		return nil, err
	}
	if len(args) > 1 {
		l, ok := args[1].(*logical.Literal)
		if !ok || l.Value == nil || l.Type.ID() != arrow.BOOL {
			return nil, logical.AnalysisErr("%s needs a boolean literal for the sort order, got %s", name, logical.StripIDs(args[1].String()))
		}
	}
	return &logical.Func{Name: name, Args: args, Type: args[0].DataType()}, nil
}

// resolveSameArray types a function of one array returning the same type.
func resolveSameArray(name string, args []logical.Expr) (logical.Expr, error) {
	if _, err := arrayArg(name, args[0]); err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: args, Type: args[0].DataType()}, nil
}

// resolveArrayElem types a function of one array returning an element.
func resolveArrayElem(name string, args []logical.Expr) (logical.Expr, error) {
	elem, err := arrayArg(name, args[0])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: args, Type: elem, MayBeNull: true}, nil
}

func resolveArrayJoin(name string, args []logical.Expr) (logical.Expr, error) {
	elem, err := arrayArg(name, args[0])
	if err != nil {
		return nil, err
	}
	if id := plainType(elem).ID(); id != arrow.STRING && id != arrow.NULL {
		return nil, ArgError(name, args[0], "an array<string> argument")
	}
	out := []logical.Expr{args[0]}
	for _, a := range args[1:] {
		s, err := strfnStringArg(name, a)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.BinaryTypes.String}, nil
}
