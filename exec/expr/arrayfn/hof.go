package arrayfn

import (
	"errors"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// ErrNullComparatorResult is returned by array_sort when its comparator
// returns null.
var ErrNullComparatorResult = errors.New("the comparator returned null; it must return a negative, zero or positive integer")

// indexArray builds the int32 array of the element positions pos.
func positionArray(mem memory.Allocator, pos []int32) arrow.Array {
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Int32, pos, len(pos), nil)
}

// applyToElements evaluates f once over every element of the list view:
// the element, then (when f takes two parameters) its 0-based position.
func applyToElements(mem memory.Allocator, batch arrow.RecordBatch, f *Lambda, v listView, e elements) (arrow.Array, error) {
	elems, err := gather(mem, v.child, e.idx)
	if err != nil {
		return nil, err
	}
	defer elems.Release()
	params := []arrow.Array{elems}
	if len(f.params) == 2 {
		pos := positionArray(mem, e.positions())
		defer pos.Release()
		params = append(params, pos)
	}
	return f.apply(mem, batch, e.rows, params...)
}

// checkLambda verifies that f takes between lo and hi parameters.
func checkLambda(name string, f *Lambda, lo, hi int) error {
	if f == nil {
		return fmt.Errorf("%s: the lambda function is missing", name)
	}
	if len(f.params) < lo || len(f.params) > hi {
		return fmt.Errorf("%s: the lambda function takes %d parameter(s), %s needs %d to %d", name, len(f.params), name, lo, hi)
	}
	return nil
}

// checkParams verifies that the parameters of f have the types want (a
// null-typed want accepts any type: the elements of an all-null array).
func checkParams(name string, f *Lambda, want ...arrow.DataType) error {
	for k, p := range f.params {
		if k < len(want) && want[k].ID() != arrow.NULL && !arrow.TypeEqual(valueType(p), valueType(want[k])) {
			return fmt.Errorf("%s: parameter %s of the lambda function has type %s, expected %s", name, f.names[k], p, want[k])
		}
	}
	return nil
}

// elemOf returns the element type of an array type (null for the null type).
func elemOf(t arrow.DataType) arrow.DataType {
	if lt, ok := t.(*arrow.ListType); ok {
		return lt.Elem()
	}
	return arrow.Null
}

// Transform is transform(array, x -> ...) and transform(array, (x, i) ->
// ...): each element replaced by the lambda's value (i is the 0-based
// position). A null array gives null.
func Transform(arr expr.Expr, f *Lambda) (expr.Expr, error) {
	if err := checkArgs("transform", arr); err != nil {
		return nil, err
	}
	if err := checkLambda("transform", f, 1, 2); err != nil {
		return nil, err
	}
	if err := checkParams("transform", f, elemOf(arr.DataType()), arrow.PrimitiveTypes.Int32); err != nil {
		return nil, err
	}
	typ := arrow.ListOf(f.DataType())
	return &hof{name: "transform", args: []expr.Expr{arr}, lambdas: []*Lambda{f}, typ: typ, eval: overElements(typ, func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int, v listView, e elements) (arrow.Array, error) {
		res, err := applyToElements(mem, batch, f, v, e)
		if err != nil {
			return nil, err
		}
		defer res.Release()
		return newList(mem, typ, e.offs, e.valid, res), nil
	})}, nil
}

