package mathfn

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// validity is an output validity bitmap under construction; buf is nil
// while every row is valid.
type validity struct {
	mem  memory.Allocator
	n    int
	buf  *memory.Buffer
	bits []byte
}

// andValidity starts a validity bitmap of n rows as the intersection of the
// validity of arrs.
func andValidity(mem memory.Allocator, n int, arrs ...arrow.Array) *validity {
	v := &validity{mem: mem, n: n}
	for _, a := range arrs {
		if a.NullN() == 0 {
			continue
		}
		if a.DataType().ID() == arrow.NULL {
			v.ensure()
			clear(v.bits)
			continue
		}
		bits, off := a.Data().Buffers()[0].Bytes(), a.Data().Offset()
		if v.buf == nil {
			v.ensure()
			bitutil.CopyBitmap(bits, off, n, v.bits, 0)
			continue
		}
		bitutil.BitmapAnd(v.bits, bits, 0, int64(off), v.bits, 0, int64(n))
	}
	return v
}

// ensure allocates the bitmap with every row valid.
func (v *validity) ensure() {
	if v.buf != nil {
		return
	}
	v.buf = memory.NewResizableBuffer(v.mem)
	v.buf.Resize(int(bitutil.BytesForBits(int64(v.n))))
	v.bits = v.buf.Bytes()
	bitutil.SetBitsTo(v.bits, 0, int64(v.n), true)
}

// valid reports whether row i is valid.
func (v *validity) valid(i int) bool { return v.bits == nil || bitutil.BitIsSet(v.bits, i) }

// setNull marks row i null.
func (v *validity) setNull(i int) {
	v.ensure()
	bitutil.ClearBit(v.bits, i)
}

// release frees the bitmap when it was not handed to an array.
func (v *validity) release() {
	if v.buf != nil {
		v.buf.Release()
		v.buf = nil
	}
}

// finish builds an array of type dt over data and the bitmap, taking
// ownership of both.
func (v *validity) finish(dt arrow.DataType, data *memory.Buffer) arrow.Array {
	nulls := 0
	if v.buf != nil {
		nulls = v.n - bitutil.CountSetBits(v.bits, 0, v.n)
	}
	d := array.NewData(dt, v.n, []*memory.Buffer{v.buf, data}, nil, nulls, 0)
	data.Release()
	v.release()
	defer d.Release()
	return array.MakeFromData(d)
}

// newFixed allocates an output buffer of n values of type T.
func newFixed[T arrow.FixedWidthType](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var z [1]T
	width := len(arrow.GetBytes(z[:]))
	b := memory.NewResizableBuffer(mem)
	b.Resize(n * width)
	if n == 0 {
		return b, nil
	}
	return b, arrow.GetData[T](b.Bytes())[:n]
}
