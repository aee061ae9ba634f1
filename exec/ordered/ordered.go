// Package ordered hands the result of a query to a consumer batch by batch,
// in partition order, without first holding all of it: the partition being
// consumed streams straight through, while the later ones, which must run at
// the same time (exchanges need all their outputs read), wait in memory and
// move to spill files once the query's budget asks operators to spill.
package ordered

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/spill"
)

// partition is the state of one output partition while it is not yet the
// one being consumed.
type partition struct {
	mu      sync.Mutex
	live    bool                // the consumer has reached it: send on ch
	held    []arrow.RecordBatch // waiting in memory, in order
	spilled *spill.Writer       // waiting on disk, after held; nil if none
	ch      chan arrow.RecordBatch
}

// Each runs every partition of op and calls fn with each batch in partition
// order (all of partition 0, then of partition 1, …). A batch is valid only
// during the call; fn retains it to keep it. Batches of partitions not yet
// reached are kept in memory, or in spill files under env when its budget
// asks to spill (env may be nil: memory only). fn's error or ctx's end stops
// every partition.
func Each(ctx context.Context, env *exec.Env, op exec.Operator, fn func(arrow.RecordBatch) error) (err error) {
	if exec.ExecutionFrom(ctx) == nil {
		e := exec.NewExecution()
		defer e.Close()
		ctx = exec.WithExecution(ctx, e)
	}
	n := op.Partitions()
	parts := make([]*partition, n)
	for i := range parts {
		parts[i] = &partition{ch: make(chan arrow.RecordBatch, 1)}
	}
	if n > 0 {
		parts[0].live = true
	}
	g, gctx := errgroup.WithContext(ctx)
	for p := 0; p < n; p++ {
		g.Go(func() (err error) {
			defer close(parts[p].ch)
			defer exec.Recover(&err, op)
			s, err := exec.Open(gctx, op, p)
			if err != nil {
				return err
			}
			return exec.Drain(gctx, s, func(b arrow.RecordBatch) error {
				return parts[p].put(gctx, env, b)
			})
		})
	}
	g.Go(func() error {
		for p := 0; p < n; p++ {
			if err := parts[p].consume(gctx, env, fn); err != nil {
				return err
			}
		}
		return nil
	})
	err = g.Wait()
	for _, pt := range parts {
		pt.discard()
	}
	return err
}

// put passes b on (live) or keeps it until the consumer reaches the
// partition.
func (pt *partition) put(ctx context.Context, env *exec.Env, b arrow.RecordBatch) error {
	pt.mu.Lock()
	if pt.live {
		pt.mu.Unlock()
		b.Retain()
		select {
		case pt.ch <- b:
			return nil
		case <-ctx.Done():
			b.Release()
			return context.Cause(ctx)
		}
	}
	defer pt.mu.Unlock()
	if pt.spilled == nil && env != nil && env.ShouldSpill() {
		w, err := spill.NewWriter(env, b.Schema(), nil)
		if err != nil {
			return fmt.Errorf("holding a result partition: %w", err)
		}
		pt.spilled = w
	}
	if pt.spilled != nil {
		return pt.spilled.Write(b)
	}
	b.Retain()
	pt.held = append(pt.held, b)
	return nil
}

// consume hands the partition's waiting batches to fn, then its live ones
// until its producer is done.
func (pt *partition) consume(ctx context.Context, env *exec.Env, fn func(arrow.RecordBatch) error) error {
	pt.mu.Lock()
	held, w := pt.held, pt.spilled
	pt.held, pt.spilled, pt.live = nil, nil, true
	pt.mu.Unlock()
	for i, b := range held {
		err := fn(b)
		b.Release()
		held[i] = nil
		if err != nil {
			exec.ReleaseAll(held)
			if w != nil {
				w.Abort()
			}
			return err
		}
	}
	if w != nil {
		if err := replay(ctx, env, w, fn); err != nil {
			return err
		}
	}
	for {
		select {
		case b, ok := <-pt.ch:
			if !ok {
				return nil
			}
			err := fn(b)
			b.Release()
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// replay hands the batches of a spill writer's file to fn and removes it.
func replay(ctx context.Context, env *exec.Env, w *spill.Writer, fn func(arrow.RecordBatch) error) error {
	f, err := w.Finish()
	if err != nil {
		return err
	}
	defer f.Remove()
	r, err := f.Open(ctx, env.Mem)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		b, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		err = fn(b)
		b.Release()
		if err != nil {
			return err
		}
	}
}

// discard releases whatever a stopped run left waiting.
func (pt *partition) discard() {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	exec.ReleaseAll(pt.held)
	pt.held = nil
	if pt.spilled != nil {
		pt.spilled.Abort()
		pt.spilled = nil
	}
	for b := range pt.ch {
		b.Release()
	}
}
