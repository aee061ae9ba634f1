//go:build !linux

package exec

import "unsafe"

// adviseHugePages does nothing where madvise MADV_HUGEPAGE does not exist.
func adviseHugePages(unsafe.Pointer, uintptr) {}
