package arrayfn

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// gatherList builds a list of type dt whose row i holds the child elements
// idx[offs[i]:offs[i+1]], null where valid is false.
func gatherList(mem memory.Allocator, dt arrow.DataType, child arrow.Array, idx, offs []int32, valid []bool) (arrow.Array, error) {
	c, err := kernels.Take(mem, child, idx)
	if err != nil {
		return nil, err
	}
	defer c.Release()
	return newList(mem, dt, offs, valid, c), nil
}

// SortArray is sort_array(array, asc): the elements in ascending (asc) or
// descending order; nulls come first in ascending order and last in
// descending order, as in Spark. A null array gives null.
func SortArray(arr expr.Expr, asc bool) (expr.Expr, error) {
	if err := checkArgs("sort_array", arr); err != nil {
		return nil, err
	}
	elem, err := listElem("sort_array", arr.DataType())
	if err != nil {
		return nil, err
	}
	if !orderable(elem) {
		return nil, fmt.Errorf("sort_array: elements of type %s are not supported", elem)
	}
	return &fn{name: "sort_array", args: []expr.Expr{arr}, typ: arr.DataType(), eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, arr.DataType(), n), nil
		}
		cmp, err := cmpFunc(v.child)
		if err != nil {
			return nil, err
		}
		child := v.child
		idx := make([]int32, 0, child.Len())
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			lo, hi := v.bounds(i)
			valid[i] = v.valid(i)
			start := len(idx)
			for j := lo; j < hi; j++ {
				idx = append(idx, j)
			}
			slices.SortStableFunc(idx[start:], func(x, y int32) int {
				xn, yn := child.IsNull(int(x)), child.IsNull(int(y))
				var c int
				switch {
				case xn && yn:
					c = 0
				case xn:
					c = -1
				case yn:
					c = 1
				default:
					c = cmp(int(x), int(y))
				}
				if !asc {
					c = -c
				}
				return c
			})
			offs[i+1] = int32(len(idx))
		}
		return gatherList(mem, arr.DataType(), child, idx, offs, valid)
	}}, nil
}

// ArrayDistinct is array_distinct(array): the elements without repeats,
// first occurrences in order (one null kept when there are nulls).
func ArrayDistinct(arr expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_distinct", arr); err != nil {
		return nil, err
	}
	elem, err := listElem("array_distinct", arr.DataType())
	if err != nil {
		return nil, err
	}
	if !equatable(elem) {
		return nil, fmt.Errorf("array_distinct: elements of type %s are not supported", elem)
	}
	return &fn{name: "array_distinct", args: []expr.Expr{arr}, typ: arr.DataType(), eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, arr.DataType(), n), nil
		}
		kf, err := keyFunc(v.child)
		if err != nil {
			return nil, err
		}
		seen := map[string]struct{}{}
		var key []byte
		return gatherRows(mem, arr.DataType(), &v, n, func(idx []int32, _ int, lo, hi int32) ([]int32, bool, error) {
			clear(seen)
			sawNull := false
			for j := lo; j < hi; j++ {
				if v.child.IsNull(int(j)) {
					if !sawNull {
						sawNull = true
						idx = append(idx, j)
					}
					continue
				}
				key = kf(key[:0], int(j))
				if _, dup := seen[string(key)]; dup {
					continue
				}
				seen[string(key)] = struct{}{}
				idx = append(idx, j)
			}
			return idx, true, nil
		})
	}}, nil
}

// ArrayMin is array_min(array): the least non-null element, null when there
// is none (NaN is greater than every number).
func ArrayMin(arr expr.Expr) (expr.Expr, error) { return arrayExtreme("array_min", arr, -1) }

// ArrayMax is array_max(array): the greatest non-null element.
func ArrayMax(arr expr.Expr) (expr.Expr, error) { return arrayExtreme("array_max", arr, 1) }

func arrayExtreme(name string, arr expr.Expr, sign int) (expr.Expr, error) {
	if err := checkArgs(name, arr); err != nil {
		return nil, err
	}
	elem, err := listElem(name, arr.DataType())
	if err != nil {
		return nil, err
	}
	if !orderable(elem) {
		return nil, fmt.Errorf("%s: elements of type %s are not supported", name, elem)
	}
	return &fn{name: name, args: []expr.Expr{arr}, typ: elem, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, elem, n), nil
		}
		cmp, err := cmpFunc(v.child)
		if err != nil {
			return nil, err
		}
		idx := make([]int32, n)
		for i := range idx {
			best := int32(-1)
			lo, hi := v.bounds(i)
			for j := lo; j < hi; j++ {
				if v.child.IsValid(int(j)) && (best < 0 || cmp(int(j), int(best))*sign > 0) {
					best = j
				}
			}
			idx[i] = best
		}
		return kernels.Take(mem, v.child, idx)
	}}, nil
}

