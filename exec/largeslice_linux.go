package exec

import (
	"syscall"
	"unsafe"
)

// adviseHugePages asks for transparent huge pages over the n bytes at p,
// which are 2 MiB-aligned. An error (a kernel without transparent huge
// pages) leaves the memory as it was, so it is ignored.
func adviseHugePages(p unsafe.Pointer, n uintptr) {
	_ = syscall.Madvise(unsafe.Slice((*byte)(p), n), syscall.MADV_HUGEPAGE)
}
