package functions

import (
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/planner/logical"
)

// xmlFunctions are the XPath functions: xpath, xpath_boolean,
// xpath_string, xpath_short, xpath_int, xpath_long, xpath_float,
// xpath_double (alias xpath_number).
func xmlFunctions() []FunctionDef {
	def := func(name string, k fmtfn.XPathKind, aliases ...string) FunctionDef {
		return FunctionDef{Name: name, Aliases: aliases, MinArgs: 2, MaxArgs: 2,
			Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
				xml, err := strfnStringArg(name, args[0])
				if err != nil {
					return nil, err
				}
				path, err := StringLiteralArg(name, args[1])
				if err != nil {
					return nil, logical.AnalysisErr("%s needs the XPath as a string literal, got %s", name, logical.StripIDs(args[1].String()))
				}
				if path == "" {
					return &logical.Literal{Type: k.Type()}, nil // Spark: an empty path gives NULL
				}
				if _, err := fmtfn.CompileXPath(path); err != nil {
					return nil, logical.AnalysisErr("%s: %v", name, err)
				}
				return &logical.Func{Name: name, Args: []logical.Expr{xml, args[1]}, Type: k.Type(), MayBeNull: true}, nil
			},
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				path, err := StringLiteralArg(call.Name, call.Args[1])
				if err != nil {
					return nil, err
				}
				return fmtfn.XPath(call.Name, k, a[0], path), nil
			}}
	}
	return []FunctionDef{
		def("xpath", fmtfn.XPathList),
		def("xpath_boolean", fmtfn.XPathBoolean),
		def("xpath_string", fmtfn.XPathString),
		def("xpath_short", fmtfn.XPathShort),
		def("xpath_int", fmtfn.XPathInt),
		def("xpath_long", fmtfn.XPathLong),
		def("xpath_float", fmtfn.XPathFloat),
		def("xpath_double", fmtfn.XPathDouble, "xpath_number"),
	}
}
