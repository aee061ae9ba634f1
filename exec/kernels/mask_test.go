package kernels_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/kernels"
)

// randomMask builds a boolean array of n values, true with probability
// pTrue and null with probability pNull, and returns it sliced from off. A
// null's value bit is random, as Arrow leaves it undefined.
func randomMask(mem memory.Allocator, r *rand.Rand, n, off int, pTrue, pNull float64) *array.Boolean {
	total := n + off
	vals := memory.NewResizableBuffer(mem)
	vals.Resize(int(bitutil.BytesForBits(int64(total))))
	valid := memory.NewResizableBuffer(mem)
	valid.Resize(int(bitutil.BytesForBits(int64(total))))
	nulls := 0
	for i := range total {
		isNull := r.Float64() < pNull
		bitutil.SetBitTo(valid.Bytes(), i, !isNull)
		if isNull {
			nulls++
			bitutil.SetBitTo(vals.Bytes(), i, r.IntN(2) == 0)
		} else {
			bitutil.SetBitTo(vals.Bytes(), i, r.Float64() < pTrue)
		}
	}
	data := array.NewData(arrow.FixedWidthTypes.Boolean, total, []*memory.Buffer{valid, vals}, nil, nulls, 0)
	vals.Release()
	valid.Release()
	full := array.NewBooleanData(data)
	data.Release()
	defer full.Release()
	return array.NewSlice(full, int64(off), int64(off+n)).(*array.Boolean)
}

// naiveTrue is the positions where mask is true, row by row.
func naiveTrue(mask *array.Boolean) []int32 {
	out := []int32{}
	for i := 0; i < mask.Len(); i++ {
		if mask.IsValid(i) && mask.Value(i) {
			out = append(out, int32(i))
		}
	}
	return out
}

// MaskIndices, and AndMask followed by SetBitIndices, against a row-by-row
// reference: masks of every density (all false, sparse, dense, all true),
// with and without nulls, at bit offsets that are and are not multiples of
// eight, of lengths that are and are not multiples of 64, and empty.
func TestMaskIndicesMatchNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	mem := exectest.Alloc(t)
	for _, n := range []int{0, 1, 63, 64, 65, 200, 1024, 1500} {
		for _, off := range []int{0, 3, 8, 67} {
			for _, pTrue := range []float64{0, 0.05, 0.5, 0.97, 1} {
				for _, pNull := range []float64{0, 0.2} {
					name := fmt.Sprintf("n=%d off=%d true=%v null=%v", n, off, pTrue, pNull)
					a := randomMask(mem, r, n, off, pTrue, pNull)
					b := randomMask(mem, r, n, off+1, 0.7, pNull)
					want := naiveTrue(a)
					if got := kernels.MaskIndices(a, nil); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
						t.Fatalf("%s: MaskIndices = %v, want %v", name, got, want)
					}
					acc := make([]byte, bitutil.BytesForBits(int64(n)))
					kernels.AndMask(acc, a, true)
					if got := kernels.SetBitIndices(acc, 0, n, make([]int32, 3)); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
						t.Fatalf("%s: AndMask(first) = %v, want %v", name, got, want)
					}
					kernels.AndMask(acc, b, false)
					var both []int32
					for _, i := range want {
						if b.IsValid(int(i)) && b.Value(int(i)) {
							both = append(both, i)
						}
					}
					if got := kernels.SetBitIndices(acc, 0, n, nil); !reflect.DeepEqual(got, both) && !(len(got) == 0 && len(both) == 0) {
						t.Fatalf("%s: AndMask = %v, want %v", name, got, both)
					}
					a.Release()
					b.Release()
				}
			}
		}
	}
}

// SetBitIndices reads from a bit offset that is not a multiple of eight.
func TestSetBitIndicesOffset(t *testing.T) {
	bitmap := []byte{0b1010_0000, 0b0000_0101, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}
	// From bit 5: bits 5, 7, 8, 10, then 16..72 (positions 11..67).
	got := kernels.SetBitIndices(bitmap, 5, 70, nil)
	want := []int32{0, 2, 3, 5}
	for i := int32(11); i <= 67; i++ {
		want = append(want, i)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}
