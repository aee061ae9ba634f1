package exec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// concatCheckBytes is how many bytes Concatenate copies between two looks
// at its context.
const concatCheckBytes = 8 << 20

// Concatenate is array.Concatenate that stops when ctx is done. Columns of
// a fixed-width type (integers, floats, dates, timestamps, decimals) are
// copied here, a piece at a time with ctx checked between pieces, so that
// cancelling a query that gathers hundreds of megabytes (a hash join's
// build side) takes effect within milliseconds; other types go through
// array.Concatenate whole.
func Concatenate(ctx context.Context, arrs []arrow.Array, mem memory.Allocator) (arrow.Array, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(arrs) < 2 {
		return array.Concatenate(arrs, mem)
	}
	dt := arrs[0].DataType()
	if !plainFixedWidth(dt) || len(arrs[0].Data().Buffers()) != 2 {
		return array.Concatenate(arrs, mem)
	}
	width := dt.(arrow.FixedWidthDataType).BitWidth() / 8
	n, nulls := 0, 0
	for _, a := range arrs {
		if !arrow.TypeEqual(a.DataType(), dt) {
			return array.Concatenate(arrs, mem) // its error names the types
		}
		n += a.Len()
		nulls += a.NullN()
	}
	values := memory.NewResizableBuffer(mem)
	var valid *memory.Buffer
	if nulls > 0 {
		valid = memory.NewResizableBuffer(mem)
	}
	release := func() {
		values.Release()
		if valid != nil {
			valid.Release()
		}
	}
	// The buffers of a large build side are hundreds of megabytes: they are
	// allocated, and their pages faulted in, while the context is watched.
	alloc := func() bool {
		values.Resize(n * width)
		touchBytes(values.Bytes())
		if valid != nil {
			valid.Resize(int(bitutil.BytesForBits(int64(n))))
		}
		return true
	}
	if n*width < awaitMin {
		alloc()
	} else if _, err := awaitAlloc(ctx, alloc, func(bool) { release() }); err != nil {
		return nil, err
	}
	dst := values.Bytes()
	at, sinceCheck := 0, 0
	for _, a := range arrs {
		d := a.Data()
		if l := a.Len(); l > 0 {
			src := d.Buffers()[1].Bytes()[d.Offset()*width : (d.Offset()+l)*width]
			copy(dst[at*width:], src)
			if valid != nil {
				if vb := d.Buffers()[0]; vb != nil && a.NullN() > 0 {
					bitutil.CopyBitmap(vb.Bytes(), d.Offset(), l, valid.Bytes(), at)
				} else {
					bitutil.SetBitsTo(valid.Bytes(), int64(at), int64(l), true)
				}
			}
			at += l
			sinceCheck += l * width
		}
		if sinceCheck >= concatCheckBytes {
			sinceCheck = 0
			if err := ctx.Err(); err != nil {
				release()
				return nil, err
			}
		}
	}
	data := array.NewData(dt, n, []*memory.Buffer{valid, values}, nil, nulls, 0)
	release()
	defer data.Release()
	return array.MakeFromData(data), nil
}

// plainFixedWidth reports whether dt's values are one buffer of whole bytes
// a value (a validity bitmap beside it), with no dictionary or children.
func plainFixedWidth(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP, arrow.TIME32, arrow.TIME64, arrow.DURATION,
		arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256:
		return true
	}
	return false
}
