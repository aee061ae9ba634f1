package compile

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// EvalConstant evaluates an expression without column references.
func EvalConstant(e logical.Expr) (any, bool) {
	c, err := CompileExpr(e, nil)
	if err != nil {
		return nil, false
	}
	b := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
	defer b.Release()
	arr, err := c.Eval(memory.DefaultAllocator, b)
	if err != nil {
		return nil, false
	}
	defer arr.Release()
	if arr.Len() != 1 {
		return nil, false
	}
	return values.Value(arr, 0), true
}
