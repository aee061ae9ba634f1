package arrayfn

import (
	"errors"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// MaxArrayLength is the longest array the collection functions build, as
// Spark's ByteArrayMethods.MAX_ROUNDED_ARRAY_LENGTH.
const MaxArrayLength = math.MaxInt32 - 15

// ErrArrayTooLong is returned when a result array would be longer than
// MaxArrayLength elements.
var ErrArrayTooLong = fmt.Errorf("the result array would have more than %d elements", MaxArrayLength)

// ErrIndexZero is returned by array_insert for position 0.
var ErrIndexZero = errors.New("the index 0 is invalid: an index shall be either < 0 or > 0 (the first element has index 1)")

// typedNulls turns an array of the null type into nulls of type t.
func typedNulls(mem memory.Allocator, a arrow.Array, t arrow.DataType) arrow.Array {
	if a.DataType().ID() == arrow.NULL && t.ID() != arrow.NULL {
		return array.MakeArrayOfNull(mem, t, a.Len())
	}
	a.Retain()
	return a
}

// concatWith concatenates parts (of type t once null-typed ones are typed)
// and returns the offset of each part in the result.
func concatWith(mem memory.Allocator, t arrow.DataType, parts ...arrow.Array) (arrow.Array, []int32, error) {
	typed := make([]arrow.Array, len(parts))
	bases := make([]int32, len(parts))
	base := int64(0)
	for k, p := range parts {
		typed[k] = typedNulls(mem, p, t)
		defer typed[k].Release()
		bases[k] = int32(base)
		base += int64(p.Len())
	}
	if base > math.MaxInt32 {
		return nil, nil, ErrArrayTooLong
	}
	all, err := array.Concatenate(typed, mem)
	return all, bases, err
}

// elemKeys returns functions encoding elements of a and b (arrays of one
// type) for equality tests.
func elemKeys(a, b arrow.Array) (ka, kb func(dst []byte, i int) []byte, err error) {
	if ka, err = keyFunc(a); err != nil {
		return nil, nil, err
	}
	kb, err = keyFunc(b)
	return ka, kb, err
}

// ArrayPosition is array_position(array, value): the 1-based position of
// the first element equal to value (a bigint), 0 when there is none; null
// when the array or the value is null.
func ArrayPosition(arr, value expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_position", arr, value); err != nil {
		return nil, err
	}
	elem, err := listElem("array_position", arr.DataType())
	if err != nil {
		return nil, err
	}
	if !equatable(elem) {
		return nil, fmt.Errorf("array_position: elements of type %s cannot be compared", elem)
	}
	typ := arrow.PrimitiveTypes.Int64
	return &fn{name: "array_position", args: []expr.Expr{arr, value}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null || a[1].DataType().ID() == arrow.NULL {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		kc, kv, err := elemKeys(v.child, a[1])
		if err != nil {
			return nil, err
		}
		out := make([]int64, n)
		valid := make([]bool, n)
		var x, y []byte
		for i := 0; i < n; i++ {
			if !v.valid(i) || a[1].IsNull(i) {
				continue
			}
			valid[i] = true
			y = kv(y[:0], i)
			lo, hi := v.bounds(i)
			for j := lo; j < hi; j++ {
				if v.child.IsValid(int(j)) {
					if x = kc(x[:0], int(j)); string(x) == string(y) {
						out[i] = int64(j-lo) + 1
						break
					}
				}
			}
		}
		return kernels.NewFixedArray(mem, typ, out, n, valid), nil
	}}, nil
}

// intAt returns element i of an int32 or int64 array (ok false when null).
func intAt(a arrow.Array, i int) (int64, bool) {
	if a.IsNull(i) {
		return 0, false
	}
	switch x := a.(type) {
	case *array.Int32:
		return int64(x.Value(i)), true
	case *array.Int64:
		return x.Value(i), true
	case *array.Int16:
		return int64(x.Value(i)), true
	case *array.Int8:
		return int64(x.Value(i)), true
	}
	return 0, false
}