// Filter is filter(array, x -> cond) and filter(array, (x, i) -> cond):
// the elements for which the condition is true (not false or null).
func Filter(arr expr.Expr, f *Lambda) (expr.Expr, error) {
	if err := checkArgs("filter", arr); err != nil {
		return nil, err
	}
	if err := checkLambda("filter", f, 1, 2); err != nil {
		return nil, err
	}
	if err := checkParams("filter", f, elemOf(arr.DataType()), arrow.PrimitiveTypes.Int32); err != nil {
		return nil, err
	}
	if f.DataType().ID() != arrow.BOOL {
		return nil, fmt.Errorf("filter: the lambda function returns %s, not boolean", f.DataType())
	}
	typ := arr.DataType()
	return &hof{name: "filter", args: []expr.Expr{arr}, lambdas: []*Lambda{f}, typ: typ, eval: overElements(typ, func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int, v listView, e elements) (arrow.Array, error) {
		res, err := applyToElements(mem, batch, f, v, e)
		if err != nil {
			return nil, err
		}
		defer res.Release()
		keep := res.(*array.Boolean)
		idx := make([]int32, 0, len(e.idx))
		offs := make([]int32, n+1)
		for i := 0; i < n; i++ {
			for k := e.offs[i]; k < e.offs[i+1]; k++ {
				if keep.IsValid(int(k)) && keep.Value(int(k)) {
					idx = append(idx, e.idx[k])
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return gatherList(mem, typ, v.child, idx, offs, e.valid)
	})}, nil
}

// Exists is exists(array, x -> cond): true when the condition holds for
// some element; otherwise null when it is null for some element, else
// false (three-valued, as Spark).
func Exists(arr expr.Expr, f *Lambda) (expr.Expr, error) { return quantifier("exists", arr, f, true) }

// Forall is forall(array, x -> cond): false when the condition is false
// for some element; otherwise null when it is null for some element, else
// true.
func Forall(arr expr.Expr, f *Lambda) (expr.Expr, error) { return quantifier("forall", arr, f, false) }

// quantifier is exists (decisive true) or forall (decisive false).
func quantifier(name string, arr expr.Expr, f *Lambda, decisive bool) (expr.Expr, error) {
	if err := checkArgs(name, arr); err != nil {
		return nil, err
	}
	if err := checkLambda(name, f, 1, 1); err != nil {
		return nil, err
	}
	if err := checkParams(name, f, elemOf(arr.DataType())); err != nil {
		return nil, err
	}
	if f.DataType().ID() != arrow.BOOL {
		return nil, fmt.Errorf("%s: the lambda function returns %s, not boolean", name, f.DataType())
	}
	typ := arrow.FixedWidthTypes.Boolean
	return &hof{name: name, args: []expr.Expr{arr}, lambdas: []*Lambda{f}, typ: typ, eval: overElements(typ, func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int, v listView, e elements) (arrow.Array, error) {
		res, err := applyToElements(mem, batch, f, v, e)
		if err != nil {
			return nil, err
		}
		defer res.Release()
		b := res.(*array.Boolean)
		vals, valid := make([]bool, n), make([]bool, n)
		for i := 0; i < n; i++ {
			if !e.valid[i] {
				continue
			}
			out, sawNull := !decisive, false
			for k := e.offs[i]; k < e.offs[i+1]; k++ {
				if !b.IsValid(int(k)) {
					sawNull = true
				} else if b.Value(int(k)) == decisive {
					out, sawNull = decisive, false
					break
				}
			}
			vals[i], valid[i] = out, !sawNull
		}
		return boolArray(mem, vals, valid), nil
	})}, nil
}

// Aggregate is aggregate(array, zero, (acc, x) -> merge [, acc -> finish])
// (alias reduce): the elements folded left to right into the accumulator,
// which starts at zero, then passed to finish. A null array gives null.
// The fold runs position by position: step k evaluates merge once over
// the k-th elements of every array that long.
func Aggregate(arr, zero expr.Expr, merge, finish *Lambda) (expr.Expr, error) {
	if err := checkArgs("aggregate", arr, zero); err != nil {
		return nil, err
	}
	if err := checkLambda("aggregate", merge, 2, 2); err != nil {
		return nil, err
	}
	accType := valueType(zero.DataType())
	if err := checkParams("aggregate", merge, accType, elemOf(arr.DataType())); err != nil {
		return nil, err
	}
	if !arrow.TypeEqual(merge.DataType(), accType) {
		return nil, fmt.Errorf("aggregate: the merge function returns %s, the accumulator (zero) has type %s", merge.DataType(), accType)
	}
	typ := accType
	lambdas := []*Lambda{merge}
	if finish != nil {
		if err := checkLambda("aggregate", finish, 1, 1); err != nil {
			return nil, err
		}
		typ = finish.DataType()
		lambdas = append(lambdas, finish)
	}
	return &hof{name: "aggregate", args: []expr.Expr{arr, zero}, lambdas: lambdas, typ: typ, eval: func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		acc, err := fold(mem, batch, merge, v, a[1], n)
		if err != nil {
			return nil, err
		}
		if finish == nil {
			return acc, nil
		}
		defer acc.Release()
		res, err := finish.apply(mem, batch, nil, acc)
		if err != nil || a[0].NullN() == 0 {
			return res, err
		}
		// A null array gives null, whatever finish makes of a null.
		defer res.Release()
		idx := make([]int32, n)
		for i := range idx {
			idx[i] = int32(i)
			if !v.valid(i) {
				idx[i] = -1
			}
		}
		return kernels.Take(mem, res, idx)
	}}, nil
}

