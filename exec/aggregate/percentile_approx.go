package aggregate

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// --- percentile_approx: a mergeable quantile sketch ---

// isApprox reports whether f is percentile_approx (either form).
func isApprox(f Func) bool { return f == PercentileApprox || f == PercentileApproxArray }

// approxStateFields is percentile_approx's partial state: the sketch's
// retained values ("<Name>$values", list of the input type) and their
// weights ("<Name>$weights", list<int64>, powers of two), in step; the
// group's exact minimum and maximum lead the lists with weight 0.
func approxStateFields(sp Spec, elem arrow.DataType) []arrow.Field {
	return []arrow.Field{
		{Name: sp.Name + "$values", Type: arrow.ListOf(elem), Nullable: true},
		{Name: sp.Name + "$weights", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64), Nullable: true},
	}
}

// sketchCapacity is the number of values a sketch level holds before it is
// compacted, for an accuracy a (relative error 1/a). A compaction at level h
// (values of weight 2^h) moves any rank by at most 2^h, and a level
// compacts at most n/(capacity·2^h) times over n values, so the rank error
// is at most levels·n/capacity: with a capacity of 8·a it stays within n/a
// up to 2^8 capacities of input per group, and within levels/8 of it beyond.
// A group of at most capacity values is never compacted: its answer is
// exact.
func sketchCapacity(accuracy int64) int {
	if accuracy <= 0 {
		accuracy = DefaultPercentileAccuracy
	}
	return int(min(max(8*accuracy, 64), 1<<24))
}

// sketch is one group's summary: levels[h] holds values of weight 2^h;
// the exact extremes are kept aside, so percentages 0 and 1 are exact.
type sketch[T any] struct {
	levels [][]T
	flip   uint8 // alternates which half a compaction keeps
	seen   bool
	lo, hi T
}

// approxAcc is percentile_approx: a sketch per group, typed by the input.
type approxAcc[T any] struct {
	f     Func
	merge bool
	dt    arrow.DataType
	cmp   func(T, T) int
	cap   int
	pct   pctParams
	sk    []sketch[T]
}

func newApproxAcc(sp Spec, elem arrow.DataType, merge bool) (accumulator, error) {
	pct, err := newPctParams(sp)
	if err != nil {
		return nil, err
	}
	c := sketchCapacity(sp.Accuracy)
	switch elem.ID() {
	case arrow.INT8:
		return &approxAcc[int8]{f: sp.Func, merge: merge, dt: elem, cmp: ordCmp[int8], cap: c, pct: pct}, nil
	case arrow.INT16:
		return &approxAcc[int16]{f: sp.Func, merge: merge, dt: elem, cmp: ordCmp[int16], cap: c, pct: pct}, nil
	case arrow.INT32, arrow.DATE32:
		return &approxAcc[int32]{f: sp.Func, merge: merge, dt: elem, cmp: ordCmp[int32], cap: c, pct: pct}, nil
	case arrow.INT64, arrow.TIMESTAMP, arrow.DECIMAL64:
		return &approxAcc[int64]{f: sp.Func, merge: merge, dt: elem, cmp: ordCmp[int64], cap: c, pct: pct}, nil
	case arrow.FLOAT32:
		return &approxAcc[float32]{f: sp.Func, merge: merge, dt: elem, cmp: ordCmp[float32], cap: c, pct: pct}, nil
	case arrow.FLOAT64:
		return &approxAcc[float64]{f: sp.Func, merge: merge, dt: elem, cmp: ordCmp[float64], cap: c, pct: pct}, nil
	case arrow.DECIMAL128:
		return &approxAcc[decimal128.Num]{f: sp.Func, merge: merge, dt: elem, cmp: decimal128.Num.Cmp, cap: c, pct: pct}, nil
	}
	return nil, fmt.Errorf("%s of %s is not supported", sp.Func, elem)
}

func (a *approxAcc[T]) grow(n int) { a.sk = growTo(a.sk, n) }

// extreme records v in the group's minimum and maximum.
func (a *approxAcc[T]) extreme(s *sketch[T], v T) {
	if !s.seen {
		s.seen, s.lo, s.hi = true, v, v
		return
	}
	if a.cmp(v, s.lo) < 0 {
		s.lo = v
	}
	if a.cmp(v, s.hi) > 0 {
		s.hi = v
	}
}

// add puts v with weight 2^h into group g's sketch, compacting full levels.
func (a *approxAcc[T]) add(g uint32, v T, h int) {
	s := &a.sk[g]
	a.extreme(s, v)
	for len(s.levels) <= h {
		s.levels = append(s.levels, nil)
	}
	s.levels[h] = append(s.levels[h], v)
	for len(s.levels[h]) >= a.cap {
		a.compact(s, h)
		h++
	}
}

// compact sorts level h and moves every other value, with twice the
// weight, to level h+1.
func (a *approxAcc[T]) compact(s *sketch[T], h int) {
	lv := s.levels[h]
	slices.SortFunc(lv, a.cmp)
	if len(s.levels) <= h+1 {
		s.levels = append(s.levels, nil)
	}
	up := s.levels[h+1]
	start := int(s.flip & 1)
	s.flip++
	m := len(lv) &^ 1 // an odd value out stays
	for i := start; i < m; i += 2 {
		up = append(up, lv[i])
	}
	s.levels[h+1] = up
	if m < len(lv) {
		lv[0] = lv[m]
		s.levels[h] = lv[:1]
	} else {
		s.levels[h] = lv[:0]
	}
}

