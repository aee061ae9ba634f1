package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"
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
// the kernel's VM_HUGEPAGE); that preparing 512 MiB did not touch that
// memory (the peak resident set grew by far less); and that a second call,
// with the first one's free pages in the heap, does nothing (allocates
// nothing). It runs in a child process, whose heap is fresh as a gspark
// process's is.
func TestPrepareHugeHeap(t *testing.T) {
	if !hugePagesOnRequest() {
		t.Skip("transparent huge pages are not in madvise mode here")
	}
	if os.Getenv("GSPARK_TEST_HUGEHEAP_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPrepareHugeHeap$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GSPARK_TEST_HUGEHEAP_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child test: %v\n%s", err, out)
		}
		return
	}
	rss := peakRSS(t)
	prepareHugeHeap(512 << 20)
	if grew := peakRSS(t) - rss; grew > 64<<20 {
		t.Errorf("preparing 512 MiB raised the peak resident set by %d MiB", grew>>20)
	}
	b := make([]byte, 64<<20)
	mid := (uintptr(unsafe.Pointer(unsafe.SliceData(b))) + 32<<20) &^ (hugePageSize - 1)
	if flags := smapsFlags(t, mid); !strings.Contains(flags+" ", " hg ") {
		t.Errorf("a 64 MiB slice allocated after prepareHugeHeap: %s, want hg", flags)
	}
	allocs := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(allocs)
	before := allocs[0].Value.Uint64()
	prepareHugeHeap(512 << 20)
	metrics.Read(allocs)
	if n := allocs[0].Value.Uint64() - before; n > 64<<20 {
		t.Errorf("a second prepareHugeHeap allocated %d MiB", n>>20)
	}
	runtime.KeepAlive(b)
}

// TestHeapPlan checks what a one-shot command's heap does as it grows:
// while the live heap is below the threshold the collector stays relaxed
// and the rest of the huge-page region waits; once live memory passes it,
// the percent is put back (and stays put back: the readying that follows
// sets it aside and restores what it found), and the rest is readied,
// its ranges marked for huge pages. It runs in a child process, whose heap
// is fresh as a gspark process's is.
func TestHeapPlan(t *testing.T) {
	if !hugePagesOnRequest() {
		t.Skip("transparent huge pages are not in madvise mode here")
	}
	if os.Getenv("GSPARK_TEST_HEAPPLAN_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHeapPlan$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GSPARK_TEST_HEAPPLAN_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child test: %v\n%s", err, out)
		}
		return
	}
	gogc := func() uint64 {
		m := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(m)
		return m[0].Value.Uint64()
	}
	if !prepareHugeHeap(hugeHeapStage) {
		t.Fatal("the first stage was not readied in a fresh process")
	}
	readied := make(chan [][2]uintptr, 1)
	plan := heapPlan{relaxed: true, liveAt: heapLive() + 48<<20, rest: 512 << 20, goalAt: heapGoal() + 64<<20,
		done: func(r [][2]uintptr) { readied <- r }}
	plan.gcPercent = debug.SetGCPercent(startupGCPercent)
	plan.follow()
	runtime.GC()
	select {
	case <-readied:
		t.Fatal("readied the rest with the live heap below the threshold")
	case <-time.After(200 * time.Millisecond):
	}
	if p := gogc(); p != startupGCPercent {
		t.Fatalf("GC percent %d with the live heap below the threshold, want %d", p, startupGCPercent)
	}
	live := make([]byte, 96<<20)
	runtime.GC()
	var ranges [][2]uintptr
	select {
	case ranges = <-readied:
	case <-time.After(20 * time.Second):
		t.Fatalf("the live heap is %d MiB and the rest was not readied", heapLive()>>20)
	}
	if p := gogc(); p != uint64(plan.gcPercent) {
		t.Errorf("GC percent %d after the plan, want %d put back", p, plan.gcPercent)
	}
	var total uintptr
	for _, r := range ranges {
		total += r[1] - r[0]
		if flags := smapsFlags(t, r[0]+(r[1]-r[0])/2&^(hugePageSize-1)); !strings.Contains(flags+" ", " hg ") {
			t.Errorf("readied range %#x-%#x: %s, want hg", r[0], r[1], flags)
		}
	}
	if total < 500<<20 {
		t.Errorf("readied %d MiB, want 512 less the huge page alignment", total>>20)
	}
	runtime.KeepAlive(live)
}

// The prepared heap is left out where mapping it could end the process:
// under strict overcommit accounting or an address-space limit (ulimit -v)
// below four times its size. Under ulimit -v 4.3 GiB gspark sql died at
// start ("fatal error: out of memory") before the check.
func TestHugeHeapRespectsAddressSpaceLimits(t *testing.T) {
	const unlimited = ^uint64(0)
	for _, c := range []struct {
		mode  string
		limit uint64
		size  int64
		want  bool
	}{
		{"0\n", unlimited, 4 << 30, true},
		{"1\n", unlimited, 4 << 30, true},
		{"2\n", unlimited, 4 << 30, false},
		{"", unlimited, 4 << 30, false},
		{"0\n", 16 << 30, 4 << 30, true},
		{"0\n", 16<<30 - 1, 4 << 30, false},
		{"0\n", 4 << 30, 1 << 30, true},
	} {
		if got := addressSpaceAllows(c.mode, c.limit, c.size); got != c.want {
			t.Errorf("addressSpaceAllows(%q, %d, %d) = %v, want %v", c.mode, c.limit, c.size, got, c.want)
		}
	}
	if testing.Short() || raceBuild {
		t.Skip("builds the binary; a race-detector binary maps its shadow memory beyond any such limit")
	}
	bin := buildBinary(t)
	for range 2 {
		out, err := exec.Command("sh", "-c", `ulimit -v 4500000 && exec "$0" sql -e "SELECT 6 * 7 AS answer"`, bin).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "42") {
			t.Fatalf("gspark sql under ulimit -v 4500000: %v\n%s", err, out)
		}
	}
}
