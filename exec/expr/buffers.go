package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// bufBytes returns the bytes of buffer i of arr, nil when absent.
func bufBytes(arr arrow.Array, i int) []byte {
	bufs := arr.Data().Buffers()
	if i >= len(bufs) || bufs[i] == nil {
		return nil
	}
	return bufs[i].Bytes()
}

// isAllNull reports whether arr is of the NULL type (no buffers, all null).
func isAllNull(arr arrow.Array) bool { return arr.DataType().ID() == arrow.NULL }

// andValidity returns the intersection of the validity of arrs as a new
// bitmap (offset 0) and its null count; nil, 0 when every row is valid.
func andValidity(mem memory.Allocator, n int, arrs ...arrow.Array) (*memory.Buffer, int) {
	var out *memory.Buffer
	for _, a := range arrs {
		if a.NullN() == 0 {
			continue
		}
		if isAllNull(a) {
			if out == nil {
				out = memory.NewResizableBuffer(mem)
				out.Resize(int(bitutil.BytesForBits(int64(n))))
			}
			clear(out.Bytes())
			continue
		}
		bits, off := bufBytes(a, 0), a.Data().Offset()
		if out == nil {
			out = memory.NewResizableBuffer(mem)
			out.Resize(int(bitutil.BytesForBits(int64(n))))
			bitutil.CopyBitmap(bits, off, n, out.Bytes(), 0)
			continue
		}
		bitutil.BitmapAnd(out.Bytes(), bits, 0, int64(off), out.Bytes(), 0, int64(n))
	}
	if out == nil {
		return nil, 0
	}
	return out, n - bitutil.CountSetBits(out.Bytes(), 0, n)
}

// bitValid reports whether row i is valid under bitmap bits (nil = all valid).
func bitValid(bits []byte, off, i int) bool {
	return bits == nil || bitutil.BitIsSet(bits, off+i)
}

// newBuf allocates a zeroed buffer of size bytes.
func newBuf(mem memory.Allocator, size int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(size)
	clear(b.Bytes())
	return b
}

// newDataBuf allocates a buffer of size bytes that the caller overwrites
// entirely (values under nulls may be left unset).
func newDataBuf(mem memory.Allocator, size int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(size)
	return b
}

// makeArray builds an array of type t from buffers, taking ownership of them.
func makeArray(t arrow.DataType, n int, nulls int, bufs ...*memory.Buffer) arrow.Array {
	d := array.NewData(t, n, bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d)
}

// nullArray returns an all-null array of type t with n rows.
func nullArray(mem memory.Allocator, t arrow.DataType, n int) arrow.Array {
	if t.ID() == arrow.NULL {
		return array.NewNull(n)
	}
	return array.MakeArrayOfNull(mem, t, n)
}
