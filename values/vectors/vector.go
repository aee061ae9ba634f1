// Package vectors holds the vectors of gspark's ML library: dense and sparse
// vectors as Go values, and their Arrow form, an extension type whose storage
// mirrors Spark's VectorUDT, so that a DataFrame column can hold vectors.
// It sits below exec and io so that SQL functions (vector_to_array,
// array_to_vector) and file formats can build and read vector columns
// without importing ml; ml/linalg re-exports it.
package vectors

import (
	"fmt"
	"math"
	"strings"

	"github.com/gspark/gspark/values"
)

// Vector is a real vector, dense or sparse, indexed from 0.
type Vector interface {
	// Size returns the dimension of the vector.
	Size() int
	// Get returns element i (0 ≤ i < Size()).
	Get(i int) float64
	// NumActives returns the number of stored elements.
	NumActives() int
	// NumNonzeros returns the number of stored elements that are not zero.
	NumNonzeros() int
	// ForEachActive calls fn for every stored element in increasing index order.
	ForEachActive(fn func(i int, v float64))
	// ToArray returns the elements as a new dense slice.
	ToArray() []float64
	// ToDense returns the vector as a dense vector (a copy).
	ToDense() *DenseVector
	// ToSparse returns the vector as a sparse vector of its nonzeros (a copy).
	ToSparse() *SparseVector
	// Copy returns a deep copy of the vector.
	Copy() Vector
	// String formats the vector as Spark does: [1.0,2.0] or (5,[0,3],[1.0,2.0]).
	String() string
}

// DenseVector is a vector that stores every element.
type DenseVector struct {
	// Values holds the elements.
	Values []float64
}

// Dense makes a dense vector holding vals (not copied).
func Dense(vals ...float64) *DenseVector { return &DenseVector{Values: vals} }

// Zeros makes a dense vector of n zeros.
func Zeros(n int) *DenseVector { return &DenseVector{Values: make([]float64, n)} }

// Size implements Vector.
func (v *DenseVector) Size() int { return len(v.Values) }

// Get implements Vector.
func (v *DenseVector) Get(i int) float64 { return v.Values[i] }

// NumActives implements Vector.
func (v *DenseVector) NumActives() int { return len(v.Values) }

// NumNonzeros implements Vector.
func (v *DenseVector) NumNonzeros() int {
	n := 0
	for _, x := range v.Values {
		if x != 0 {
			n++
		}
	}
	return n
}

// ForEachActive implements Vector.
func (v *DenseVector) ForEachActive(fn func(i int, v float64)) {
	for i, x := range v.Values {
		fn(i, x)
	}
}

// ToArray implements Vector.
func (v *DenseVector) ToArray() []float64 { return append([]float64(nil), v.Values...) }

// ToDense implements Vector.
func (v *DenseVector) ToDense() *DenseVector { return &DenseVector{Values: v.ToArray()} }

// ToSparse implements Vector.
func (v *DenseVector) ToSparse() *SparseVector {
	nnz := v.NumNonzeros()
	s := &SparseVector{Dim: len(v.Values), Indices: make([]int, 0, nnz), Values: make([]float64, 0, nnz)}
	for i, x := range v.Values {
		if x != 0 {
			s.Indices = append(s.Indices, i)
			s.Values = append(s.Values, x)
		}
	}
	return s
}

// Copy implements Vector.
func (v *DenseVector) Copy() Vector { return v.ToDense() }

// String implements Vector.
func (v *DenseVector) String() string {
	var sb strings.Builder
	writeDoubles(&sb, v.Values)
	return sb.String()
}

// SparseVector is a vector that stores only some elements: Indices (strictly
// increasing, each in [0, Dim)) and their Values; the others are zero.
type SparseVector struct {
	// Dim is the dimension of the vector.
	Dim int
	// Indices holds the positions of the stored elements, strictly increasing.
	Indices []int
	// Values holds the stored elements, one per index.
	Values []float64
}

