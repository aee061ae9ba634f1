package vectors

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// VectorTypeName is the Arrow extension name of vector columns.
const VectorTypeName = "gspark.ml.vector"

// Vector kinds stored in the "type" field of the storage struct (Spark's VectorUDT codes).
const (
	kindSparse int8 = 0
	kindDense  int8 = 1
)

// VectorStorageType returns the storage of a vector column, laid out like
// Spark's VectorUDT: struct<type: int8 (0 sparse, 1 dense), size: int32,
// indices: list<int32>, values: list<float64>>. Dense rows leave indices
// null; size is set for both kinds (a null size on a dense row, as Spark
// writes it, is read as the number of values).
func VectorStorageType() *arrow.StructType { return vectorType.Storage.(*arrow.StructType) }

// vectorType is the one instance of the vector type VectorType returns:
// types are immutable, and building one (arrow.StructOf) costs more than
// scoring a record.
var vectorType = &VectorExtType{ExtensionBase: arrow.ExtensionBase{Storage: newVectorStorageType()}}

func newVectorStorageType() *arrow.StructType {
	return arrow.StructOf(
		arrow.Field{Name: "type", Type: arrow.PrimitiveTypes.Int8},
		arrow.Field{Name: "size", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "indices", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
		arrow.Field{Name: "values", Type: arrow.ListOf(arrow.PrimitiveTypes.Float64), Nullable: true},
	)
}

// VectorExtType is the Arrow extension type of vector columns (the
// counterpart of Spark's VectorUDT). Compare types with arrow.TypeEqual or IsVector.
type VectorExtType struct {
	arrow.ExtensionBase
}

// VectorType returns the vector extension type (the same immutable instance
// on every call).
func VectorType() *VectorExtType { return vectorType }

// IsVector reports whether t is the vector extension type.
func IsVector(t arrow.DataType) bool {
	e, ok := t.(arrow.ExtensionType)
	return ok && e.ExtensionName() == VectorTypeName
}

// ArrayType implements arrow.ExtensionType.
func (*VectorExtType) ArrayType() reflect.Type { return reflect.TypeOf(VectorArray{}) }

// ExtensionName implements arrow.ExtensionType.
func (*VectorExtType) ExtensionName() string { return VectorTypeName }

// String returns "vector", the name Spark prints for VectorUDT columns.
func (*VectorExtType) String() string { return "vector" }

// Serialize implements arrow.ExtensionType; the type has no parameters.
func (*VectorExtType) Serialize() string { return "" }

// Deserialize implements arrow.ExtensionType.
func (*VectorExtType) Deserialize(storage arrow.DataType, _ string) (arrow.ExtensionType, error) {
	if !arrow.TypeEqual(storage, VectorStorageType()) {
		return nil, fmt.Errorf("%s: invalid storage type %s", VectorTypeName, storage)
	}
	return VectorType(), nil
}

// ExtensionEquals implements arrow.ExtensionType.
func (*VectorExtType) ExtensionEquals(other arrow.ExtensionType) bool {
	return other.ExtensionName() == VectorTypeName
}

// VectorArray is an Arrow array of vectors (the array type of VectorExtType).
// Its elements print Spark-style and convert to Vector values for Collect.
type VectorArray struct {
	array.ExtensionArrayBase
}

// Vectors returns a reader over the rows of the vector array arr.
func (a *VectorArray) Vectors() *VectorColumn {
	c, _ := Vectors(a)
	return c
}

// ValueStr formats row i Spark-style, or "NULL" for a null row.
func (a *VectorArray) ValueStr(i int) string {
	if a.IsNull(i) {
		return array.NullValueStr
	}
	v, _ := a.Vectors().At(i)
	return v.String()
}

// RowValue returns row i as a Vector (nil for a null row); Collect uses it.
func (a *VectorArray) RowValue(i int) any {
	v, ok := a.Vectors().At(i)
	if !ok {
		return nil
	}
	return v
}

// GetOneForMarshal returns row i in JSON form (its Spark-style string).
func (a *VectorArray) GetOneForMarshal(i int) any {
	if a.IsNull(i) {
		return nil
	}
	return a.ValueStr(i)
}

// String formats the whole array, e.g. [[1.0,2.0] (3,[1],[4.0]) (null)].
func (a *VectorArray) String() string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i := 0; i < a.Len(); i++ {
		if i > 0 {
			sb.WriteByte(' ')
		}
		if a.IsNull(i) {
			sb.WriteString(array.NullValueStr)
			continue
		}
		sb.WriteString(a.ValueStr(i))
	}
	sb.WriteByte(']')
	return sb.String()
}

