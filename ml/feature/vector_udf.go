package feature

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// vectorField is an output field holding vectors.
func vectorField(name string) arrow.Field {
	return arrow.Field{Name: name, Type: linalg.VectorType(), Nullable: true}
}

// rowFn maps row i of a vector column into the builder.
type rowFn func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error

// mapVectors returns a UDF function that maps each non-null row of a vector
// column with a row function made by mk for each batch (so that its scratch
// buffers are not shared between partitions); null rows stay null.
func mapVectors(uid, col string, mk func() rowFn) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
	return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		fn := mk()
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		b.Reserve(vc.Len())
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			if err := fn(vc, i, b); err != nil {
				return nil, err
			}
		}
		return b.NewArray(), nil
	}
}

// vectorUDF applies a vector→vector row map to column in, as column out.
func vectorUDF(df *frame.DataFrame, name, uid, in, out string, mk func() rowFn) *frame.DataFrame {
	return df.WithColumn(out, frame.UDF(name, linalg.VectorType(), mapVectors(uid, in, mk), frame.Col(in)))
}

// sizeMismatch reports a vector whose size differs from the model's.
func sizeMismatch(uid, col string, want, got int) error {
	return fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, col, got, want)
}
