package stat

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

// row is one input row: the features and the values of the extra columns.
type row struct {
	vc    *linalg.VectorColumn
	i     int
	extra []float64
}

// foldRows runs df's partitions in parallel, calling add for every row
// whose vector in featuresCol is not null, with the values of the numeric
// extra columns (a null there is an error naming the column); it returns
// the per-partition accumulators in partition order.
func foldRows[T any](ctx context.Context, df *frame.DataFrame, what, featuresCol string, extra []string, zero func() T, add func(acc T, r row) error) ([]T, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(df.Schema(), what, featuresCol, ml.Vector); err != nil {
		return nil, err
	}
	cols := []frame.Column{frame.Col(featuresCol)}
	for _, c := range extra {
		if _, err := ml.CheckColumn(df.Schema(), what, c, ml.Numeric, ml.Boolean); err != nil {
			return nil, err
		}
		cols = append(cols, frame.Col(c))
	}
	return frame.AggregatePartitions(ctx, df.Select(cols...), func(int) T { return zero() },
		func(acc T, b arrow.RecordBatch) (T, error) {
			vc, err := linalg.Vectors(b.Column(0))
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", what, featuresCol, err)
			}
			xs := make([][]float64, len(extra))
			for k := range extra {
				if xs[k], err = ml.Float64Column(b.Column(k+1), nil); err != nil {
					return acc, fmt.Errorf("%s: column %q: %w", what, extra[k], err)
				}
			}
			r := row{vc: vc, extra: make([]float64, len(extra))}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					continue
				}
				for k := range extra {
					if b.Column(k + 1).IsNull(i) {
						return acc, fmt.Errorf("%s: column %q has a null value", what, extra[k])
					}
					r.extra[k] = xs[k][i]
				}
				r.i = i
				if err := add(acc, r); err != nil {
					return acc, err
				}
			}
			return acc, nil
		})
}

// checkSize fixes the vector size on the first row and checks the others.
func checkSize(what, col string, size *int, got int) error {
	if *size < 0 {
		*size = got
		return nil
	}
	if got != *size {
		return fmt.Errorf("%s: vectors in column %q have sizes %d and %d", what, col, *size, got)
	}
	return nil
}

// denseRow copies row i of vc into buf (grown as needed).
func denseRow(vc *linalg.VectorColumn, i int, buf []float64) []float64 {
	n := vc.Size(i)
	if cap(buf) < n {
		buf = make([]float64, n)
	}
	buf = buf[:n]
	if d := vc.DenseValues(i); d != nil {
		copy(buf, d)
		return buf
	}
	clear(buf)
	vc.ForEachActive(i, func(j int, v float64) { buf[j] = v })
	return buf
}
