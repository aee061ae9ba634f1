package arrayfn

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// mapEntries returns the keys and values of a map view's entries.
func mapEntries(v listView) (keys, vals arrow.Array, err error) {
	st, ok := v.child.(*array.Struct)
	if !ok || st.NumField() != 2 {
		return nil, nil, fmt.Errorf("input type %s is not a map", v.arr.DataType())
	}
	return st.Field(0), st.Field(1), nil
}

// mapType returns t as a map type.
func mapType(name string, t arrow.DataType) (*arrow.MapType, error) {
	if mt, ok := t.(*arrow.MapType); ok {
		return mt, nil
	}
	return nil, fmt.Errorf("%s: argument type %s is not a map", name, t)
}

// applyToEntries evaluates f over every entry (key, value) of the map view.
func applyToEntries(mem memory.Allocator, batch arrow.RecordBatch, f *Lambda, v listView, e elements) (keys, vals, res arrow.Array, err error) {
	k, val, err := mapEntries(v)
	if err != nil {
		return nil, nil, nil, err
	}
	if keys, err = gather(mem, k, e.idx); err != nil {
		return nil, nil, nil, err
	}
	if vals, err = gather(mem, val, e.idx); err != nil {
		keys.Release()
		return nil, nil, nil, err
	}
	if res, err = f.apply(mem, batch, e.rows, keys, vals); err != nil {
		keys.Release()
		vals.Release()
		return nil, nil, nil, err
	}
	return keys, vals, res, nil
}

