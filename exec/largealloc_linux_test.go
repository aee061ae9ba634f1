package exec

import (
	"context"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// residentPages counts the pages of b that are in memory (mincore).
func residentPages(t *testing.T, b []byte) (resident, total int) {
	t.Helper()
	page := unix.Getpagesize()
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + uintptr(page) - 1) &^ uintptr(page-1)
	hi := (start + uintptr(len(b))) &^ uintptr(page-1)
	if hi <= lo {
		return 0, 0
	}
	aligned := b[lo-start : hi-start]
	vec := make([]byte, len(aligned)/page)
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&aligned[0])), uintptr(len(aligned)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Skipf("mincore: %v", e)
	}
	for _, v := range vec {
		if v&1 != 0 {
			resident++
		}
	}
	return resident, len(vec)
}

// MakeResidentContext hands back a zeroed slice whose pages are all in
// memory already, so that the caller's random writes fault nothing in.
func TestMakeResidentContextFaultsPagesIn(t *testing.T) {
	s, err := MakeResidentContext[uint64](context.Background(), 6<<20) // 48 MiB
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 6<<20 {
		t.Fatalf("len %d, want %d", len(s), 6<<20)
	}
	// Before anything here reads it: a read faults a page in too.
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*8)
	if resident, total := residentPages(t, b); resident != total {
		t.Errorf("%d of %d pages resident, want all", resident, total)
	}
	for i := 0; i < len(s); i += 512 {
		if s[i] != 0 {
			t.Fatalf("s[%d] = %d, want 0", i, s[i])
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := MakeResidentContext[uint64](ctx, 6<<20); err != context.Canceled {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}
