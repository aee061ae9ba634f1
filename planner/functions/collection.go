package functions

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/planner/logical"
)

// IntervalArgName is the internal function the SQL parser makes of an
// INTERVAL literal given as the step of sequence: IntervalArgName(kind,
// amount), kind and amount as for AddIntervalName. It is valid only there.
const IntervalArgName = "__interval_arg"

// collectionFunctions are Spark's collection functions over arrays and
// maps beyond the constructors and accessors of array.go.
func collectionFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: "array_position", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayValue(arrow.PrimitiveTypes.Int64), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayPosition(a[0], a[1])
		}},
		{Name: "array_remove", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayValue(nil), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayRemove(a[0], a[1])
		}},
		{Name: "array_append", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayValue(nil), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayAppend(a[0], a[1], false)
		}},
		{Name: "array_prepend", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayValue(nil), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayAppend(a[0], a[1], true)
		}},
		{Name: "array_insert", MinArgs: 3, MaxArgs: 3, Resolve: resolveArrayInsert, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayInsert(a[0], a[1], a[2])
		}},
		{Name: "slice", MinArgs: 3, MaxArgs: 3, Resolve: resolveSlice, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.Slice(a[0], a[1], a[2])
		}},
		{Name: "flatten", MinArgs: 1, MaxArgs: 1, Resolve: resolveFlatten, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.Flatten(a[0])
		}},
		{Name: "array_compact", MinArgs: 1, MaxArgs: 1, Resolve: resolveSameArray, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayCompact(a[0])
		}},
		{Name: "array_repeat", MinArgs: 2, MaxArgs: 2, Resolve: resolveArrayRepeat, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayRepeat(a[0], a[1])
		}},
		{Name: "arrays_overlap", MinArgs: 2, MaxArgs: 2, Resolve: resolveArraysOverlap, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArraysOverlap(a[0], a[1])
		}},
		{Name: "arrays_zip", MinArgs: 1, MaxArgs: -1, Resolve: resolveArraysZip, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArraysZip(structNames(call.Type.(*arrow.ListType).Elem()), a...)
		}},
		{Name: IntervalArgName, MinArgs: 2, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return &logical.Func{Name: name, Args: args, Type: arrow.PrimitiveTypes.Int64}, nil
		}, Compile: func(*logical.Func, []expr.Expr) (expr.Expr, error) {
			return nil, logical.AnalysisErr("an INTERVAL value is supported only as the step of sequence or added to or subtracted from a date or timestamp")
		}},
		{Name: "sequence", MinArgs: 2, MaxArgs: 3, Resolve: resolveSequence, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if t := call.Args[0].DataType().ID(); t == arrow.DATE32 || t == arrow.TIMESTAMP {
				if len(call.Args) < 4 {
					return arrayfn.SequenceTime(a[0], a[1], 0, 0, true)
				}
				months, micros := sequenceStep(call)
				return arrayfn.SequenceTime(a[0], a[1], months, micros, false)
			}
			var step expr.Expr
			if len(a) > 2 {
				step = a[2]
			}
			return arrayfn.Sequence(a[0], a[1], step)
		}},
		{Name: "array_union", MinArgs: 2, MaxArgs: 2, Resolve: resolveArraySetOp, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayUnion(a[0], a[1])
		}},
		{Name: "array_intersect", MinArgs: 2, MaxArgs: 2, Resolve: resolveArraySetOp, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayIntersect(a[0], a[1])
		}},
		{Name: "array_except", MinArgs: 2, MaxArgs: 2, Resolve: resolveArraySetOp, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.ArrayExcept(a[0], a[1])
		}},
		{Name: "array_size", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			if _, err := listArg(name, args[0]); err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: args, Type: arrow.PrimitiveTypes.Int32}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.Size(a[0])
		}},
		{Name: "map_contains_key", MinArgs: 2, MaxArgs: 2, Resolve: resolveMapContainsKey, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			keys, err := arrayfn.MapKeys(a[0])
			if err != nil {
				return nil, err
			}
			return arrayfn.ArrayContains(keys, a[1])
		}},
		{Name: "map_concat", MinArgs: 0, MaxArgs: -1, Resolve: resolveMapConcat, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.MapConcat(call.Type.(*arrow.MapType), a...)
		}},
		{Name: "map_from_entries", MinArgs: 1, MaxArgs: 1, Resolve: resolveMapFromEntries, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.MapFromEntries(a[0])
		}},
		{Name: "map_from_arrays", MinArgs: 2, MaxArgs: 2, Resolve: resolveMapFromArrays, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.MapFromArrays(a[0], a[1])
		}},
		{Name: "map_entries", MinArgs: 1, MaxArgs: 1, Resolve: resolveMapEntries, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return arrayfn.MapEntries(a[0])
		}},
		{Name: "str_to_map", MinArgs: 1, MaxArgs: 3, Resolve: resolveStrToMap, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			pair, kv := ",", ":"
			if len(call.Args) > 1 {
				pair, _ = StringLiteralArg(call.Name, call.Args[1])
			}
			if len(call.Args) > 2 {
				kv, _ = StringLiteralArg(call.Name, call.Args[2])
			}
			return arrayfn.StrToMap(a[0], pair, kv)
		}},
	}
}