// MapFilter is map_filter(map, (k, v) -> cond): the entries for which the
// condition is true. A null map gives null.
func MapFilter(m expr.Expr, f *Lambda) (expr.Expr, error) {
	if err := checkArgs("map_filter", m); err != nil {
		return nil, err
	}
	if err := checkLambda("map_filter", f, 2, 2); err != nil {
		return nil, err
	}
	if f.DataType().ID() != arrow.BOOL {
		return nil, fmt.Errorf("map_filter: the lambda function returns %s, not boolean", f.DataType())
	}
	mt, err := mapType("map_filter", m.DataType())
	if err != nil {
		return nil, err
	}
	if err := checkParams("map_filter", f, mt.KeyType(), mt.ItemType()); err != nil {
		return nil, err
	}
	return &hof{name: "map_filter", args: []expr.Expr{m}, lambdas: []*Lambda{f}, typ: mt, eval: overElements(mt, func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int, v listView, e elements) (arrow.Array, error) {
		keys, vals, res, err := applyToEntries(mem, batch, f, v, e)
		if err != nil {
			return nil, err
		}
		defer keys.Release()
		defer vals.Release()
		defer res.Release()
		keep := res.(*array.Boolean)
		var idx []int32
		offs := make([]int32, n+1)
		for i := 0; i < n; i++ {
			for k := e.offs[i]; k < e.offs[i+1]; k++ {
				if keep.IsValid(int(k)) && keep.Value(int(k)) {
					idx = append(idx, k)
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return takeMap(mem, mt, offs, e.valid, keys, vals, idx)
	})}, nil
}

// takeMap builds a map whose entries are the keys and values at idx.
func takeMap(mem memory.Allocator, mt *arrow.MapType, offs []int32, valid []bool, keys, vals arrow.Array, idx []int32) (arrow.Array, error) {
	k, err := gather(mem, keys, idx)
	if err != nil {
		return nil, err
	}
	defer k.Release()
	v, err := gather(mem, vals, idx)
	if err != nil {
		return nil, err
	}
	defer v.Release()
	return newMap(mem, mt, offs, valid, k, v), nil
}

// TransformValues is transform_values(map, (k, v) -> ...): each value
// replaced by the lambda's value.
func TransformValues(m expr.Expr, f *Lambda) (expr.Expr, error) {
	return transformMap("transform_values", m, f, false)
}

// TransformKeys is transform_keys(map, (k, v) -> ...): each key replaced by
// the lambda's value; a null or repeated new key is an error, as in Spark.
func TransformKeys(m expr.Expr, f *Lambda) (expr.Expr, error) {
	return transformMap("transform_keys", m, f, true)
}

func transformMap(name string, m expr.Expr, f *Lambda, keys bool) (expr.Expr, error) {
	if err := checkArgs(name, m); err != nil {
		return nil, err
	}
	if err := checkLambda(name, f, 2, 2); err != nil {
		return nil, err
	}
	in, err := mapType(name, m.DataType())
	if err != nil {
		return nil, err
	}
	if err := checkParams(name, f, in.KeyType(), in.ItemType()); err != nil {
		return nil, err
	}
	mt := arrow.MapOf(in.KeyType(), f.DataType())
	if keys {
		if !equatable(f.DataType()) {
			return nil, fmt.Errorf("%s: keys of type %s are not supported", name, f.DataType())
		}
		mt = arrow.MapOf(f.DataType(), in.ItemType())
	}
	return &hof{name: name, args: []expr.Expr{m}, lambdas: []*Lambda{f}, typ: mt, eval: overElements(mt, func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int, v listView, e elements) (arrow.Array, error) {
		k, val, res, err := applyToEntries(mem, batch, f, v, e)
		if err != nil {
			return nil, err
		}
		defer k.Release()
		defer val.Release()
		defer res.Release()
		if !keys {
			return newMap(mem, mt, e.offs, e.valid, k, res), nil
		}
		if err := checkRowKeys(res, e.offs); err != nil {
			return nil, err
		}
		return newMap(mem, mt, e.offs, e.valid, res, val), nil
	})}, nil
}

// checkRowKeys rejects null keys and a key repeated within a row's range
// offs[i]..offs[i+1].
func checkRowKeys(keys arrow.Array, offs []int32) error {
	if keys.NullN() > 0 {
		return ErrNullMapKey
	}
	key, err := keyFunc(keys)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var buf []byte
	for i := 0; i+1 < len(offs); i++ {
		clear(seen)
		for k := offs[i]; k < offs[i+1]; k++ {
			buf = key(buf[:0], int(k))
			if seen[string(buf)] {
				return fmt.Errorf("%w %v", ErrDuplicateMapKey, keyText(keys, int(k)))
			}
			seen[string(buf)] = true
		}
	}
	return nil
}

// MapZipWith is map_zip_with(map1, map2, (k, v1, v2) -> ...): a map over
// the keys of both maps (map1's in order, then those only map2 has), each
// with the lambda's value over the key and the two maps' values (null
// where a map lacks the key). A null map gives null.
func MapZipWith(m1, m2 expr.Expr, f *Lambda) (expr.Expr, error) {
	if err := checkArgs("map_zip_with", m1, m2); err != nil {
		return nil, err
	}
	if err := checkLambda("map_zip_with", f, 3, 3); err != nil {
		return nil, err
	}
	t1, err := mapType("map_zip_with", m1.DataType())
	if err != nil {
		return nil, err
	}
	t2, err := mapType("map_zip_with", m2.DataType())
	if err != nil {
		return nil, err
	}
	if !arrow.TypeEqual(t1.KeyType(), t2.KeyType()) {
		return nil, fmt.Errorf("map_zip_with: the maps' key types %s and %s differ", t1.KeyType(), t2.KeyType())
	}
	if err := checkParams("map_zip_with", f, t1.KeyType(), t1.ItemType(), t2.ItemType()); err != nil {
		return nil, err
	}
	mt := arrow.MapOf(t1.KeyType(), f.DataType())
	return &hof{name: "map_zip_with", args: []expr.Expr{m1, m2}, lambdas: []*Lambda{f}, typ: mt, eval: func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int) (arrow.Array, error) {
		v1, v2, err := viewLists(a[0], a[1])
		if err != nil {
			return nil, err
		}
		if v1.null || v2.null {
			return array.MakeArrayOfNull(mem, mt, n), nil
		}
		k1, val1, err := mapEntries(v1)
		if err != nil {
			return nil, err
		}
		k2, val2, err := mapEntries(v2)
		if err != nil {
			return nil, err
		}
		enc1, err := keyFunc(k1)
		if err != nil {
			return nil, err
		}
		enc2, err := keyFunc(k2)
		if err != nil {
			return nil, err
		}
		// Keys come from the concatenation of both maps' keys (map2's
		// after base).
		base := int32(k1.Len())
		rows, ki, i1, i2 := []int32{}, []int32{}, []int32{}, []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		pos := map[string]int{}
		var buf []byte
		for i := 0; i < n; i++ {
			valid[i] = v1.valid(i) && v2.valid(i)
			if valid[i] {
				clear(pos)
				lo, hi := v1.bounds(i)
				for j := lo; j < hi; j++ {
					buf = enc1(buf[:0], int(j))
					pos[string(buf)] = len(rows)
					rows, ki, i1, i2 = append(rows, int32(i)), append(ki, j), append(i1, j), append(i2, -1)
				}
				lo, hi = v2.bounds(i)
				for j := lo; j < hi; j++ {
					buf = enc2(buf[:0], int(j))
					if p, ok := pos[string(buf)]; ok {
						i2[p] = j
						continue
					}
					rows, ki, i1, i2 = append(rows, int32(i)), append(ki, base+j), append(i1, -1), append(i2, j)
				}
			}
			offs[i+1] = int32(len(rows))
		}
		allKeys, err := array.Concatenate([]arrow.Array{k1, k2}, mem)
		if err != nil {
			return nil, err
		}
		defer allKeys.Release()
		keys, err := kernels.Take(mem, allKeys, ki)
		if err != nil {
			return nil, err
		}
		defer keys.Release()
		x, err := kernels.Take(mem, val1, i1)
		if err != nil {
			return nil, err
		}
		defer x.Release()
		y, err := kernels.Take(mem, val2, i2)
		if err != nil {
			return nil, err
		}
		defer y.Release()
		res, err := f.apply(mem, batch, rows, keys, x, y)
		if err != nil {
			return nil, err
		}
		defer res.Release()
		return newMap(mem, mt, offs, valid, keys, res), nil
	}}, nil
}
