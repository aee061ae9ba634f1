package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/planner/logical"
)

// variantFunctions are the VARIANT functions: parse_json, try_parse_json,
// is_variant_null, variant_get, try_variant_get, schema_of_variant,
// to_variant_object (and to_json of a variant, in json.go).
func variantFunctions() []FunctionDef {
	parse := func(try bool) FunctionDef {
		name := "parse_json"
		if try {
			name = "try_parse_json"
		}
		return FunctionDef{Name: name, MinArgs: 1, MaxArgs: 1, Resolve: resolveStrings(fmtfn.VariantType()), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.ParseJSON(a[0], try), nil
		}}
	}
	get := func(try bool) FunctionDef {
		name := "variant_get"
		if try {
			name = "try_variant_get"
		}
		return FunctionDef{Name: name, MinArgs: 2, MaxArgs: 3, Resolve: resolveVariantGet, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			path, err := StringLiteralArg(call.Name, call.Args[1])
			if err != nil {
				return nil, err
			}
			return fmtfn.VariantGet(a[0], path, call.Type, try), nil
		}}
	}
	return []FunctionDef{
		parse(false), parse(true), get(false), get(true),
		{Name: "is_variant_null", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			if err := variantArg(name, args[0]); err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: args, Type: arrow.FixedWidthTypes.Boolean}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.IsVariantNull(a[0]), nil
		}},
		{Name: "to_variant_object", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			switch t := args[0].DataType().(type) {
			case *arrow.StructType, *arrow.ListType:
			case *arrow.MapType:
				if t.KeyType().ID() != arrow.STRING {
					return nil, ArgError(name, args[0], "a map with string keys")
				}
			default:
				return nil, ArgError(name, args[0], "a struct, an array or a map")
			}
			return &logical.Func{Name: name, Args: args, Type: fmtfn.VariantType(), MayBeNull: true}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.ToVariantObject(a[0]), nil
		}},
		{Name: "schema_of_variant", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			if err := variantArg(name, args[0]); err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: args, Type: arrow.BinaryTypes.String, MayBeNull: true}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.SchemaOfVariant(a[0]), nil
		}},
	}
}

// variantArg checks that a is a VARIANT.
func variantArg(name string, a logical.Expr) error {
	if !fmtfn.IsVariant(a.DataType()) {
		return ArgError(name, a, "a variant")
	}
	return nil
}

// resolveVariantGet types variant_get(v, path[, type]): the path and the
// type are string literals; the type defaults to variant.
func resolveVariantGet(name string, args []logical.Expr) (logical.Expr, error) {
	if err := variantArg(name, args[0]); err != nil {
		return nil, err
	}
	path, err := StringLiteralArg(name, args[1])
	if err != nil {
		return nil, logical.AnalysisErr("%s needs the path as a string literal, got %s", name, logical.StripIDs(args[1].String()))
	}
	if _, ok := fmtfn.ParseVariantPath(path); !ok {
		return nil, logical.AnalysisErr("[INVALID_VARIANT_GET_PATH] The path `%s` is not a valid variant extraction path in `%s`: use $ followed by .key, ['key'] or [index]", path, name)
	}
	var t arrow.DataType = fmtfn.VariantType()
	if len(args) > 2 {
		ts, err := StringLiteralArg(name, args[2])
		if err != nil {
			return nil, logical.AnalysisErr("%s needs the type as a string literal such as 'int', got %s", name, logical.StripIDs(args[2].String()))
		}
		if t, err = ParseDDLSchema(ts); err != nil {
			return nil, logical.AnalysisErr("%s: %v", name, err)
		}
	}
	return &logical.Func{Name: name, Args: args, Type: t, MayBeNull: true}, nil
}

// CastFromVariant types CAST(e AS to) (or TRY_CAST) of a VARIANT e, which
// Spark evaluates as variant_get(e, '$', to); ok is false when e is not a
// variant.
func CastFromVariant(e logical.Expr, to arrow.DataType, try bool) (logical.Expr, bool) {
	if !fmtfn.IsVariant(e.DataType()) {
		return nil, false
	}
	name := "variant_get"
	if try {
		name = "try_variant_get"
	}
	root := &logical.Literal{Value: "$", Type: arrow.BinaryTypes.String}
	typ := &logical.Literal{Value: logical.TypeName(to), Type: arrow.BinaryTypes.String}
	return &logical.Func{Name: name, Args: []logical.Expr{e, root, typ}, Type: to, MayBeNull: true}, true
}