// listArg checks that a is an array and returns its element type; an
// untyped NULL counts as an array of nulls.
func listArg(name string, a logical.Expr) (arrow.DataType, error) {
	switch t := a.DataType().(type) {
	case *arrow.ListType:
		return plainType(t.Elem()), nil
	case *arrow.NullType:
		return arrow.Null, nil
	}
	return nil, ArgError(name, a, "an array argument")
}

// asList types an untyped NULL argument as an array of elem.
func asList(a logical.Expr, elem arrow.DataType) logical.Expr {
	if a.DataType().ID() == arrow.NULL {
		return &logical.Literal{Value: nil, Type: arrow.ListOf(elem)}
	}
	return a
}

// valueOf casts v to the element type elem, which it must widen to; the
// error names the function and suggests a cast.
func valueOf(name string, v logical.Expr, elem arrow.DataType) (logical.Expr, error) {
	vt := plainType(v.DataType())
	if elem.ID() == arrow.NULL || arrow.TypeEqual(vt, elem) {
		return v, nil
	}
	w, ok := logical.CommonType(elem, vt)
	if !ok || !arrow.TypeEqual(w, elem) {
		return nil, logical.AnalysisErr("%s: the value %s of type %s does not match the array's element type %s; cast it to %s", name, logical.StripIDs(v.String()), logical.TypeName(vt), logical.TypeName(elem), logical.TypeName(elem))
	}
	return logical.CastTo(v, elem), nil
}

// intArg casts an integer (or NULL) argument to int.
func intArg(name string, a logical.Expr) (logical.Expr, error) {
	t := a.DataType()
	if !logical.IsInteger(t) && t.ID() != arrow.NULL {
		return nil, ArgError(name, a, "an integer argument")
	}
	return logical.CastTo(a, arrow.PrimitiveTypes.Int32), nil
}

// resolveArrayValue types f(array, value) returning t (nil: the array's
// type), the value cast to the element type.
func resolveArrayValue(t arrow.DataType) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		elem, err := listArg(name, args[0])
		if err != nil {
			return nil, err
		}
		if elem.ID() == arrow.NULL {
			elem = plainType(args[1].DataType())
		}
		v, err := valueOf(name, args[1], elem)
		if err != nil {
			return nil, err
		}
		arr := asList(args[0], elem)
		rt := t
		if rt == nil {
			rt = arr.DataType()
		}
		return &logical.Func{Name: name, Args: []logical.Expr{arr, v}, Type: rt}, nil
	}
}

func resolveArrayInsert(name string, args []logical.Expr) (logical.Expr, error) {
	elem, err := listArg(name, args[0])
	if err != nil {
		return nil, err
	}
	if elem.ID() == arrow.NULL {
		elem = plainType(args[2].DataType())
	}
	pos, err := intArg(name, args[1])
	if err != nil {
		return nil, err
	}
	v, err := valueOf(name, args[2], elem)
	if err != nil {
		return nil, err
	}
	arr := asList(args[0], elem)
	return &logical.Func{Name: name, Args: []logical.Expr{arr, pos, v}, Type: arr.DataType()}, nil
}

