package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"unsafe"
)

// hugeHeapMax is the most heap address space a `gspark sql` process readies
// for transparent huge pages at start. A query's heap spreads over more
// address space than it holds at once; a 40M-row self-join holding 2.4 GB
// had 0.5–0.6 GB of it in small pages beyond a 1 GiB region, and a process
// exits (the kernel frees its pages) about ten times faster from huge pages:
// 250 ms against 9 ms for 2 GB measured here.
const hugeHeapMax = 4 << 30

// The region is allocated as a small first slice and then larger pieces.
// The runtime clears a new large slice (writing every page) when some of its
// pages were used before and not returned to the operating system; at
// start-up only a freed span at the top of the heap can be such a place, and
// the small first slice takes it. The larger pieces keep the allocations,
// each of which grows the heap, few.
const (
	hugeHeapFirst = 2 << 20
	hugeHeapPiece = 256 << 20
)

// freshHeapSpare is the most free heap memory (used and freed, or mapped and
// not yet used) a heap may hold for prepareHugeHeap to count it as a fresh
// process's. A heap that ran work before, or was prepared already, holds
// more.
const freshHeapSpare = 16 << 20

// hugePageSize is the transparent huge page size of x86-64 and of arm64
// with 4 KiB base pages.
const hugePageSize = 2 << 20

// hugeHeapMinLimit is the smallest memory limit (--memory-limit budget, or
// the Go runtime's limit) under which the heap is readied for huge pages. A
// limit is a cap on the resident set, and the runtime keeps to it by its own
// count of the heap's pages; with huge pages the resident set runs ahead of
// that count (a 2 MiB page is resident once any of it is touched). The
// reliability suite's distinct query at a 256 MiB budget peaked 26 MiB
// higher with huge pages, past its cap; under a limit of 4 GiB or more a
// region of a quarter of the limit is small beside it.
const hugeHeapMinLimit = 4 << 30

// hugeHeapSize is how much heap prepareHugeHeap readies: hugeHeapMax without
// a memory limit, a quarter of the limit (at most hugeHeapMax) under one of
// hugeHeapMinLimit or more, and nothing under a smaller limit (budget: the
// --memory-limit budget, 0 for none; runtimeLimit: the Go runtime's limit).
func hugeHeapSize(budget, runtimeLimit int64) int64 {
	limit := runtimeLimit
	if budget > 0 {
		limit = min(limit, budget)
	}
	if limit < hugeHeapMinLimit {
		return 0
	}
	return min(hugeHeapMax, limit/4)
}

// prepareHugeHeap makes the next size bytes the Go heap grows into eligible
// for transparent huge pages, where the kernel gives them only on request
// (Linux with transparent_hugepage/enabled set to madvise). Memory a
// process touches for the first time costs a page fault per 4 KiB page, and
// on virtual machines each fault is expensive; a short `gspark sql` process
// builds its whole heap from fresh pages, so one fault per 2 MiB instead of
// 512 is much of the difference between a one-shot run and a warm session.
//
// It is done once, in a fresh process: with more than freshHeapSpare of
// free heap it does nothing. GODEBUG=disablethp=1 turns it off, as it turns
// off the runtime's own huge page use; strict overcommit or a small
// address-space limit leaves it out (addressSpaceFor). It reports whether
// it readied the heap (readyHugeHeap).
func prepareHugeHeap(size int64) bool {
	if size < hugeHeapFirst+hugeHeapPiece || !hugePagesOnRequest() || !addressSpaceFor(size) || strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") || heapSpare() > freshHeapSpare {
		return false
	}
	readyHugeHeap(size, hugeHeapFirst)
	return true
}

// readyHugeHeap advises the next size bytes of heap for huge pages. The Go
// runtime does not ask for huge pages itself and maps heap memory as it
// grows, so the hint goes on memory the heap already holds: size bytes of
// untouched slices are allocated (the heap grows to hold them, without
// writing to them), advised, freed and returned to the operating system.
// The address range stays advised; later allocations reuse it lowest
// address first, and their first touch faults in huge pages. The cost is
// one garbage collection, and a madvise call for every 4 MiB returned.
//
// The first slice is first bytes (0: none); see hugeHeapFirst. It returns
// the advised ranges, as [start, end) address pairs.
func readyHugeHeap(size, first int64) [][2]uintptr {
	old := debug.SetGCPercent(-1)
	pieces := make([][]byte, 0, 2+size/hugeHeapPiece)
	n := int64(0)
	if first > 0 {
		pieces = append(pieces, make([]byte, first))
		n = first
	}
	for ; n < size; n += hugeHeapPiece {
		pieces = append(pieces, make([]byte, hugeHeapPiece))
	}
	// Advise each run of adjacent pieces as one range.
	var ranges [][2]uintptr
	for i := 0; i < len(pieces); {
		start := uintptr(unsafe.Pointer(unsafe.SliceData(pieces[i])))
		end := start + uintptr(len(pieces[i]))
		j := i + 1
		for ; j < len(pieces) && uintptr(unsafe.Pointer(unsafe.SliceData(pieces[j]))) == end; j++ {
			end += uintptr(len(pieces[j]))
		}
		lo := (start + hugePageSize - 1) &^ (hugePageSize - 1)
		hi := end &^ (hugePageSize - 1)
		if hi > lo {
			adviseHuge(unsafe.Add(unsafe.Pointer(unsafe.SliceData(pieces[i])), lo-start), hi-lo)
			ranges = append(ranges, [2]uintptr{lo, hi})
		}
		i = j
	}
	clear(pieces)
	debug.SetGCPercent(old)
	// The pieces are garbage now: collect them and return their pages, so
	// that they count against no memory limit until they are used again.
	debug.FreeOSMemory()
	return ranges
}