// Slice is slice(array, start, length): length elements from the 1-based
// start (negative: counted from the end). Start 0 or a negative length is
// an error, as in Spark; a start past either end gives an empty array.
func Slice(arr, start, length expr.Expr) (expr.Expr, error) {
	if err := checkArgs("slice", arr, start, length); err != nil {
		return nil, err
	}
	typ := arr.DataType()
	if _, err := listElem("slice", typ); err != nil {
		return nil, err
	}
	return &fn{name: "slice", args: []expr.Expr{arr, start, length}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		return gatherRows(mem, typ, &v, n, func(idx []int32, i int, lo, hi int32) ([]int32, bool, error) {
			s, ok1 := intAt(a[1], i)
			l, ok2 := intAt(a[2], i)
			if !ok1 || !ok2 {
				return idx, false, nil
			}
			if s == 0 {
				return nil, false, fmt.Errorf("unexpected value for start: SQL array indices start at 1")
			}
			if l < 0 {
				return nil, false, fmt.Errorf("unexpected value for length: %d; the length must be greater than or equal to 0", l)
			}
			size := int64(hi - lo)
			from := s - 1
			if s < 0 {
				from = size + s
			}
			if from >= 0 && from < size {
				for j := from; j < min(size, from+l); j++ {
					idx = append(idx, lo+int32(j))
				}
			}
			return idx, true, nil
		})
	}}, nil
}

