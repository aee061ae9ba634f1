package main

import (
	"math"
	"testing"
)

// TestHugeHeapSize checks the size of the prepared heap against hand
// computation: 4 GiB without limits, a quarter of a limit of 4 GiB or more
// (at most 4 GiB), none under a smaller --memory-limit budget or Go runtime
// limit.
func TestHugeHeapSize(t *testing.T) {
	for _, c := range []struct {
		budget, runtimeLimit, want int64
	}{
		{0, math.MaxInt64, 4 << 30},
		{12 << 30, math.MaxInt64, 3 << 30},
		{12 << 30, 12<<30 + 96<<20, 3 << 30},
		{32 << 30, math.MaxInt64, 4 << 30},
		{4 << 30, math.MaxInt64, 1 << 30},
		{0, 8 << 30, 2 << 30},
		{4<<30 - 1, math.MaxInt64, 0},
		{256 << 20, 352 << 20, 0},
		{512 << 20, math.MaxInt64, 0},
		{0, 2 << 30, 0},
	} {
		if got := hugeHeapSize(c.budget, c.runtimeLimit); got != c.want {
			t.Errorf("hugeHeapSize(%d, %d) = %d, want %d", c.budget, c.runtimeLimit, got, c.want)
		}
	}
}
