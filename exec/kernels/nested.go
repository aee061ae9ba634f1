package kernels

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// takeNested gathers arrays whose type Take's flat paths do not cover: the
// null type, lists and maps (offsets plus the gathered child ranges),
// fixed-size lists, structs (every child and the validity), dictionaries
// (the indices, sharing the dictionary) and extension arrays (their storage,
// re-wrapped). Children are gathered recursively, so nesting is unbounded.
// ok is false when arr is of a type it does not handle.
func takeNested(mem memory.Allocator, arr arrow.Array, idx []int32) (out arrow.Array, ok bool, err error) {
	switch a := arr.(type) {
	case *array.Null:
		return array.NewNull(len(idx)), true, nil
	case array.ExtensionArray:
		st, err := Take(mem, a.Storage(), idx)
		if err != nil {
			return nil, true, fmt.Errorf("extension %s: %w", a.ExtensionType().ExtensionName(), err)
		}
		defer st.Release()
		return array.NewExtensionArrayWithStorage(a.ExtensionType(), st), true, nil
	case *array.Map:
		out, err := takeList(mem, arr, a.Offsets(), a.ListValues(), idx)
		return out, true, err
	case *array.List:
		out, err := takeList(mem, arr, a.Offsets(), a.ListValues(), idx)
		return out, true, err
	case *array.FixedSizeList:
		out, err := takeFixedList(mem, a, idx)
		return out, true, err
	case *array.Struct:
		out, err := takeStruct(mem, a, idx)
		return out, true, err
	case *array.Dictionary:
		out, err := takeDictionary(mem, a, idx)
		return out, true, err
	}
	return nil, false, nil
}

// takeList gathers a list or map array: new offsets, and the child gathered
// over the concatenated element ranges of the chosen rows.
func takeList(mem memory.Allocator, arr arrow.Array, offsets []int32, child arrow.Array, idx []int32) (arrow.Array, error) {
	off := arr.Data().Offset()
	if len(offsets) > 0 {
		offsets = offsets[off:]
	}
	noNulls := arr.NullN() == 0
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize((len(idx) + 1) * 4)
	outOffs := arrow.Int32Traits.CastFromBytes(offBuf.Bytes())
	outOffs[0] = 0
	total := int32(0)
	for i, j := range idx {
		if j >= 0 && (noNulls || arr.IsValid(int(j))) {
			total += offsets[j+1] - offsets[j]
		}
		outOffs[i+1] = total
	}
	childIdx := make([]int32, total)
	for i, j := range idx {
		if n := outOffs[i+1] - outOffs[i]; n > 0 {
			dst := childIdx[outOffs[i]:outOffs[i+1]]
			base := offsets[j]
			for k := range dst {
				dst[k] = base + int32(k)
			}
		}
	}
	c, err := Take(mem, child, childIdx)
	if err != nil {
		offBuf.Release()
		return nil, fmt.Errorf("list elements: %w", err)
	}
	defer c.Release()
	validity, nulls := takeValidity(mem, arr, idx)
	return makeArray(arr.DataType(), len(idx), []*memory.Buffer{validity, offBuf}, []arrow.ArrayData{c.Data()}, nulls), nil
}

func takeFixedList(mem memory.Allocator, a *array.FixedSizeList, idx []int32) (arrow.Array, error) {
	size := int32(a.DataType().(*arrow.FixedSizeListType).Len())
	off := int32(a.Data().Offset())
	childIdx := make([]int32, 0, len(idx)*int(size))
	for _, j := range idx {
		for k := int32(0); k < size; k++ {
			if j >= 0 {
				childIdx = append(childIdx, (off+j)*size+k)
			} else {
				childIdx = append(childIdx, -1)
			}
		}
	}
	c, err := Take(mem, a.ListValues(), childIdx)
	if err != nil {
		return nil, fmt.Errorf("list elements: %w", err)
	}
	defer c.Release()
	validity, nulls := takeValidity(mem, a, idx)
	return makeArray(a.DataType(), len(idx), []*memory.Buffer{validity}, []arrow.ArrayData{c.Data()}, nulls), nil
}

func takeStruct(mem memory.Allocator, a *array.Struct, idx []int32) (arrow.Array, error) {
	children := make([]arrow.ArrayData, a.NumField())
	defer func() {
		for _, c := range children {
			if c != nil {
				c.Release()
			}
		}
	}()
	st := a.DataType().(*arrow.StructType)
	for f := range children {
		c, err := Take(mem, a.Field(f), idx)
		if err != nil {
			return nil, fmt.Errorf("struct field %s: %w", st.Field(f).Name, err)
		}
		children[f] = c.Data()
		children[f].Retain()
		c.Release()
	}
	validity, nulls := takeValidity(mem, a, idx)
	return makeArray(a.DataType(), len(idx), []*memory.Buffer{validity}, children, nulls), nil
}

func takeDictionary(mem memory.Allocator, a *array.Dictionary, idx []int32) (arrow.Array, error) {
	ind, err := Take(mem, a.Indices(), idx)
	if err != nil {
		return nil, fmt.Errorf("dictionary indices: %w", err)
	}
	defer ind.Release()
	d := ind.Data()
	out := array.NewData(a.DataType(), d.Len(), d.Buffers(), nil, d.NullN(), d.Offset())
	out.SetDictionary(a.Data().Dictionary())
	defer out.Release()
	return array.MakeFromData(out), nil
}

// makeArray builds an array from buffers and children it takes ownership of
// (buffers are released here; children stay owned by the caller).
func makeArray(dt arrow.DataType, n int, buffers []*memory.Buffer, children []arrow.ArrayData, nulls int) arrow.Array {
	d := array.NewData(dt, n, buffers, children, nulls, 0)
	for _, b := range buffers {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d)
}
