package frame

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
)

// UDF makes a column computed by a Go function over whole Arrow columns (a
// vectorized user-defined function): fn receives one array per argument
// column, batch by batch, and returns an array of type typ with one value
// per row. It runs inside the query, in parallel over partitions.
func UDF(name string, typ arrow.DataType, fn logical.UDFFunc, args ...Column) Column {
	exprs := make([]logical.Expr, len(args))
	for i, a := range args {
		if a.err != nil {
			return a
		}
		exprs[i] = a.expr
	}
	if fn == nil || typ == nil {
		return Column{err: fmt.Errorf("UDF %s needs a function and a result type", name)}
	}
	return Column{expr: &logical.UDF{Name: name, Args: exprs, Type: typ, Fn: fn}}
}

// AggregatePartitions runs df and folds the batches of each partition, on
// that partition's goroutine, into an accumulator made by zero; it returns
// the accumulators in partition order, for the caller to merge (as Spark's
// treeAggregate does). fold must not keep a batch without retaining it.
func AggregatePartitions[T any](ctx context.Context, df *DataFrame, zero func(partition int) T, fold func(acc T, b arrow.RecordBatch) (T, error)) ([]T, error) {
	var accs []T
	err := df.run(ctx, func(ctx context.Context, op exec.Operator) error {
		accs = make([]T, op.Partitions())
		g, gctx := errgroup.WithContext(ctx)
		for p := range accs {
			g.Go(func() (err error) {
				defer exec.Recover(&err, "AggregatePartitions")
				acc := zero(p)
				s, err := exec.Open(gctx, op, p)
				if err != nil {
					return err
				}
				err = exec.Drain(gctx, s, func(b arrow.RecordBatch) error {
					var ferr error
					acc, ferr = fold(acc, b)
					return ferr
				})
				accs[p] = acc
				return err
			})
		}
		return g.Wait()
	})
	if err != nil {
		return nil, err
	}
	return accs, nil
}

// FromBatches makes a DataFrame over record batches held in memory, one
// slice per partition; every batch must have the given schema. The DataFrame
// retains the batches, so the caller may release its own references.
func (s *Session) FromBatches(schema *arrow.Schema, parts [][]arrow.RecordBatch) (*DataFrame, error) {
	if len(parts) == 0 {
		parts = [][]arrow.RecordBatch{nil}
	}
	src := &cachedTable{schema: schema, parts: make([][]arrow.RecordBatch, len(parts))}
	for p, bs := range parts {
		for i, b := range bs {
			if !b.Schema().Equal(schema) {
				return nil, fmt.Errorf("FromBatches: batch %d of partition %d has schema %s, want %s", i, p, b.Schema(), schema)
			}
		}
	}
	for p, bs := range parts {
		for _, b := range bs {
			b.Retain()
			src.rows += b.NumRows()
		}
		src.parts[p] = append([]arrow.RecordBatch(nil), bs...)
	}
	return s.newFrame(s.analyzer().NewScan(src, "")), nil
}
