package sort

import (
	"bytes"
	"cmp"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/gspark/gspark/exec/kernels"
)

// rowCmp compares rows i and j of the columns it was built over: negative
// when i sorts first, zero when the keys are equal.
type rowCmp func(i, j int) int

func ordered[T cmp.Ordered](v []T, desc bool) rowCmp {
	if desc {
		return func(i, j int) int { return cmp.Compare(v[j], v[i]) }
	}
	return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
}

// floatCompare orders floats as Spark does: NaN above every other value and
// equal to itself, -0.0 equal to 0.0.
func floatCompare[T float32 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	an, bn := math.IsNaN(float64(a)), math.IsNaN(float64(b))
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	default:
		return -1
	}
}

func floats[T float32 | float64](v []T, desc bool) rowCmp {
	if desc {
		return func(i, j int) int { return floatCompare(v[j], v[i]) }
	}
	return func(i, j int) int { return floatCompare(v[i], v[j]) }
}

func stringCmp(a *array.String, desc bool) rowCmp {
	offs, data := kernels.StringBuffers(a)
	return bytesCmp(offs, data, desc)
}

// bytesCmp compares values by their bytes, unsigned, a prefix first: the
// order of strings (UTF-8 bytes) and of binaries alike.
func bytesCmp(offs []int32, data []byte, desc bool) rowCmp {
	if desc {
		return func(i, j int) int {
			return bytes.Compare(data[offs[j]:offs[j+1]], data[offs[i]:offs[i+1]])
		}
	}
	return func(i, j int) int {
		return bytes.Compare(data[offs[i]:offs[i+1]], data[offs[j]:offs[j+1]])
	}
}

// dictStrings compares a dictionary<_, string> array through its indices.
func dictStrings(a *array.Dictionary, desc bool) (rowCmp, error) {
	dv := kernels.DictionaryValues(a)
	defer dv.Release()
	dict, ok := dv.(*array.String)
	if !ok {
		return nil, fmt.Errorf("unsupported sort key type %s", a.DataType())
	}
	offs, data := kernels.StringBuffers(dict)
	idx := make([]int32, a.Len())
	for i := range idx {
		idx[i] = int32(a.GetValueIndex(i))
	}
	if desc {
		return func(i, j int) int {
			x, y := idx[i], idx[j]
			return bytes.Compare(data[offs[y]:offs[y+1]], data[offs[x]:offs[x+1]])
		}, nil
	}
	return func(i, j int) int {
		x, y := idx[i], idx[j]
		return bytes.Compare(data[offs[x]:offs[x+1]], data[offs[y]:offs[y+1]])
	}, nil
}

// valueCmp builds the comparator of the non-null values of arr.
func valueCmp(arr arrow.Array, desc bool) (rowCmp, error) {
	switch a := arr.(type) {
	case *array.Int8:
		return ordered(a.Int8Values(), desc), nil
	case *array.Int16:
		return ordered(a.Int16Values(), desc), nil
	case *array.Int32:
		return ordered(a.Int32Values(), desc), nil
	case *array.Int64:
		return ordered(a.Int64Values(), desc), nil
	case *array.Uint8:
		return ordered(a.Uint8Values(), desc), nil
	case *array.Uint16:
		return ordered(a.Uint16Values(), desc), nil
	case *array.Uint32:
		return ordered(a.Uint32Values(), desc), nil
	case *array.Uint64:
		return ordered(a.Uint64Values(), desc), nil
	case *array.Float32:
		return floats(a.Float32Values(), desc), nil
	case *array.Float64:
		return floats(a.Float64Values(), desc), nil
	case *array.Date32:
		return ordered(arrow.Int32Traits.CastFromBytes(arrow.Date32Traits.CastToBytes(a.Date32Values())), desc), nil
	case *array.Timestamp:
		return ordered(arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(a.TimestampValues())), desc), nil
	case *array.Duration:
		return ordered(arrow.GetValues[int64](a.Data(), 1), desc), nil
	case *array.MonthInterval:
		return ordered(arrow.GetValues[int32](a.Data(), 1), desc), nil
	case *array.Decimal64:
		v := make([]int64, a.Len())
		for i := range v {
			v[i] = int64(a.Value(i))
		}
		return ordered(v, desc), nil
	case *array.Decimal128:
		v := a.Values()
		if desc {
			return func(i, j int) int { return v[j].Cmp(v[i]) }, nil
		}
		return func(i, j int) int { return v[i].Cmp(v[j]) }, nil
	case *array.Boolean:
		v := make([]uint8, a.Len())
		for i := range v {
			if a.Value(i) {
				v[i] = 1
			}
		}
		return ordered(v, desc), nil
	case *array.String:
		return stringCmp(a, desc), nil
	case *array.Binary:
		offs, data := kernels.BinaryBuffers(a)
		return bytesCmp(offs, data, desc), nil
	case *array.Dictionary:
		return dictStrings(a, desc)
	}
	return nil, fmt.Errorf("unsupported sort key type %s", arr.DataType())
}

// keyCmp builds the comparator of one sort key over arr, nulls placed
// first or last whatever the direction.
func keyCmp(arr arrow.Array, k Key) (rowCmp, error) {
	vc, err := valueCmp(arr, k.Desc)
	if err != nil {
		return nil, err
	}
	nulls := arr.NullN()
	var dict arrow.Array
	if d, ok := arr.(*array.Dictionary); ok {
		dict = kernels.DictionaryValues(d)
		defer dict.Release()
		if dict.NullN() > 0 {
			nulls = 1
		}
	}
	if nulls == 0 {
		return vc, nil
	}
	valid := make([]bool, arr.Len())
	bits := arr.NullBitmapBytes()
	off := arr.Data().Offset()
	for i := range valid {
		valid[i] = len(bits) > 0 && bitutil.BitIsSet(bits, off+i)
	}
	if arr.NullN() == 0 {
		for i := range valid {
			valid[i] = true
		}
	}
	if d, ok := arr.(*array.Dictionary); ok {
		for i := range valid {
			if valid[i] && dict.IsNull(d.GetValueIndex(i)) {
				valid[i] = false
			}
		}
	}
	nullFirst := -1
	if !k.NullsFirst {
		nullFirst = 1
	}
	return func(i, j int) int {
		vi, vj := valid[i], valid[j]
		switch {
		case vi && vj:
			return vc(i, j)
		case vi:
			return -nullFirst
		case vj:
			return nullFirst
		}
		return 0
	}, nil
}

// rowsCmp combines the key comparators over the columns of a batch.
func rowsCmp(cols []arrow.Array, keys []Key) (rowCmp, error) {
	cmps := make([]rowCmp, len(keys))
	for i, k := range keys {
		c, err := keyCmp(cols[k.Col], k)
		if err != nil {
			return nil, fmt.Errorf("sort key %d: %w", k.Col, err)
		}
		cmps[i] = c
	}
	if len(cmps) == 1 {
		return cmps[0], nil
	}
	return func(i, j int) int {
		for _, c := range cmps {
			if r := c(i, j); r != 0 {
				return r
			}
		}
		return 0
	}, nil
}