// Flatten is flatten(array<array<T>>): the inner arrays' elements in order;
// null when the array or any inner array is null.
func Flatten(arr expr.Expr) (expr.Expr, error) {
	if err := checkArgs("flatten", arr); err != nil {
		return nil, err
	}
	elem, err := listElem("flatten", arr.DataType())
	if err != nil {
		return nil, err
	}
	if _, ok := elem.(*arrow.ListType); !ok {
		return nil, fmt.Errorf("flatten: argument type %s is not an array of arrays", arr.DataType())
	}
	typ := elem
	return &fn{name: "flatten", args: []expr.Expr{arr}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		inner, err := viewList(v.child)
		if err != nil {
			return nil, err
		}
		if inner.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		idx := []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if v.valid(i) {
				valid[i] = true
				lo, hi := v.bounds(i)
				start := len(idx)
				for j := lo; j < hi && valid[i]; j++ {
					if !inner.valid(int(j)) {
						valid[i] = false
						idx = idx[:start]
						break
					}
					ilo, ihi := inner.bounds(int(j))
					for k := ilo; k < ihi; k++ {
						idx = append(idx, k)
					}
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return gatherList(mem, typ, inner.child, idx, offs, valid)
	}}, nil
}

// ArrayRepeat is array_repeat(element, count): count copies of element
// (none for count <= 0); null when count is null.
func ArrayRepeat(elem, count expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_repeat", elem, count); err != nil {
		return nil, err
	}
	et := valueType(elem.DataType())
	typ := arrow.ListOf(et)
	return &fn{name: "array_repeat", args: []expr.Expr{elem, count}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		src := typedNulls(mem, a[0], et)
		defer src.Release()
		idx := []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if c, ok := intAt(a[1], i); ok {
				valid[i] = true
				if int64(len(idx))+c > MaxArrayLength {
					return nil, ErrArrayTooLong
				}
				for k := int64(0); k < c; k++ {
					idx = append(idx, int32(i))
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return gatherList(mem, typ, src, idx, offs, valid)
	}}, nil
}

// ArrayInsert is array_insert(array, pos, item): item inserted at the
// 1-based position pos. A position past the end pads with nulls; a negative
// one counts from the end (-1 appends), and one before the start puts item
// first followed by nulls, as Spark 3.5+ does. Position 0 is an error; a
// null array or position gives null.
func ArrayInsert(arr, pos, item expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_insert", arr, pos, item); err != nil {
		return nil, err
	}
	typ := arr.DataType()
	elem, err := listElem("array_insert", typ)
	if err != nil {
		return nil, err
	}
	return &fn{name: "array_insert", args: []expr.Expr{arr, pos, item}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		all, bases, err := concatWith(mem, elem, v.child, a[2])
		if err != nil {
			return nil, err
		}
		defer all.Release()
		idx := []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			p, ok := intAt(a[1], i)
			if v.valid(i) && ok {
				if p == 0 {
					return nil, fmt.Errorf("array_insert: %w", ErrIndexZero)
				}
				valid[i] = true
				lo, hi := v.bounds(i)
				size := int64(hi - lo)
				it := bases[1] + int32(i)
				// at is the 0-based index of the item in the result.
				var at int64
				if p > 0 {
					at = p - 1
				} else {
					at = size + p + 1
				}
				if max(at, size)+1 > MaxArrayLength || size-at > MaxArrayLength {
					return nil, ErrArrayTooLong
				}
				switch {
				case at < 0:
					// Before the start: item, -at nulls, the array.
					idx = append(idx, it)
					for k := int64(0); k < -at; k++ {
						idx = append(idx, -1)
					}
					for j := lo; j < hi; j++ {
						idx = append(idx, j)
					}
				case at > size:
					for j := lo; j < hi; j++ {
						idx = append(idx, j)
					}
					for k := size; k < at; k++ {
						idx = append(idx, -1)
					}
					idx = append(idx, it)
				default:
					for j := lo; j < lo+int32(at); j++ {
						idx = append(idx, j)
					}
					idx = append(idx, it)
					for j := lo + int32(at); j < hi; j++ {
						idx = append(idx, j)
					}
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return gatherList(mem, typ, all, idx, offs, valid)
	}}, nil
}

// ArrayAppend is array_append(array, item) (prepend false) and
// array_prepend(array, item) (prepend true): the array with item added at
// its end or start (a null item too); null for a null array.
func ArrayAppend(arr, item expr.Expr, prepend bool) (expr.Expr, error) {
	name := "array_append"
	if prepend {
		name = "array_prepend"
	}
	if err := checkArgs(name, arr, item); err != nil {
		return nil, err
	}
	typ := arr.DataType()
	elem, err := listElem(name, typ)
	if err != nil {
		return nil, err
	}
	return &fn{name: name, args: []expr.Expr{arr, item}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		all, bases, err := concatWith(mem, elem, v.child, a[1])
		if err != nil {
			return nil, err
		}
		defer all.Release()
		idx := []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if v.valid(i) {
				valid[i] = true
				lo, hi := v.bounds(i)
				if prepend {
					idx = append(idx, bases[1]+int32(i))
				}
				for j := lo; j < hi; j++ {
					idx = append(idx, j)
				}
				if !prepend {
					idx = append(idx, bases[1]+int32(i))
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return gatherList(mem, typ, all, idx, offs, valid)
	}}, nil
}

// ArraysOverlap is arrays_overlap(a, b): true when the arrays share a
// non-null element; otherwise null when both are non-empty and either
// holds a null, else false. Null when either array is null.
func ArraysOverlap(x, y expr.Expr) (expr.Expr, error) {
	if err := checkArgs("arrays_overlap", x, y); err != nil {
		return nil, err
	}
	elem, err := listElem("arrays_overlap", x.DataType())
	if err != nil {
		return nil, err
	}
	if !equatable(elem) {
		return nil, fmt.Errorf("arrays_overlap: elements of type %s cannot be compared", elem)
	}
	typ := arrow.FixedWidthTypes.Boolean
	return &fn{name: "arrays_overlap", args: []expr.Expr{x, y}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		l, r, err := viewLists(a[0], a[1])
		if err != nil {
			return nil, err
		}
		if l.null || r.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		kl, kr, err := elemKeys(l.child, r.child)
		if err != nil {
			return nil, err
		}
		vals, valid := make([]bool, n), make([]bool, n)
		set := map[string]bool{}
		var buf []byte
		for i := 0; i < n; i++ {
			if !l.valid(i) || !r.valid(i) {
				continue
			}
			clear(set)
			llo, lhi := l.bounds(i)
			rlo, rhi := r.bounds(i)
			sawNull := false
			for j := llo; j < lhi; j++ {
				if l.child.IsNull(int(j)) {
					sawNull = true
					continue
				}
				buf = kl(buf[:0], int(j))
				set[string(buf)] = true
			}
			found := false
			for j := rlo; j < rhi && !found; j++ {
				if r.child.IsNull(int(j)) {
					sawNull = true
					continue
				}
				buf = kr(buf[:0], int(j))
				found = set[string(buf)]
			}
			vals[i] = found
			valid[i] = found || !(sawNull && lhi > llo && rhi > rlo)
		}
		return boolArray(mem, vals, valid), nil
	}}, nil
}

// ArraysZip is arrays_zip(a1, ..., ak): an array of structs whose field j
// holds element i of array j (null past its end); the result is as long
// as the longest array, null when any array is null.
func ArraysZip(names []string, args ...expr.Expr) (expr.Expr, error) {
	if err := checkArgs("arrays_zip", args...); err != nil {
		return nil, err
	}
	if len(names) != len(args) {
		return nil, fmt.Errorf("arrays_zip: %d field names for %d arrays", len(names), len(args))
	}
	fields := make([]arrow.Field, len(args))
	for k, x := range args {
		et, err := listElem("arrays_zip", x.DataType())
		if err != nil {
			return nil, err
		}
		fields[k] = arrow.Field{Name: names[k], Type: et, Nullable: true}
	}
	st := arrow.StructOf(fields...)
	typ := arrow.ListOf(st)
	return &fn{name: "arrays_zip", args: args, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		views := make([]listView, len(a))
		for k, x := range a {
			v, err := viewList(x)
			if err != nil {
				return nil, err
			}
			if v.null {
				return array.MakeArrayOfNull(mem, typ, n), nil
			}
			views[k] = v
		}
		idx := make([][]int32, len(a))
		for k := range idx {
			idx[k] = []int32{}
		}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		total := int32(0)
		for i := 0; i < n; i++ {
			valid[i] = true
			m := int32(0)
			for k := range views {
				valid[i] = valid[i] && views[k].valid(i)
				lo, hi := views[k].bounds(i)
				m = max(m, hi-lo)
			}
			if valid[i] {
				for k := range views {
					lo, hi := views[k].bounds(i)
					for j := int32(0); j < m; j++ {
						idx[k] = append(idx[k], at(lo+j, hi))
					}
				}
				total += m
			}
			offs[i+1] = total
		}
		cols := make([]arrow.ArrayData, len(a))
		for k := range views {
			c, err := kernels.Take(mem, views[k].child, idx[k])
			if err != nil {
				return nil, err
			}
			defer c.Release()
			cols[k] = c.Data()
		}
		sd := array.NewData(st, int(total), []*memory.Buffer{nil}, cols, 0, 0)
		defer sd.Release()
		s := array.MakeFromData(sd)
		defer s.Release()
		return newList(mem, typ, offs, valid, s), nil
	}}, nil
}