func (a *approxAcc[T]) update(gids []uint32, cols []arrow.Array) error {
	if !a.merge {
		c := cols[0]
		if !arrow.TypeEqual(valueType(c.DataType()), a.dt) {
			return fmt.Errorf("%s: input type %s, expected %s", a.f, c.DataType(), a.dt)
		}
		vals := kernels.FixedValues[T](c)
		noNulls := c.NullN() == 0
		for i, g := range gids {
			if noNulls || c.IsValid(i) {
				a.add(g, vals[i], 0)
			}
		}
		return nil
	}
	vl, ok1 := cols[0].(*array.List)
	wl, ok2 := cols[1].(*array.List)
	if !ok1 || !ok2 {
		return fmt.Errorf("%s: state types %s, %s, expected lists", a.f, cols[0].DataType(), cols[1].DataType())
	}
	vals := kernels.FixedValues[T](vl.ListValues())
	wts := kernels.FixedValues[int64](wl.ListValues())
	vo := vl.Offsets()[vl.Data().Offset():]
	wo := wl.Offsets()[wl.Data().Offset():]
	for i, g := range gids {
		if !vl.IsValid(i) || !wl.IsValid(i) {
			continue
		}
		if vo[i+1]-vo[i] != wo[i+1]-wo[i] {
			return fmt.Errorf("%s: state has %d values and %d weights", a.f, vo[i+1]-vo[i], wo[i+1]-wo[i])
		}
		for k := vo[i]; k < vo[i+1]; k++ {
			w := wts[wo[i]+k-vo[i]]
			if w == 0 {
				a.extreme(&a.sk[g], vals[k])
				continue
			}
			if w < 0 || w&(w-1) != 0 {
				return fmt.Errorf("%s: state weight %d is not a power of two", a.f, w)
			}
			a.add(g, vals[k], bits.TrailingZeros64(uint64(w)))
		}
	}
	return nil
}

func (a *approxAcc[T]) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	n := hi - lo
	offs := make([]int32, n+1)
	var vals []T
	var wts []int64
	for g := lo; g < hi; g++ {
		if s := &a.sk[g]; s.seen {
			vals = append(vals, s.lo, s.hi)
			wts = append(wts, 0, 0)
		}
		for h, lv := range a.sk[g].levels {
			vals = append(vals, lv...)
			for range lv {
				wts = append(wts, 1<<h)
			}
		}
		if len(vals) > math.MaxInt32 {
			return nil, fmt.Errorf("%s: state too large", a.f)
		}
		offs[g-lo+1] = int32(len(vals))
	}
	vc := kernels.NewFixedArray(mem, a.dt, vals, len(vals), nil)
	defer vc.Release()
	wc := kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Int64, wts, len(wts), nil)
	defer wc.Release()
	return []arrow.Array{listOf(mem, arrow.ListOf(a.dt), offs, nil, vc), listOf(mem, arrow.ListOf(arrow.PrimitiveTypes.Int64), offs, nil, wc)}, nil
}

// weighted is a value with its weight, for answering queries.
type weighted[T any] struct {
	v T
	w int64
}

func (a *approxAcc[T]) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	n := hi - lo
	valid := make([]bool, n)
	var out []T
	var items []weighted[T]
	var zero T
	for g := lo; g < hi; g++ {
		items = items[:0]
		total := int64(0)
		for h, lv := range a.sk[g].levels {
			for _, v := range lv {
				items = append(items, weighted[T]{v, 1 << h})
				total += 1 << h
			}
		}
		if total == 0 {
			if !a.pct.array {
				out = append(out, zero)
			}
			continue
		}
		slices.SortFunc(items, func(x, y weighted[T]) int { return a.cmp(x.v, y.v) })
		valid[g-lo] = true
		s := &a.sk[g]
		for _, p := range a.pct.ps {
			r := max(int64(math.Ceil(p*float64(total))), 1)
			switch {
			case r == 1:
				out = append(out, s.lo)
			case r >= total:
				out = append(out, s.hi)
			default:
				out = append(out, rankQuery(items, r))
			}
		}
	}
	return pctResult(mem, a.dt, a.pct, out, valid), nil
}

// rankQuery returns the smallest value whose cumulative weight reaches
// rank r = ceil(p·total): with every weight 1, the smallest value v such
// that at least p of the values are ≤ v.
func rankQuery[T any](sorted []weighted[T], r int64) T {
	cum := int64(0)
	for _, it := range sorted {
		cum += it.w
		if cum >= r {
			return it.v
		}
	}
	return sorted[len(sorted)-1].v
}

// listOf builds a list array from offsets, a validity (nil: all valid) and
// a child it does not take over.
func listOf(mem memory.Allocator, dt arrow.DataType, offs []int32, valid []bool, child arrow.Array) arrow.Array {
	n := len(offs) - 1
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize(4 * len(offs))
	copy(arrow.Int32Traits.CastFromBytes(offBuf.Bytes()), offs)
	var bitmap *memory.Buffer
	nulls := 0
	for _, v := range valid {
		if !v {
			nulls++
		}
	}
	if nulls > 0 {
		bitmap = validityBuffer(mem, valid)
	}
	d := array.NewData(dt, n, []*memory.Buffer{bitmap, offBuf}, []arrow.ArrayData{child.Data()}, nulls, 0)
	offBuf.Release()
	if bitmap != nil {
		bitmap.Release()
	}
	defer d.Release()
	return array.MakeFromData(d)
}
