package logical

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// UDFFunc computes a user-defined function over whole columns: args holds one
// array per argument, all of the batch's length; the result must have that
// length and the UDF's type. The caller releases the result.
type UDFFunc func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error)

// UDF is a call of a Go function over columns (a vectorized user-defined
// function), as ML transformers use. It is never constant-folded, and its
// result may be null.
type UDF struct {
	Name string
	Args []Expr
	Type arrow.DataType
	Fn   UDFFunc
	// ID tells calls of different functions under one name apart (the
	// analyzer sets it): Equal tells calls apart by Name and ID.
	ID int64
}

func (e *UDF) String() string {
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = a.String()
	}
	return fmt.Sprintf("%s#%d(%s)", e.Name, e.ID, strings.Join(parts, ", "))
}

// Children implements Expr.
func (e *UDF) Children() []Expr { return e.Args }

// WithChildren implements Expr.
func (e *UDF) WithChildren(c []Expr) Expr {
	return &UDF{Name: e.Name, Args: c, Type: e.Type, Fn: e.Fn, ID: e.ID}
}

// DataType implements Expr.
func (e *UDF) DataType() arrow.DataType { return e.Type }

// Nullable implements Expr.
func (e *UDF) Nullable() bool { return true }
