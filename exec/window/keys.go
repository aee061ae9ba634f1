package window

import (
	"bytes"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// adjacentEqual clears same[i] when row i of arr differs from row i-1 (two
// nulls are equal, NaN equals NaN).
func adjacentEqual(arr arrow.Array, same []bool) error {
	switch a := arr.(type) {
	case *array.Int8:
		eqFixed(a, a.Int8Values(), same)
	case *array.Int16:
		eqFixed(a, a.Int16Values(), same)
	case *array.Int32:
		eqFixed(a, a.Int32Values(), same)
	case *array.Int64:
		eqFixed(a, a.Int64Values(), same)
	case *array.Uint8:
		eqFixed(a, a.Uint8Values(), same)
	case *array.Uint16:
		eqFixed(a, a.Uint16Values(), same)
	case *array.Uint32:
		eqFixed(a, a.Uint32Values(), same)
	case *array.Uint64:
		eqFixed(a, a.Uint64Values(), same)
	case *array.Float32:
		eqFloat(a, a.Float32Values(), same)
	case *array.Float64:
		eqFloat(a, a.Float64Values(), same)
	case *array.Date32:
		eqFixed(a, a.Date32Values(), same)
	case *array.Timestamp:
		eqFixed(a, a.TimestampValues(), same)
	case *array.Decimal64:
		eqFixed(a, a.Values(), same)
	case *array.Decimal128:
		eqFixed(a, a.Values(), same)
	case *array.Boolean:
		eqWith(a, same, func(i int) bool { return a.Value(i) == a.Value(i-1) })
	case *array.String:
		eqWith(a, same, func(i int) bool { return a.Value(i) == a.Value(i-1) })
	case *array.Binary:
		eqWith(a, same, func(i int) bool { return bytes.Equal(a.Value(i), a.Value(i-1)) })
	case *array.Dictionary:
		d, ok := a.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("unsupported window key type %s", arr.DataType())
		}
		valid := func(i int) bool { return a.IsValid(i) && d.IsValid(a.GetValueIndex(i)) }
		for i := 1; i < len(same); i++ {
			if !same[i] {
				continue
			}
			vi, vj := valid(i), valid(i-1)
			switch {
			case vi && vj:
				same[i] = bytes.Equal([]byte(d.Value(a.GetValueIndex(i))), []byte(d.Value(a.GetValueIndex(i-1))))
			default:
				same[i] = vi == vj
			}
		}
	default:
		return fmt.Errorf("unsupported window key type %s", arr.DataType())
	}
	return nil
}

// eqWith clears same[i] when rows i and i-1 of a differ; eq compares two
// valid rows.
func eqWith(a arrow.Array, same []bool, eq func(i int) bool) {
	nulls := a.NullN() > 0
	for i := 1; i < len(same); i++ {
		if !same[i] {
			continue
		}
		if nulls {
			ni, nj := a.IsNull(i), a.IsNull(i-1)
			if ni || nj {
				same[i] = ni && nj
				continue
			}
		}
		same[i] = eq(i)
	}
}

func eqFixed[T comparable](a arrow.Array, v []T, same []bool) {
	nulls := a.NullN() > 0
	for i := 1; i < len(same); i++ {
		if !same[i] {
			continue
		}
		if nulls {
			ni, nj := a.IsNull(i), a.IsNull(i-1)
			if ni || nj {
				same[i] = ni && nj
				continue
			}
		}
		same[i] = v[i] == v[i-1]
	}
}

func eqFloat[T float32 | float64](a arrow.Array, v []T, same []bool) {
	nulls := a.NullN() > 0
	for i := 1; i < len(same); i++ {
		if !same[i] {
			continue
		}
		if nulls {
			ni, nj := a.IsNull(i), a.IsNull(i-1)
			if ni || nj {
				same[i] = ni && nj
				continue
			}
		}
		x, y := v[i], v[i-1]
		same[i] = x == y || (math.IsNaN(float64(x)) && math.IsNaN(float64(y)))
	}
}

// keyKind is how a RANGE frame reads its order key.
type keyKind int

const (
	intKey keyKind = iota
	floatKey
)

func rangeKeyKind(dt arrow.DataType) (keyKind, error) {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL64:
		return intKey, nil
	case arrow.FLOAT32, arrow.FLOAT64:
		return floatKey, nil
	}
	return 0, fmt.Errorf("a RANGE frame with offsets needs a numeric or date ORDER BY key, not %s", dt)
}

// intValues returns the order key as int64 values (only valid rows are meaningful).
func intValues(arr arrow.Array) []int64 {
	out := make([]int64, arr.Len())
	switch a := arr.(type) {
	case *array.Int8:
		for i, x := range a.Int8Values() {
			out[i] = int64(x)
		}
	case *array.Int16:
		for i, x := range a.Int16Values() {
			out[i] = int64(x)
		}
	case *array.Int32:
		for i, x := range a.Int32Values() {
			out[i] = int64(x)
		}
	case *array.Int64:
		copy(out, a.Int64Values())
	case *array.Date32:
		for i, x := range a.Date32Values() {
			out[i] = int64(x)
		}
	case *array.Timestamp:
		for i, x := range a.TimestampValues() {
			out[i] = int64(x)
		}
	case *array.Decimal64:
		for i, x := range a.Values() {
			out[i] = int64(x)
		}
	}
	return out
}

func floatValues(arr arrow.Array) []float64 {
	out := make([]float64, arr.Len())
	switch a := arr.(type) {
	case *array.Float32:
		for i, x := range a.Float32Values() {
			out[i] = float64(x)
		}
	case *array.Float64:
		copy(out, a.Float64Values())
	}
	return out
}
