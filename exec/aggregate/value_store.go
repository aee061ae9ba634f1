package aggregate

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// valueStore holds one value (or null) of a given type per group.
type valueStore interface {
	grow(n int)
	// set copies, for every group g in gs, row rows[g] of col.
	set(col arrow.Array, gs []uint32, rows []int32) error
	array(mem memory.Allocator, lo, hi int) arrow.Array
}

func newValueStore(dt arrow.DataType) (valueStore, error) {
	switch dt.ID() {
	case arrow.INT8:
		return &fixedStore[int8]{dt: dt}, nil
	case arrow.INT16:
		return &fixedStore[int16]{dt: dt}, nil
	case arrow.INT32, arrow.DATE32:
		return &fixedStore[int32]{dt: dt}, nil
	case arrow.INT64, arrow.TIMESTAMP, arrow.DECIMAL64:
		return &fixedStore[int64]{dt: dt}, nil
	case arrow.FLOAT32:
		return &fixedStore[float32]{dt: dt}, nil
	case arrow.FLOAT64:
		return &fixedStore[float64]{dt: dt}, nil
	case arrow.DECIMAL128:
		return &fixedStore[decimal128.Num]{dt: dt}, nil
	case arrow.BOOL:
		return &boolStore{}, nil
	case arrow.STRING:
		return &stringStore{}, nil
	case arrow.BINARY:
		return &stringStore{binary: true}, nil
	}
	return nil, fmt.Errorf("values of type %s are not supported", dt)
}

type fixedStore[T any] struct {
	dt    arrow.DataType
	vals  []T
	valid []bool
}

func (s *fixedStore[T]) grow(n int) { s.vals, s.valid = growTo(s.vals, n), growTo(s.valid, n) }

func (s *fixedStore[T]) set(col arrow.Array, gs []uint32, rows []int32) error {
	if !arrow.TypeEqual(col.DataType(), s.dt) {
		return fmt.Errorf("input type %s, expected %s", col.DataType(), s.dt)
	}
	in := kernels.FixedValues[T](col)
	for _, g := range gs {
		r := int(rows[g])
		s.valid[g] = col.IsValid(r)
		if s.valid[g] {
			s.vals[g] = in[r]
		}
	}
	return nil
}

func (s *fixedStore[T]) array(mem memory.Allocator, lo, hi int) arrow.Array {
	return kernels.NewFixedArray(mem, s.dt, s.vals[lo:hi], hi-lo, validFromSeen(s.valid[lo:hi]))
}

type boolStore struct{ vals, valid []bool }

func (s *boolStore) grow(n int) { s.vals, s.valid = growTo(s.vals, n), growTo(s.valid, n) }

func (s *boolStore) set(col arrow.Array, gs []uint32, rows []int32) error {
	c, ok := col.(*array.Boolean)
	if !ok {
		return fmt.Errorf("input type %s, expected boolean", col.DataType())
	}
	for _, g := range gs {
		r := int(rows[g])
		s.valid[g] = c.IsValid(r)
		s.vals[g] = s.valid[g] && c.Value(r)
	}
	return nil
}

func (s *boolStore) array(mem memory.Allocator, lo, hi int) arrow.Array {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(s.vals[lo:hi], s.valid[lo:hi])
	return b.NewArray()
}

type stringStore struct {
	vals   [][]byte
	valid  []bool
	binary bool // BINARY values instead of strings
}

// newBytesBuilder returns a builder of string values, or of binary values
// when binary; finishBytes makes its array.
func newBytesBuilder(mem memory.Allocator, binary bool) *array.BinaryBuilder {
	if binary {
		return array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	}
	return array.NewBinaryBuilder(mem, arrow.BinaryTypes.String)
}

// finishBytes builds the array of a newBytesBuilder: a string array unless
// binary (BinaryBuilder.NewArray makes a binary array whatever its type).
func finishBytes(b *array.BinaryBuilder, binary bool) arrow.Array {
	a := b.NewArray()
	if binary {
		return a
	}
	defer a.Release()
	return array.NewStringData(a.Data())
}

// byteArray is what string and binary arrays share: offsets into their bytes.
type byteArray interface {
	arrow.Array
	ValueOffsets() []int32
	ValueBytes() []byte
}

func (s *stringStore) grow(n int) { s.vals, s.valid = growTo(s.vals, n), growTo(s.valid, n) }

func (s *stringStore) set(col arrow.Array, gs []uint32, rows []int32) error {
	var str byteArray
	var dict *array.Dictionary
	switch c := col.(type) {
	case *array.String:
		str = c
	case *array.Binary:
		str = c
	case *array.Dictionary:
		d, ok := c.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("input type %s, expected string", col.DataType())
		}
		str, dict = d, c
	default:
		return fmt.Errorf("input type %s, expected string", col.DataType())
	}
	offs, data := str.ValueOffsets(), str.ValueBytes()
	base := offs[0]
	for _, g := range gs {
		r := int(rows[g])
		s.valid[g] = col.IsValid(r)
		if !s.valid[g] {
			continue
		}
		if dict != nil {
			r = dict.GetValueIndex(r)
		}
		s.vals[g] = append(s.vals[g][:0], data[offs[r]-base:offs[r+1]-base]...)
	}
	return nil
}

func (s *stringStore) array(mem memory.Allocator, lo, hi int) arrow.Array {
	b := newBytesBuilder(mem, s.binary)
	defer b.Release()
	b.Reserve(hi - lo)
	for g := lo; g < hi; g++ {
		if s.valid[g] {
			b.Append(s.vals[g])
		} else {
			b.AppendNull()
		}
	}
	return finishBytes(b, s.binary)
}
