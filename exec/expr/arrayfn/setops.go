package arrayfn

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// The set operations of arrays.
const (
	setUnion = iota
	setIntersect
	setExcept
)

// ArrayUnion is array_union(a, b): the distinct elements of a, then those
// of b that a lacks (a null counts as a value). Null when either is null.
func ArrayUnion(a, b expr.Expr) (expr.Expr, error) { return arraySetOp("array_union", a, b, setUnion) }

// ArrayIntersect is array_intersect(a, b): the distinct elements of a that
// b holds too, in a's order.
func ArrayIntersect(a, b expr.Expr) (expr.Expr, error) {
	return arraySetOp("array_intersect", a, b, setIntersect)
}

// ArrayExcept is array_except(a, b): the distinct elements of a that b
// lacks, in a's order.
func ArrayExcept(a, b expr.Expr) (expr.Expr, error) {
	return arraySetOp("array_except", a, b, setExcept)
}

func arraySetOp(name string, x, y expr.Expr, op int) (expr.Expr, error) {
	if err := checkArgs(name, x, y); err != nil {
		return nil, err
	}
	typ := x.DataType()
	elem, err := listElem(name, typ)
	if err != nil {
		return nil, err
	}
	if !arrow.TypeEqual(typ, y.DataType()) {
		return nil, fmt.Errorf("%s: the arrays' types %s and %s differ", name, typ, y.DataType())
	}
	if !equatable(elem) {
		return nil, fmt.Errorf("%s: elements of type %s cannot be compared", name, elem)
	}
	return &fn{name: name, args: []expr.Expr{x, y}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		l, r, err := viewLists(a[0], a[1])
		if err != nil {
			return nil, err
		}
		if l.null || r.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		all, bases, err := concatWith(mem, elem, l.child, r.child)
		if err != nil {
			return nil, err
		}
		defer all.Release()
		key, err := keyFunc(all)
		if err != nil {
			return nil, err
		}
		// keyOf returns the identity of element j of all; a null is "n",
		// any value "v" and its encoding.
		var buf []byte
		keyOf := func(j int32) string {
			if all.IsNull(int(j)) {
				return "n"
			}
			buf = append(buf[:0], 'v')
			buf = key(buf, int(j))
			return string(buf)
		}
		idx := []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		inRight := map[string]bool{}
		seen := map[string]bool{}
		for i := 0; i < n; i++ {
			if l.valid(i) && r.valid(i) {
				valid[i] = true
				clear(inRight)
				clear(seen)
				rlo, rhi := r.bounds(i)
				if op != setUnion {
					for j := rlo; j < rhi; j++ {
						inRight[keyOf(bases[1]+j)] = true
					}
				}
				llo, lhi := l.bounds(i)
				for j := llo; j < lhi; j++ {
					k := keyOf(j)
					if seen[k] || op == setIntersect && !inRight[k] || op == setExcept && inRight[k] {
						continue
					}
					seen[k] = true
					idx = append(idx, j)
				}
				if op == setUnion {
					for j := rlo; j < rhi; j++ {
						if k := keyOf(bases[1] + j); !seen[k] {
							seen[k] = true
							idx = append(idx, bases[1]+j)
						}
					}
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return gatherList(mem, typ, all, idx, offs, valid)
	}}, nil
}
