package exec

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ErrMemoryLimit is the cause of a query cancelled for holding more memory than its limit.
var ErrMemoryLimit = fmt.Errorf("memory limit exceeded")

// Budget is an allocator that counts the bytes a query holds and cancels the
// query (through the cancel function it was given) when they pass a limit.
type Budget struct {
	parent memory.Allocator
	limit  int64
	cancel context.CancelCauseFunc
	used   atomic.Int64
	peak   atomic.Int64
}

// NewBudget wraps parent with a limit in bytes (0: none); cancel is called
// with an error wrapping ErrMemoryLimit when the limit is passed.
func NewBudget(parent memory.Allocator, limit int64, cancel context.CancelCauseFunc) *Budget {
	return &Budget{parent: parent, limit: limit, cancel: cancel}
}

func (b *Budget) grow(n int64) {
	u := b.used.Add(n)
	for {
		p := b.peak.Load()
		if u <= p || b.peak.CompareAndSwap(p, u) {
			break
		}
	}
	if b.limit > 0 && u > b.limit && b.cancel != nil {
		b.cancel(fmt.Errorf("%w: the query needs more than %d bytes", ErrMemoryLimit, b.limit))
	}
}

// Allocate implements memory.Allocator.
func (b *Budget) Allocate(size int) []byte {
	b.grow(int64(size))
	return b.parent.Allocate(size)
}

// Reallocate implements memory.Allocator.
func (b *Budget) Reallocate(size int, buf []byte) []byte {
	b.grow(int64(size - len(buf)))
	return b.parent.Reallocate(size, buf)
}

// Free implements memory.Allocator.
func (b *Budget) Free(buf []byte) {
	b.used.Add(-int64(len(buf)))
	b.parent.Free(buf)
}

// Used is the number of bytes currently allocated.
func (b *Budget) Used() int64 { return b.used.Load() }

// Peak is the most bytes held at any one time.
func (b *Budget) Peak() int64 { return b.peak.Load() }