func resolveSlice(name string, args []logical.Expr) (logical.Expr, error) {
	elem, err := listArg(name, args[0])
	if err != nil {
		return nil, err
	}
	start, err := intArg(name, args[1])
	if err != nil {
		return nil, err
	}
	length, err := intArg(name, args[2])
	if err != nil {
		return nil, err
	}
	arr := asList(args[0], elem)
	return &logical.Func{Name: name, Args: []logical.Expr{arr, start, length}, Type: arr.DataType()}, nil
}

func resolveFlatten(name string, args []logical.Expr) (logical.Expr, error) {
	elem, err := listArg(name, args[0])
	if err != nil {
		return nil, err
	}
	inner, ok := elem.(*arrow.ListType)
	if !ok {
		return nil, ArgError(name, args[0], "an array of arrays")
	}
	return &logical.Func{Name: name, Args: args, Type: inner}, nil
}

func resolveArrayRepeat(name string, args []logical.Expr) (logical.Expr, error) {
	count, err := intArg(name, args[1])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], count}, Type: arrow.ListOf(plainType(args[0].DataType()))}, nil
}

// commonListElem is the element type shared by two array arguments (an
// untyped NULL taking the other's type); differing types are an error.
func commonListElem(name string, x, y logical.Expr) (arrow.DataType, error) {
	l, err := listArg(name, x)
	if err != nil {
		return nil, err
	}
	r, err := listArg(name, y)
	if err != nil {
		return nil, err
	}
	switch {
	case l.ID() == arrow.NULL:
		return r, nil
	case r.ID() == arrow.NULL:
		return l, nil
	case !arrow.TypeEqual(l, r):
		return nil, logical.AnalysisErr("%s: the arrays' element types %s and %s differ", name, logical.TypeName(l), logical.TypeName(r))
	}
	return l, nil
}

func resolveArraysOverlap(name string, args []logical.Expr) (logical.Expr, error) {
	l, err := commonListElem(name, args[0], args[1])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{asList(args[0], l), asList(args[1], l)}, Type: arrow.FixedWidthTypes.Boolean, MayBeNull: true}, nil
}

// resolveArraysZip types arrays_zip(a1, ...): the struct fields are named
// after column arguments, else by position ("0", "1", ...) as in Spark.
func resolveArraysZip(name string, args []logical.Expr) (logical.Expr, error) {
	fields := make([]arrow.Field, len(args))
	out := make([]logical.Expr, len(args))
	for i, a := range args {
		elem, err := listArg(name, a)
		if err != nil {
			return nil, err
		}
		n := strconv.Itoa(i)
		switch x := a.(type) {
		case *logical.Attribute:
			n = x.Name
		case *logical.Alias:
			n = x.Name
		}
		fields[i] = arrow.Field{Name: n, Type: elem, Nullable: true}
		out[i] = asList(a, elem)
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.ListOf(arrow.StructOf(fields...))}, nil
}