// hugeHeapStage is how much of the heap prepareHeap readies before the
// first query runs, which waits for it: readying costs about 2.5 ms a GiB
// of wall time here (a 3 GiB region kept queries waiting 5–8 ms), and a
// one-shot query over a few GB of Parquet rarely spreads its heap past a
// few hundred MiB. The rest is readied while the query runs, if its heap
// grows toward the end of the first stage (heapPlan).
const hugeHeapStage = 512 << 20

// gcMark is an object made only to be collected: its cleanup runs after a
// garbage collection. It holds a pointer so that it is not placed in a
// tiny-object block, whose cleanups may not run.
type gcMark struct{ _ *int }

// onEachGC calls f after every garbage collection, on the runtime's
// cleanup goroutine, until f returns false. f must return quickly.
func onEachGC(f func() bool) {
	var check func(int)
	check = func(int) {
		if f() {
			runtime.AddCleanup(&gcMark{}, check, 0)
		}
	}
	runtime.AddCleanup(&gcMark{}, check, 0)
}

// heapPlan is what is left to do to a one-shot command's heap as it grows,
// looked at after every garbage collection (follow).
type heapPlan struct {
	// relaxed: the collector runs at startupGCPercent until the live heap
	// reaches liveAt bytes; then gcPercent is put back.
	relaxed   bool
	gcPercent int
	liveAt    uint64
	// rest more bytes of heap are readied for huge pages (readyHugeHeap)
	// once the heap's goal reaches goalAt, on a goroutine of their own,
	// which calls done, if set, with the advised ranges.
	rest   int64
	goalAt uint64
	done   func([][2]uintptr)
}

// follow carries out p as the heap grows. The percent is put back before
// the rest is readied, which sets it aside while it allocates: the two
// steps never overlap.
func (p heapPlan) follow() {
	if !p.relaxed && p.rest <= 0 {
		return
	}
	onEachGC(func() bool {
		if p.relaxed && heapLive() >= p.liveAt {
			debug.SetGCPercent(p.gcPercent)
			p.relaxed = false
		}
		if !p.relaxed && p.rest > 0 && heapGoal() >= p.goalAt {
			rest, done := p.rest, p.done
			p.rest = 0
			go func() {
				r := readyHugeHeap(rest, 0)
				if done != nil {
					done(r)
				}
			}()
		}
		return p.relaxed || p.rest > 0
	})
}

// startupGCPercent is the collector's percent while a one-shot command's
// live heap is below startupLive. A fresh process's heap grows from a few
// MiB, and at the default of 100 it is collected at every doubling on the
// way, each time with a quarter of the cores marking and allocations
// assisting. Over the 22 TPC-H queries at SF 1, one process each, best of
// three alternated with the default: 400 throughout took 4.4% less wall
// time (geometric mean), 400 up to 48 MiB live 2.6% less, up to 96 MiB
// 6.7% less (CPU 5.3% less); peak RSS rose by up to a third (Q10 292 →
// 392 MiB). Past startupLive the default applies again, so a large
// query's heap grows as before, and at 400 the heap stays within the first
// huge-page stage (five times startupLive is under hugeHeapStage).
const (
	startupGCPercent = 400
	startupLive      = 96 << 20
)

// heapLive is the heap the last garbage collection found live.
func heapLive() uint64 {
	m := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(m)
	if m[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return m[0].Value.Uint64()
}

// heapGoal is the heap size at which the next garbage collection starts.
func heapGoal() uint64 {
	m := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(m)
	if m[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return m[0].Value.Uint64()
}

// heapSpare is the heap memory that is free: used and freed, or mapped and
// not yet used.
func heapSpare() uint64 {
	m := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(m)
	var n uint64
	for _, s := range m {
		if s.Value.Kind() == metrics.KindUint64 {
			n += s.Value.Uint64()
		}
	}
	return n
}

// prepareHeap readies the heap of a one-shot command (prepareHugeHeap) for
// the --memory-limit budget, on its own goroutine: start-up work (parsing,
// reading Parquet footers) runs alongside on one core. A malformed limit is
// left for session to report. Receiving from the returned channel waits
// until the first hugeHeapStage bytes are ready; the rest of the region
// (hugeHeapSize) follows when the heap grows (heapPlan).
func (g *globalFlags) prepareHeap() <-chan struct{} {
	done := make(chan struct{})
	var budget int64
	if g.memoryLimit != "" {
		n, err := parseBytes(g.memoryLimit)
		if err != nil {
			close(done)
			return done
		}
		budget = n
	}
	size := hugeHeapSize(budget, debug.SetMemoryLimit(-1))
	go func() {
		defer close(done)
		var plan heapPlan
		first := min(size, hugeHeapStage)
		if prepareHugeHeap(first) && size > first && addressSpaceFor(size) {
			// A heap whose goal passed half the first stage may soon
			// spread past it.
			plan.rest, plan.goalAt = size-first, uint64(first/2)
		}
		// Where the heap has that much room (a limit of 4 GiB or more, or
		// none) and GOGC does not say otherwise, the collector starts
		// relaxed. Set after the first stage, which sets the percent aside
		// while it allocates.
		if size > 0 && os.Getenv("GOGC") == "" {
			plan.relaxed, plan.liveAt = true, startupLive
			plan.gcPercent = debug.SetGCPercent(startupGCPercent)
		}
		plan.follow()
	}()
	return done
}