// VectorColumn reads the rows of a vector array without copying: dense rows
// as a slice of the values buffer, sparse rows as slices of the indices and
// values buffers. Slices returned must not be modified and are valid while
// the array is.
type VectorColumn struct {
	arr     arrow.Array
	kinds   []int8
	sizes   []int32
	sizeArr *array.Int32
	idxList *array.List
	idx     []int32
	valList *array.List
	vals    []float64
}

// Vectors returns a reader over a vector column: arr must be a vector
// extension array or an array of its storage struct.
func Vectors(arr arrow.Array) (*VectorColumn, error) {
	st, ok := storageOf(arr)
	if !ok {
		return nil, fmt.Errorf("expected a vector column, got %s", arr.DataType())
	}
	c := &VectorColumn{arr: arr}
	kinds, ok1 := st.Field(0).(*array.Int8)
	sizes, ok2 := st.Field(1).(*array.Int32)
	il, ok3 := st.Field(2).(*array.List)
	vl, ok4 := st.Field(3).(*array.List)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, fmt.Errorf("expected a vector column, got %s", arr.DataType())
	}
	iv, ok5 := il.ListValues().(*array.Int32)
	vv, ok6 := vl.ListValues().(*array.Float64)
	if !ok5 || !ok6 {
		return nil, fmt.Errorf("expected a vector column, got %s", arr.DataType())
	}
	c.kinds, c.sizes, c.sizeArr = kinds.Int8Values(), sizes.Int32Values(), sizes
	c.idxList, c.idx = il, iv.Int32Values()
	c.valList, c.vals = vl, vv.Float64Values()
	return c, nil
}

func storageOf(arr arrow.Array) (*array.Struct, bool) {
	if e, ok := arr.(array.ExtensionArray); ok {
		if !IsVector(e.DataType()) {
			return nil, false
		}
		arr = e.Storage()
	}
	st, ok := arr.(*array.Struct)
	if !ok || st.NumField() != 4 {
		return nil, false
	}
	t := st.DataType().(*arrow.StructType)
	for i, n := range [...]string{"type", "size", "indices", "values"} {
		if t.Field(i).Name != n {
			return nil, false
		}
	}
	return st, true
}

// Len returns the number of rows.
func (c *VectorColumn) Len() int { return c.arr.Len() }

// IsNull reports whether row i is null.
func (c *VectorColumn) IsNull(i int) bool { return c.arr.IsNull(i) }

// IsDense reports whether row i is stored dense.
func (c *VectorColumn) IsDense(i int) bool { return c.kinds[i] == kindDense }

// Size returns the dimension of the vector in row i.
func (c *VectorColumn) Size(i int) int {
	if c.kinds[i] == kindDense && c.sizeArr.IsNull(i) {
		lo, hi := c.valList.ValueOffsets(i)
		return int(hi - lo)
	}
	return int(c.sizes[i])
}

// DenseValues returns the elements of row i when it is stored dense (nil otherwise).
func (c *VectorColumn) DenseValues(i int) []float64 {
	if c.kinds[i] != kindDense {
		return nil
	}
	lo, hi := c.valList.ValueOffsets(i)
	return c.vals[lo:hi]
}