// Sparse makes a sparse vector of dimension size with the given indices and
// values (not copied). The indices must be strictly increasing and within
// [0, size).
func Sparse(size int, indices []int, values []float64) (*SparseVector, error) {
	if size < 0 {
		return nil, fmt.Errorf("sparse vector: negative size %d", size)
	}
	if len(indices) != len(values) {
		return nil, fmt.Errorf("sparse vector: %d indices but %d values", len(indices), len(values))
	}
	prev := -1
	for k, i := range indices {
		if i < 0 || i >= size {
			return nil, fmt.Errorf("sparse vector: index %d (position %d) out of range [0, %d)", i, k, size)
		}
		if i <= prev {
			return nil, fmt.Errorf("sparse vector: indices must be strictly increasing, got %d after %d", i, prev)
		}
		prev = i
	}
	return &SparseVector{Dim: size, Indices: indices, Values: values}, nil
}

// Size implements Vector.
func (v *SparseVector) Size() int { return v.Dim }

// Get implements Vector; it searches the indices (O(log n)).
func (v *SparseVector) Get(i int) float64 {
	lo, hi := 0, len(v.Indices)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v.Indices[m] < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(v.Indices) && v.Indices[lo] == i {
		return v.Values[lo]
	}
	return 0
}

// NumActives implements Vector.
func (v *SparseVector) NumActives() int { return len(v.Indices) }

// NumNonzeros implements Vector.
func (v *SparseVector) NumNonzeros() int {
	n := 0
	for _, x := range v.Values {
		if x != 0 {
			n++
		}
	}
	return n
}

// ForEachActive implements Vector.
func (v *SparseVector) ForEachActive(fn func(i int, v float64)) {
	for k, i := range v.Indices {
		fn(i, v.Values[k])
	}
}

// ToArray implements Vector.
func (v *SparseVector) ToArray() []float64 {
	out := make([]float64, v.Dim)
	for k, i := range v.Indices {
		out[i] = v.Values[k]
	}
	return out
}

// ToDense implements Vector.
func (v *SparseVector) ToDense() *DenseVector { return &DenseVector{Values: v.ToArray()} }

// ToSparse implements Vector.
func (v *SparseVector) ToSparse() *SparseVector {
	s := &SparseVector{Dim: v.Dim}
	for k, i := range v.Indices {
		if v.Values[k] != 0 {
			s.Indices = append(s.Indices, i)
			s.Values = append(s.Values, v.Values[k])
		}
	}
	return s
}

// Copy implements Vector.
func (v *SparseVector) Copy() Vector {
	return &SparseVector{Dim: v.Dim, Indices: append([]int(nil), v.Indices...), Values: append([]float64(nil), v.Values...)}
}

// String implements Vector.
func (v *SparseVector) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "(%d,[", v.Dim)
	for k, i := range v.Indices {
		if k > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "%d", i)
	}
	sb.WriteString("],")
	writeDoubles(&sb, v.Values)
	sb.WriteByte(')')
	return sb.String()
}

func writeDoubles(sb *strings.Builder, vals []float64) {
	sb.WriteByte('[')
	for k, x := range vals {
		if k > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(values.FormatDouble(x))
	}
	sb.WriteByte(']')
}

// Compressed returns v in the form that stores it in less space, as Spark's
// Vector.compressed does: sparse when it has few enough nonzeros, else dense.
func Compressed(v Vector) Vector {
	nnz := v.NumNonzeros()
	// Spark's rule: sparse storage costs 12 bytes per nonzero plus 20, dense 8 per element plus 8.
	if 1.5*(float64(nnz)+1.0) < float64(v.Size()) {
		return v.ToSparse()
	}
	return v.ToDense()
}

