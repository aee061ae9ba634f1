package exec

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// vmFlags returns the VmFlags line of the mapping in /proc/self/smaps that
// holds addr.
func vmFlags(t *testing.T, addr uintptr) string {
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
		if lo, hi, ok := mappingRange(line); ok {
			in = lo <= addr && addr < hi
			continue
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

// mappingRange parses the "lo-hi perms ..." header line of a smaps entry.
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	r, _, found := strings.Cut(line, " ")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(r, "-")
	if !found {
		return 0, 0, false
	}
	l, err1 := strconv.ParseUint(a, 16, 64)
	h, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(l), uintptr(h), true
}

// TestMakeLargeAdvisesHugePages checks that the aligned middle of a large
// slice is in a mapping marked for huge pages ("hg" in VmFlags, the kernel's
// VM_HUGEPAGE), and that the slices are
// zeroed and of the asked length.
func TestMakeLargeAdvisesHugePages(t *testing.T) {
	big := MakeLarge[uint64](3 << 20) // 24 MiB
	if len(big) != 3<<20 {
		t.Fatalf("len %d, want %d", len(big), 3<<20)
	}
	for i := 0; i < len(big); i += 4096 {
		if big[i] != 0 {
			t.Fatalf("big[%d] = %d, want 0", i, big[i])
		}
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(big)))
	mid := (start + 8<<20) &^ (hugePage - 1)
	if flags := vmFlags(t, mid); !strings.Contains(flags+" ", " hg ") {
		t.Errorf("the middle of a 24 MiB slice: %s, want hg", flags)
	}
	small := MakeLarge[byte](64 << 10)
	if len(small) != 64<<10 {
		t.Fatalf("len %d, want %d", len(small), 64<<10)
	}
	if got := MakeLarge[int32](0); len(got) != 0 {
		t.Fatalf("len %d, want 0", len(got))
	}
}

// TestAppendLargeAdvisesHugePages checks that a slice grown row by row to
// 24 MiB holds what was appended and is in a mapping marked for huge pages.
func TestAppendLargeAdvisesHugePages(t *testing.T) {
	var s []uint64
	for i := range 3 << 20 {
		s = AppendLarge(s, uint64(i))
	}
	s = AppendLarge(s, 7, 8)
	if len(s) != 3<<20+2 {
		t.Fatalf("len %d, want %d", len(s), 3<<20+2)
	}
	for i := 0; i < 3<<20; i += 4099 {
		if s[i] != uint64(i) {
			t.Fatalf("s[%d] = %d, want %d", i, s[i], i)
		}
	}
	if s[3<<20] != 7 || s[3<<20+1] != 8 {
		t.Fatalf("last two %v, want [7 8]", s[3<<20:])
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	mid := (start + 8<<20) &^ (hugePage - 1)
	if flags := vmFlags(t, mid); !strings.Contains(flags+" ", " hg ") {
		t.Errorf("the middle of a slice appended to 24 MiB: %s, want hg", flags)
	}
}
