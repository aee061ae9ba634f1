package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// smapsFlags returns the VmFlags line of the mapping in /proc/self/smaps
// that holds addr.
func smapsFlags(t *testing.T, addr uintptr) string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if r, _, ok := strings.Cut(line, " "); ok {
			if a, b, ok := strings.Cut(r, "-"); ok {
				lo, err1 := strconv.ParseUint(a, 16, 64)
				hi, err2 := strconv.ParseUint(b, 16, 64)
				if err1 == nil && err2 == nil {
					in = uintptr(lo) <= addr && addr < uintptr(hi)
					continue
				}
			}
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return line
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping holds %#x", addr)
	return ""
}

// peakRSS is the process's peak resident set (VmHWM) in bytes.
func peakRSS(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM line %q: %v", line, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// TestPrepareHugeHeap checks that after prepareHugeHeap a large slice the
// heap hands out lies in a mapping marked for huge pages ("hg" in VmFlags,
// the kernel's VM_HUGEPAGE), and that preparing 512 MiB did not touch that
// memory (the peak resident set grew by far less).
func TestPrepareHugeHeap(t *testing.T) {
	if !hugePagesOnRequest() {
		t.Skip("transparent huge pages are not in madvise mode here")
	}
	before := peakRSS(t)
	prepareHugeHeap(512 << 20)
	if grew := peakRSS(t) - before; grew > 64<<20 {
		t.Errorf("preparing 512 MiB raised the peak resident set by %d MiB", grew>>20)
	}
	b := make([]byte, 64<<20)
	mid := (uintptr(unsafe.Pointer(unsafe.SliceData(b))) + 32<<20) &^ (hugePageSize - 1)
	if flags := smapsFlags(t, mid); !strings.Contains(flags+" ", " hg ") {
		t.Errorf("a 64 MiB slice allocated after prepareHugeHeap: %s, want hg", flags)
	}
}
