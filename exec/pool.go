package exec

import (
	"math/bits"
	"sync"
)

// Buffers smaller than minPoolClass bytes come straight from the Go heap;
// larger ones are rounded up to a power of two and recycled.
const (
	minPoolClass = 12 // 4 KiB
	maxPoolClass = 30 // 1 GiB
)

// Pool is an allocator that recycles the buffers a query frees: operators
// allocate batch-sized buffers over and over, and taking them back from a
// free list avoids both the Go allocator's page zeroing and garbage
// collection. Buffers are handed out zeroed, like the Go allocator's. A Pool
// keeps at most a bounded number of free bytes; it is safe for concurrent use.
type Pool struct {
	mu       sync.Mutex
	free     [maxPoolClass + 1][][]byte
	held     int64
	maxBytes int64
}

// NewPool returns a pool that keeps up to maxFree bytes of free buffers
// (64 MiB when maxFree ≤ 0).
func NewPool(maxFree int64) *Pool {
	if maxFree <= 0 {
		maxFree = 64 << 20
	}
	return &Pool{maxBytes: maxFree}
}

func sizeClass(size int) int {
	if size <= 1<<minPoolClass {
		return minPoolClass
	}
	return bits.Len(uint(size - 1))
}

// Allocate implements memory.Allocator.
func (p *Pool) Allocate(size int) []byte {
	if size <= 0 {
		return []byte{}
	}
	c := sizeClass(size)
	if c > maxPoolClass {
		return make([]byte, size)
	}
	p.mu.Lock()
	if n := len(p.free[c]); n > 0 {
		b := p.free[c][n-1]
		p.free[c][n-1] = nil
		p.free[c] = p.free[c][:n-1]
		p.held -= int64(cap(b))
		p.mu.Unlock()
		b = b[:size]
		clear(b)
		return b
	}
	p.mu.Unlock()
	return make([]byte, size, 1<<c)
}

// Reallocate implements memory.Allocator.
func (p *Pool) Reallocate(size int, buf []byte) []byte {
	if size <= cap(buf) {
		old := len(buf)
		buf = buf[:size]
		if size > old {
			clear(buf[old:])
		}
		return buf
	}
	nb := p.Allocate(size)
	copy(nb, buf)
	p.Free(buf)
	return nb
}

// Free implements memory.Allocator.
func (p *Pool) Free(buf []byte) {
	c := cap(buf)
	if c < 1<<minPoolClass || c&(c-1) != 0 {
		return // not one of ours: leave it to the garbage collector
	}
	cl := bits.Len(uint(c)) - 1
	if cl > maxPoolClass {
		return
	}
	p.mu.Lock()
	if p.held+int64(c) <= p.maxBytes {
		p.free[cl] = append(p.free[cl], buf[:0])
		p.held += int64(c)
	}
	p.mu.Unlock()
}

// Held is the number of free bytes the pool keeps for reuse.
func (p *Pool) Held() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}
