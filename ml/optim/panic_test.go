package optim

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec"
)

// TestReducePanicIsAnError: a panic in the function a fold runs on its
// goroutine becomes an internal error naming the block, and the other
// blocks' results are dropped.
func TestReducePanicIsAnError(t *testing.T) {
	blocks := []*Block{{N: 1, D: 1}, {N: 2, D: 1}, {N: 3, D: 1}}
	acc, err := Reduce(context.Background(), blocks, 2, func(b *Block, a []float64) {
		if b.N == 2 {
			var rows []float64
			a[0] = rows[b.N] // index out of range
		}
		a[0] = float64(b.N)
	})
	if !errors.Is(err, exec.ErrInternal) {
		t.Fatalf("got %v, %v; want an internal error", acc, err)
	}
	if !strings.Contains(err.Error(), "block 1") || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("error %q names neither the block nor the panic", err)
	}
	// Without the panic the same fold sums the blocks.
	acc, err = Reduce(context.Background(), blocks, 2, func(b *Block, a []float64) { a[0] = float64(b.N) })
	if err != nil || acc[0] != 6 || acc[1] != 0 {
		t.Fatalf("got %v, %v; want [6 0]", acc, err)
	}
}
