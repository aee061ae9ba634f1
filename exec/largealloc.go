package exec

import (
	"context"
	"sync"
	"unsafe"
)

// awaitMin is the size from which MakeLargeContext, GrowLarge and
// Concatenate allocate on a goroutine of their own. A large Go allocation
// that reuses memory the runtime returned to the system earlier is zeroed
// in one call that faults every page back in; on a virtual machine that
// costs a few milliseconds a megabyte, a quarter of a second for 100 MiB,
// and nothing can interrupt it. Below awaitMin the wait is a few
// milliseconds at most.
const awaitMin = 4 << 20

// touchStride is the distance between the bytes touchBytes writes: the
// smallest page size of the platforms gspark runs on.
const touchStride = 4 << 10

// MakeLargeContext is MakeLargeCap(n, c) for a caller whose context may be
// cancelled meanwhile. A slice of awaitMin bytes or more is allocated on a
// goroutine of its own while the caller waits for it or for ctx, so a
// cancelled query returns ctx's error at once; the abandoned slice is then
// left to the garbage collector once that goroutine is done. Its pages are
// not touched: capacity a caller never fills stays out of the resident set,
// which a memory limit caps.
func MakeLargeContext[T any](ctx context.Context, n, c int) ([]T, error) {
	var zero T
	if uintptr(c)*unsafe.Sizeof(zero) < awaitMin {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return MakeLargeCap[T](n, c), nil
	}
	return awaitAlloc(ctx, func() []T { return MakeLargeCap[T](n, c) }, nil)
}

// MakeResidentContext is MakeLargeContext(ctx, n, n) for a slice the caller
// goes on to write in full, at random places: the allocating goroutine also
// faults in every page of a large slice. Otherwise the first write to each
// page faults it in inside the caller's loop; with huge pages a fault clears
// 2 MiB, and a few thousand random writes can fault in a whole table of
// hundreds of MB between two looks at the context. Every page is written
// by the caller anyway, so the resident set ends the same.
func MakeResidentContext[T any](ctx context.Context, n int) ([]T, error) {
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if size < awaitMin {
		return MakeLargeContext[T](ctx, n, n)
	}
	return awaitAlloc(ctx, func() []T {
		s := MakeLargeCap[T](n, n)
		touchBytes(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), size))
		return s
	}, nil)
}

// GrowLarge returns s if its capacity is at least c; otherwise a slice of
// capacity c from MakeLargeContext holding s's elements, copied a piece at
// a time with ctx looked at between pieces. It returns ctx's error, and
// leaves s as it was, when ctx is done first.
func GrowLarge[T any](ctx context.Context, s []T, c int) ([]T, error) {
	if c <= cap(s) {
		return s, nil
	}
	t, err := MakeLargeContext[T](ctx, len(s), c)
	if err != nil {
		return nil, err
	}
	var zero T
	step := max(1, concatCheckBytes/int(max(unsafe.Sizeof(zero), 1)))
	for at := 0; at < len(s); at += step {
		if at > 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		copy(t[at:], s[at:min(at+step, len(s))])
	}
	return t, nil
}

// awaitAlloc returns alloc's result, running alloc on a goroutine of its
// own while it waits for it or for ctx. When ctx is done first it returns
// ctx's error at once; alloc still runs to its end on its goroutine, which
// then hands the result to free (when not nil) and exits.
func awaitAlloc[T any](ctx context.Context, alloc func() T, free func(T)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	if ctx.Done() == nil {
		return alloc(), nil
	}
	var (
		mu        sync.Mutex
		abandoned bool
	)
	done := make(chan T, 1)
	go func() {
		v := alloc()
		mu.Lock()
		defer mu.Unlock()
		if abandoned {
			if free != nil {
				free(v)
			}
			return
		}
		done <- v
	}()
	select {
	case v := <-done:
		return v, nil
	case <-ctx.Done():
	}
	mu.Lock()
	abandoned = true
	mu.Unlock()
	select {
	case v := <-done: // it finished meanwhile: the caller owns it
		return v, nil
	default:
		return zero, ctx.Err()
	}
}

// touchBytes writes a zero into every page of b, which holds zeros.
func touchBytes(b []byte) {
	for i := 0; i < len(b); i += touchStride {
		b[i] = 0
	}
}