// fold computes the accumulators of aggregate (null for a null array).
func fold(mem memory.Allocator, batch arrow.RecordBatch, merge *Lambda, v listView, zero arrow.Array, n int) (arrow.Array, error) {
	// active lists the rows still folding, acc their accumulators.
	active := make([]int32, 0, n)
	start := make([]int32, n)
	for i := 0; i < n; i++ {
		if v.valid(i) {
			active = append(active, int32(i))
			start[i], _ = v.bounds(i)
		}
	}
	acc, err := kernels.Take(mem, zero, active)
	if err != nil {
		return nil, err
	}
	// Each row's result is position at[i] of the concatenation of done.
	done := []arrow.Array{}
	defer func() {
		for _, d := range done {
			d.Release()
		}
	}()
	at := make([]int32, n)
	for i := range at {
		at[i] = -1
	}
	base := int32(0)
	for k := int32(0); ; k++ {
		// Rows whose arrays end here are finished with acc.
		var next []int32
		var keep []int32
		for j, i := range active {
			lo, hi := v.bounds(int(i))
			if hi-lo == k {
				at[i] = base + int32(j)
			} else {
				next = append(next, i)
				keep = append(keep, int32(j))
			}
		}
		done = append(done, acc)
		base += int32(acc.Len())
		if len(next) == 0 {
			break
		}
		cur, err := kernels.Take(mem, acc, keep)
		if err != nil {
			return nil, err
		}
		idx := make([]int32, len(next))
		for j, i := range next {
			idx[j] = start[i] + k
		}
		elems, err := kernels.Take(mem, v.child, idx)
		if err != nil {
			cur.Release()
			return nil, err
		}
		acc, err = merge.apply(mem, batch, next, cur, elems)
		cur.Release()
		elems.Release()
		if err != nil {
			return nil, err
		}
		active = next
	}
	all, err := array.Concatenate(done, mem)
	if err != nil {
		return nil, err
	}
	defer all.Release()
	return kernels.Take(mem, all, at)
}

// ZipWith is zip_with(left, right, (x, y) -> ...): the lambda over the
// elements of both arrays pairwise; the shorter array is padded with
// nulls. A null array gives null.
func ZipWith(left, right expr.Expr, f *Lambda) (expr.Expr, error) {
	if err := checkArgs("zip_with", left, right); err != nil {
		return nil, err
	}
	if err := checkLambda("zip_with", f, 2, 2); err != nil {
		return nil, err
	}
	if err := checkParams("zip_with", f, elemOf(left.DataType()), elemOf(right.DataType())); err != nil {
		return nil, err
	}
	typ := arrow.ListOf(f.DataType())
	return &hof{name: "zip_with", args: []expr.Expr{left, right}, lambdas: []*Lambda{f}, typ: typ, eval: func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int) (arrow.Array, error) {
		l, r, err := viewLists(a[0], a[1])
		if err != nil {
			return nil, err
		}
		if l.null || r.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		rows, li, ri := []int32{}, []int32{}, []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			valid[i] = l.valid(i) && r.valid(i)
			if valid[i] {
				llo, lhi := l.bounds(i)
				rlo, rhi := r.bounds(i)
				for k := int32(0); k < max(lhi-llo, rhi-rlo); k++ {
					rows = append(rows, int32(i))
					li = append(li, at(llo+k, lhi))
					ri = append(ri, at(rlo+k, rhi))
				}
			}
			offs[i+1] = int32(len(rows))
		}
		x, err := kernels.Take(mem, l.child, li)
		if err != nil {
			return nil, err
		}
		defer x.Release()
		y, err := kernels.Take(mem, r.child, ri)
		if err != nil {
			return nil, err
		}
		defer y.Release()
		res, err := f.apply(mem, batch, rows, x, y)
		if err != nil {
			return nil, err
		}
		defer res.Release()
		return newList(mem, typ, offs, valid, res), nil
	}}, nil
}

// at is index j when it is below end, else -1 (a null).
func at(j, end int32) int32 {
	if j < end {
		return j
	}
	return -1
}

