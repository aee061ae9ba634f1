package exec

import (
	"reflect"
)

// GoBytes estimates the Go heap memory reachable from vs: the backing arrays
// of slices (by capacity), string bytes, map entries and the values pointers
// lead to, each backing array or pointed-to value counted once. It is how
// operators count the state they keep outside Arrow buffers (see Held)
// without keeping a tally by hand that drifts from the code.
//
// Of a slice of more than maxWalked elements that hold pointers, only
// maxWalked evenly spaced elements are walked and what they refer to is
// scaled to the whole slice, so a walk costs about the same however many
// elements (groups, rows) the state has.
//
// Pointers and interfaces are followed only to types of the package of the
// first value's type (or to unnamed types): an operator's state points at
// shared things (allocators, Arrow arrays, the plan, the environment) that
// are not its own to count.
func GoBytes(vs ...any) int64 {
	if len(vs) == 0 {
		return 0
	}
	w := goSizer{seen: make(map[uintptr]struct{})}
	for _, v := range vs {
		if w.pkg == "" {
			w.pkg = pkgOf(reflect.TypeOf(v))
		}
		w.top(reflect.ValueOf(v))
	}
	return w.n
}

// pkgOf is the package path of t, looking through pointers, slices and
// arrays to the named element type.
func pkgOf(t reflect.Type) string {
	for t != nil {
		if p := t.PkgPath(); p != "" {
			return p
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			t = t.Elem()
		default:
			return ""
		}
	}
	return ""
}

// maxWalked is the most elements of one slice GoBytes walks.
const maxWalked = 1024

type goSizer struct {
	pkg  string
	seen map[uintptr]struct{}
	n    int64
}

// top counts a value passed to GoBytes: a pointer or slice at the top is the
// operator's own, whatever its package.
func (w *goSizer) top(v reflect.Value) {
	if !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || w.visited(v.Pointer()) {
			return
		}
		w.n += int64(v.Type().Elem().Size())
		w.inner(v.Elem())
	default:
		w.inner(v)
	}
}

func (w *goSizer) visited(p uintptr) bool {
	if _, ok := w.seen[p]; ok {
		return true
	}
	w.seen[p] = struct{}{}
	return false
}

// own reports whether the walk may follow a pointer or interface to t.
func (w *goSizer) own(t reflect.Type) bool {
	p := t.PkgPath()
	return p == "" || p == w.pkg
}

// roundAlloc rounds an allocation of n bytes up as the Go allocator's size
// classes roughly do (8-byte steps for small objects, 1/8 steps above).
func roundAlloc(n int64) int64 {
	if n <= 0 {
		return 0
	}
	if n <= 128 {
		return (n + 7) &^ 7
	}
	step := int64(1)
	for step*8 < n {
		step <<= 1
	}
	return (n + step - 1) / step * step
}

// inner counts what v refers to; v's own bytes are counted by its holder.
func (w *goSizer) inner(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !w.own(v.Type().Elem()) || w.visited(v.Pointer()) {
			return
		}
		w.n += roundAlloc(int64(v.Type().Elem().Size()))
		w.inner(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if e.Kind() == reflect.Pointer {
			w.inner(e)
			return
		}
		if !w.own(e.Type()) {
			return
		}
		w.n += roundAlloc(int64(e.Type().Size()))
		w.inner(e)
	case reflect.Struct:
		if !hasPointers(v.Type()) {
			return
		}
		for i := range v.NumField() {
			w.inner(v.Field(i))
		}
	case reflect.Array:
		if !hasPointers(v.Type().Elem()) {
			return
		}
		for i := range v.Len() {
			w.inner(v.Index(i))
		}
	case reflect.Slice:
		if v.IsNil() || v.Cap() == 0 || w.visited(v.Pointer()) {
			return
		}
		et := v.Type().Elem()
		w.n += roundAlloc(int64(v.Cap()) * int64(et.Size()))
		if !hasPointers(et) {
			return
		}
		n := v.Len()
		if n <= maxWalked {
			for i := range n {
				w.inner(v.Index(i))
			}
			return
		}
		// A long slice: what maxWalked evenly spaced elements refer to,
		// scaled to all of them.
		before := w.n
		for k := range maxWalked {
			w.inner(v.Index(k * n / maxWalked))
		}
		w.n = before + (w.n-before)*int64(n)/maxWalked
	case reflect.String:
		w.n += roundAlloc(int64(v.Len()))
	case reflect.Map:
		if v.IsNil() || w.visited(v.Pointer()) {
			return
		}
		kt, et := v.Type().Key(), v.Type().Elem()
		// Buckets hold 8 entries at up to 7/8 load, plus a control word.
		w.n += int64(v.Len()) * (int64(kt.Size()+et.Size()) + 1) * 8 / 7
		if !hasPointers(kt) && !hasPointers(et) {
			return
		}
		it := v.MapRange()
		for it.Next() {
			w.inner(it.Key())
			w.inner(it.Value())
		}
	}
}

// hasPointers reports whether values of t refer to other memory.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.String, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}