// Sparse returns the indices and values of row i when it is stored sparse
// (nil, nil otherwise).
func (c *VectorColumn) Sparse(i int) (indices []int32, vals []float64) {
	if c.kinds[i] != kindSparse {
		return nil, nil
	}
	lo, hi := c.idxList.ValueOffsets(i)
	vlo, vhi := c.valList.ValueOffsets(i)
	return c.idx[lo:hi], c.vals[vlo:vhi]
}

// ForEachActive calls fn for every stored element of row i.
func (c *VectorColumn) ForEachActive(i int, fn func(j int, v float64)) {
	if c.kinds[i] == kindDense {
		for j, v := range c.DenseValues(i) {
			fn(j, v)
		}
		return
	}
	idx, vals := c.Sparse(i)
	for k, j := range idx {
		fn(int(j), vals[k])
	}
}

// AddTo adds a·(row i) to dst, which must have the row's size.
func (c *VectorColumn) AddTo(i int, a float64, dst []float64) {
	if c.kinds[i] == kindDense {
		for j, v := range c.DenseValues(i) {
			dst[j] += a * v
		}
		return
	}
	idx, vals := c.Sparse(i)
	for k, j := range idx {
		dst[j] += a * vals[k]
	}
}

// DotDense returns the dot product of row i with w, which must have the row's size.
func (c *VectorColumn) DotDense(i int, w []float64) float64 {
	s := 0.0
	if c.kinds[i] == kindDense {
		for j, v := range c.DenseValues(i) {
			s += v * w[j]
		}
		return s
	}
	idx, vals := c.Sparse(i)
	for k, j := range idx {
		s += vals[k] * w[j]
	}
	return s
}

// At returns row i as a new Vector (copying its elements), false for a null row.
func (c *VectorColumn) At(i int) (Vector, bool) {
	if c.arr.IsNull(i) {
		return nil, false
	}
	if c.kinds[i] == kindDense {
		return &DenseVector{Values: append([]float64(nil), c.DenseValues(i)...)}, true
	}
	idx, vals := c.Sparse(i)
	ind := make([]int, len(idx))
	for k, j := range idx {
		ind[k] = int(j)
	}
	return &SparseVector{Dim: c.Size(i), Indices: ind, Values: append([]float64(nil), vals...)}, true
}

// VectorBuilder builds a vector array row by row, straight into buffers
// from its allocator (grown geometrically), without per-row builder or
// bitmap bookkeeping.
type VectorBuilder struct {
	mem      memory.Allocator
	n        int
	nulls    int
	valid    []bool // per row; nil while every row is valid
	idxValid []bool // per row: sparse rows have indices
	kinds    colBuf[int8]
	sizes    colBuf[int32]
	idxOffs  colBuf[int32]
	idx      colBuf[int32]
	valOffs  colBuf[int32]
	vals     colBuf[float64]
}

// colBuf is a growable column of fixed-width values in an allocator's buffer.
type colBuf[T int8 | int32 | float64] struct {
	buf  *memory.Buffer
	data []T // the buffer's whole capacity
	n    int
}

func (c *colBuf[T]) grow(mem memory.Allocator, extra int) {
	need := c.n + extra
	if need <= len(c.data) {
		return
	}
	if c.buf == nil {
		c.buf = memory.NewResizableBuffer(mem)
	}
	var zero T
	size := int(unsafe.Sizeof(zero))
	c.buf.Reserve(max(need, 2*len(c.data), 64/size) * size)
	c.data = arrow.GetData[T](c.buf.Buf())
}

func (c *colBuf[T]) push(mem memory.Allocator, v T) {
	if c.n == len(c.data) {
		c.grow(mem, 1)
	}
	c.data[c.n] = v
	c.n++
}

func (c *colBuf[T]) append(mem memory.Allocator, vs []T) {
	c.grow(mem, len(vs))
	copy(c.data[c.n:], vs)
	c.n += len(vs)
}

