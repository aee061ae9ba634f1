package main

import (
	"bytes"
	"os"
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

// adviseHuge asks for transparent huge pages over the n bytes at p, which
// are 2 MiB-aligned. A kernel that refuses leaves the memory as it was, so
// an error is ignored.
func adviseHuge(p unsafe.Pointer, n uintptr) {
	_ = syscall.Madvise(unsafe.Slice((*byte)(p), n), syscall.MADV_HUGEPAGE)
}
