package ml

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Float64Column returns the values of a numeric (or boolean) array as
// float64, reusing buf when it is large enough; null rows hold NaN (check
// arr.IsNull to tell them apart). Dictionary arrays are not numeric here.
func Float64Column(arr arrow.Array, buf []float64) ([]float64, error) {
	n := arr.Len()
	if cap(buf) < n {
		buf = make([]float64, n)
	}
	out := buf[:n]
	switch a := arr.(type) {
	case *array.Float64:
		copy(out, a.Float64Values())
	case *array.Float32:
		convert(out, a.Float32Values())
	case *array.Int8:
		convert(out, a.Int8Values())
	case *array.Int16:
		convert(out, a.Int16Values())
	case *array.Int32:
		convert(out, a.Int32Values())
	case *array.Int64:
		convert(out, a.Int64Values())
	case *array.Uint8:
		convert(out, a.Uint8Values())
	case *array.Uint16:
		convert(out, a.Uint16Values())
	case *array.Uint32:
		convert(out, a.Uint32Values())
	case *array.Uint64:
		convert(out, a.Uint64Values())
	case *array.Boolean:
		for i := range out {
			if a.Value(i) {
				out[i] = 1
			} else {
				out[i] = 0
			}
		}
	case *array.Decimal64:
		scale := math.Pow10(int(a.DataType().(*arrow.Decimal64Type).Scale))
		for i := range out {
			out[i] = float64(int64(a.Value(i))) / scale
		}
	case *array.Decimal128:
		sc := a.DataType().(*arrow.Decimal128Type).Scale
		for i := range out {
			out[i] = a.Value(i).ToFloat64(sc)
		}
	default:
		return nil, fmt.Errorf("column of type %s is not numeric", arr.DataType())
	}
	if arr.NullN() > 0 {
		for i := range out {
			if arr.IsNull(i) {
				out[i] = math.NaN()
			}
		}
	}
	return out, nil
}

func convert[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64 | float32](dst []float64, src []T) {
	for i, v := range src {
		dst[i] = float64(v)
	}
}
