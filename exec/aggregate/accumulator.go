package aggregate

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
)

// ErrOverflow is returned when a sum or average does not fit its result type.
var ErrOverflow = errors.New("arithmetic overflow")

// accumulator holds the state of one aggregate for every group. update takes,
// per row, the group id and the row's input (partial mode: the input column,
// or none for count(*)) or partial state columns (final mode).
type accumulator interface {
	grow(n int)
	update(gids []uint32, cols []arrow.Array) error
	state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error)
	result(mem memory.Allocator, lo, hi int) (arrow.Array, error)
}

func growTo[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		t := s[:n]
		clear(t[len(s):])
		return t
	}
	t := exec.MakeLargeCap[T](n, max(n, 2*cap(s)))
	copy(t, s)
	return t
}

// reserver is an accumulator with a small fixed-size state per group that
// can make room for n groups ahead of them (see aggStream.readAhead).
// Accumulators without it grow as groups come.
type reserver interface {
	reserve(n int)
}

// reserveTo returns s with capacity for n elements: s itself when it has
// it, else a copy in a slice from exec.MakeLargeCap, whose pages stay out
// of the resident set until they are written.
func reserveTo[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s
	}
	t := exec.MakeLargeCap[T](len(s), n)
	copy(t, s)
	return t
}
