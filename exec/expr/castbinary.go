package expr

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// bytesCast reports whether a cast from from to to keeps the bytes and
// only changes the type: STRING to BINARY (the UTF-8 bytes) and BINARY to
// STRING (the bytes read as UTF-8 text), as Spark casts them.
func bytesCast(from, to arrow.DataType) bool {
	f, t := valueType(from).ID(), valueType(to).ID()
	return f == arrow.STRING && t == arrow.BINARY || f == arrow.BINARY && t == arrow.STRING
}

// retypeExpr is a cast between STRING and BINARY: the same buffers under
// the other type.
type retypeExpr struct {
	e  Expr
	to arrow.DataType
}

func (r *retypeExpr) DataType() arrow.DataType { return r.to }
func (r *retypeExpr) String() string {
	return "CAST(" + r.e.String() + " AS " + strings.ToUpper(sqlType(r.to)) + ")"
}

// Eval evaluates the argument and retypes its data.
func (r *retypeExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := r.e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	if d, ok := a.(*array.Dictionary); ok {
		plain, err := kernels.DecodeDictionary(mem, d)
		if err != nil {
			return nil, err
		}
		defer plain.Release()
		a = plain
	}
	if a.DataType().ID() == arrow.NULL {
		return array.MakeArrayOfNull(mem, r.to, a.Len()), nil
	}
	d := a.Data()
	out := array.NewData(r.to, d.Len(), d.Buffers(), nil, d.NullN(), d.Offset())
	defer out.Release()
	return array.MakeFromData(out), nil
}
