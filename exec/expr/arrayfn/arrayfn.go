// Package arrayfn holds the physical functions over arrays, maps and structs
// with Spark's semantics: constructors (array, map, struct, named_struct),
// access (size, element_at, the 0-based subscript and get, array_contains,
// map_keys, map_values, struct field access), vector_to_array and
// array_to_vector over ML vector columns, array transforms (sort_array, array_distinct, array_join,
// array_min, array_max, concat of arrays) and split; the higher-order
// functions over lambda functions (transform, filter, exists, forall,
// aggregate, zip_with, array_sort, map_filter, transform_keys,
// transform_values, map_zip_with; see Lambda) and Spark's other collection
// functions (slice, flatten, sequence, array_insert, set operations, map
// construction from entries, arrays or text, ...). Element types are handled generically where
// the function only moves elements (gathering with kernels.Take); functions
// that test equality support what kernels.KeyEncoder encodes (flat types,
// arrays and structs of them); those that order elements support the flat
// types (booleans, numbers, decimals, strings, binaries, dates, timestamps).
package arrayfn

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// ErrIndexOutOfBounds is returned by element_at for an index beyond the
// array (ANSI mode); try_element_at returns null instead.
var ErrIndexOutOfBounds = errors.New("array index out of bounds")

// ErrInvalidIndex is returned by element_at and try_element_at for index 0
// (SQL array indices start at 1).
var ErrInvalidIndex = errors.New("the index 0 is invalid: an index shall be either < 0 or > 0 (the first element has index 1)")

// ErrNullMapKey is returned when map() is given a null key.
var ErrNullMapKey = errors.New("cannot use null as map key")

// ErrDuplicateMapKey is returned when map() is given the same key twice
// (Spark's default spark.sql.mapKeyDedupPolicy=EXCEPTION).
var ErrDuplicateMapKey = errors.New("duplicate map key")

// fn is a function of evaluated argument arrays, evaluated a batch at a time.
type fn struct {
	name  string
	label string // the text of String when set
	args  []expr.Expr
	typ   arrow.DataType
	// eval computes the n results from the argument arrays (dictionaries
	// already decoded); the caller releases the arguments.
	eval func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error)
}

func (f *fn) DataType() arrow.DataType { return f.typ }

func (f *fn) String() string {
	if f.label != "" {
		return f.label
	}
	parts := make([]string, len(f.args))
	for i, a := range f.args {
		parts[i] = a.String()
	}
	return f.name + "(" + strings.Join(parts, ", ") + ")"
}

func (f *fn) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	arrs := make([]arrow.Array, len(f.args))
	defer releaseAll(arrs)
	if err := evalPlain(mem, batch, f.args, arrs, f.String); err != nil {
		return nil, err
	}
	out, err := f.eval(mem, arrs, int(batch.NumRows()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f, err)
	}
	return out, nil
}

// evalPlain evaluates args over batch into arrs (one per argument), with
// dictionaries decoded; the caller releases arrs, also after an error. A
// decoding error is prefixed with who().
func evalPlain(mem memory.Allocator, batch arrow.RecordBatch, args []expr.Expr, arrs []arrow.Array, who func() string) error {
	for i, e := range args {
		a, err := e.Eval(mem, batch)
		if err != nil {
			return err
		}
		if d, ok := a.(*array.Dictionary); ok {
			plain, err := decode(mem, d)
			a.Release()
			if err != nil {
				return fmt.Errorf("%s: %w", who(), err)
			}
			a = plain
		}
		arrs[i] = a
	}
	return nil
}

