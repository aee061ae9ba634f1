package sketchfn

import (
	"fmt"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// BitmapBytes is the size of a Spark bitmap: 4 KiB, so 32768 bits per
// bucket.
const BitmapBytes = 4 * 1024

// BitmapBits is the number of bits of a bitmap.
const BitmapBits = 8 * BitmapBytes

// BucketNumber is bitmap_bucket_number(v): the positive values 1..32768
// are bucket 1, 32769..65536 bucket 2, …; zero and the negative values
// count down from bucket 0 (0..-32767 are bucket 0).
func BucketNumber(v int64) int64 {
	if v > 0 {
		return 1 + (v-1)/BitmapBits
	}
	return v / BitmapBits
}

// BitPosition is bitmap_bit_position(v): the position of v in its bucket,
// 0 for the first value (1, 32769, … for positive values; 0, -32768, …
// otherwise).
func BitPosition(v int64) int64 {
	if v > 0 {
		return (v - 1) % BitmapBits
	}
	// -v overflows for math.MinInt64; Java's answer is then the same
	// negative remainder as Go's.
	return (-v) % BitmapBits
}

// Count is bitmap_count(b): the number of bits set.
func Count(b []byte) int64 {
	n := 0
	for _, x := range b {
		n += bits.OnesCount8(x)
	}
	return int64(n)
}

// SetBit sets bit pos of a bitmap: byte pos/8, bit pos%8 counted from the
// least significant bit, as Spark lays out its bitmaps. A position outside
// the bitmap is an error, Spark's INVALID_BITMAP_POSITION.
func SetBit(bitmap []byte, pos int64) error {
	if pos < 0 || pos >= int64(8*len(bitmap)) {
		return fmt.Errorf("[INVALID_BITMAP_POSITION] the 0-indexed bitmap position %d is out of bounds: the bitmap has %d bits (%d bytes)", pos, 8*len(bitmap), len(bitmap))
	}
	bitmap[pos/8] |= 1 << (pos % 8)
	return nil
}

// CheckInput rejects a bitmap argument longer than BitmapBytes, Spark's
// BITMAP_INPUT_TOO_LARGE; shorter ones are read with the missing bytes as
// zeros.
func CheckInput(fn string, b []byte) error {
	if len(b) > BitmapBytes {
		return fmt.Errorf("[BITMAP_INPUT_TOO_LARGE] %s: the input bitmap has %d bytes, at most %d are allowed", fn, len(b), BitmapBytes)
	}
	return nil
}

// OrInto ORs src into dst over their common length.
func OrInto(dst, src []byte) {
	n := min(len(dst), len(src))
	for i := 0; i < n; i++ {
		dst[i] |= src[i]
	}
}

// AndInto ANDs src into dst; the bytes of dst past the end of src become
// zero (a bit src does not have is unset), as Spark's bitmap_and_agg.
func AndInto(dst, src []byte) {
	n := min(len(dst), len(src))
	for i := 0; i < n; i++ {
		dst[i] &= src[i]
	}
	for i := n; i < len(dst); i++ {
		dst[i] = 0
	}
}

// int64Kernel applies f to every valid value of an int64 column.
func int64Kernel(name string, x expr.Expr, f func(int64) int64) expr.Expr {
	return expr.UDF(name, arrow.PrimitiveTypes.Int64, []expr.Expr{x}, func(mem memory.Allocator, cols []arrow.Array) (arrow.Array, error) {
		c, ok := cols[0].(*array.Int64)
		if !ok {
			return nil, fmt.Errorf("%s: argument of type %s, expected bigint", name, cols[0].DataType())
		}
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Resize(c.Len())
		vals := c.Int64Values()
		if c.NullN() == 0 {
			out := make([]int64, len(vals))
			for i, v := range vals {
				out[i] = f(v)
			}
			b.AppendValues(out, nil)
			return b.NewArray(), nil
		}
		for i, v := range vals {
			if c.IsNull(i) {
				b.AppendNull()
				continue
			}
			b.Append(f(v))
		}
		return b.NewArray(), nil
	})
}

// BucketNumberExpr is bitmap_bucket_number over a bigint expression.
func BucketNumberExpr(x expr.Expr) expr.Expr {
	return int64Kernel("bitmap_bucket_number", x, BucketNumber)
}

// BitPositionExpr is bitmap_bit_position over a bigint expression.
func BitPositionExpr(x expr.Expr) expr.Expr {
	return int64Kernel("bitmap_bit_position", x, BitPosition)
}

// CountExpr is bitmap_count over a binary expression.
func CountExpr(x expr.Expr) expr.Expr {
	return expr.UDF("bitmap_count", arrow.PrimitiveTypes.Int64, []expr.Expr{x}, func(mem memory.Allocator, cols []arrow.Array) (arrow.Array, error) {
		c, ok := cols[0].(*array.Binary)
		if !ok {
			return nil, fmt.Errorf("bitmap_count: argument of type %s, expected binary", cols[0].DataType())
		}
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Resize(c.Len())
		for i := 0; i < c.Len(); i++ {
			if c.IsNull(i) {
				b.AppendNull()
				continue
			}
			b.Append(Count(c.Value(i)))
		}
		return b.NewArray(), nil
	})
}
