package arrayfn

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// Size is size(x) (alias cardinality) of an array or a map: the number of
// elements, as int32; null for a null input (Spark 4 with ANSI on, where
// spark.sql.legacy.sizeOfNull is false).
func Size(x expr.Expr) (expr.Expr, error) {
	if err := checkArgs("size", x); err != nil {
		return nil, err
	}
	switch x.DataType().(type) {
	case *arrow.ListType, *arrow.MapType, *arrow.NullType:
	default:
		return nil, fmt.Errorf("size: argument %s has type %s, expected an array or a map", x, x.DataType())
	}
	return &fn{name: "size", args: []expr.Expr{x}, typ: arrow.PrimitiveTypes.Int32, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		out := make([]int32, n)
		valid := make([]bool, n)
		for i := range out {
			lo, hi := v.bounds(i)
			out[i], valid[i] = hi-lo, v.valid(i)
		}
		return int32Array(mem, out, valid), nil
	}}, nil
}

// ElementAt is element_at(array, index) with a 1-based int32 index
// (negative counts from the end): an index beyond the array is an error
// (ErrIndexOutOfBounds), or null when try is set (try_element_at); index 0
// is always an error. A null array or index gives null.
func ElementAt(arr, index expr.Expr, try bool) (expr.Expr, error) {
	name := "element_at"
	if try {
		name = "try_element_at"
	}
	return indexArray(name, "", arr, index, func(k, size int32) (int32, error) {
		switch {
		case k == 0:
			return -1, ErrInvalidIndex
		case k > 0 && k <= size:
			return k - 1, nil
		case k < 0 && -k <= size:
			return size + k, nil
		case !try:
			return -1, fmt.Errorf("%w: index %d, array size %d (use try_element_at to get null)", ErrIndexOutOfBounds, k, size)
		}
		return -1, nil
	})
}

// indexArray is an element of each array picked by an int32 index: at maps
// the index and the array's size to a 0-based position, -1 for null, or an
// error. label, if set, is the expression's text. A null array or index
// gives null.
func indexArray(name, label string, arr, index expr.Expr, at func(k, size int32) (int32, error)) (expr.Expr, error) {
	if err := checkArgs(name, arr, index); err != nil {
		return nil, err
	}
	elem, err := listElem(name, arr.DataType())
	if err != nil {
		return nil, err
	}
	if t := index.DataType().ID(); t != arrow.INT32 && t != arrow.NULL {
		return nil, fmt.Errorf("%s: index %s has type %s, expected int", name, index, index.DataType())
	}
	return &fn{name: name, label: label, args: []expr.Expr{arr, index}, typ: elem, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		idx := make([]int32, n)
		var ks []int32
		if x, ok := a[1].(*array.Int32); ok {
			ks = x.Int32Values()
		}
		for i := range idx {
			idx[i] = -1
			if !v.valid(i) || ks == nil || a[1].IsNull(i) {
				continue
			}
			lo, hi := v.bounds(i)
			pos, err := at(ks[i], hi-lo)
			if err != nil {
				return nil, err
			}
			if pos >= 0 {
				idx[i] = lo + pos
			}
		}
		if v.null {
			return array.MakeArrayOfNull(mem, elem, n), nil
		}
		return kernels.Take(mem, v.child, idx)
	}}, nil
}

// MapElementAt is element_at(map, key): the value of key in the map, null
// when the map or key is null or the key is absent. key must have the map's
// key type.
func MapElementAt(m, key expr.Expr) (expr.Expr, error) {
	if err := checkArgs("element_at", m, key); err != nil {
		return nil, err
	}
	mt, ok := m.DataType().(*arrow.MapType)
	if !ok {
		return nil, fmt.Errorf("element_at: argument %s has type %s, expected a map", m, m.DataType())
	}
	if t := key.DataType(); !arrow.TypeEqual(valueType(t), mt.KeyType()) && t.ID() != arrow.NULL {
		return nil, fmt.Errorf("element_at: key %s has type %s, expected %s", key, t, mt.KeyType())
	}
	return &fn{name: "element_at", args: []expr.Expr{m, key}, typ: mt.ItemType(), eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		mp := a[0].(*array.Map)
		v, err := viewList(mp)
		if err != nil {
			return nil, err
		}
		idx, err := findKeys(v, mp.Keys(), a[1], n)
		if err != nil {
			return nil, err
		}
		return kernels.Take(mem, mp.Items(), idx)
	}}, nil
}

// findKeys returns, per row, the position among keys of the row's value of
// probe in the row's range, or -1.
func findKeys(v listView, keys, probe arrow.Array, n int) ([]int32, error) {
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = -1
	}
	if probe.DataType().ID() == arrow.NULL {
		return idx, nil
	}
	kf, err := keyFunc(keys)
	if err != nil {
		return nil, err
	}
	pf, err := keyFunc(probe)
	if err != nil {
		return nil, err
	}
	var pk, kk []byte
	for i := range idx {
		if !v.valid(i) || probe.IsNull(i) {
			continue
		}
		pk = pf(pk[:0], i)
		lo, hi := v.bounds(i)
		for j := lo; j < hi; j++ {
			if keys.IsValid(int(j)) {
				kk = kf(kk[:0], int(j))
				if string(kk) == string(pk) {
					idx[i] = j
					break
				}
			}
		}
	}
	return idx, nil
}

