// Package mathfn holds the physical kernels of Spark's math, hash and
// conditional scalar functions (abs, round, floor, sqrt, log, greatest,
// rand, hash, md5, ...), evaluated a batch at a time over Arrow buffers.
package mathfn

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// evalArg evaluates e on batch and expands a dictionary result; the caller
// releases the returned array.
func evalArg(mem memory.Allocator, e expr.Expr, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	d, ok := a.(*array.Dictionary)
	if !ok {
		return a, nil
	}
	defer a.Release()
	idx := make([]int32, d.Len())
	for i := range idx {
		if d.IsNull(i) {
			idx[i] = -1
		} else {
			idx[i] = int32(d.GetValueIndex(i))
		}
	}
	out, err := kernels.Take(mem, d.Dictionary(), idx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e, err)
	}
	return out, nil
}

// evalArgs evaluates es in order, releasing what was produced on error.
func evalArgs(mem memory.Allocator, batch arrow.RecordBatch, es []expr.Expr) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(es))
	for i, e := range es {
		a, err := evalArg(mem, e, batch)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func releaseAll(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}

// callString renders name(args...) for String methods and error messages.
func callString(name string, args ...expr.Expr) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

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

// decimalNums returns the unscaled values of a decimal64 or decimal128
// array as 128-bit numbers.
func decimalNums(a arrow.Array) []decimal128.Num {
	switch a.DataType().ID() {
	case arrow.DECIMAL128:
		return kernels.FixedValues[decimal128.Num](a)
	case arrow.DECIMAL64:
		v := kernels.FixedValues[int64](a)
		out := make([]decimal128.Num, len(v))
		for i, x := range v {
			out[i] = decimal128.FromI64(x)
		}
		return out
	}
	return nil
}

// decimalArray builds a decimal array of type dt (decimal64 or decimal128)
// from 128-bit unscaled values, taking ownership of v.
func decimalArray(mem memory.Allocator, dt arrow.DataType, vals []decimal128.Num, v *validity) arrow.Array {
	if dt.ID() == arrow.DECIMAL64 {
		buf, out := newFixed[int64](mem, len(vals))
		for i, x := range vals {
			out[i] = int64(x.LowBits())
		}
		return v.finish(dt, buf)
	}
	buf, out := newFixed[decimal128.Num](mem, len(vals))
	copy(out, vals)
	return v.finish(dt, buf)
}

// decimalPS returns the precision and scale of a decimal type.
func decimalPS(t arrow.DataType) (int32, int32) {
	switch tt := t.(type) {
	case *arrow.Decimal64Type:
		return tt.Precision, tt.Scale
	case *arrow.Decimal128Type:
		return tt.Precision, tt.Scale
	}
	return 0, 0
}

// typeName renders t with its Spark SQL name.
func typeName(t arrow.DataType) string { return values.TypeName(t) }
