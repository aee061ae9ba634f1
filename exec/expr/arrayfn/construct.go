package arrayfn

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// Array is array(e1, e2, ...): one array per row holding the arguments'
// values (nulls included). Every argument must have type elem (or the null
// type); with no arguments the result is an empty array<elem>.
func Array(elem arrow.DataType, args ...expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array", args...); err != nil {
		return nil, err
	}
	for i, a := range args {
		if t := a.DataType(); !arrow.TypeEqual(valueType(t), elem) && t.ID() != arrow.NULL {
			return nil, fmt.Errorf("array: argument %d (%s) has type %s, expected %s", i+1, a, t, elem)
		}
	}
	return &fn{name: "array", args: args, typ: arrow.ListOf(elem), eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		child, err := interleave(mem, elem, a, n)
		if err != nil {
			return nil, err
		}
		defer child.Release()
		k := int32(len(a))
		offs := make([]int32, n+1)
		for i := range offs {
			offs[i] = int32(i) * k
		}
		return newList(mem, arrow.ListOf(elem), offs, nil, child), nil
	}}, nil
}

// interleave returns the n·k values a[0][0], a[1][0], ..., a[k-1][0],
// a[0][1], ... of k arrays of type t (arrays of the null type count as null
// arrays of t).
func interleave(mem memory.Allocator, t arrow.DataType, a []arrow.Array, n int) (arrow.Array, error) {
	k := len(a)
	if k == 0 {
		return array.MakeArrayOfNull(mem, t, 0), nil
	}
	parts := make([]arrow.Array, k)
	for j, x := range a {
		if x.DataType().ID() == arrow.NULL && t.ID() != arrow.NULL {
			nulls := array.MakeArrayOfNull(mem, t, x.Len())
			defer nulls.Release()
			x = nulls
		}
		parts[j] = x
	}
	var all arrow.Array
	if k == 1 {
		all = parts[0]
		all.Retain()
	} else {
		var err error
		if all, err = array.Concatenate(parts, mem); err != nil {
			return nil, err
		}
	}
	defer all.Release()
	idx := make([]int32, n*k)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			idx[i*k+j] = int32(j*n + i)
		}
	}
	return kernels.Take(mem, all, idx)
}

// Struct is struct(...) and named_struct(...): a struct per row whose field
// i, named names[i], is args[i]. The struct itself is never null.
func Struct(names []string, args ...expr.Expr) (expr.Expr, error) {
	if err := checkArgs("struct", args...); err != nil {
		return nil, err
	}
	if len(names) != len(args) {
		return nil, fmt.Errorf("struct: %d names for %d values", len(names), len(args))
	}
	fields := make([]arrow.Field, len(args))
	for i, a := range args {
		fields[i] = arrow.Field{Name: names[i], Type: valueType(a.DataType()), Nullable: true}
	}
	st := arrow.StructOf(fields...)
	return &fn{name: "named_struct", args: args, typ: st, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		children := make([]arrow.ArrayData, len(a))
		for i, x := range a {
			children[i] = x.Data()
		}
		d := array.NewData(st, n, []*memory.Buffer{nil}, children, 0, 0)
		defer d.Release()
		return array.MakeFromData(d), nil
	}}, nil
}

// Map is map(k1, v1, k2, v2, ...): a map per row. Keys must all have type
// key and values type value (or the null type). A null key or a key given
// twice in a row is an error, as in Spark by default.
func Map(key, value arrow.DataType, args ...expr.Expr) (expr.Expr, error) {
	if err := checkArgs("map", args...); err != nil {
		return nil, err
	}
	if len(args)%2 != 0 {
		return nil, fmt.Errorf("map: needs an even number of arguments, got %d", len(args))
	}
	if !equatable(key) {
		return nil, fmt.Errorf("map: keys of type %s are not supported", key)
	}
	for i, a := range args {
		want := key
		if i%2 == 1 {
			want = value
		}
		if t := a.DataType(); !arrow.TypeEqual(valueType(t), want) && t.ID() != arrow.NULL {
			return nil, fmt.Errorf("map: argument %d (%s) has type %s, expected %s", i+1, a, t, want)
		}
	}
	mt := arrow.MapOf(key, value)
	return &fn{name: "map", args: args, typ: mt, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		var ks, vs []arrow.Array
		for i, x := range a {
			if i%2 == 0 {
				ks = append(ks, x)
			} else {
				vs = append(vs, x)
			}
		}
		keys, err := interleave(mem, key, ks, n)
		if err != nil {
			return nil, err
		}
		defer keys.Release()
		if err := checkMapKeys(keys, len(ks), n); err != nil {
			return nil, err
		}
		vals, err := interleave(mem, value, vs, n)
		if err != nil {
			return nil, err
		}
		defer vals.Release()
		k := int32(len(ks))
		offs := make([]int32, n+1)
		for i := range offs {
			offs[i] = int32(i) * k
		}
		return newMap(mem, mt, offs, nil, keys, vals), nil
	}}, nil
}

// checkMapKeys rejects null keys and, within each row of k keys, duplicates.
func checkMapKeys(keys arrow.Array, k, n int) error {
	if keys.NullN() > 0 {
		return ErrNullMapKey
	}
	if k < 2 {
		return nil
	}
	key, err := keyFunc(keys)
	if err != nil {
		return err
	}
	var a, b []byte
	for i := 0; i < n; i++ {
		for x := 1; x < k; x++ {
			a = key(a[:0], i*k+x)
			for y := 0; y < x; y++ {
				b = key(b[:0], i*k+y)
				if string(a) == string(b) {
					return fmt.Errorf("%w %v", ErrDuplicateMapKey, keyText(keys, i*k+x))
				}
			}
		}
	}
	return nil
}

func keyText(a arrow.Array, i int) string { return a.ValueStr(i) }

// newMap builds a map array from offsets, validity (nil: all valid), keys
// and values (not taken over).
func newMap(mem memory.Allocator, mt *arrow.MapType, offs []int32, valid []bool, keys, vals arrow.Array) arrow.Array {
	entries := array.NewData(mt.Elem(), keys.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{keys.Data(), vals.Data()}, 0, 0)
	defer entries.Release()
	ent := array.MakeFromData(entries)
	defer ent.Release()
	return newList(mem, mt, offs, valid, ent)
}
