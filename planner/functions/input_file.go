package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/planner/logical"
)

// inputFileFunctions are input_file_name(), input_file_block_start() and
// input_file_block_length(): the file a row was read from, read from the
// metadata file scans attach to their batches (expr.InputFileKey).
func inputFileFunctions() []FunctionDef {
	def := func(name string, t arrow.DataType, e func() expr.Expr) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 0, MaxArgs: 0, Nondeterministic: true,
			Resolve: func(name string, _ []logical.Expr) (logical.Expr, error) {
				return &logical.Func{Name: name, Type: t}, nil
			},
			Compile: func(*logical.Func, []expr.Expr) (expr.Expr, error) { return e(), nil }}
	}
	return []FunctionDef{
		def("input_file_name", arrow.BinaryTypes.String, expr.InputFileName),
		def("input_file_block_start", arrow.PrimitiveTypes.Int64, expr.InputFileBlockStart),
		def("input_file_block_length", arrow.PrimitiveTypes.Int64, expr.InputFileBlockLength),
	}
}
