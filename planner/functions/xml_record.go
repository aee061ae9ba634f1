package functions

import (
	"encoding/json"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/planner/logical"
)

// xmlRecordFunctions are from_xml, to_xml and schema_of_xml.
func xmlRecordFunctions() []FunctionDef {
	str := arrow.BinaryTypes.String
	return []FunctionDef{
		{Name: "from_xml", MinArgs: 2, MaxArgs: 3, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
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
			if _, ok := t.(*arrow.StructType); !ok {
				return nil, logical.AnalysisErr("%s: the schema %s must be a struct", name, schema)
			}
			out, err := xmlOptionsLiteral(name, append([]logical.Expr{doc}, args[1:]...), 2)
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: out, Type: t, MayBeNull: true}, nil
		}, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			o, err := xmlOptions(call, 2)
			if err != nil {
				return nil, err
			}
			return fmtfn.FromXML(a[0], call.Type.(*arrow.StructType), o), nil
		}},
		{Name: "to_xml", MinArgs: 1, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			if _, ok := args[0].DataType().(*arrow.StructType); !ok {
				return nil, ArgError(name, args[0], "a struct")
			}
			out, err := xmlOptionsLiteral(name, args, 1)
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: out, Type: str, MayBeNull: true}, nil
		}, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			o, err := xmlOptions(call, 1)
			if err != nil {
				return nil, err
			}
			return fmtfn.ToXML(a[0], o), nil
		}},
		{Name: "schema_of_xml", MinArgs: 1, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			text, err := StringLiteralArg(name, args[0])
			if err != nil {
				return nil, logical.AnalysisErr("schema_of_xml needs a foldable, non-null string argument, got %s", logical.StripIDs(args[0].String()))
			}
			opt, err := xmlOptionsLiteral(name, args, 1)
			if err != nil {
				return nil, err
			}
			o, err := xmlOptions(&logical.Func{Name: name, Args: opt}, 1)
			if err != nil {
				return nil, err
			}
			s, err := fmtfn.SchemaOfXML(text, o)
			if err != nil {
				return nil, logical.AnalysisErr("schema_of_xml: %v", err)
			}
			return &logical.Literal{Value: s, Type: str}, nil
		}, Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
			return nil, logical.AnalysisErr("%s is resolved to a literal", call.Name)
		}},
	}
}

// xmlOptionsLiteral checks the options map argument of an XML function at
// index at and stores it as a JSON string literal.
func xmlOptionsLiteral(name string, args []logical.Expr, at int) ([]logical.Expr, error) {
	if len(args) <= at {
		return args, nil
	}
	m, err := OptionsArg(name, args[at])
	if err != nil {
		return nil, err
	}
	if _, err := fmtfn.ParseXMLOptions(name, m); err != nil {
		return nil, logical.AnalysisErr("%v", err)
	}
	text, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%s options: %w", name, err)
	}
	out := append([]logical.Expr{}, args[:at]...)
	return append(out, &logical.Literal{Value: string(text), Type: arrow.BinaryTypes.String}), nil
}

// xmlOptions reads the options xmlOptionsLiteral stored at index at.
func xmlOptions(call *logical.Func, at int) (*fmtfn.XMLOptions, error) {
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
	o, err := fmtfn.ParseXMLOptions(call.Name, m)
	if err != nil {
		return nil, logical.AnalysisErr("%v", err)
	}
	return o, nil
}
