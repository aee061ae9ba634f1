package exec

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ErrMemoryLimit is the cause of a query cancelled for holding more memory than its limit.
var ErrMemoryLimit = fmt.Errorf("memory limit exceeded")

// DefaultSpillFraction is the share of a Budget's limit past which spillable
// operators (sort, hash join) write their state to disk.
const DefaultSpillFraction = 0.6

// Budget is an allocator that counts the bytes a query holds and cancels the
// query (through the cancel function it was given) when they pass a limit.
// Before that hard limit, a lower spill threshold tells the operators that
// can spill to disk to do so (ShouldSpill); the hard limit remains the last
// resort for memory nobody can spill.
type Budget struct {
	parent  memory.Allocator
	limit   int64
	cancel  context.CancelCauseFunc
	used    atomic.Int64
	peak    atomic.Int64
	spillAt atomic.Int64 // negative: never
}

// NewBudget wraps parent with a limit in bytes (0: none); cancel is called
// with an error wrapping ErrMemoryLimit when the limit is passed. The spill
// threshold is DefaultSpillFraction of the limit (never without a limit).
func NewBudget(parent memory.Allocator, limit int64, cancel context.CancelCauseFunc) *Budget {
	b := &Budget{parent: parent, limit: limit, cancel: cancel}
	b.spillAt.Store(-1)
	if limit > 0 {
		b.spillAt.Store(int64(float64(limit) * DefaultSpillFraction))
	}
	return b
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

// Allocate implements memory.Allocator. It counts the capacity the parent
// hands out, which is what the buffer takes: a Pool rounds sizes up to a
// power of two.
func (b *Budget) Allocate(size int) []byte {
	buf := b.parent.Allocate(size)
	b.grow(int64(cap(buf)))
	return buf
}

// Reallocate implements memory.Allocator.
func (b *Budget) Reallocate(size int, buf []byte) []byte {
	old := cap(buf)
	nb := b.parent.Reallocate(size, buf)
	b.grow(int64(cap(nb) - old))
	return nb
}

// Free implements memory.Allocator.
func (b *Budget) Free(buf []byte) {
	b.used.Add(-int64(cap(buf)))
	b.parent.Free(buf)
}

// Hold counts n more bytes of memory held outside Arrow buffers (the Go
// slices of hash tables, accumulators and indexes), so that the limit and the
// spill threshold see them; a negative n gives bytes back. Passing the limit
// cancels the query as an Allocate would. A nil Budget counts nothing.
func (b *Budget) Hold(n int64) {
	if b == nil || n == 0 {
		return
	}
	if n > 0 {
		b.grow(n)
		return
	}
	b.used.Add(n)
}

// Held is the memory one operator's state holds outside Arrow buffers,
// counted in a Budget: Set moves the count to the state's current size. The
// zero Held (or one of a nil Budget) counts nothing. Not safe for
// concurrent use: one per stream.
type Held struct {
	b *Budget
	n int64
}

// NewHeld returns a Held counting in b (nil: nothing).
func NewHeld(b *Budget) Held { return Held{b: b} }

// Set makes the held count n bytes.
func (h *Held) Set(n int64) {
	if h.b == nil {
		return
	}
	h.b.Hold(n - h.n)
	h.n = n
}

// Bytes is the count held.
func (h *Held) Bytes() int64 { return h.n }

// Used is the number of bytes currently allocated.
func (b *Budget) Used() int64 { return b.used.Load() }

// Peak is the most bytes held at any one time.
func (b *Budget) Peak() int64 { return b.peak.Load() }

// Limit is the hard limit in bytes (0: none).
func (b *Budget) Limit() int64 { return b.limit }

// SetSpillThreshold makes ShouldSpill report true once Used() reaches n
// bytes; a negative n turns spilling off and 0 makes every spillable
// operator spill (for tests).
func (b *Budget) SetSpillThreshold(n int64) { b.spillAt.Store(n) }

// SpillThreshold is the number of used bytes from which ShouldSpill is true
// (negative: never).
func (b *Budget) SpillThreshold() int64 { return b.spillAt.Load() }

// ShouldSpill reports whether the query is under memory pressure, so that
// operators able to spill should write what they hold to disk. A nil Budget
// never spills.
func (b *Budget) ShouldSpill() bool { return b.ShouldSpillWith(0) }

// ShouldSpillWith reports whether the query would be under memory pressure
// after allocating extra more bytes, e.g. the copy an operator needs to
// process what it holds in memory. A nil Budget never spills.
func (b *Budget) ShouldSpillWith(extra int64) bool {
	if b == nil {
		return false
	}
	at := b.spillAt.Load()
	if at < 0 {
		return false
	}
	used := b.used.Load() + extra
	if p, ok := b.parent.(freeKeeper); ok && used < at {
		// Free buffers a Pool keeps for reuse take memory too.
		used += p.Held()
	}
	return used >= at
}

// freeKeeper is an allocator that keeps freed buffers for reuse (Pool):
// Held is how many bytes it keeps.
type freeKeeper interface{ Held() int64 }

// SpillStats counts the bytes and files spilled to disk; it is safe for
// concurrent use and its methods accept a nil receiver (counting nothing).
type SpillStats struct {
	bytes atomic.Int64
	files atomic.Int64
}

// Add counts one spill file of n bytes.
func (s *SpillStats) Add(n int64) {
	if s == nil {
		return
	}
	s.bytes.Add(n)
	s.files.Add(1)
}

// Bytes is the number of bytes spilled so far.
func (s *SpillStats) Bytes() int64 {
	if s == nil {
		return 0
	}
	return s.bytes.Load()
}

// Files is the number of spill files written so far.
func (s *SpillStats) Files() int64 {
	if s == nil {
		return 0
	}
	return s.files.Load()
}

// ShouldSpill reports whether the query's Budget asks spillable operators to
// spill (never without a Budget).
func (e *Env) ShouldSpill() bool { return e.Budget.ShouldSpill() }

// ShouldSpillWith is Budget.ShouldSpillWith of the query's Budget (false
// without one).
func (e *Env) ShouldSpillWith(extra int64) bool { return e.Budget.ShouldSpillWith(extra) }

// SpillDir is the directory spill files go to: TempDir, or os.TempDir() when
// it is empty.
func (e *Env) SpillDir() string {
	if e.TempDir != "" {
		return e.TempDir
	}
	return os.TempDir()
}

// Spiller is implemented by operators that write their state to disk under
// memory pressure; it reports, over all their runs, what they spilled.
type Spiller interface {
	SpilledBytes() int64
	SpillFiles() int64
}
