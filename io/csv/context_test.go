package csv

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// countdown is a context whose Err reports cancellation from its n-th call
// on: the reader is cancelled in the middle of a batch.
type countdown struct {
	context.Context
	n int
}

func (c *countdown) Err() error {
	c.n--
	if c.n <= 0 {
		return context.Canceled
	}
	return nil
}

// A reader with a context stops within ctxCheckRows records of its
// cancellation, in the middle of a batch, with the context's error, and
// keeps returning it.
func TestReaderStopsWhenContextDone(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	text := "a\n" + strings.Repeat("1\n", 10*ctxCheckRows)
	schema := schemaOf("a", arrow.PrimitiveTypes.Int64)
	r, err := NewReader(strings.NewReader(text), "f.csv", schema, Options{Header: true, BatchSize: 8 * ctxCheckRows, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Err is called once at the start of Next and once every ctxCheckRows
	// records: the third call is after 2*ctxCheckRows records of the first
	// batch of 8*ctxCheckRows.
	r.SetContext(&countdown{Context: context.Background(), n: 3})
	if b, err := r.Next(); !errors.Is(err, context.Canceled) {
		if b != nil {
			t.Errorf("batch of %d rows", b.NumRows())
			b.Release()
		}
		t.Fatalf("Next: %v, want context.Canceled", err)
	}
	if _, err := r.Next(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next after the cancellation: %v", err)
	}
}
