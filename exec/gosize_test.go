package exec

import (
	"runtime"
	"testing"
)

type sizeState struct {
	vals   []int64    // 8 B per element of capacity
	strs   [][]byte   // 24 B per header plus the bytes
	shared *sizeInner // pointed at twice: counted once
	again  *sizeInner
}

type sizeInner struct{ buf []uint32 }

// GoBytes counts by hand-computable sizes: capacities, not lengths; every
// byte slice's bytes; a shared pointer once.
func TestGoBytesCounts(t *testing.T) {
	in := &sizeInner{buf: make([]uint32, 10, 1000)} // 4000 B (+ 24 B header)
	s := &sizeState{
		vals:   make([]int64, 5, 1000), // 8000 B
		strs:   [][]byte{make([]byte, 100), make([]byte, 200)},
		shared: in,
		again:  in,
	}
	// The struct itself (2 slice headers of 24 B, 2 pointers of 8 B), the
	// two headers of strs (48 B), the bytes (100 and 200 rounded up to 104
	// and 224, as size classes do), the inner struct (24 B) and the arrays
	// of vals and buf rounded up to 8192 and 4096.
	want := int64(64 + 8192 + 48 + 104 + 224 + 24 + 4096)
	if got := GoBytes(s); got != want {
		t.Errorf("GoBytes = %d, want %d", got, want)
	}
}

// The count of a state that grows by appending is within 2x of the heap it
// really takes, as measured by the runtime.
func TestGoBytesMatchesTheHeap(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := &sizeState{}
	for i := range 200000 {
		s.vals = append(s.vals, int64(i))
		s.strs = append(s.strs, make([]byte, 100+i%50))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	got := GoBytes(s)
	if got < heap/2 || got > 2*heap {
		t.Errorf("GoBytes = %d, the heap grew by %d", got, heap)
	}
	runtime.KeepAlive(s)
}
