package aggregate

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestEmptiedTableForgetsSmallKeys fills a table whose keys stay in the
// small domain (two int16 columns of 256 values each, and two one-byte
// string columns, which the cache resolves through its byte pairs) with
// all 65,536 pairs
// once, so that it reports unreducing, empties it as a partial aggregation
// starting over does, and looks the pairs up again: the group ids must be
// those of a fresh table (0, 1, 2, ... in order of first sight), not the
// emptied table's, which the small-domain cache had learned.
func TestEmptiedTableForgetsSmallKeys(t *testing.T) {
	for _, dt := range []arrow.DataType{arrow.PrimitiveTypes.Int16, arrow.BinaryTypes.String} {
		t.Run(dt.String(), func(t *testing.T) { testEmptiedTableForgetsSmallKeys(t, dt) })
	}
}

func testEmptiedTableForgetsSmallKeys(t *testing.T, dt arrow.DataType) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	types := []arrow.DataType{dt, dt}
	batch := func(lo, hi int, rev bool) []arrow.Array {
		a, b := array.NewBuilder(mem, dt), array.NewBuilder(mem, dt)
		defer a.Release()
		defer b.Release()
		for i := lo; i < hi; i++ {
			v := i
			if rev {
				v = 1<<16 - 1 - i
			}
			if dt.ID() == arrow.STRING {
				a.(*array.StringBuilder).Append(string([]byte{byte(v >> 8)}))
				b.(*array.StringBuilder).Append(string([]byte{byte(v)}))
			} else {
				a.(*array.Int16Builder).Append(int16(v >> 8))
				b.(*array.Int16Builder).Append(int16(v & 0xFF))
			}
		}
		return []arrow.Array{a.NewArray(), b.NewArray()}
	}
	tb, err := newTable(types)
	if err != nil {
		t.Fatal(err)
	}
	if tb.small == nil {
		t.Fatal("no small-domain cache for two int16 keys")
	}
	for lo := 0; lo < 1<<16; lo += 4096 {
		cols := batch(lo, lo+4096, false)
		if _, err := tb.lookup(cols, 4096); err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			c.Release()
		}
	}
	if !tb.unreducing() {
		t.Fatalf("%d groups, %d probes: not unreducing", tb.groups(), tb.probes)
	}
	tb.empty()
	fresh, _ := newTable(types)
	cols := batch(0, 4096, true)
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	want, err := fresh.lookup(cols, 4096)
	if err != nil {
		t.Fatal(err)
	}
	want = slices.Clone(want)
	got, err := tb.lookup(cols, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || tb.groups() != fresh.groups() {
		t.Fatalf("after empty: %d groups, ids %v...; want %d groups, %v...", tb.groups(), got[:4], fresh.groups(), want[:4])
	}
}
