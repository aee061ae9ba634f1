package arrayfn

import (
	"math/rand/v2"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// Shuffle returns shuffle(arr): each array's elements in a random order (a
// uniform permutation, NULL elements included), from a generator seeded
// with seed that continues across the batches it is evaluated on. A NULL
// array stays NULL.
func Shuffle(arr expr.Expr, seed int64) (expr.Expr, error) {
	if err := checkArgs("shuffle", arr); err != nil {
		return nil, err
	}
	if _, err := listElem("shuffle", arr.DataType()); err != nil {
		return nil, err
	}
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15))
	return &fn{name: "shuffle", label: "shuffle(" + arr.String() + ")", args: []expr.Expr{arr}, typ: arr.DataType(), eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, arr.DataType(), n), nil
		}
		mu.Lock()
		defer mu.Unlock()
		return gatherRows(mem, arr.DataType(), &v, n, func(idx []int32, _ int, lo, hi int32) ([]int32, bool, error) {
			start := len(idx)
			for j := lo; j < hi; j++ {
				idx = append(idx, j)
			}
			seg := idx[start:]
			rng.Shuffle(len(seg), func(x, y int) { seg[x], seg[y] = seg[y], seg[x] })
			return idx, true, nil
		})
	}}, nil
}
