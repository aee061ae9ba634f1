// Package expr holds physical expressions: typed, vectorized evaluation of
// scalar expressions over Arrow record batches, with Spark's semantics (ANSI
// mode: overflow and invalid casts are errors; SQL three-valued null logic).
package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Expr is a physical scalar expression. Eval returns an array with one element
// per row of the batch; the caller releases it.
type Expr interface {
	DataType() arrow.DataType
	Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error)
	// String renders the expression as SQL-like text, used in error messages.
	String() string
}
