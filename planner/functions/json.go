package functions

import (
	"encoding/json"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/planner/logical"
)

// JSONTupleName is json_tuple: typed as a struct of strings c0, c1, ...,
// which the analyzer spreads into one column per field when the call is a
// whole item of a select list, as Spark's generator does.
const JSONTupleName = "json_tuple"

// jsonFunctions are the JSON functions: get_json_object, json_tuple,
// from_json, to_json, schema_of_json, json_array_length, json_object_keys.
func jsonFunctions() []FunctionDef {
	str := arrow.BinaryTypes.String
	return []FunctionDef{
		{Name: "get_json_object", MinArgs: 2, MaxArgs: 2, Resolve: resolveStrings(str), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.GetJSONObject(a[0], a[1]), nil
		}},
		{Name: JSONTupleName, MinArgs: 2, MaxArgs: -1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			f, err := resolveStrings(nil)(name, args)
			if err != nil {
				return nil, err
			}
			call := f.(*logical.Func)
			call.Type = fmtfn.JSONTupleType(len(args) - 1)
			return call, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.JSONTuple(a[0], a[1:]...), nil
		}},
		{Name: "from_json", MinArgs: 2, MaxArgs: 3, Resolve: resolveFromText(false), Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			o, err := textOptions(call, 2, false)
			if err != nil {
				return nil, err
			}
			return fmtfn.FromJSON(a[0], call.Type, o), nil
		}},
		{Name: "to_json", MinArgs: 1, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			switch args[0].DataType().(type) {
			case *arrow.StructType, *arrow.MapType, *arrow.ListType:
			default:
				if !fmtfn.IsVariant(args[0].DataType()) {
					return nil, ArgError(name, args[0], "a struct, an array, a map or a variant")
				}
			}
			args, err := optionsLiteral(name, args, 1, false)
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: args, Type: str, MayBeNull: true}, nil
		}, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			o, err := textOptions(call, 1, false)
			if err != nil {
				return nil, err
			}
			if fmtfn.IsVariant(call.Args[0].DataType()) {
				return fmtfn.VariantToJSON(a[0]), nil
			}
			return fmtfn.ToJSON(a[0], o), nil
		}},
		{Name: "schema_of_json", MinArgs: 1, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			doc, err := StringLiteralArg(name, args[0])
			if err != nil {
				return nil, logical.AnalysisErr("schema_of_json needs a foldable, non-null string argument, got %s", logical.StripIDs(args[0].String()))
			}
			if _, err := optionsLiteral(name, args, 1, false); err != nil {
				return nil, err
			}
			s, err := fmtfn.SchemaOfJSON(doc)
			if err != nil {
				return nil, logical.AnalysisErr("schema_of_json: %v", err)
			}
			return &logical.Literal{Value: s, Type: str}, nil
		}, Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
			return nil, logical.AnalysisErr("%s is resolved to a literal", call.Name)
		}},
		{Name: "json_array_length", MinArgs: 1, MaxArgs: 1, Resolve: resolveStrings(arrow.PrimitiveTypes.Int32), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.JSONArrayLength(a[0]), nil
		}},
		{Name: "json_object_keys", MinArgs: 1, MaxArgs: 1, Resolve: resolveStrings(arrow.ListOf(str)), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.JSONObjectKeys(a[0]), nil
		}},
	}
}

// resolveStrings types a call whose arguments are all strings (other
// scalars are cast to string) and whose result, of type t, may be NULL.
func resolveStrings(t arrow.DataType) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		out := make([]logical.Expr, len(args))
		for i, a := range args {
			var err error
			if out[i], err = strfnStringArg(name, a); err != nil {
				return nil, err
			}
		}
		return &logical.Func{Name: name, Args: out, Type: t, MayBeNull: true}, nil
	}
}

// resolveFromText types from_json and from_csv: a string, a schema string
// literal and an optional options map; the result has the schema's type.
func resolveFromText(csv bool) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		doc, err := strfnStringArg(name, args[0])
		if err != nil {
			return nil, err
		}
		schema, err := StringLiteralArg(name, args[1])
		if err != nil {
			return nil, logical.AnalysisErr("%s needs the schema as a string literal such as 'a INT, b STRING', got %s", name, logical.StripIDs(args[1].String()))
		}
		t, err := ParseDDLSchema(schema)
		if err != nil {
			return nil, logical.AnalysisErr("%s: %v", name, err)
		}
		switch t.(type) {
		case *arrow.StructType:
		case *arrow.ListType, *arrow.MapType, *fmtfn.VariantExtType:
			if csv {
				return nil, logical.AnalysisErr("%s: the schema %s must be a struct", name, schema)
			}
		default:
			return nil, logical.AnalysisErr("%s: the schema %s must be a struct, an array, a map or variant", name, schema)
		}
		out, err := optionsLiteral(name, append([]logical.Expr{doc}, args[1:]...), 2, csv)
		if err != nil {
			return nil, err
		}
		return &logical.Func{Name: name, Args: out, Type: t, MayBeNull: true}, nil
	}
}

// optionsLiteral checks the options argument of a call, when it has one
// at index at, and replaces it by a string literal holding the options as a
// JSON object, which the compiler reads back (textOptions) even after
// common subexpressions have been hoisted out of the call.
func optionsLiteral(name string, args []logical.Expr, at int, csv bool) ([]logical.Expr, error) {
	if len(args) <= at {
		return args, nil
	}
	m, err := OptionsArg(name, args[at])
	if err != nil {
		return nil, err
	}
	if _, err := fmtfn.ParseOptions(name, m, csv); err != nil {
		return nil, logical.AnalysisErr("%v", err)
	}
	text, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%s options: %w", name, err)
	}
	out := append([]logical.Expr{}, args[:at]...)
	return append(out, &logical.Literal{Value: string(text), Type: arrow.BinaryTypes.String}), nil
}

// textOptions reads the options of a JSON or CSV call that optionsLiteral
// stored at index at (the defaults when the call has none).
func textOptions(call *logical.Func, at int, csv bool) (*fmtfn.Options, error) {
	m := map[string]string{}
	if len(call.Args) > at {
		text, err := StringLiteralArg(call.Name, call.Args[at])
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			return nil, fmt.Errorf("%s options: %w", call.Name, err)
		}
	}
	o, err := fmtfn.ParseOptions(call.Name, m, csv)
	if err != nil {
		return nil, logical.AnalysisErr("%v", err)
	}
	return o, nil
}

// OptionsArg reads an options argument: map('key', 'value', ...) of string
// literals.
func OptionsArg(fn string, arg logical.Expr) (map[string]string, error) {
	f, ok := arg.(*logical.Func)
	if !ok || f.Name != "map" || len(f.Args)%2 != 0 {
		return nil, logical.AnalysisErr("%s needs its options as map('key', 'value', ...) of string literals, got %s", fn, logical.StripIDs(arg.String()))
	}
	m := map[string]string{}
	for i := 0; i < len(f.Args); i += 2 {
		k, err1 := StringLiteralArg(fn, stripCast(f.Args[i]))
		v, err2 := StringLiteralArg(fn, stripCast(f.Args[i+1]))
		if err1 != nil || err2 != nil {
			return nil, logical.AnalysisErr("%s needs its options as map('key', 'value', ...) of string literals, got %s", fn, logical.StripIDs(arg.String()))
		}
		m[k] = v
	}
	return m, nil
}

func stripCast(e logical.Expr) logical.Expr {
	if c, ok := e.(*logical.Cast); ok {
		return c.E
	}
	return e
}
