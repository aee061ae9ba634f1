package aggregate

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestFixedKeyRunsAndGrowth checks the one-column table against a map from
// key to first-appearance order: keys arrive in runs of equal values (the
// previous-row shortcut), nulls sit next to zeros in runs of their own, and
// 40,000 distinct keys make the table double many times (each rehash must
// keep every key findable). Group ids are dense in order of first
// appearance, so the reference is the position of a key's first row.
func TestFixedKeyRunsAndGrowth(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tb, err := newTable([]arrow.DataType{arrow.PrimitiveTypes.Int64})
	if err != nil {
		t.Fatal(err)
	}
	if tb.kv == nil {
		t.Fatal("expected the one-column layout")
	}
	tb.small = nil // the hash table alone
	r := rand.New(rand.NewPCG(3, 4))
	type key struct {
		v    int64
		null bool
	}
	want := map[key]uint32{}
	for batch := 0; batch < 60; batch++ {
		n := 1 + r.IntN(3000)
		b := array.NewInt64Builder(mem)
		var keys []key
		prev := key{}
		for i := 0; i < n; i++ {
			k := prev
			switch p := r.IntN(100); {
			case i > 0 && p < 50: // repeat the previous row
			case p < 60:
				k = key{null: true}
			case p < 70:
				k = key{v: 0}
			default:
				k = key{v: r.Int64N(40000)}
			}
			if k.null {
				b.AppendNull()
			} else {
				b.Append(k.v)
			}
			keys = append(keys, k)
			prev = k
		}
		a := b.NewArray()
		b.Release()
		gids, err := tb.lookup([]arrow.Array{a}, n)
		a.Release()
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range keys {
			g, ok := want[k]
			if !ok {
				g = uint32(len(want))
				want[k] = g
			}
			if gids[i] != g {
				t.Fatalf("batch %d row %d key %+v: group %d, want %d", batch, i, k, gids[i], g)
			}
		}
	}
	if tb.groups() != len(want) {
		t.Fatalf("%d groups, want %d", tb.groups(), len(want))
	}
	if tb.mask < 1<<14 {
		t.Fatalf("table of %d slots: the test should make it grow", tb.mask+1)
	}
}
