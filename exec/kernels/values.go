package kernels

import (
	"math"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FixedValues returns the values of a fixed-width array as a slice of T
// (which must match the element width), honoring the array's offset; nil for
// an empty array.
func FixedValues[T any](a arrow.Array) []T {
	d := a.Data()
	bufs := d.Buffers()
	n := d.Len()
	if n == 0 || len(bufs) < 2 || bufs[1] == nil {
		return nil
	}
	var zero T
	all := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(bufs[1].Bytes()))), bufs[1].Len()/int(unsafe.Sizeof(zero)))
	return all[d.Offset() : d.Offset()+n]
}

// NewFixedArray builds an array of type dt with n values taken from the bytes
// of vals (whose element layout must match dt) and validity valid (nil: all
// valid), allocating from mem.
func NewFixedArray[T any](mem memory.Allocator, dt arrow.DataType, vals []T, n int, valid []bool) arrow.Array {
	var zero T
	size := len(vals) * int(unsafe.Sizeof(zero))
	data := memory.NewResizableBuffer(mem)
	data.Resize(size)
	if size > 0 {
		copy(data.Bytes(), unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(vals))), size))
	}
	bitmap, nulls := Bitmap(mem, valid)
	d := array.NewData(dt, n, []*memory.Buffer{bitmap, data}, nil, nulls, 0)
	data.Release()
	if bitmap != nil {
		bitmap.Release()
	}
	defer d.Release()
	return array.MakeFromData(d)
}

// Bitmap builds a validity bitmap from valid (true: valid) and counts the
// nulls; it returns nil when valid is nil or every entry is true.
func Bitmap(mem memory.Allocator, valid []bool) (*memory.Buffer, int) {
	nulls := 0
	for _, v := range valid {
		if !v {
			nulls++
		}
	}
	if nulls == 0 {
		return nil, 0
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(len(valid)))))
	bits := buf.Bytes()
	clear(bits)
	for i, v := range valid {
		if v {
			bitutil.SetBit(bits, i)
		}
	}
	return buf, nulls
}

// DictionaryValues returns the dictionary of d as a new array (the caller
// releases it). Unlike d.Dictionary(), which caches its result in d, it is
// safe when several goroutines read the same dictionary array.
func DictionaryValues(d *array.Dictionary) arrow.Array {
	return array.MakeFromData(d.Data().Dictionary())
}

// DecodeDictionary returns the values of the dictionary array d as a plain
// array of its value type (the caller releases it), null where d is null. It
// reads the dictionary through DictionaryValues, so several goroutines may
// decode the same array.
func DecodeDictionary(mem memory.Allocator, d *array.Dictionary) (arrow.Array, error) {
	idx := make([]int32, d.Len())
	for i := range idx {
		idx[i] = -1
		if d.IsValid(i) {
			idx[i] = int32(d.GetValueIndex(i))
		}
	}
	dict := DictionaryValues(d)
	defer dict.Release()
	return Take(mem, dict, idx)
}

// FloatKeyBits are the bits of f with -0 mapped to +0 and every NaN to one
// NaN, so that values equal as keys (Spark's grouping and join semantics)
// have equal bits.
func FloatKeyBits(f float64) uint64 {
	if f == 0 {
		return 0
	}
	if f != f {
		return 0x7FF8000000000001
	}
	return math.Float64bits(f)
}

// Mix64 is a 64-bit finalizer (MurmurHash3's fmix64): it spreads every input
// bit over the whole output, for hash tables and partitioning.
func Mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xFF51AFD7ED558CCD
	x ^= x >> 33
	x *= 0xC4CEB9FE1A85EC53
	x ^= x >> 33
	return x
}

// StringBuffers returns the offsets of a (one more than its length, so a
// single 0 for an empty array without an offsets buffer) and the bytes they
// index: the whole values buffer, so that the offsets of a sliced array need
// no rebasing. Value i is data[offs[i]:offs[i+1]].
func StringBuffers(a *array.String) (offs []int32, data []byte) {
	offs = a.ValueOffsets()
	if len(offs) == 0 {
		offs = []int32{0}
	}
	if bufs := a.Data().Buffers(); len(bufs) > 2 && bufs[2] != nil {
		data = bufs[2].Bytes()
	}
	return offs, data
}

// BinaryBuffers is StringBuffers for a binary array.
func BinaryBuffers(a *array.Binary) (offs []int32, data []byte) {
	offs = a.ValueOffsets()
	if len(offs) == 0 {
		offs = []int32{0}
	}
	if bufs := a.Data().Buffers(); len(bufs) > 2 && bufs[2] != nil {
		data = bufs[2].Bytes()
	}
	return offs, data
}

// Widen stores the values of src, sign-extended to 64 bits, in dst (at
// least as long as src), for keys compared and hashed as uint64.
func Widen[T int8 | int16 | int32 | int64](dst []uint64, src []T) {
	dst = dst[:len(src)] // one bounds check for the loop
	for i, v := range src {
		dst[i] = uint64(int64(v))
	}
}

// Grow returns s with length n, reusing its backing array when its capacity
// allows (the elements kept are not cleared) and allocating a new zeroed
// slice otherwise: for per-batch scratch slices.
func Grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
