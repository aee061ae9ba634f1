package aggregate

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestStringKeyBytesGrowth feeds a two-column table (string, int64) 60,000
// distinct keys of 9 to 40 bytes, some null, in batches of 50 rows, and checks that
// every key, looked up again, finds the group of its first appearance and
// that the stored key bytes read back as written. The string bytes of the
// keys must grow geometrically (at least doubling): the buffer's backing
// array may change only a few dozen times, not once per quarter of growth.
func TestStringKeyBytesGrowth(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tb, err := newTable([]arrow.DataType{arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64})
	if err != nil {
		t.Fatal(err)
	}
	tb.small = nil
	const total, per = 60000, 50
	key := func(i int) (string, bool) {
		if i%97 == 0 {
			return "", true
		}
		return fmt.Sprintf("key-%d-%s", i, "abcdefghijklmnopqrstuvwxyz"[:i%27]), false
	}
	batch := func(from, to int) (arrow.Array, arrow.Array) {
		sb := array.NewStringBuilder(mem)
		ib := array.NewInt64Builder(mem)
		defer sb.Release()
		defer ib.Release()
		for i := from; i < to; i++ {
			if s, null := key(i); null {
				sb.AppendNull()
			} else {
				sb.Append(s)
			}
			ib.Append(int64(i))
		}
		return sb.NewArray(), ib.NewArray()
	}
	moves := 0
	var last *byte
	for round := 0; round < 2; round++ {
		for from := 0; from < total; from += per {
			s, n := batch(from, from+per)
			gids, err := tb.lookup([]arrow.Array{s, n}, per)
			s.Release()
			n.Release()
			if err != nil {
				t.Fatal(err)
			}
			for i, g := range gids {
				if int(g) != from+i {
					t.Fatalf("round %d: row %d has group %d, want %d", round, from+i, g, from+i)
				}
			}
			if p := unsafe.SliceData(tb.cols[0].sdata); p != last {
				moves++
				last = p
			}
		}
	}
	if tb.groups() != total {
		t.Fatalf("%d groups, want %d", tb.groups(), total)
	}
	c := tb.cols[0]
	for g := 0; g < total; g++ {
		s, null := key(g)
		if c.null[g] != null {
			t.Fatalf("group %d: null %v, want %v", g, c.null[g], null)
		}
		if got := string(c.sdata[c.soffs[g]:c.soffs[g+1]]); got != s {
			t.Fatalf("group %d: key %q, want %q", g, got, s)
		}
	}
	// The bytes reach about 1.5 MB: from 64 bytes that is about 15
	// doublings, and growth by a quarter would take over 40 moves.
	if moves > 20 {
		t.Fatalf("string key bytes moved %d times, want at most 20", moves)
	}
}