func resolveSequence(name string, args []logical.Expr) (logical.Expr, error) {
	var step *logical.Func
	if len(args) > 2 {
		if f, ok := args[2].(*logical.Func); ok && f.Name == IntervalArgName {
			step, args = f, args[:2]
		}
	}
	t, err := widestOf(name, args)
	if err != nil {
		return nil, err
	}
	switch {
	case logical.IsInteger(t) && step == nil:
	case t.ID() == arrow.NULL && step == nil:
		t = arrow.PrimitiveTypes.Int32
	case t.ID() == arrow.DATE32 || t.ID() == arrow.TIMESTAMP || t.ID() == arrow.NULL:
		if t.ID() == arrow.NULL {
			t = arrow.FixedWidthTypes.Date32
		}
		if step != nil && t.ID() == arrow.DATE32 && step.Args[0].(*logical.Literal).Value == IntervalDayTime {
			// As Spark: dates with a step finer than days are timestamps.
			t = arrow.FixedWidthTypes.Timestamp_us
		}
		out := castAll(args, t)
		if step != nil {
			out = append(out, step.Args...)
		}
		return &logical.Func{Name: name, Args: out, Type: arrow.ListOf(t)}, nil
	case step != nil:
		return nil, logical.AnalysisErr("%s with an INTERVAL step needs dates or timestamps, got %s", name, logical.TypeName(t))
	default:
		return nil, logical.AnalysisErr("%s needs integer, date or timestamp arguments, got %s", name, logical.TypeName(t))
	}
	if len(args) > 2 && !logical.IsInteger(args[2].DataType()) && args[2].DataType().ID() != arrow.NULL {
		return nil, ArgError(name, args[2], "an integer step")
	}
	return &logical.Func{Name: name, Args: castAll(args, t), Type: arrow.ListOf(t)}, nil
}

// sequenceStep returns the INTERVAL step of a typed sequence over dates or
// timestamps (kind and amount, the call's last two arguments) in months
// and microseconds.
func sequenceStep(call *logical.Func) (months, micros int64) {
	kind := call.Args[2].(*logical.Literal).Value.(string)
	amount, _ := logical.IntValue(call.Args[3].(*logical.Literal).Value)
	switch kind {
	case IntervalYearMonth:
		return amount, 0
	case IntervalDays:
		return 0, amount * 86400e6
	}
	return 0, amount
}

func resolveMapConcat(name string, args []logical.Expr) (logical.Expr, error) {
	var mt *arrow.MapType
	for _, a := range args {
		switch t := a.DataType().(type) {
		case *arrow.NullType:
		case *arrow.MapType:
			if mt != nil && !arrow.TypeEqual(mt, t) {
				return nil, logical.AnalysisErr("%s: the maps' types %s and %s differ", name, logical.TypeName(mt), logical.TypeName(t))
			}
			mt = t
		default:
			return nil, ArgError(name, a, "map arguments")
		}
	}
	if mt == nil {
		mt = arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String)
	}
	out := make([]logical.Expr, len(args))
	for i, a := range args {
		out[i] = a
		if a.DataType().ID() == arrow.NULL {
			out[i] = &logical.Literal{Value: nil, Type: mt}
		}
	}
	return &logical.Func{Name: name, Args: out, Type: mt}, nil
}

func resolveMapFromEntries(name string, args []logical.Expr) (logical.Expr, error) {
	elem, err := listArg(name, args[0])
	if err != nil {
		return nil, err
	}
	st, ok := elem.(*arrow.StructType)
	if !ok || st.NumFields() != 2 {
		return nil, ArgError(name, args[0], "an array of two-field structs (key, value)")
	}
	if kt := st.Field(0).Type; nestedType(kt) || kt.ID() == arrow.NULL {
		return nil, logical.AnalysisErr("%s: keys of type %s are not supported", name, logical.TypeName(kt))
	}
	return &logical.Func{Name: name, Args: args, Type: arrow.MapOf(st.Field(0).Type, st.Field(1).Type), MayBeNull: true}, nil
}

func resolveMapFromArrays(name string, args []logical.Expr) (logical.Expr, error) {
	kt, err := listArg(name, args[0])
	if err != nil {
		return nil, err
	}
	vt, err := listArg(name, args[1])
	if err != nil {
		return nil, err
	}
	if nestedType(kt) || kt.ID() == arrow.NULL {
		return nil, logical.AnalysisErr("%s: keys of type %s are not supported", name, logical.TypeName(kt))
	}
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], asList(args[1], vt)}, Type: arrow.MapOf(kt, vt)}, nil
}

func resolveMapEntries(name string, args []logical.Expr) (logical.Expr, error) {
	mt, ok := args[0].DataType().(*arrow.MapType)
	if !ok {
		return nil, ArgError(name, args[0], "a map argument")
	}
	st := arrow.StructOf(arrow.Field{Name: "key", Type: mt.KeyType()}, arrow.Field{Name: "value", Type: mt.ItemType(), Nullable: true})
	return &logical.Func{Name: name, Args: args, Type: arrow.ListOf(st)}, nil
}

