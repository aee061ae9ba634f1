package exectest

import "testing"

// PartitionCounts is the partition counts a test runs through: all of them
// normally, and under -short (the race-detector step of CI) only the last, the
// most concurrent one, so that the race detector still sees the parallel
// paths at a fraction of the time. The full set runs in the plain test run.
func PartitionCounts(counts ...int) []int {
	if testing.Short() && len(counts) > 1 {
		return counts[len(counts)-1:]
	}
	return counts
}

// Sampled reports whether case i of a large generated grid runs: always
// normally, and one case in every under -short (the race-detector step), so
// that every part of the grid is still reached across its cases.
func Sampled(i, every int) bool {
	return !testing.Short() || every <= 1 || i%every == 0
}