// releaseAll releases the non-nil arrays.
func releaseAll(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// decode returns the values of a dictionary array as a plain array.
func decode(mem memory.Allocator, d *array.Dictionary) (arrow.Array, error) {
	idx := make([]int32, d.Len())
	for i := range idx {
		idx[i] = -1
		if d.IsValid(i) {
			idx[i] = int32(d.GetValueIndex(i))
		}
	}
	dict := kernels.DictionaryValues(d)
	defer dict.Release()
	return kernels.Take(mem, dict, idx)
}

// valueType is t with a dictionary replaced by its value type.
func valueType(t arrow.DataType) arrow.DataType {
	if d, ok := t.(*arrow.DictionaryType); ok {
		return d.ValueType
	}
	return t
}

// listView reads a list or map array (or an all-null array) row by row.
type listView struct {
	arr   arrow.Array
	offs  []int32 // offs[i], offs[i+1] bound row i's elements in child
	child arrow.Array
	null  bool // the array is of the null type
}

func viewList(a arrow.Array) (listView, error) {
	switch x := a.(type) {
	case *array.Null:
		return listView{arr: a, null: true}, nil
	case *array.Map:
		return listView{arr: a, offs: listOffsets(x.Offsets(), x.Data().Offset(), x.Len()), child: x.ListValues()}, nil
	case *array.List:
		return listView{arr: a, offs: listOffsets(x.Offsets(), x.Data().Offset(), x.Len()), child: x.ListValues()}, nil
	}
	return listView{}, fmt.Errorf("input type %s is not an array or a map", a.DataType())
}

// viewLists views two list (or map, or all-null) arguments.
func viewLists(x, y arrow.Array) (listView, listView, error) {
	l, err := viewList(x)
	if err != nil {
		return listView{}, listView{}, err
	}
	r, err := viewList(y)
	if err != nil {
		return listView{}, listView{}, err
	}
	return l, r, nil
}

func listOffsets(offs []int32, off, n int) []int32 {
	if len(offs) == 0 {
		return make([]int32, n+1)
	}
	return offs[off : off+n+1]
}

func (v *listView) valid(i int) bool { return !v.null && v.arr.IsValid(i) }

// bounds returns the element range of row i (empty for a null row).
func (v *listView) bounds(i int) (int32, int32) {
	if !v.valid(i) {
		return 0, 0
	}
	return v.offs[i], v.offs[i+1]
}

// gatherRows builds a list of type dt from v's elements: for each non-null
// row i with elements lo..hi-1 of v.child, pick appends the child indices
// row i keeps, in order, and reports whether the row is non-null (what it
// appended for a null row is dropped). Null rows of v stay null.
func gatherRows(mem memory.Allocator, dt arrow.DataType, v *listView, n int, pick func(idx []int32, i int, lo, hi int32) ([]int32, bool, error)) (arrow.Array, error) {
	idx := []int32{}
	offs := make([]int32, n+1)
	valid := make([]bool, n)
	for i := 0; i < n; i++ {
		if v.valid(i) {
			start := len(idx)
			lo, hi := v.bounds(i)
			var err error
			if idx, valid[i], err = pick(idx, i, lo, hi); err != nil {
				return nil, err
			}
			if !valid[i] {
				idx = idx[:start]
			}
		}
		offs[i+1] = int32(len(idx))
	}
	return gatherList(mem, dt, v.child, idx, offs, valid)
}

// newList builds a list array of type dt from offsets (n+1 of them), a
// validity (nil: all valid) and the child, which it does not take over.
func newList(mem memory.Allocator, dt arrow.DataType, offs []int32, valid []bool, child arrow.Array) arrow.Array {
	n := len(offs) - 1
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize(4 * len(offs))
	copy(arrow.Int32Traits.CastFromBytes(offBuf.Bytes()), offs)
	bitmap, nulls := kernels.Bitmap(mem, valid)
	d := array.NewData(dt, n, []*memory.Buffer{bitmap, offBuf}, []arrow.ArrayData{child.Data()}, nulls, 0)
	offBuf.Release()
	if bitmap != nil {
		bitmap.Release()
	}
	defer d.Release()
	return array.MakeFromData(d)
}

// equatable reports whether the functions that test elements for equality
// (array_contains, array_distinct, map keys) support t.
func equatable(t arrow.DataType) bool { return kernels.KeyEncodable(t) }

// orderable reports whether the functions that order elements (sort_array,
// array_min, array_max) support t.
func orderable(t arrow.DataType) bool {
	switch valueType(t).ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DECIMAL64, arrow.DECIMAL128, arrow.DATE32, arrow.TIMESTAMP, arrow.STRING, arrow.BINARY, arrow.NULL:
		return true
	}
	return false
}

// keyFunc returns a function appending the identity bytes of element i of
// a (which must be valid): equal values, as Spark compares them, have equal
// bytes (floats: -0 equals 0, NaN equals NaN; nested values element-wise).
func keyFunc(a arrow.Array) (func(dst []byte, i int) []byte, error) { return kernels.KeyEncoder(a) }

// cmpFunc returns a comparison of valid elements i and j of a in Spark's
// order (NaN above every number, false before true).
func cmpFunc(a arrow.Array) (func(i, j int) int, error) {
	switch c := a.(type) {
	case *array.Boolean:
		return func(i, j int) int {
			x, y := c.Value(i), c.Value(j)
			switch {
			case x == y:
				return 0
			case x:
				return 1
			}
			return -1
		}, nil
	case *array.String:
		return func(i, j int) int { return strings.Compare(c.Value(i), c.Value(j)) }, nil
	case *array.Binary:
		return func(i, j int) int { return bytes.Compare(c.Value(i), c.Value(j)) }, nil
	case *array.Int8:
		return ordered(kernels.FixedValues[int8](c)), nil
	case *array.Int16:
		return ordered(kernels.FixedValues[int16](c)), nil
	case *array.Int32, *array.Date32:
		return ordered(kernels.FixedValues[int32](c)), nil
	case *array.Int64, *array.Timestamp, *array.Decimal64:
		return ordered(kernels.FixedValues[int64](c)), nil
	case *array.Float32:
		return ordered(kernels.FixedValues[float32](c)), nil
	case *array.Float64:
		return ordered(kernels.FixedValues[float64](c)), nil
	case *array.Decimal128:
		v := kernels.FixedValues[decimal128.Num](c)
		return func(i, j int) int { return v[i].Cmp(v[j]) }, nil
	case *array.Null:
		return func(i, j int) int { return 0 }, nil
	}
	return nil, fmt.Errorf("ordering values of type %s is not supported", a.DataType())
}

// ordered compares like Spark: NaN is greater than every number and equal
// to itself.
func ordered[T cmp.Ordered](v []T) func(i, j int) int {
	return func(i, j int) int {
		x, y := v[i], v[j]
		xn, yn := x != x, y != y
		switch {
		case xn || yn:
			switch {
			case xn && yn:
				return 0
			case xn:
				return 1
			}
			return -1
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
}

// int32Array builds an int32 array.
func int32Array(mem memory.Allocator, vals []int32, valid []bool) arrow.Array {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// boolArray builds a boolean array.
func boolArray(mem memory.Allocator, vals, valid []bool) arrow.Array {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// checkArgs verifies that args are not nil.
func checkArgs(name string, args ...expr.Expr) error {
	for i, a := range args {
		if a == nil {
			return fmt.Errorf("%s: argument %d is missing", name, i+1)
		}
	}
	return nil
}

// elemType returns the element type of an array or map type's entries
// (for a map: the entry struct), or an error naming the function.
func listElem(name string, t arrow.DataType) (arrow.DataType, error) {
	switch tt := t.(type) {
	case *arrow.ListType:
		return tt.Elem(), nil
	case *arrow.NullType:
		return arrow.Null, nil
	}
	return nil, fmt.Errorf("%s: argument type %s is not an array", name, t)
}