// ArrayJoin is array_join(array<string>, sep [, nullReplacement]): the
// elements joined with sep; null elements are skipped, or replaced when
// nullReplacement is given (nil: absent). A null array, separator or
// replacement gives null.
func ArrayJoin(arr, sep, nullReplacement expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_join", arr, sep); err != nil {
		return nil, err
	}
	args := []expr.Expr{arr, sep}
	if nullReplacement != nil {
		args = append(args, nullReplacement)
	}
	elem, err := listElem("array_join", arr.DataType())
	if err != nil {
		return nil, err
	}
	if id := valueType(elem).ID(); id != arrow.STRING && id != arrow.NULL {
		return nil, fmt.Errorf("array_join: argument %s has type %s, expected array<string>", arr, arr.DataType())
	}
	for _, s := range args[1:] {
		if id := valueType(s.DataType()).ID(); id != arrow.STRING && id != arrow.NULL {
			return nil, fmt.Errorf("array_join: argument %s has type %s, expected string", s, s.DataType())
		}
	}
	return &fn{name: "array_join", args: args, typ: arrow.BinaryTypes.String, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		child, _ := v.child.(*array.String)
		if elemDict, ok := v.child.(*array.Dictionary); ok {
			plain, err := decode(mem, elemDict)
			if err != nil {
				return nil, err
			}
			defer plain.Release()
			child = plain.(*array.String)
		}
		str := func(x arrow.Array, i int) (string, bool) {
			s, ok := x.(*array.String)
			if !ok || s.IsNull(i) {
				return "", false
			}
			return s.Value(i), true
		}
		b := array.NewStringBuilder(mem)
		defer b.Release()
		var buf []byte
		for i := 0; i < n; i++ {
			sep, ok := str(a[1], i)
			var rep string
			hasRep := false
			if len(a) > 2 {
				rep, hasRep = str(a[2], i)
				ok = ok && hasRep
			}
			if !v.valid(i) || !ok {
				b.AppendNull()
				continue
			}
			buf = buf[:0]
			first := true
			lo, hi := v.bounds(i)
			for j := lo; j < hi; j++ {
				var s string
				if child != nil && child.IsValid(int(j)) {
					s = child.Value(int(j))
				} else if hasRep {
					s = rep
				} else {
					continue
				}
				if !first {
					buf = append(buf, sep...)
				}
				first = false
				buf = append(buf, s...)
			}
			b.BinaryBuilder.Append(buf)
		}
		return b.NewArray(), nil
	}}, nil
}

// Concat is concat(array, ...) over arrays of one type: the elements of
// every argument in order; null when any argument is null.
func Concat(args ...expr.Expr) (expr.Expr, error) {
	if err := checkArgs("concat", args...); err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("concat of arrays needs at least one argument")
	}
	dt := args[0].DataType()
	if _, err := listElem("concat", dt); err != nil {
		return nil, err
	}
	for _, x := range args[1:] {
		if !arrow.TypeEqual(x.DataType(), dt) {
			return nil, fmt.Errorf("concat: argument %s has type %s, expected %s", x, x.DataType(), dt)
		}
	}
	return &fn{name: "concat", args: args, typ: dt, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		views := make([]listView, len(a))
		children := make([]arrow.Array, len(a))
		bases := make([]int32, len(a))
		base := int32(0)
		for k, x := range a {
			v, err := viewList(x)
			if err != nil {
				return nil, err
			}
			if v.null {
				return array.MakeArrayOfNull(mem, dt, n), nil
			}
			views[k], children[k], bases[k] = v, v.child, base
			base += int32(v.child.Len())
		}
		all, err := array.Concatenate(children, mem)
		if err != nil {
			return nil, err
		}
		defer all.Release()
		var idx []int32
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			valid[i] = true
			for k := range views {
				if !views[k].valid(i) {
					valid[i] = false
				}
			}
			if valid[i] {
				for k := range views {
					lo, hi := views[k].bounds(i)
					for j := lo; j < hi; j++ {
						idx = append(idx, bases[k]+j)
					}
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return gatherList(mem, dt, all, idx, offs, valid)
	}}, nil
}
