package kernels

import (
	"encoding/binary"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// MaskIndices returns the positions where mask is true (null counts as false),
// appended to buf.
func MaskIndices(mask *array.Boolean, buf []int32) []int32 {
	n := mask.Len()
	data := mask.Data()
	vals := bufBytes(data, 1)
	off := data.Offset()
	if mask.NullN() == 0 {
		return SetBitIndices(vals, off, n, buf)
	}
	tmp := make([]byte, bitutil.BytesForBits(int64(n)))
	bitutil.BitmapAnd(vals, bufBytes(data, 0), int64(off), int64(off), tmp, 0, int64(n))
	return SetBitIndices(tmp, 0, n, buf)
}

// AndMask narrows the bitmap acc of n rows (bit i set: row i is in) to the
// rows where mask is true (null counts as false). With first set, acc is
// overwritten instead: it becomes the rows where mask is true. acc holds at
// least (n+7)/8 bytes.
func AndMask(acc []byte, mask *array.Boolean, first bool) {
	n := int64(mask.Len())
	data := mask.Data()
	off := int64(data.Offset())
	vals := bufBytes(data, 1)
	if first {
		bitutil.CopyBitmap(vals, int(off), int(n), acc, 0)
	} else {
		bitutil.BitmapAnd(acc, vals, 0, off, acc, 0, n)
	}
	if mask.NullN() > 0 {
		bitutil.BitmapAnd(acc, bufBytes(data, 0), 0, off, acc, 0, n)
	}
}

// SetBitIndices returns the positions i < n where bit off+i of bitmap is
// set, in increasing order, in buf[:0] (grown as needed).
func SetBitIndices(bitmap []byte, off, n int, buf []int32) []int32 {
	if cap(buf) < n {
		buf = make([]int32, n)
	}
	buf = buf[:n]
	k := 0
	i := 0
	if off%8 == 0 {
		b := bitmap[off/8:]
		for ; i+64 <= n; i += 64 {
			w := binary.LittleEndian.Uint64(b[i/8:])
			if w == ^uint64(0) {
				out := buf[k : k+64]
				for j := range out {
					out[j] = int32(i + j)
				}
				k += 64
				continue
			}
			for w != 0 {
				buf[k] = int32(i + bits.TrailingZeros64(w))
				k++
				w &= w - 1
			}
		}
	}
	for ; i < n; i++ {
		if bitutil.BitIsSet(bitmap, off+i) {
			buf[k] = int32(i)
			k++
		}
	}
	return buf[:k]
}
