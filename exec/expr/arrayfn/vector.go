package arrayfn

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values/vectors"
)

// ErrInvalidArrayIndex is returned by arr[i] for an index outside the array
// (Spark 4 with ANSI on: INVALID_ARRAY_INDEX); get(arr, i) returns null instead.
var ErrInvalidArrayIndex = errors.New("INVALID_ARRAY_INDEX")

// ErrNullArrayElement is returned by array_to_vector for an array holding a null.
var ErrNullArrayElement = errors.New("array_to_vector: a vector cannot hold a null element")

// VectorToArray is vector_to_array(v, dtype) as in pyspark.ml.functions:
// each vector as an array of its elements (sparse vectors expanded to
// dense), of float64, or float32 when f32 is set; null for a null vector.
func VectorToArray(v expr.Expr, f32 bool) (expr.Expr, error) {
	if err := checkArgs("vector_to_array", v); err != nil {
		return nil, err
	}
	if !vectors.IsVector(v.DataType()) {
		return nil, fmt.Errorf("vector_to_array: argument %s has type %s, expected a vector", v, v.DataType())
	}
	var elem arrow.DataType = arrow.PrimitiveTypes.Float64
	if f32 {
		elem = arrow.PrimitiveTypes.Float32
	}
	typ := arrow.ListOf(elem)
	return &fn{name: "vector_to_array", args: []expr.Expr{v}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		col, err := vectors.Vectors(a[0])
		if err != nil {
			return nil, err
		}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		total := 0
		for i := 0; i < n; i++ {
			if !col.IsNull(i) {
				valid[i] = true
				total += col.Size(i)
			}
			offs[i+1] = int32(total)
		}
		flat := make([]float64, total)
		for i := 0; i < n; i++ {
			if valid[i] {
				dst := flat[offs[i]:offs[i+1]]
				col.ForEachActive(i, func(j int, x float64) { dst[j] = x })
			}
		}
		var child arrow.Array
		if f32 {
			b := array.NewFloat32Builder(mem)
			b.Reserve(total)
			for _, x := range flat {
				b.UnsafeAppend(float32(x))
			}
			child = b.NewArray()
			b.Release()
		} else {
			b := array.NewFloat64Builder(mem)
			b.AppendValues(flat, nil)
			child = b.NewArray()
			b.Release()
		}
		defer child.Release()
		return newList(mem, typ, offs, valid, child), nil
	}}, nil
}

// ArrayToVector is array_to_vector(a) as in pyspark.ml.functions: each
// array of numbers (doubles, floats or integers) as a dense vector of
// doubles; null for a null array, an error for an array holding a null element.
func ArrayToVector(arr expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_to_vector", arr); err != nil {
		return nil, err
	}
	lt, ok := arr.DataType().(*arrow.ListType)
	if !ok || !numericElem(lt.Elem()) {
		return nil, fmt.Errorf("array_to_vector: argument %s has type %s, expected an array of numbers", arr, arr.DataType())
	}
	return &fn{name: "array_to_vector", args: []expr.Expr{arr}, typ: vectors.VectorType(), eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		b := vectors.NewVectorBuilder(mem)
		defer b.Release()
		b.Reserve(n)
		var vals []float64
		if !v.null {
			if vals, err = asFloat64s(v.child); err != nil {
				return nil, err
			}
		}
		for i := 0; i < n; i++ {
			if !v.valid(i) {
				b.AppendNull()
				continue
			}
			lo, hi := v.bounds(i)
			for j := lo; j < hi; j++ {
				if v.child.IsNull(int(j)) {
					return nil, fmt.Errorf("%w (row %d, element %d)", ErrNullArrayElement, i, j-lo)
				}
			}
			b.AppendDense(vals[lo:hi])
		}
		return b.NewArray(), nil
	}}, nil
}

// ArrayItem is arr[index] with a 0-based int32 index, as Spark SQL's
// subscript (GetArrayItem): an index outside the array is an error
// (ErrInvalidArrayIndex, Spark 4's ANSI behaviour), or null when try is set,
// which is Spark's get(arr, index). A null array or index gives null.
func ArrayItem(arr, index expr.Expr, try bool) (expr.Expr, error) {
	name, label := "get", ""
	if !try {
		name, label = "subscript", fmt.Sprintf("%s[%s]", arr, index)
	}
	return indexArray(name, label, arr, index, func(k, size int32) (int32, error) {
		switch {
		case k >= 0 && k < size:
			return k, nil
		case !try:
			return -1, fmt.Errorf("%w: the index %d is out of bounds, the array has %d elements (use get() to get null for an invalid index)", ErrInvalidArrayIndex, k, size)
		}
		return -1, nil
	})
}

// numericElem reports whether array_to_vector takes arrays of t.
func numericElem(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.FLOAT64, arrow.FLOAT32, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

// asFloat64s returns the values of a numeric array as float64s (the
// float64 buffer itself, without a copy, for a float64 array).
func asFloat64s(a arrow.Array) ([]float64, error) {
	conv := func(n int, at func(i int) float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = at(i)
		}
		return out
	}
	switch x := a.(type) {
	case *array.Float64:
		return x.Float64Values(), nil
	case *array.Float32:
		return conv(x.Len(), func(i int) float64 { return float64(x.Value(i)) }), nil
	case *array.Int8:
		return conv(x.Len(), func(i int) float64 { return float64(x.Value(i)) }), nil
	case *array.Int16:
		return conv(x.Len(), func(i int) float64 { return float64(x.Value(i)) }), nil
	case *array.Int32:
		return conv(x.Len(), func(i int) float64 { return float64(x.Value(i)) }), nil
	case *array.Int64:
		return conv(x.Len(), func(i int) float64 { return float64(x.Value(i)) }), nil
	}
	return nil, fmt.Errorf("input type %s is not an array of numbers", a.DataType())
}
