package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/strfn"
	"github.com/gspark/gspark/planner/logical"
)

// isBinary reports whether t is BINARY.
func isBinary(t arrow.DataType) bool { return t.ID() == arrow.BINARY }

// resolveLeft types left(str, len): of a binary it is a binary (Spark's left
// is substring(str, 1, len), which keeps BINARY), of anything else a string.
func resolveLeft(name string, args []logical.Expr) (logical.Expr, error) {
	if !isBinary(args[0].DataType()) {
		return strfnResolve(arrow.BinaryTypes.String, strfnSIS)(name, args)
	}
	n, err := strfnIntArg(name, args[1])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{args[0], n}, Type: arrow.BinaryTypes.Binary}, nil
}

// compileLeft compiles left of a string or of a binary.
func compileLeft(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	if isBinary(call.Type) {
		return strfn.BinaryLeft(a[0], a[1])
	}
	return strfnConsts(func(a []expr.Expr) (expr.Expr, error) { return strfn.Left(a[0], a[1]) })(call, a)
}
