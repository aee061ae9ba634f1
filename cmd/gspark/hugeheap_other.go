//go:build !linux

package main

import "unsafe"

// hugePagesOnRequest reports false: only Linux has madvise MADV_HUGEPAGE.
func hugePagesOnRequest() bool { return false }

// addressSpaceFor reports false: prepareHugeHeap does nothing here.
func addressSpaceFor(int64) bool { return false }

// adviseHuge does nothing where madvise MADV_HUGEPAGE does not exist.
func adviseHuge(unsafe.Pointer, uintptr) {}