// finish hands over the buffer (sized to the values) and empties the column.
func (c *colBuf[T]) finish(mem memory.Allocator) *memory.Buffer {
	c.grow(mem, 0)
	if c.buf == nil {
		c.buf = memory.NewResizableBuffer(mem)
	}
	var zero T
	c.buf.ResizeNoShrink(c.n * int(unsafe.Sizeof(zero)))
	b := c.buf
	*c = colBuf[T]{}
	return b
}

func (c *colBuf[T]) release() {
	if c.buf != nil {
		c.buf.Release()
	}
	*c = colBuf[T]{}
}

// NewVectorBuilder makes a builder allocating from mem; Release it when done.
func NewVectorBuilder(mem memory.Allocator) *VectorBuilder {
	b := &VectorBuilder{mem: mem}
	b.reset()
	return b
}

func (b *VectorBuilder) reset() {
	b.n, b.nulls = 0, 0
	b.valid = nil
	b.idxValid = b.idxValid[:0]
}

// start writes the leading zero offsets, once per array: lazily, so that a
// builder released right after NewArray allocates nothing more.
func (b *VectorBuilder) start() {
	if b.idxOffs.n == 0 {
		b.idxOffs.push(b.mem, 0)
		b.valOffs.push(b.mem, 0)
	}
}

// Len returns the number of rows appended so far.
func (b *VectorBuilder) Len() int { return b.n }

// Reserve makes room for n more rows.
func (b *VectorBuilder) Reserve(n int) {
	b.kinds.grow(b.mem, n)
	b.sizes.grow(b.mem, n)
	b.idxOffs.grow(b.mem, n)
	b.valOffs.grow(b.mem, n)
	b.idxValid = slices.Grow(b.idxValid, n)
}

func (b *VectorBuilder) row(valid bool, kind int8, size int32, hasIdx bool) {
	if !valid && b.valid == nil {
		b.valid = make([]bool, b.n, b.n+64)
		for i := range b.valid {
			b.valid[i] = true
		}
	}
	if b.valid != nil {
		b.valid = append(b.valid, valid)
	}
	if !valid {
		b.nulls++
	}
	b.start()
	b.n++
	b.kinds.push(b.mem, kind)
	b.sizes.push(b.mem, size)
	b.idxValid = append(b.idxValid, hasIdx)
	b.idxOffs.push(b.mem, int32(b.idx.n))
	b.valOffs.push(b.mem, int32(b.vals.n))
}

// Append appends v (a nil v appends a null row).
func (b *VectorBuilder) Append(v Vector) {
	switch x := v.(type) {
	case nil:
		b.AppendNull()
	case *DenseVector:
		b.AppendDense(x.Values)
	case *SparseVector:
		b.idx.grow(b.mem, len(x.Indices))
		for _, i := range x.Indices {
			b.idx.push(b.mem, int32(i))
		}
		b.vals.append(b.mem, x.Values)
		b.row(true, kindSparse, int32(x.Dim), true)
	default:
		b.AppendDense(v.ToArray())
	}
}

// AppendDense appends a dense row holding vals (copied).
func (b *VectorBuilder) AppendDense(vals []float64) {
	b.vals.append(b.mem, vals)
	b.row(true, kindDense, int32(len(vals)), false)
}

// AppendSparse appends a sparse row (copied). The caller guarantees that
// indices are strictly increasing and within [0, size); use Sparse to validate.
func (b *VectorBuilder) AppendSparse(size int, indices []int32, vals []float64) {
	b.idx.append(b.mem, indices)
	b.vals.append(b.mem, vals)
	b.row(true, kindSparse, int32(size), true)
}

// AppendNull appends a null row.
func (b *VectorBuilder) AppendNull() { b.row(false, kindSparse, 0, false) }

