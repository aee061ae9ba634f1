package exec

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// stallingAllocator blocks every allocation of at least min bytes until
// release is closed, telling started when one begins, and tells freed when
// a buffer is freed: a stand-in for an allocation the Go runtime spends
// hundreds of milliseconds zeroing.
type stallingAllocator struct {
	memory.Allocator
	min     int
	started chan struct{}
	release chan struct{}
	freed   chan struct{}
}

func (a *stallingAllocator) Allocate(size int) []byte {
	if size >= a.min {
		close(a.started)
		<-a.release
	}
	return a.Allocator.Allocate(size)
}

func (a *stallingAllocator) Free(b []byte) {
	a.Allocator.Free(b)
	a.freed <- struct{}{}
}

// hangGuard is how long a test waits for a call that must return before
// the test unblocks what it waits on; reaching it means the call waited.
const hangGuard = 30 * time.Second

func TestConcatenateReturnsWhileItsAllocationStalls(t *testing.T) {
	checked := memory.NewCheckedAllocator(memory.NewGoAllocator())
	mem := &stallingAllocator{Allocator: checked, min: awaitMin,
		started: make(chan struct{}), release: make(chan struct{}), freed: make(chan struct{}, 4)}
	const half = awaitMin / 8 / 2 // two int64 arrays of awaitMin bytes in all
	var arrs []arrow.Array
	for range 2 {
		b := array.NewInt64Builder(memory.DefaultAllocator)
		for i := range half {
			b.Append(int64(i))
		}
		arrs = append(arrs, b.NewArray())
		b.Release()
	}
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res := make(chan error, 1)
	go func() {
		a, err := Concatenate(ctx, arrs, mem)
		if a != nil {
			a.Release()
		}
		res <- err
	}()
	<-mem.started
	cancel()
	select {
	case err := <-res:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Concatenate: %v, want context.Canceled", err)
		}
	case <-time.After(hangGuard):
		close(mem.release)
		t.Fatal("Concatenate waited for its stalled allocation after the cancel")
	}
	close(mem.release)
	<-mem.freed // the abandoned buffer goes back to the allocator
	checked.AssertSize(t, 0)
}

func TestAwaitAllocHandsAbandonedResultToFree(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	freed := make(chan int, 1)
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	go func() {
		_, err := awaitAlloc(ctx, func() int { close(started); <-release; return 7 }, func(v int) { freed <- v })
		res <- err
	}()
	<-started
	cancel()
	select {
	case err := <-res:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("awaitAlloc: %v, want context.Canceled", err)
		}
	case <-time.After(hangGuard):
		close(release)
		t.Fatal("awaitAlloc waited for alloc after the cancel")
	}
	close(release)
	if v := <-freed; v != 7 {
		t.Fatalf("free got %d, want alloc's 7", v)
	}
	// Not cancelled: the result is the caller's and free is not called.
	v, err := awaitAlloc(context.Background(), func() int { return 3 }, func(int) { t.Error("free called on a result that was returned") })
	if err != nil || v != 3 {
		t.Fatalf("awaitAlloc = %d, %v; want 3, nil", v, err)
	}
}

func TestGrowLarge(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{0, 5, awaitMin/8 + 3} {
		s := make([]uint64, n, n+1)
		for i := range s {
			s[i] = uint64(i)*2654435761 + 1
		}
		g, err := GrowLarge(ctx, s, 2*n+10)
		if err != nil {
			t.Fatal(err)
		}
		if len(g) != n || cap(g) < 2*n+10 {
			t.Fatalf("n=%d: len %d cap %d, want %d and at least %d", n, len(g), cap(g), n, 2*n+10)
		}
		for i := range g {
			if g[i] != uint64(i)*2654435761+1 {
				t.Fatalf("n=%d: element %d is %d, want %d", n, i, g[i], uint64(i)*2654435761+1)
			}
		}
		for i, v := range g[n:cap(g)] {
			if v != 0 {
				t.Fatalf("n=%d: spare element %d is %d, want 0", n, n+i, v)
			}
		}
		if same, err := GrowLarge(ctx, g, n); err != nil || &same[:1][0] != &g[:1][0] {
			t.Fatalf("n=%d: a slice with room was not returned as it is (%v)", n, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := GrowLarge(cctx, make([]uint64, 10), awaitMin); !errors.Is(err, context.Canceled) {
		t.Fatalf("GrowLarge on a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := MakeLargeContext[uint64](cctx, 10, 10); !errors.Is(err, context.Canceled) {
		t.Fatalf("MakeLargeContext on a cancelled context: %v, want context.Canceled", err)
	}
}
