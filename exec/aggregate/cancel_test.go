package aggregate

import (
	"context"
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestGrowStopsWhenCancelled fills a group table (the one-column layout and
// the general one) with enough groups that a rehash moves millions of
// slots, cancels the table's context and goes on inserting new keys: the
// next grow must stop with context.Canceled instead of rehashing the whole
// table, and leave the table as it was.
func TestGrowStopsWhenCancelled(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, tc := range []struct {
		name  string
		types []arrow.DataType
	}{
		{"one fixed-width key", []arrow.DataType{arrow.PrimitiveTypes.Int64}},
		{"two keys", []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tab, err := newTable(tc.types)
			if err != nil {
				t.Fatal(err)
			}
			tab.ctx = ctx
			const batch = 8192
			next := int64(0)
			insert := func() error {
				b := array.NewInt64Builder(mem)
				defer b.Release()
				for range batch {
					b.Append(next * 7919)
					next++
				}
				a := b.NewArray()
				defer a.Release()
				cols := make([]arrow.Array, len(tc.types))
				for i := range cols {
					cols[i] = a
				}
				_, err := tab.lookup(cols, batch)
				return err
			}
			for tab.groups() < 4*growCheck {
				if err := insert(); err != nil {
					t.Fatal(err)
				}
			}
			cancel()
			size, groups := tab.mask+1, tab.groups()
			for tab.mask+1 == size && tab.groups() < 2*groups {
				if err = insert(); err != nil {
					break
				}
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("inserting %d groups after the cancel into a table of %d slots: err %v, table now %d slots; want context.Canceled from the grow",
					tab.groups()-groups, size, err, tab.mask+1)
			}
			if tab.mask+1 != size {
				t.Errorf("the cancelled grow left a table of %d slots, want the old %d", tab.mask+1, size)
			}
		})
	}
}
