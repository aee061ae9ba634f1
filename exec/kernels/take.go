package kernels

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Take returns a new array holding arr[idx[0]], arr[idx[1]], ... . Every index
// must be in range. A negative index produces a null. Besides flat types it
// gathers lists, maps, fixed-size lists, structs, dictionaries, extension
// arrays and the null type, nested to any depth.
func Take(mem memory.Allocator, arr arrow.Array, idx []int32) (arrow.Array, error) {
	if out, ok, err := takeNested(mem, arr, idx); ok {
		return out, err
	}
	data := arr.Data()
	n := len(idx)
	validity, nulls := takeValidity(mem, arr, idx)
	var buffers []*memory.Buffer
	switch dt := arr.DataType().(type) {
	case *arrow.BooleanType:
		out := memory.NewResizableBuffer(mem)
		out.Resize(int(bitutil.BytesForBits(int64(n))))
		src := bufBytes(data, 1)
		dst := out.Bytes()
		off := data.Offset()
		for i, j := range idx {
			if j >= 0 {
				bitutil.SetBitTo(dst, i, bitutil.BitIsSet(src, off+int(j)))
			}
		}
		buffers = []*memory.Buffer{validity, out}
	case *arrow.StringType, *arrow.BinaryType:
		offs, vals := takeBinary(mem, arr, idx)
		buffers = []*memory.Buffer{validity, offs, vals}
	case arrow.FixedWidthDataType:
		w := dt.BitWidth() / 8
		if dt.BitWidth()%8 != 0 || w == 0 {
			return nil, fmt.Errorf("take: unsupported type %s", dt)
		}
		out := memory.NewResizableBuffer(mem)
		out.Resize(n * w)
		src := bufBytes(data, 1)
		if len(src) > 0 {
			src = src[data.Offset()*w:]
		}
		dst := out.Bytes()
		switch w {
		case 1:
			gather(dst, src, idx)
		case 2:
			gather(arrow.Int16Traits.CastFromBytes(dst), arrow.Int16Traits.CastFromBytes(src), idx)
		case 4:
			gather(arrow.Int32Traits.CastFromBytes(dst), arrow.Int32Traits.CastFromBytes(src), idx)
		case 8:
			gather(arrow.Int64Traits.CastFromBytes(dst), arrow.Int64Traits.CastFromBytes(src), idx)
		default:
			for i, j := range idx {
				if j >= 0 {
					copy(dst[i*w:(i+1)*w], src[int(j)*w:(int(j)+1)*w])
				}
			}
		}
		buffers = []*memory.Buffer{validity, out}
	default:
		return nil, fmt.Errorf("take: unsupported type %s", arr.DataType())
	}
	d := array.NewData(arr.DataType(), n, buffers, nil, nulls, 0)
	for _, b := range buffers {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d), nil
}

func gather[T any](dst, src []T, idx []int32) {
	dst = dst[:len(idx)]
	for i, j := range idx {
		if j >= 0 {
			dst[i] = src[j]
		}
	}
}

// takeValidity builds the validity bitmap of a take; nil when no output is null.
func takeValidity(mem memory.Allocator, arr arrow.Array, idx []int32) (*memory.Buffer, int) {
	hasNeg := false
	for _, j := range idx {
		if j < 0 {
			hasNeg = true
			break
		}
	}
	if arr.NullN() == 0 && !hasNeg {
		return nil, 0
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(len(idx)))))
	bits := buf.Bytes()
	nulls := 0
	for i, j := range idx {
		if j >= 0 && arr.IsValid(int(j)) {
			bitutil.SetBit(bits, i)
		} else {
			nulls++
		}
	}
	return buf, nulls
}

func takeBinary(mem memory.Allocator, arr arrow.Array, idx []int32) (*memory.Buffer, *memory.Buffer) {
	var offsets []int32
	var data []byte
	switch a := arr.(type) {
	case *array.String:
		offsets, data = a.ValueOffsets(), a.ValueBytes()
	case *array.Binary:
		offsets, data = a.ValueOffsets(), a.ValueBytes()
	}
	if len(offsets) == 0 {
		offsets = []int32{0}
	}
	base := offsets[0]
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize((len(idx) + 1) * 4)
	outOffs := arrow.Int32Traits.CastFromBytes(offBuf.Bytes())
	// One pass: the value buffer starts at the source's average width
	// times the rows taken and grows when a run of long values outruns
	// it; 8 bytes of slack let values of up to 8 bytes move as one word.
	valBuf := memory.NewResizableBuffer(mem)
	avg := 8
	if n := len(offsets) - 1; n > 0 {
		avg = int(offsets[n]-base)/n + 1
	}
	valBuf.Reserve(avg*len(idx) + 8)
	outVals := valBuf.Buf()
	pos := int32(0)
	outOffs[0] = 0
	for i, j := range idx {
		if j >= 0 {
			s, e := offsets[j]-base, offsets[j+1]-base
			l := e - s
			if int(pos)+int(l)+8 > len(outVals) {
				valBuf.Reserve(max(2*len(outVals), int(pos)+int(l)+8))
				outVals = valBuf.Buf()
			}
			if l <= 8 && int(s)+8 <= len(data) {
				// Short strings (flags, codes): one 8-byte move.
				binary.LittleEndian.PutUint64(outVals[pos:pos+8], binary.LittleEndian.Uint64(data[s:s+8]))
			} else {
				copy(outVals[pos:pos+l], data[s:e])
			}
			pos += l
		}
		outOffs[i+1] = pos
	}
	valBuf.ResizeNoShrink(int(pos))
	return offBuf, valBuf
}

// TakeBatch applies Take to every column of b.
func TakeBatch(mem memory.Allocator, b arrow.RecordBatch, idx []int32) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, b.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		c, err := Take(mem, b.Column(i), idx)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", b.ColumnName(i), err)
		}
		cols[i] = c
	}
	return array.NewRecordBatch(b.Schema(), cols, int64(len(idx))), nil
}

// FilterBatch keeps the rows of b where mask is true. When every row is kept it
// returns b itself, retained.
func FilterBatch(mem memory.Allocator, b arrow.RecordBatch, mask *array.Boolean) (arrow.RecordBatch, error) {
	idx := MaskIndices(mask, make([]int32, 0, mask.Len()))
	if len(idx) == int(b.NumRows()) {
		b.Retain()
		return b, nil
	}
	return TakeBatch(mem, b, idx)
}

// bufBytes returns the bytes of buffer i of data, nil when it is absent.
func bufBytes(data arrow.ArrayData, i int) []byte {
	bufs := data.Buffers()
	if i >= len(bufs) || bufs[i] == nil {
		return nil
	}
	return bufs[i].Bytes()
}
