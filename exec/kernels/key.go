package kernels

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// KeyEncodable reports whether KeyEncoder supports arrays of type t.
func KeyEncodable(t arrow.DataType) bool {
	switch tt := t.(type) {
	case *arrow.MapType:
		return false
	case *arrow.ListType:
		return KeyEncodable(tt.Elem())
	case *arrow.FixedSizeListType:
		return KeyEncodable(tt.Elem())
	case *arrow.StructType:
		for _, f := range tt.Fields() {
			if !KeyEncodable(f.Type) {
				return false
			}
		}
		return true
	case *arrow.DictionaryType:
		return tt.ValueType.ID() == arrow.STRING || tt.ValueType.ID() == arrow.BINARY
	case arrow.ExtensionType:
		return KeyEncodable(tt.StorageType())
	}
	switch t.ID() {
	case arrow.NULL, arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16,
		arrow.UINT32, arrow.UINT64, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL64, arrow.DECIMAL128,
		arrow.DATE32, arrow.TIMESTAMP, arrow.STRING, arrow.BINARY, arrow.DURATION, arrow.INTERVAL_MONTHS:
		return true
	}
	return false
}

// KeyEncoder returns a function appending to dst an encoding of the valid
// element i of a, such that two elements of arrays of one type have equal
// encodings exactly when Spark considers them equal: floats compare with -0
// equal to 0 and NaN equal to NaN (as grouping does), nested values
// element by element with nulls equal to each other. Lists, fixed-size
// lists, structs, dictionaries and extension arrays nest; maps are not
// supported (Spark cannot compare them either).
func KeyEncoder(a arrow.Array) (func(dst []byte, i int) []byte, error) {
	switch c := a.(type) {
	case *array.Null:
		return func(dst []byte, i int) []byte { return dst }, nil
	case *array.Boolean:
		return func(dst []byte, i int) []byte {
			if c.Value(i) {
				return append(dst, 1)
			}
			return append(dst, 0)
		}, nil
	case *array.String:
		return func(dst []byte, i int) []byte {
			v := c.Value(i)
			dst = binary.AppendUvarint(dst, uint64(len(v)))
			return append(dst, v...)
		}, nil
	case *array.Binary:
		return func(dst []byte, i int) []byte {
			v := c.Value(i)
			dst = binary.AppendUvarint(dst, uint64(len(v)))
			return append(dst, v...)
		}, nil
	case *array.Float32:
		v := FixedValues[float32](c)
		return func(dst []byte, i int) []byte {
			return binary.LittleEndian.AppendUint64(dst, FloatKeyBits(float64(v[i])))
		}, nil
	case *array.Float64:
		v := FixedValues[float64](c)
		return func(dst []byte, i int) []byte { return binary.LittleEndian.AppendUint64(dst, FloatKeyBits(v[i])) }, nil
	case *array.Dictionary:
		return dictKeyEncoder(c)
	case array.ExtensionArray:
		return KeyEncoder(c.Storage())
	case *array.Map:
		return nil, fmt.Errorf("comparing values of type %s is not supported", a.DataType())
	case array.ListLike:
		child := c.ListValues()
		enc, err := KeyEncoder(child)
		if err != nil {
			return nil, err
		}
		return func(dst []byte, i int) []byte {
			lo, hi := c.ValueOffsets(i)
			dst = binary.AppendUvarint(dst, uint64(hi-lo))
			for k := lo; k < hi; k++ {
				dst = appendNested(dst, child, enc, int(k))
			}
			return dst
		}, nil
	case *array.Struct:
		encs := make([]func([]byte, int) []byte, c.NumField())
		for f := range encs {
			enc, err := KeyEncoder(c.Field(f))
			if err != nil {
				return nil, err
			}
			encs[f] = enc
		}
		return func(dst []byte, i int) []byte {
			for f, enc := range encs {
				dst = appendNested(dst, c.Field(f), enc, i)
			}
			return dst
		}, nil
	}
	if fw, ok := a.DataType().(arrow.FixedWidthDataType); ok && KeyEncodable(a.DataType()) && fw.BitWidth()%8 == 0 {
		w := fw.BitWidth() / 8
		d := a.Data()
		var raw []byte
		if b := d.Buffers()[1]; b != nil {
			raw = b.Bytes()[d.Offset()*w:]
		}
		return func(dst []byte, i int) []byte { return append(dst, raw[i*w:(i+1)*w]...) }, nil
	}
	return nil, fmt.Errorf("comparing values of type %s is not supported", a.DataType())
}

// appendNested encodes a nested element: a null marker, then the value.
func appendNested(dst []byte, a arrow.Array, enc func([]byte, int) []byte, i int) []byte {
	if a.IsNull(i) {
		return append(dst, 0)
	}
	return enc(append(dst, 1), i)
}

// dictKeyEncoder encodes a dictionary of strings or binaries by value,
// reading the dictionary's buffers directly (no array is cached in c).
func dictKeyEncoder(c *array.Dictionary) (func(dst []byte, i int) []byte, error) {
	vt := c.DataType().(*arrow.DictionaryType).ValueType.ID()
	if vt != arrow.STRING && vt != arrow.BINARY {
		return nil, fmt.Errorf("comparing values of type %s is not supported", c.DataType())
	}
	d := c.Data().Dictionary()
	offs := []int32{0}
	var data []byte
	if bufs := d.Buffers(); d.Len() > 0 && len(bufs) > 2 && bufs[1] != nil {
		offs = arrow.Int32Traits.CastFromBytes(bufs[1].Bytes())[d.Offset() : d.Offset()+d.Len()+1]
		if bufs[2] != nil {
			data = bufs[2].Bytes()
		}
	}
	return func(dst []byte, i int) []byte {
		j := c.GetValueIndex(i)
		v := data[offs[j]:offs[j+1]]
		dst = binary.AppendUvarint(dst, uint64(len(v)))
		return append(dst, v...)
	}, nil
}
