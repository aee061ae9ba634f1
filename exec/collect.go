package exec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"golang.org/x/sync/errgroup"
)

// Collect executes every partition of op concurrently and returns all batches,
// ordered by partition and, within a partition, by arrival. The caller releases
// the batches. On error every partition is cancelled and nothing is returned;
// a panic in an operator is such an error (an *InternalError). Without an
// Execution in ctx, Collect runs op as an execution of its own.
func Collect(ctx context.Context, op Operator) ([]arrow.RecordBatch, error) {
	if ExecutionFrom(ctx) == nil {
		e := NewExecution()
		defer e.Close()
		ctx = WithExecution(ctx, e)
	}
	n := op.Partitions()
	parts := make([][]arrow.RecordBatch, n)
	g, gctx := errgroup.WithContext(ctx)
	for p := 0; p < n; p++ {
		g.Go(func() (err error) {
			defer Recover(&err, op)
			s, err := Open(gctx, op, p)
			if err != nil {
				return err
			}
			return Drain(gctx, s, func(b arrow.RecordBatch) error {
				b.Retain()
				parts[p] = append(parts[p], b)
				return nil
			})
		})
	}
	err := g.Wait()
	var out []arrow.RecordBatch
	for _, bs := range parts {
		out = append(out, bs...)
	}
	if err != nil {
		ReleaseAll(out)
		return nil, err
	}
	return out, nil
}

// ReleaseAll releases every batch in bs.
func ReleaseAll(bs []arrow.RecordBatch) {
	for _, b := range bs {
		if b != nil {
			b.Release()
		}
	}
}