func resolveStrToMap(name string, args []logical.Expr) (logical.Expr, error) {
	s, err := strfnStringArg(name, args[0])
	if err != nil {
		return nil, err
	}
	out := []logical.Expr{s}
	for _, d := range args[1:] {
		if _, err := StringLiteralArg(name, d); err != nil {
			return nil, logical.AnalysisErr("%s needs its delimiters as string literals, got %s", name, logical.StripIDs(d.String()))
		}
		out = append(out, d)
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String)}, nil
}

// withArrayOverload extends a string function (concat, reverse) to arrays:
// a call whose arguments include an array resolves and compiles as the
// array function.
func withArrayOverload(d FunctionDef, resolve func(string, []logical.Expr) (logical.Expr, error), compile func(*logical.Func, []expr.Expr) (expr.Expr, error)) FunctionDef {
	strResolve, strCompile := d.Resolve, d.Compile
	d.Resolve = func(name string, args []logical.Expr) (logical.Expr, error) {
		for _, a := range args {
			if _, ok := a.DataType().(*arrow.ListType); ok {
				return resolve(name, args)
			}
		}
		return strResolve(name, args)
	}
	d.Compile = func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		if _, ok := call.Type.(*arrow.ListType); ok {
			return compile(call, a)
		}
		return strCompile(call, a)
	}
	return d
}

// resolveConcatArrays types concat(array, ...): arrays of one type (NULLs
// typed alike).
func resolveConcatArrays(name string, args []logical.Expr) (logical.Expr, error) {
	var t arrow.DataType
	for _, a := range args {
		switch at := a.DataType().(type) {
		case *arrow.NullType:
		case *arrow.ListType:
			if t != nil && !arrow.TypeEqual(t, at) {
				return nil, logical.AnalysisErr("%s: the arrays' types %s and %s differ", name, logical.TypeName(t), logical.TypeName(at))
			}
			t = at
		default:
			return nil, logical.AnalysisErr("%s: cannot concatenate %s of type %s with arrays", name, logical.StripIDs(a.String()), logical.TypeName(at))
		}
	}
	out := make([]logical.Expr, len(args))
	for i, a := range args {
		out[i] = a
		if a.DataType().ID() == arrow.NULL {
			out[i] = &logical.Literal{Value: nil, Type: t}
		}
	}
	return &logical.Func{Name: name, Args: out, Type: t}, nil
}

// arrayOverloads wraps the string functions Spark also defines on arrays
// (concat, reverse) in defs.
func arrayOverloads(defs []FunctionDef) []FunctionDef {
	out := make([]FunctionDef, len(defs))
	for i, d := range defs {
		switch d.Name {
		case "concat":
			d = withArrayOverload(d, resolveConcatArrays, func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return arrayfn.Concat(a...)
			})
		case "reverse":
			d = withArrayOverload(d, resolveSameArray, func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return arrayfn.ReverseArray(a[0])
			})
		}
		out[i] = d
	}
	return out
}

// resolveArraySetOp types array_union, array_intersect and array_except:
// two arrays of one element type (an untyped NULL typed alike).
func resolveArraySetOp(name string, args []logical.Expr) (logical.Expr, error) {
	l, err := commonListElem(name, args[0], args[1])
	if err != nil {
		return nil, err
	}
	a, b := asList(args[0], l), asList(args[1], l)
	return &logical.Func{Name: name, Args: []logical.Expr{a, b}, Type: a.DataType()}, nil
}

func resolveMapContainsKey(name string, args []logical.Expr) (logical.Expr, error) {
	mt, ok := args[0].DataType().(*arrow.MapType)
	if !ok {
		return nil, ArgError(name, args[0], "a map argument")
	}
	k, err := valueOf(name, args[1], mt.KeyType())
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], k}, Type: arrow.FixedWidthTypes.Boolean, MayBeNull: true}, nil
}
