package functions

import "github.com/gspark/gspark/frame"

// VectorToArray converts a vector column to an array of its elements
// (sparse vectors expanded), as pyspark.ml.functions.vector_to_array;
// dtype is "float64" (array<double>, also when empty) or "float32" (array<float>).
func VectorToArray(c frame.Column, dtype string) frame.Column {
	if dtype == "" {
		return frame.Call("vector_to_array", c)
	}
	return frame.Call("vector_to_array", c, frame.Lit(dtype))
}

// ArrayToVector converts an array of numbers to a dense vector column, as
// pyspark.ml.functions.array_to_vector.
func ArrayToVector(c frame.Column) frame.Column { return frame.Call("array_to_vector", c) }

// Get is get(array, index): the element at the 0-based index, null outside the array.
func Get(c frame.Column, index any) frame.Column { return frame.Call("get", c, frame.Lit(index)) }
