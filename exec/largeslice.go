package exec

import "unsafe"

// hugePage is the size of a transparent huge page on the platforms gspark
// runs on (x86-64 and arm64 with 4 KiB base pages).
const hugePage = 2 << 20

// largeSliceMin is the smallest slice MakeLarge asks huge pages for: below
// it, at most one aligned huge page fits in the slice.
const largeSliceMin = 2 * hugePage

// MakeLarge returns make([]T, n). For a slice of 4 MiB or more it also asks
// the kernel (on Linux: madvise MADV_HUGEPAGE) to back the 2 MiB-aligned
// blocks inside the slice with transparent huge pages, where the system's
// transparent huge page mode is "madvise" or "always". A fresh process
// touches a large hash table's pages for the first time; one fault per 2 MiB
// instead of 512 per 2 MiB is most of the cost of first use. The hint is
// advisory: when the kernel refuses it the slice is an ordinary one.
func MakeLarge[T any](n int) []T { return MakeLargeCap[T](n, n) }

// MakeLargeCap is make([]T, n, c) with MakeLarge's huge page hint over the
// whole capacity.
func MakeLargeCap[T any](n, c int) []T {
	s := make([]T, n, c)
	if c == 0 {
		return s
	}
	var zero T
	size := uintptr(c) * unsafe.Sizeof(zero)
	if size < largeSliceMin {
		return s
	}
	p := unsafe.Pointer(unsafe.SliceData(s))
	start := uintptr(p)
	lo := (start + hugePage - 1) &^ (hugePage - 1)
	hi := (start + size) &^ (hugePage - 1)
	if hi > lo {
		adviseHugePages(unsafe.Add(p, lo-start), hi-lo)
	}
	return s
}

// AppendLarge is append(s, v...), growing a full slice through MakeLargeCap
// (doubling up to 1024 elements, then by a quarter) so that large column
// buffers built row by row get MakeLarge's huge page hint.
func AppendLarge[T any](s []T, v ...T) []T {
	if need := len(s) + len(v); need > cap(s) {
		c := cap(s) * 2
		if cap(s) >= 1024 {
			c = cap(s) + cap(s)/4
		}
		t := MakeLargeCap[T](len(s), max(need, c, 8))
		copy(t, s)
		s = t
	}
	return append(s, v...)
}
