package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/planner/logical"
)

// urlFunctions are parse_url, try_parse_url, url_encode, url_decode and
// try_url_decode.
func urlFunctions() []FunctionDef {
	str := arrow.BinaryTypes.String
	return []FunctionDef{
		{Name: "parse_url", MinArgs: 2, MaxArgs: 3, Resolve: resolveStrings(str), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.ParseURL(a, false), nil
		}},
		{Name: "try_parse_url", MinArgs: 2, MaxArgs: 3, Resolve: resolveStrings(str), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.ParseURL(a, true), nil
		}},
		{Name: "url_encode", MinArgs: 1, MaxArgs: 1, Resolve: resolveStrings(str), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.URLEncode(a[0]), nil
		}},
		{Name: "url_decode", MinArgs: 1, MaxArgs: 1, Resolve: resolveStrings(str), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.URLDecode(a[0], false), nil
		}},
		{Name: "try_url_decode", MinArgs: 1, MaxArgs: 1, Resolve: resolveStrings(str), Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return fmtfn.URLDecode(a[0], true), nil
		}},
	}
}
