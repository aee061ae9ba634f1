package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TryCast is Cast, except that a value that cannot be converted (invalid
// text, overflow) becomes null instead of failing the query (Spark's
// try_cast). The conversion marks such values in the result's validity
// bitmap as it meets them (no error is made for them), so a batch with bad
// values costs what a clean one does.
func TryCast(e Expr, to arrow.DataType) (Expr, error) {
	c, err := Cast(e, to)
	if err != nil {
		return nil, err
	}
	switch x := c.(type) {
	case *nestedCastExpr:
		x.try = true
		return x, nil
	case *castExpr:
		return &tryCastExpr{c: x}, nil
	}
	return c, nil // casts that cannot fail (to the same bytes, interval text)
}

type tryCastExpr struct{ c *castExpr }

func (t *tryCastExpr) DataType() arrow.DataType { return t.c.to }
func (t *tryCastExpr) String() string {
	return "TRY_CAST(" + t.c.e.String() + " AS " + sqlType(t.c.to) + ")"
}

func (t *tryCastExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	return t.c.eval(mem, batch, t, true)
}

// badRows receives the rows a try_ conversion turns to null: bits is the
// result's validity bitmap (writable), n counts the rows cleared.
type badRows struct {
	bits []byte
	n    int
}

// mark makes row i null.
func (b *badRows) mark(i int) {
	bitutil.ClearBit(b.bits, i)
	b.n++
}
