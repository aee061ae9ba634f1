package functions

import (
	"fmt"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

// lambda builds a lambda function column from a Go function of its
// parameters, as Spark's functions.transform(col, x => ...) does. The
// parameters get names no column has (__x_1, ...), numbered by nesting so
// that a lambda built inside another's body does not shadow the outer one's
// parameters. fn is called twice: once to find the lambdas nested in its
// body, once to build it.
func lambda(names []string, fn func(args []frame.Column) frame.Column) frame.Column {
	probe := fn(params(names, 0))
	if probe.Err() != nil {
		return probe
	}
	depth := 1 + lambdaDepth(probe.Expr())
	body := fn(params(names, depth))
	if body.Err() != nil {
		return body
	}
	vars := make([]string, len(names))
	for i, n := range names {
		vars[i] = paramName(n, depth)
	}
	return frame.ColumnOf(&logical.Lambda{Params: vars, Body: body.Expr()})
}

func paramName(name string, depth int) string { return fmt.Sprintf("__%s_%d", name, depth) }

func params(names []string, depth int) []frame.Column {
	out := make([]frame.Column, len(names))
	for i, n := range names {
		out[i] = frame.ColumnOf(&logical.UnresolvedColumn{Name: paramName(n, depth)})
	}
	return out
}

// lambdaDepth is the deepest nesting of lambda functions in e.
func lambdaDepth(e logical.Expr) int {
	d := 0
	for _, c := range e.Children() {
		d = max(d, lambdaDepth(c))
	}
	if _, ok := e.(*logical.Lambda); ok {
		d++
	}
	return d
}

func lambda1(fn func(x frame.Column) frame.Column) frame.Column {
	return lambda([]string{"x"}, func(a []frame.Column) frame.Column { return fn(a[0]) })
}

func lambda2(x, y string, fn func(x, y frame.Column) frame.Column) frame.Column {
	return lambda([]string{x, y}, func(a []frame.Column) frame.Column { return fn(a[0], a[1]) })
}

// Transform is transform(c, x -> fn(x)): fn applied to each element.
func Transform(c frame.Column, fn func(x frame.Column) frame.Column) frame.Column {
	return frame.Call("transform", c, lambda1(fn))
}

// TransformWithIndex is transform(c, (x, i) -> fn(x, i)), i the 0-based
// position of the element.
func TransformWithIndex(c frame.Column, fn func(x, i frame.Column) frame.Column) frame.Column {
	return frame.Call("transform", c, lambda2("x", "i", fn))
}

// Filter is filter(c, x -> fn(x)): the elements for which fn is true.
func Filter(c frame.Column, fn func(x frame.Column) frame.Column) frame.Column {
	return frame.Call("filter", c, lambda1(fn))
}

// FilterWithIndex is filter(c, (x, i) -> fn(x, i)).
func FilterWithIndex(c frame.Column, fn func(x, i frame.Column) frame.Column) frame.Column {
	return frame.Call("filter", c, lambda2("x", "i", fn))
}

// Exists is exists(c, x -> fn(x)): whether fn holds for some element.
func Exists(c frame.Column, fn func(x frame.Column) frame.Column) frame.Column {
	return frame.Call("exists", c, lambda1(fn))
}

// Forall is forall(c, x -> fn(x)): whether fn holds for every element.
func Forall(c frame.Column, fn func(x frame.Column) frame.Column) frame.Column {
	return frame.Call("forall", c, lambda1(fn))
}

// Aggregate is aggregate(c, zero, (acc, x) -> merge(acc, x)): the elements
// folded into an accumulator starting at zero.
func Aggregate(c frame.Column, zero any, merge func(acc, x frame.Column) frame.Column) frame.Column {
	return frame.Call("aggregate", c, frame.Lit(zero), lambda2("acc", "x", merge))
}

// AggregateFinish is aggregate(c, zero, merge, acc -> finish(acc)).
func AggregateFinish(c frame.Column, zero any, merge func(acc, x frame.Column) frame.Column, finish func(acc frame.Column) frame.Column) frame.Column {
	return frame.Call("aggregate", c, frame.Lit(zero), lambda2("acc", "x", merge), lambda1(finish))
}

// Reduce is Aggregate (Spark's reduce).
func Reduce(c frame.Column, zero any, merge func(acc, x frame.Column) frame.Column) frame.Column {
	return Aggregate(c, zero, merge)
}

// ZipWith is zip_with(l, r, (x, y) -> fn(x, y)) over the arrays' elements
// pairwise, the shorter padded with nulls.
func ZipWith(l, r frame.Column, fn func(x, y frame.Column) frame.Column) frame.Column {
	return frame.Call("zip_with", l, r, lambda2("x", "y", fn))
}

// ArraySort is array_sort(c): ascending, nulls last.
func ArraySort(c frame.Column) frame.Column { return frame.Call("array_sort", c) }

// ArraySortBy is array_sort(c, (l, r) -> cmp(l, r)), cmp returning a
// negative, zero or positive int.
func ArraySortBy(c frame.Column, cmp func(l, r frame.Column) frame.Column) frame.Column {
	return frame.Call("array_sort", c, lambda2("l", "r", cmp))
}

// MapFilter is map_filter(m, (k, v) -> fn(k, v)).
func MapFilter(m frame.Column, fn func(k, v frame.Column) frame.Column) frame.Column {
	return frame.Call("map_filter", m, lambda2("k", "v", fn))
}

// TransformKeys is transform_keys(m, (k, v) -> fn(k, v)).
func TransformKeys(m frame.Column, fn func(k, v frame.Column) frame.Column) frame.Column {
	return frame.Call("transform_keys", m, lambda2("k", "v", fn))
}

// TransformValues is transform_values(m, (k, v) -> fn(k, v)).
func TransformValues(m frame.Column, fn func(k, v frame.Column) frame.Column) frame.Column {
	return frame.Call("transform_values", m, lambda2("k", "v", fn))
}

// MapZipWith is map_zip_with(m1, m2, (k, v1, v2) -> fn(k, v1, v2)).
func MapZipWith(m1, m2 frame.Column, fn func(k, v1, v2 frame.Column) frame.Column) frame.Column {
	return frame.Call("map_zip_with", m1, m2, lambda([]string{"k", "v1", "v2"}, func(a []frame.Column) frame.Column { return fn(a[0], a[1], a[2]) }))
}

// ArrayPosition is array_position(c, value): the 1-based position of the
// first element equal to value, 0 if none.
func ArrayPosition(c frame.Column, value any) frame.Column {
	return frame.Call("array_position", c, frame.Lit(value))
}

// Slice is slice(c, start, length): length elements from the 1-based start
// (negative: from the end).
func Slice(c frame.Column, start, length any) frame.Column {
	return frame.Call("slice", c, frame.Lit(start), frame.Lit(length))
}

// Flatten is flatten(c): an array of arrays as one array.
func Flatten(c frame.Column) frame.Column { return frame.Call("flatten", c) }

// Sequence is sequence(start, stop): the integers from start to stop.
func Sequence(start, stop any) frame.Column {
	return frame.Call("sequence", frame.Lit(start), frame.Lit(stop))
}

// SequenceStep is sequence(start, stop, step).
func SequenceStep(start, stop, step any) frame.Column {
	return frame.Call("sequence", frame.Lit(start), frame.Lit(stop), frame.Lit(step))
}

// ArrayRepeat is array_repeat(c, count): count copies of c.
func ArrayRepeat(c frame.Column, count any) frame.Column {
	return frame.Call("array_repeat", c, frame.Lit(count))
}

// ArrayInsert is array_insert(c, pos, value): value inserted at the 1-based
// position pos (negative: from the end, -1 appends).
func ArrayInsert(c frame.Column, pos, value any) frame.Column {
	return frame.Call("array_insert", c, frame.Lit(pos), frame.Lit(value))
}

// ArrayPrepend is array_prepend(c, value).
func ArrayPrepend(c frame.Column, value any) frame.Column {
	return frame.Call("array_prepend", c, frame.Lit(value))
}

// ArrayAppend is array_append(c, value).
func ArrayAppend(c frame.Column, value any) frame.Column {
	return frame.Call("array_append", c, frame.Lit(value))
}

// ArraysOverlap is arrays_overlap(a, b): whether the arrays share an element.
func ArraysOverlap(a, b frame.Column) frame.Column { return frame.Call("arrays_overlap", a, b) }

// ArraysZip is arrays_zip(cols...): an array of structs of the arrays'
// elements position by position.
func ArraysZip(cols ...frame.Column) frame.Column { return frame.Call("arrays_zip", cols...) }

// ArrayRemove is array_remove(c, value): c without the elements equal to value.
func ArrayRemove(c frame.Column, value any) frame.Column {
	return frame.Call("array_remove", c, frame.Lit(value))
}

// ArrayCompact is array_compact(c): c without its nulls.
func ArrayCompact(c frame.Column) frame.Column { return frame.Call("array_compact", c) }

// MapConcat is map_concat(maps...): the entries of every map.
func MapConcat(maps ...frame.Column) frame.Column { return frame.Call("map_concat", maps...) }

// MapFromEntries is map_from_entries(c) over an array of (key, value) structs.
func MapFromEntries(c frame.Column) frame.Column { return frame.Call("map_from_entries", c) }

// MapFromArrays is map_from_arrays(keys, values).
func MapFromArrays(keys, values frame.Column) frame.Column {
	return frame.Call("map_from_arrays", keys, values)
}

// MapEntries is map_entries(m): the entries as an array of (key, value) structs.
func MapEntries(m frame.Column) frame.Column { return frame.Call("map_entries", m) }

// StrToMap is str_to_map(c, pairDelim, keyValueDelim); the delimiters are
// regular expressions.
func StrToMap(c frame.Column, pairDelim, keyValueDelim string) frame.Column {
	return frame.Call("str_to_map", c, frame.Lit(pairDelim), frame.Lit(keyValueDelim))
}

// ArrayUnion is array_union(a, b): the distinct elements of both arrays.
func ArrayUnion(a, b frame.Column) frame.Column { return frame.Call("array_union", a, b) }

// ArrayIntersect is array_intersect(a, b): the distinct elements of a that b holds.
func ArrayIntersect(a, b frame.Column) frame.Column { return frame.Call("array_intersect", a, b) }

// ArrayExcept is array_except(a, b): the distinct elements of a that b lacks.
func ArrayExcept(a, b frame.Column) frame.Column { return frame.Call("array_except", a, b) }

// ArraySize is array_size(c): the number of elements (null for a null array).
func ArraySize(c frame.Column) frame.Column { return frame.Call("array_size", c) }

// MapContainsKey is map_contains_key(m, key).
func MapContainsKey(m frame.Column, key any) frame.Column {
	return frame.Call("map_contains_key", m, frame.Lit(key))
}
