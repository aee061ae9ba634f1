package main

import (
	"math"
	"testing"
)

// TestHugeHeapSize checks the size of the prepared heap against hand
// computation: 1 GiB without limits, the budget plus the 128 MiB runtime
// overhead under --memory-limit, and the Go runtime's own limit when that is
// smaller.
func TestHugeHeapSize(t *testing.T) {
	for _, c := range []struct {
		budget, runtimeLimit, want int64
	}{
		{0, math.MaxInt64, 1 << 30},
		{12 << 30, math.MaxInt64, 1 << 30},
		{256 << 20, math.MaxInt64, 384 << 20},
		{256 << 20, 300 << 20, 300 << 20},
		{0, 100 << 20, 100 << 20},
	} {
		if got := hugeHeapSize(c.budget, c.runtimeLimit); got != c.want {
			t.Errorf("hugeHeapSize(%d, %d) = %d, want %d", c.budget, c.runtimeLimit, got, c.want)
		}
	}
}