// Equal reports whether a and b have the same size and elements (a dense and
// a sparse vector may be equal). NaN elements compare equal to NaN.
func Equal(a, b Vector) bool {
	if a.Size() != b.Size() {
		return false
	}
	x, y := a.ToArray(), b.ToArray()
	for i := range x {
		if x[i] != y[i] && !(math.IsNaN(x[i]) && math.IsNaN(y[i])) {
			return false
		}
	}
	return true
}

// Dot returns the dot product of a and b; it is NaN when their sizes differ.
func Dot(a, b Vector) float64 {
	if a.Size() != b.Size() {
		return math.NaN()
	}
	switch x := a.(type) {
	case *DenseVector:
		switch y := b.(type) {
		case *DenseVector:
			s := 0.0
			for i, v := range x.Values {
				s += v * y.Values[i]
			}
			return s
		case *SparseVector:
			return dotSparseDense(y, x.Values)
		}
	case *SparseVector:
		switch y := b.(type) {
		case *DenseVector:
			return dotSparseDense(x, y.Values)
		case *SparseVector:
			s := 0.0
			i, j := 0, 0
			for i < len(x.Indices) && j < len(y.Indices) {
				switch {
				case x.Indices[i] < y.Indices[j]:
					i++
				case x.Indices[i] > y.Indices[j]:
					j++
				default:
					s += x.Values[i] * y.Values[j]
					i++
					j++
				}
			}
			return s
		}
	}
	s := 0.0
	a.ForEachActive(func(i int, v float64) { s += v * b.Get(i) })
	return s
}

func dotSparseDense(s *SparseVector, d []float64) float64 {
	sum := 0.0
	for k, i := range s.Indices {
		sum += s.Values[k] * d[i]
	}
	return sum
}

// Norm returns the p-norm of v (p ≥ 1, or +Inf for the maximum norm).
func Norm(v Vector, p float64) float64 {
	var vals []float64
	switch x := v.(type) {
	case *DenseVector:
		vals = x.Values
	case *SparseVector:
		vals = x.Values
	default:
		vals = v.ToArray()
	}
	return NormOf(vals, p)
}

// NormOf returns the p-norm of the elements vals (p ≥ 1, or +Inf).
func NormOf(vals []float64, p float64) float64 {
	switch {
	case p == 1:
		s := 0.0
		for _, x := range vals {
			s += math.Abs(x)
		}
		return s
	case p == 2:
		s := 0.0
		for _, x := range vals {
			s += x * x
		}
		return math.Sqrt(s)
	case math.IsInf(p, 1):
		m := 0.0
		for _, x := range vals {
			m = math.Max(m, math.Abs(x))
		}
		return m
	default:
		s := 0.0
		for _, x := range vals {
			s += math.Pow(math.Abs(x), p)
		}
		return math.Pow(s, 1/p)
	}
}

// SqDist returns the squared Euclidean distance between a and b; it is NaN
// when their sizes differ.
func SqDist(a, b Vector) float64 {
	if a.Size() != b.Size() {
		return math.NaN()
	}
	if x, ok := a.(*DenseVector); ok {
		if y, ok := b.(*DenseVector); ok {
			s := 0.0
			for i, v := range x.Values {
				d := v - y.Values[i]
				s += d * d
			}
			return s
		}
	}
	x, y := a.ToArray(), b.ToArray()
	s := 0.0
	for i := range x {
		d := x[i] - y[i]
		s += d * d
	}
	return s
}

// Axpy adds a·x to y in place (y += a*x); it fails, leaving y alone, when
// y does not have x's size.
func Axpy(a float64, x Vector, y []float64) error {
	if len(y) != x.Size() {
		return fmt.Errorf("axpy: vector of size %d added to one of size %d", x.Size(), len(y))
	}
	switch v := x.(type) {
	case *DenseVector:
		for i, e := range v.Values {
			y[i] += a * e
		}
	case *SparseVector:
		for k, i := range v.Indices {
			y[i] += a * v.Values[k]
		}
	default:
		x.ForEachActive(func(i int, e float64) { y[i] += a * e })
	}
	return nil
}
