package main

import (
	"bytes"
	"os"
	"strings"
	"syscall"
	"unsafe"
)

// thpEnabled is the kernel's transparent huge page mode.
const thpEnabled = "/sys/kernel/mm/transparent_hugepage/enabled"

// hugePagesOnRequest reports whether the kernel gives transparent huge
// pages to memory advised with MADV_HUGEPAGE and not to other memory (the
// mode "[madvise]"): in mode "always" anonymous memory has them already, in
// "never" not at all.
func hugePagesOnRequest() bool {
	b, err := os.ReadFile(thpEnabled)
	return err == nil && bytes.Contains(b, []byte("[madvise]"))
}

// overcommitMode is where the kernel keeps its memory overcommit policy.
const overcommitMode = "/proc/sys/vm/overcommit_memory"

// addressSpaceFor reports whether the process may map size bytes of heap
// it never touches: not under strict overcommit accounting (mode 2, where
// mapped memory counts whether touched or not) nor under an address-space
// limit (ulimit -v) below four times size. Where it may not, the runtime
// would fail the allocation and end the process.
func addressSpaceFor(size int64) bool {
	b, err := os.ReadFile(overcommitMode)
	if err != nil {
		return false
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		return false
	}
	return addressSpaceAllows(string(b), lim.Cur, size)
}

// addressSpaceAllows is addressSpaceFor's rule for an overcommit mode (the
// file's text) and an RLIMIT_AS soft limit.
func addressSpaceAllows(mode string, limitAS uint64, size int64) bool {
	if m := strings.TrimSpace(mode); m == "" || m == "2" {
		return false
	}
	const unlimited = ^uint64(0)
	return limitAS == unlimited || limitAS/4 >= uint64(size)
}

// adviseHuge asks for transparent huge pages over the n bytes at p, which
// are 2 MiB-aligned. A kernel that refuses leaves the memory as it was, so
// an error is ignored.
func adviseHuge(p unsafe.Pointer, n uintptr) {
	_ = syscall.Madvise(unsafe.Slice((*byte)(p), n), syscall.MADV_HUGEPAGE)
}