// ArraySort is array_sort(array, (l, r) -> cmp): the elements ordered by
// the comparator, which returns a negative, zero or positive integer; the
// sort is stable. The comparator is evaluated over all pairs of elements of
// an array at once (arrays longer than pairLimit elements are compared a
// pair at a time). A null array gives null.
func ArraySort(arr expr.Expr, f *Lambda) (expr.Expr, error) {
	if err := checkArgs("array_sort", arr); err != nil {
		return nil, err
	}
	if err := checkLambda("array_sort", f, 2, 2); err != nil {
		return nil, err
	}
	if err := checkParams("array_sort", f, elemOf(arr.DataType()), elemOf(arr.DataType())); err != nil {
		return nil, err
	}
	if f.DataType().ID() != arrow.INT32 {
		return nil, fmt.Errorf("array_sort: the comparator returns %s, not int", f.DataType())
	}
	typ := arr.DataType()
	return &hof{name: "array_sort", args: []expr.Expr{arr}, lambdas: []*Lambda{f}, typ: typ, eval: overElements(typ, func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int, v listView, e elements) (arrow.Array, error) {
		order := slices.Clone(e.idx)
		// Rows with short arrays: all pairs at once, in chunks.
		var rows, li, ri []int32
		var chunk []int
		flush := func() error {
			if len(rows) == 0 {
				return nil
			}
			res, err := comparePairs(mem, batch, f, v.child, rows, li, ri)
			if err != nil {
				return err
			}
			// res[p] compares li[p], ri[p]: a matrix per row.
			p := 0
			for _, i := range chunk {
				lo, hi := e.offs[i], e.offs[i+1]
				m := int(hi - lo)
				base := e.idx[lo]
				cmpAt := res[p : p+m*m]
				slices.SortStableFunc(order[lo:hi], func(x, y int32) int { return int(cmpAt[int(x-base)*m+int(y-base)]) })
				p += m * m
			}
			rows, li, ri, chunk = rows[:0], li[:0], ri[:0], chunk[:0]
			return nil
		}
		for i := 0; i < n; i++ {
			lo, hi := e.offs[i], e.offs[i+1]
			m := hi - lo
			if m < 2 {
				continue
			}
			if m > pairLimit {
				if err := sortByPairs(mem, batch, f, v.child, int32(i), order[lo:hi]); err != nil {
					return nil, err
				}
				continue
			}
			for x := lo; x < hi; x++ {
				for y := lo; y < hi; y++ {
					rows = append(rows, int32(i))
					li = append(li, e.idx[x])
					ri = append(ri, e.idx[y])
				}
			}
			chunk = append(chunk, i)
			if len(rows) >= 1<<16 {
				if err := flush(); err != nil {
					return nil, err
				}
			}
		}
		if err := flush(); err != nil {
			return nil, err
		}
		return gatherList(mem, typ, v.child, order, e.offs, e.valid)
	})}, nil
}

// pairLimit is the longest array array_sort compares all pairs of at once.
const pairLimit = 256

// comparePairs evaluates the comparator over the element pairs (li[p],
// ri[p]) of rows rows[p].
func comparePairs(mem memory.Allocator, batch arrow.RecordBatch, f *Lambda, child arrow.Array, rows, li, ri []int32) ([]int32, error) {
	x, err := kernels.Take(mem, child, li)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	y, err := kernels.Take(mem, child, ri)
	if err != nil {
		return nil, err
	}
	defer y.Release()
	res, err := f.apply(mem, batch, rows, x, y)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	if res.NullN() > 0 {
		return nil, ErrNullComparatorResult
	}
	return slices.Clone(kernels.FixedValues[int32](res)), nil
}

// sortByPairs sorts the child indices order of row i, evaluating the
// comparator one pair at a time.
func sortByPairs(mem memory.Allocator, batch arrow.RecordBatch, f *Lambda, child arrow.Array, i int32, order []int32) error {
	var failed error
	slices.SortStableFunc(order, func(x, y int32) int {
		if failed != nil {
			return 0
		}
		res, err := comparePairs(mem, batch, f, child, []int32{i}, []int32{x}, []int32{y})
		if err != nil {
			failed = err
			return 0
		}
		return int(res[0])
	})
	return failed
}

// ArraySortDefault is array_sort(array) without a comparator: ascending
// order with nulls last (unlike sort_array, which puts them first). A null
// array gives null.
func ArraySortDefault(arr expr.Expr) (expr.Expr, error) {
	if err := checkArgs("array_sort", arr); err != nil {
		return nil, err
	}
	elem, err := listElem("array_sort", arr.DataType())
	if err != nil {
		return nil, err
	}
	if !orderable(elem) {
		return nil, fmt.Errorf("array_sort: elements of type %s cannot be ordered; pass a comparator lambda function", elem)
	}
	typ := arr.DataType()
	return &fn{name: "array_sort", args: []expr.Expr{arr}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		e := listElements(v, n)
		cmp, err := cmpFunc(v.child)
		if err != nil {
			return nil, err
		}
		order := slices.Clone(e.idx)
		c := v.child
		for i := 0; i < n; i++ {
			slices.SortStableFunc(order[e.offs[i]:e.offs[i+1]], func(x, y int32) int {
				xv, yv := c.IsValid(int(x)), c.IsValid(int(y))
				switch {
				case !xv || !yv:
					return boolCmp(!xv, !yv)
				}
				return cmp(int(x), int(y))
			})
		}
		return gatherList(mem, typ, c, order, e.offs, e.valid)
	}}, nil
}

// boolCmp orders false before true.
func boolCmp(x, y bool) int {
	switch {
	case x == y:
		return 0
	case x:
		return 1
	}
	return -1
}