// ArrayContains is array_contains(array, value): true when the array holds
// value; otherwise null when the array holds a null, else false. A null
// array or value gives null. value must have the element type.
func ArrayContains(arr, value expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_contains", arr, value); err != nil {
		return nil, err
	}
	elem, err := listElem("array_contains", arr.DataType())
	if err != nil {
		return nil, err
	}
	if t := value.DataType(); !arrow.TypeEqual(valueType(t), elem) && t.ID() != arrow.NULL && elem.ID() != arrow.NULL {
		return nil, fmt.Errorf("array_contains: value %s has type %s, expected %s", value, t, elem)
	}
	if !equatable(elem) {
		return nil, fmt.Errorf("array_contains: elements of type %s are not supported", elem)
	}
	return &fn{name: "array_contains", args: []expr.Expr{arr, value}, typ: arrow.FixedWidthTypes.Boolean, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		out := make([]bool, n)
		valid := make([]bool, n)
		if v.null || a[1].DataType().ID() == arrow.NULL || v.child.DataType().ID() == arrow.NULL {
			for i := range out {
				lo, hi := v.bounds(i)
				// an array of nulls holds a null: unknown unless empty
				valid[i] = v.valid(i) && a[1].DataType().ID() != arrow.NULL && a[1].IsValid(i) && lo == hi
			}
			return boolArray(mem, out, valid), nil
		}
		kf, err := keyFunc(v.child)
		if err != nil {
			return nil, err
		}
		pf, err := keyFunc(a[1])
		if err != nil {
			return nil, err
		}
		var pk, kk []byte
		for i := range out {
			if !v.valid(i) || a[1].IsNull(i) {
				continue
			}
			pk = pf(pk[:0], i)
			lo, hi := v.bounds(i)
			sawNull := false
			for j := lo; j < hi; j++ {
				if v.child.IsNull(int(j)) {
					sawNull = true
					continue
				}
				kk = kf(kk[:0], int(j))
				if string(kk) == string(pk) {
					out[i] = true
					break
				}
			}
			valid[i] = out[i] || !sawNull
		}
		return boolArray(mem, out, valid), nil
	}}, nil
}

// MapKeys is map_keys(map): the map's keys as an array (null for a null map).
func MapKeys(m expr.Expr) (expr.Expr, error) { return mapPart("map_keys", m, 0) }

// MapValues is map_values(map): the map's values as an array.
func MapValues(m expr.Expr) (expr.Expr, error) { return mapPart("map_values", m, 1) }

func mapPart(name string, m expr.Expr, part int) (expr.Expr, error) {
	if err := checkArgs(name, m); err != nil {
		return nil, err
	}
	mt, ok := m.DataType().(*arrow.MapType)
	if !ok {
		return nil, fmt.Errorf("%s: argument %s has type %s, expected a map", name, m, m.DataType())
	}
	et := mt.KeyType()
	if part == 1 {
		et = mt.ItemType()
	}
	lt := arrow.ListOf(et)
	return &fn{name: name, args: []expr.Expr{m}, typ: lt, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		mp := a[0].(*array.Map)
		child := mp.Keys()
		if part == 1 {
			child = mp.Items()
		}
		d := mp.Data()
		out := array.NewData(lt, d.Len(), d.Buffers()[:2], []arrow.ArrayData{child.Data()}, d.NullN(), d.Offset())
		defer out.Release()
		return array.MakeFromData(out), nil
	}}, nil
}

// GetField is field access s.field on a struct: the field's value, null
// where the struct is null. Field names match exactly.
func GetField(s expr.Expr, field string) (expr.Expr, error) {
	if err := checkArgs("get_field", s); err != nil {
		return nil, err
	}
	st, ok := s.DataType().(*arrow.StructType)
	if !ok {
		return nil, fmt.Errorf("field access %s.%s: %s has type %s, expected a struct", s, field, s, s.DataType())
	}
	f, ok := st.FieldIdx(field)
	if !ok {
		return nil, fmt.Errorf("field access %s.%s: no such field among %s", s, field, st)
	}
	return &fn{name: "get_field", label: fmt.Sprintf("%s.%s", s, field), args: []expr.Expr{s}, typ: st.Field(f).Type, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		sa, ok := a[0].(*array.Struct)
		if !ok {
			return nil, fmt.Errorf("input type %s is not a struct", a[0].DataType())
		}
		child := sa.Field(f)
		if sa.NullN() == 0 {
			child.Retain()
			return child, nil
		}
		idx := make([]int32, n)
		for i := range idx {
			idx[i] = int32(i)
			if sa.IsNull(i) {
				idx[i] = -1
			}
		}
		return kernels.Take(mem, child, idx)
	}}, nil
}