// ArrayRemove is array_remove(array, value): the array without the
// elements equal to value; null when the array or the value is null.
func ArrayRemove(arr, value expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_remove", arr, value); err != nil {
		return nil, err
	}
	typ := arr.DataType()
	elem, err := listElem("array_remove", typ)
	if err != nil {
		return nil, err
	}
	if !equatable(elem) {
		return nil, fmt.Errorf("array_remove: elements of type %s cannot be compared", elem)
	}
	return &fn{name: "array_remove", args: []expr.Expr{arr, value}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null || a[1].DataType().ID() == arrow.NULL {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		kc, kv, err := elemKeys(v.child, a[1])
		if err != nil {
			return nil, err
		}
		var x, y []byte
		return gatherRows(mem, typ, &v, n, func(idx []int32, i int, lo, hi int32) ([]int32, bool, error) {
			if !a[1].IsValid(i) {
				return idx, false, nil
			}
			y = kv(y[:0], i)
			for j := lo; j < hi; j++ {
				if v.child.IsValid(int(j)) {
					if x = kc(x[:0], int(j)); string(x) == string(y) {
						continue
					}
				}
				idx = append(idx, j)
			}
			return idx, true, nil
		})
	}}, nil
}

// ArrayCompact is array_compact(array): the array without its nulls.
func ArrayCompact(arr expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_compact", arr); err != nil {
		return nil, err
	}
	typ := arr.DataType()
	if _, err := listElem("array_compact", typ); err != nil {
		return nil, err
	}
	return &fn{name: "array_compact", args: []expr.Expr{arr}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		return gatherRows(mem, typ, &v, n, func(idx []int32, _ int, lo, hi int32) ([]int32, bool, error) {
			for j := lo; j < hi; j++ {
				if v.child.IsValid(int(j)) {
					idx = append(idx, j)
				}
			}
			return idx, true, nil
		})
	}}, nil
}

// ReverseArray is reverse(array): the elements in reverse order.
func ReverseArray(arr expr.Expr) (expr.Expr, error) {
	if err := checkArgs("reverse", arr); err != nil {
		return nil, err
	}
	typ := arr.DataType()
	if _, err := listElem("reverse", typ); err != nil {
		return nil, err
	}
	return &fn{name: "reverse", args: []expr.Expr{arr}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		return gatherRows(mem, typ, &v, n, func(idx []int32, _ int, lo, hi int32) ([]int32, bool, error) {
			for j := hi - 1; j >= lo; j-- {
				idx = append(idx, j)
			}
			return idx, true, nil
		})
	}}, nil
}
