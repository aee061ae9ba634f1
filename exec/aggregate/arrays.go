package aggregate

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// newFixedArray builds an array of type dt with n values taken from the bytes
// of vals (whose element layout must match dt) and validity valid (nil: all
// valid), allocating from mem.
func newFixedArray[T any](mem memory.Allocator, dt arrow.DataType, vals []T, n int, valid []bool) arrow.Array {
	var zero T
	size := len(vals) * int(unsafe.Sizeof(zero))
	data := memory.NewResizableBuffer(mem)
	data.Resize(size)
	if size > 0 {
		copy(data.Bytes(), unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(vals))), size))
	}
	var bitmap *memory.Buffer
	nulls := 0
	if valid != nil {
		bitmap = memory.NewResizableBuffer(mem)
		bitmap.Resize(int(bitutil.BytesForBits(int64(n))))
		bits := bitmap.Bytes()
		clear(bits)
		for i, v := range valid {
			if v {
				bitutil.SetBit(bits, i)
			} else {
				nulls++
			}
		}
	}
	d := array.NewData(dt, n, []*memory.Buffer{bitmap, data}, nil, nulls, 0)
	data.Release()
	if bitmap != nil {
		bitmap.Release()
	}
	defer d.Release()
	return array.MakeFromData(d)
}

// validFromSeen returns seen when some entry is false, nil when all are true.
func validFromSeen(seen []bool) []bool {
	for _, s := range seen {
		if !s {
			return seen
		}
	}
	return nil
}

func arrayRecord(s *arrow.Schema, cols []arrow.Array, n int) arrow.RecordBatch {
	return array.NewRecordBatch(s, cols, int64(n))
}
