package expr

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TryCast is Cast, except that a value that cannot be converted (invalid
// text, overflow) becomes null instead of failing the query (Spark's
// try_cast). Batches without a bad value cost the same as Cast.
func TryCast(e Expr, to arrow.DataType) (Expr, error) {
	c, err := Cast(e, to)
	if err != nil {
		return nil, err
	}
	if nc, ok := c.(*nestedCastExpr); ok {
		nc.try = true
		return nc, nil
	}
	return &tryCastExpr{c: c.(*castExpr)}, nil
}

type tryCastExpr struct{ c *castExpr }

func (t *tryCastExpr) DataType() arrow.DataType { return t.c.to }
func (t *tryCastExpr) String() string {
	return "TRY_CAST(" + t.c.e.String() + " AS " + sqlType(t.c.to) + ")"
}

func (t *tryCastExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	out, err := t.c.Eval(mem, batch)
	if err == nil || !(errors.Is(err, ErrInvalidCast) || errors.Is(err, ErrOverflow)) {
		return out, err
	}
	// Some value failed: cast row by row, nulls for the failures.
	in, err := EvalArg(mem, t.c.e, batch)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: in.DataType(), Nullable: true}}, nil)
	one := &castExpr{e: Column(0, "v", in.DataType()), to: t.c.to}
	parts := make([]arrow.Array, in.Len())
	defer func() {
		for _, p := range parts {
			if p != nil {
				p.Release()
			}
		}
	}()
	for i := range parts {
		s := array.NewSlice(in, int64(i), int64(i+1))
		rb := array.NewRecordBatch(schema, []arrow.Array{s}, 1)
		s.Release()
		r, err := one.Eval(mem, rb)
		rb.Release()
		switch {
		case err == nil:
			parts[i] = r
		case errors.Is(err, ErrInvalidCast) || errors.Is(err, ErrOverflow):
			parts[i] = nullArray(mem, t.c.to, 1)
		default:
			return nil, fmt.Errorf("%s: %w", t, err)
		}
	}
	if len(parts) == 0 {
		return nullArray(mem, t.c.to, 0), nil
	}
	return array.Concatenate(parts, mem)
}