// NewArray returns the rows built so far as a vector array (a *VectorArray)
// and resets the builder.
func (b *VectorBuilder) NewArray() arrow.Array {
	b.start()
	st := VectorStorageType()
	n := b.n
	idxType := st.Field(2).Type.(*arrow.ListType)
	valType := st.Field(3).Type.(*arrow.ListType)
	var bufs []*memory.Buffer
	own := func(buf *memory.Buffer) *memory.Buffer {
		if buf != nil {
			bufs = append(bufs, buf)
		}
		return buf
	}
	nIdx, nVals := b.idx.n, b.vals.n
	kinds := array.NewData(arrow.PrimitiveTypes.Int8, n, []*memory.Buffer{nil, own(b.kinds.finish(b.mem))}, nil, 0, 0)
	sizes := array.NewData(arrow.PrimitiveTypes.Int32, n, []*memory.Buffer{nil, own(b.sizes.finish(b.mem))}, nil, 0, 0)
	idxChild := array.NewData(arrow.PrimitiveTypes.Int32, nIdx, []*memory.Buffer{nil, own(b.idx.finish(b.mem))}, nil, 0, 0)
	valChild := array.NewData(arrow.PrimitiveTypes.Float64, nVals, []*memory.Buffer{nil, own(b.vals.finish(b.mem))}, nil, 0, 0)
	idxBitmap, idxNulls := bitmapOf(b.mem, b.idxValid)
	idxList := array.NewData(idxType, n, []*memory.Buffer{own(idxBitmap), own(b.idxOffs.finish(b.mem))}, []arrow.ArrayData{idxChild}, idxNulls, 0)
	var valBitmap, stBitmap *memory.Buffer
	if b.valid != nil {
		valBitmap, _ = bitmapOf(b.mem, b.valid)
		stBitmap, _ = bitmapOf(b.mem, b.valid)
	}
	valList := array.NewData(valType, n, []*memory.Buffer{own(valBitmap), own(b.valOffs.finish(b.mem))}, []arrow.ArrayData{valChild}, b.nulls, 0)
	data := array.NewData(VectorType(), n, []*memory.Buffer{own(stBitmap)}, []arrow.ArrayData{kinds, sizes, idxList, valList}, b.nulls, 0)
	for _, d := range []*array.Data{kinds, sizes, idxChild, valChild, idxList, valList} {
		d.Release()
	}
	for _, buf := range bufs {
		buf.Release()
	}
	b.reset()
	defer data.Release()
	return array.MakeFromData(data)
}

// bitmapOf builds a validity bitmap from valid, or returns nil when every
// entry is valid; it also returns the number of nulls.
func bitmapOf(mem memory.Allocator, valid []bool) (*memory.Buffer, int) {
	nulls := 0
	for _, v := range valid {
		if !v {
			nulls++
		}
	}
	if nulls == 0 {
		return nil, 0
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(len(valid)))))
	bits := buf.Bytes()
	clear(bits)
	for i, v := range valid {
		if v {
			bitutil.SetBit(bits, i)
		}
	}
	return buf, nulls
}

// NewVectorArray is NewArray with the concrete type.
func (b *VectorBuilder) NewVectorArray() *VectorArray { return b.NewArray().(*VectorArray) }

// Release frees the builder's buffers; the builder must not be used afterwards.
func (b *VectorBuilder) Release() {
	b.kinds.release()
	b.sizes.release()
	b.idxOffs.release()
	b.idx.release()
	b.valOffs.release()
	b.vals.release()
	b.valid, b.idxValid = nil, nil
}

// NewVectorArray builds a vector array of vs (nil elements are null rows).
func NewVectorArray(mem memory.Allocator, vs []Vector) *VectorArray {
	b := NewVectorBuilder(mem)
	defer b.Release()
	b.Reserve(len(vs))
	for _, v := range vs {
		b.Append(v)
	}
	return b.NewVectorArray()
}
