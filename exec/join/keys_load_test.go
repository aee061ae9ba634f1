package join

import (
	"context"
	"hash/maphash"
	"slices"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// errAfter is a context whose Err turns to context.Canceled after a number
// of calls: a cancel that arrives while a long loop runs.
type errAfter struct {
	context.Context
	left atomic.Int64
}

func (c *errAfter) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// keyArrays returns an Int64 and a Decimal128 key column of n rows with
// nulls in both, as the build side's concatenated keys look.
func keyArrays(n int) []arrow.Array {
	ib := array.NewInt64Builder(memory.DefaultAllocator)
	db := array.NewDecimal128Builder(memory.DefaultAllocator, &arrow.Decimal128Type{Precision: 30, Scale: 2})
	defer ib.Release()
	defer db.Release()
	for i := range n {
		if i%7 == 3 {
			ib.AppendNull()
		} else {
			ib.Append(int64(i)*2654435761 - 1)
		}
		if i%11 == 5 {
			db.AppendNull()
		} else {
			db.Append(decimal128.New(int64(i%5), uint64(i)*3+1))
		}
	}
	return []arrow.Array{ib.NewArray(), db.NewArray()}
}

// A column longer than loadChunk is converted piece by piece: the hashes,
// null flags and values equal those of the same rows loaded as small batches
// (whose columns are converted in one piece), across piece boundaries.
func TestKeyLoadInPiecesMatchesBatches(t *testing.T) {
	n := 3*loadChunk + 77
	arrs := keyArrays(n)
	defer arrs[0].Release()
	defer arrs[1].Release()
	seed := maphash.MakeSeed()
	for _, nullSafe := range [][]bool{nil, {false, true}} {
		var whole keySet
		if err := whole.load(context.Background(), arrs, nullSafe, seed); err != nil {
			t.Fatal(err)
		}
		var hash []uint64
		var null []bool
		var lo0, hi1 []uint64
		for lo := 0; lo < n; lo += 1000 {
			hi := min(lo+1000, n)
			part := []arrow.Array{array.NewSlice(arrs[0], int64(lo), int64(hi)), array.NewSlice(arrs[1], int64(lo), int64(hi))}
			var ks keySet
			if err := ks.load(context.Background(), part, nullSafe, seed); err != nil {
				t.Fatal(err)
			}
			hash = append(hash, ks.hash...)
			null = append(null, ks.null...)
			lo0 = append(lo0, ks.cols[0].fixed...)
			hi1 = append(hi1, ks.cols[1].hi...)
			part[0].Release()
			part[1].Release()
		}
		if !slices.Equal(whole.hash, hash) || !slices.Equal(whole.null, null) {
			t.Errorf("nullSafe %v: the hashes or null flags of a column loaded in pieces differ from its batches'", nullSafe)
		}
		if !slices.Equal(whole.cols[0].fixed, lo0) || !slices.Equal(whole.cols[1].hi, hi1) {
			t.Errorf("nullSafe %v: the key values of a column loaded in pieces differ from its batches'", nullSafe)
		}
		if whole.nulls == 0 {
			t.Errorf("nullSafe %v: no null rows counted", nullSafe)
		}
	}
}

// A cancel that arrives while a large key column is converted stops the
// conversion within a piece: the rows after it are never written.
func TestKeyLoadStopsWithinAPiece(t *testing.T) {
	n := 8 * loadChunk
	arrs := keyArrays(n)
	defer arrs[0].Release()
	defer arrs[1].Release()
	ctx := &errAfter{Context: context.Background()}
	ctx.left.Store(3)
	var ks keySet
	err := ks.load(ctx, arrs[:1], nil, maphash.MakeSeed())
	if err != context.Canceled {
		t.Fatalf("load: %v, want context.Canceled", err)
	}
	if got := ks.cols[0].fixed[n-1]; got != 0 {
		t.Errorf("the last row was converted (%d) after the cancel", got)
	}
}

// A probe stream's keys (borrow) read a 64-bit integer column in place,
// nulls still flagged; the next batch's keys never write into it, whether
// they borrow again or are copied (an Int32 column). Without borrow, or for
// a null-safe column, the keys are a copy.
func TestKeysBorrowInt64Values(t *testing.T) {
	mem := memory.NewGoAllocator()
	ib := array.NewInt64Builder(mem)
	ib.AppendValues([]int64{7, 8, 9}, []bool{true, false, true})
	a := ib.NewInt64Array()
	defer a.Release()
	jb := array.NewInt32Builder(mem)
	jb.AppendValues([]int32{-1, -2}, nil)
	b := jb.NewInt32Array()
	defer b.Release()
	seed := maphash.MakeSeed()
	ctx := context.Background()
	same := func(ks *keySet, arr *array.Int64) bool {
		return &ks.cols[0].fixed[0] == (*uint64)(unsafePointer(&arr.Int64Values()[0]))
	}

	ks := keySet{borrow: true}
	if err := ks.load(ctx, []arrow.Array{a}, nil, seed); err != nil {
		t.Fatal(err)
	}
	if !same(&ks, a) || !slices.Equal(ks.null, []bool{false, true, false}) {
		t.Fatalf("borrowed keys: same buffer %v, nulls %v", same(&ks, a), ks.null)
	}
	if err := ks.load(ctx, []arrow.Array{b}, nil, seed); err != nil {
		t.Fatal(err)
	}
	if got := ks.cols[0].fixed; got[0] != uint64(0xffffffffffffffff) || len(got) != 2 {
		t.Fatalf("int32 keys %v", got)
	}
	if v := a.Int64Values(); v[0] != 7 || v[2] != 9 {
		t.Fatalf("the borrowed batch was overwritten: %v", v)
	}

	for _, tc := range []struct {
		name     string
		ks       keySet
		nullSafe []bool
	}{{"copied", keySet{}, nil}, {"null-safe", keySet{borrow: true}, []bool{true}}} {
		if err := tc.ks.load(ctx, []arrow.Array{a}, tc.nullSafe, seed); err != nil {
			t.Fatal(err)
		}
		if same(&tc.ks, a) {
			t.Errorf("%s keys share the array's buffer", tc.name)
		}
	}
}

func unsafePointer(p *int64) unsafe.Pointer { return unsafe.Pointer(p) }
