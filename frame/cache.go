package frame

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
)

// Cache runs the DataFrame once and keeps its result in memory as Arrow
// batches, partition by partition; the DataFrame it returns reads them, so
// later actions skip the work above. Spark's cache is lazy; this one is
// eager so that the run can be cancelled through ctx. Unpersist frees it.
func (df *DataFrame) Cache(ctx context.Context) (*DataFrame, error) {
	if df.err != nil {
		return nil, df.err
	}
	if df.s.remote != nil {
		return nil, fmt.Errorf("Cache on remote session %s: %w: the result would be held in this process", df.s.remote.addr, ErrNotRemote)
	}
	var parts [][]arrow.RecordBatch
	var schema *arrow.Schema
	err := df.run(ctx, func(ctx context.Context, op exec.Operator) error {
		schema = op.Schema()
		var err error
		parts, err = collectParts(ctx, op)
		return err
	})
	if err != nil {
		return nil, err
	}
	src := &cachedTable{schema: schema, parts: parts}
	for _, bs := range parts {
		for _, b := range bs {
			src.rows += b.NumRows()
		}
	}
	// The cached columns keep the names and types of df's output.
	return df.s.newFrame(df.s.analyzer().NewScan(src, "")), nil
}

// collectParts runs every partition of op concurrently and returns the
// batches of each; on an error it releases what it read.
func collectParts(ctx context.Context, op exec.Operator) ([][]arrow.RecordBatch, error) {
	parts := make([][]arrow.RecordBatch, op.Partitions())
	g, gctx := errgroup.WithContext(ctx)
	for p := range parts {
		g.Go(func() (err error) {
			defer exec.Recover(&err, op)
			s, err := exec.Open(gctx, op, p)
			if err != nil {
				return err
			}
			return exec.Drain(gctx, s, func(b arrow.RecordBatch) error {
				b.Retain()
				parts[p] = append(parts[p], b)
				return nil
			})
		})
	}
	if err := g.Wait(); err != nil {
		for _, bs := range parts {
			exec.ReleaseAll(bs)
		}
		return nil, err
	}
	return parts, nil
}

// Persist is Cache.
func (df *DataFrame) Persist(ctx context.Context) (*DataFrame, error) { return df.Cache(ctx) }

// Unpersist frees the batches of a DataFrame returned by Cache; reading it
// afterwards is an error. It does nothing to other DataFrames.
func (df *DataFrame) Unpersist() {
	if df.err != nil {
		return
	}
	if s, ok := df.plan.(*logical.Scan); ok {
		if c, ok := s.Source.(*cachedTable); ok {
			c.release()
		}
	}
}

// cachedTable is a logical.Source over record batches held in memory.
type cachedTable struct {
	schema *arrow.Schema
	rows   int64
	mu     sync.Mutex
	parts  [][]arrow.RecordBatch // nil once released
}

// Describe implements logical.Source.
func (c *cachedTable) Describe() string {
	return fmt.Sprintf("cache (%d rows in %d partitions)", c.rows, len(c.parts))
}

// Schema implements logical.Source.
func (c *cachedTable) Schema() *arrow.Schema { return c.schema }

// EstimatedRows implements logical.Source.
func (c *cachedTable) EstimatedRows() int64 { return c.rows }

func (c *cachedTable) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, bs := range c.parts {
		exec.ReleaseAll(bs)
	}
	c.parts = nil
}

// Operator implements logical.Source: each cached partition is one "file"
// of a whole-file scan, which applies the requested columns and predicate.
func (c *cachedTable) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.parts == nil {
		return nil, fmt.Errorf("the cached DataFrame was unpersisted")
	}
	names := make([]string, len(c.parts))
	parts := map[string][]arrow.RecordBatch{}
	for i, bs := range c.parts {
		names[i] = fmt.Sprintf("partition %d", i)
		parts[names[i]] = bs
	}
	open := func(ctx context.Context, name string) (exec.BatchReader, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.parts == nil {
			return nil, fmt.Errorf("the cached DataFrame was unpersisted")
		}
		bs := parts[name]
		for _, b := range bs {
			b.Retain()
		}
		return &batchList{batches: append([]arrow.RecordBatch(nil), bs...)}, nil
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "Cached", Files: names, Open: open, Schema: c.schema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: max(req.Partitions, len(names)),
	}), nil
}

// batchList hands out retained batches one by one.
type batchList struct {
	batches []arrow.RecordBatch
	next    int
}

func (l *batchList) Next() (arrow.RecordBatch, error) {
	if l.next >= len(l.batches) {
		return nil, io.EOF
	}
	b := l.batches[l.next]
	l.batches[l.next] = nil
	l.next++
	return b, nil
}

func (l *batchList) Close() error {
	for _, b := range l.batches[l.next:] {
		b.Release()
	}
	l.next = len(l.batches)
	return nil
}
