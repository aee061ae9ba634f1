// Package linalg holds the vectors of gspark's ML library: dense and sparse
// vectors as Go values, and their Arrow form, an extension type whose storage
// mirrors Spark's VectorUDT, so that a DataFrame column can hold vectors.
//
// The definitions live in values/vectors (below exec and io, so that SQL
// functions and file formats can build vector columns without importing ml);
// this package re-exports them under their ML names.
package linalg

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/values/vectors"
)

// VectorTypeName is the Arrow extension name of vector columns.
const VectorTypeName = vectors.VectorTypeName

// Vector is a real vector, dense or sparse, indexed from 0.
type Vector = vectors.Vector

// DenseVector is a vector storing every element.
type DenseVector = vectors.DenseVector

// SparseVector is a vector storing its nonzero elements.
type SparseVector = vectors.SparseVector

// VectorExtType is the Arrow extension type of vector columns.
type VectorExtType = vectors.VectorExtType

// VectorArray is an Arrow array of vectors.
type VectorArray = vectors.VectorArray

// VectorColumn reads the rows of a vector array without copying.
type VectorColumn = vectors.VectorColumn

// VectorBuilder builds a vector array row by row.
type VectorBuilder = vectors.VectorBuilder

// Dense returns a dense vector holding vals (not copied).
func Dense(vals ...float64) *DenseVector { return vectors.Dense(vals...) }

// Zeros returns a dense vector of n zeros.
func Zeros(n int) *DenseVector { return vectors.Zeros(n) }

// Sparse returns a sparse vector of the given size, validating the indices.
func Sparse(size int, indices []int, values []float64) (*SparseVector, error) {
	return vectors.Sparse(size, indices, values)
}

// Compressed returns v in whichever of dense or sparse form is smaller.
func Compressed(v Vector) Vector { return vectors.Compressed(v) }

// Equal reports whether a and b have the same size and elements.
func Equal(a, b Vector) bool { return vectors.Equal(a, b) }

// Dot returns the dot product of a and b.
func Dot(a, b Vector) float64 { return vectors.Dot(a, b) }

// Norm returns the p-norm of v.
func Norm(v Vector, p float64) float64 { return vectors.Norm(v, p) }

// NormOf returns the p-norm of vals.
func NormOf(vals []float64, p float64) float64 { return vectors.NormOf(vals, p) }

// SqDist returns the squared Euclidean distance between a and b.
func SqDist(a, b Vector) float64 { return vectors.SqDist(a, b) }

// Axpy adds a·x to y.
func Axpy(a float64, x Vector, y []float64) error { return vectors.Axpy(a, x, y) }

// VectorStorageType returns the storage of a vector column (Spark's VectorUDT layout).
func VectorStorageType() *arrow.StructType { return vectors.VectorStorageType() }

// VectorType returns the vector extension type.
func VectorType() *VectorExtType { return vectors.VectorType() }

// IsVector reports whether t is the vector extension type.
func IsVector(t arrow.DataType) bool { return vectors.IsVector(t) }

// Vectors returns a reader over a vector column.
func Vectors(arr arrow.Array) (*VectorColumn, error) { return vectors.Vectors(arr) }

// NewVectorBuilder makes a builder allocating from mem; Release it when done.
func NewVectorBuilder(mem memory.Allocator) *VectorBuilder { return vectors.NewVectorBuilder(mem) }

// NewVectorArray builds a vector array of vs (nil elements are null rows).
func NewVectorArray(mem memory.Allocator, vs []Vector) *VectorArray {
	return vectors.NewVectorArray(mem, vs)
}
