package aggregate

import (
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// DefaultPercentileAccuracy is percentile_approx's default accuracy, as in
// Spark.
const DefaultPercentileAccuracy = 10000

// pctParams are the percentages of a percentile function.
type pctParams struct {
	ps    []float64
	array bool
	desc  bool // count from the largest value (WITHIN GROUP (ORDER BY x DESC))
}

// newPctParams checks sp's percentages: one for percentile and
// percentile_approx, any number for their array forms, none (0.5 is used)
// for median; each in [0, 1]. The accuracy must be positive when given.
func newPctParams(sp Spec) (pctParams, error) {
	p := pctParams{ps: sp.Percentages, desc: sp.Desc}
	switch sp.Func {
	case Median:
		p.ps = []float64{0.5}
		return p, nil
	case Percentile, PercentileApprox, PercentileDisc:
		if len(sp.Percentages) != 1 {
			return p, fmt.Errorf("%s takes one percentage, got %d", sp.Func, len(sp.Percentages))
		}
	case PercentileArray, PercentileApproxArray:
		p.array = true
	default:
		return p, nil
	}
	for _, x := range p.ps {
		if !(x >= 0 && x <= 1) {
			return p, fmt.Errorf("%s: the percentage %v must be between 0.0 and 1.0", sp.Func, x)
		}
	}
	if sp.Accuracy < 0 || sp.Accuracy > math.MaxInt32 {
		return p, fmt.Errorf("%s: the accuracy %d must be positive and at most %d", sp.Func, sp.Accuracy, math.MaxInt32)
	}
	return p, nil
}

// percentiles computes percentile or median for groups lo..hi from the
// collected values (doubles). A group without values gives null.
func (a *collectAcc) percentiles(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	all, err := a.values()
	if err != nil {
		return nil, err
	}
	pick := exactPercentile
	if a.f == PercentileDisc {
		pick = discretePercentile
	}
	return pctTyped(a, mem, lo, hi, kernels.FixedValues[float64](all), ordCmp[float64], pick)
}

// exactPercentile is Spark's percentile over sorted values: linear
// interpolation between the values at the closest ranks of position
// p·(n-1).
func exactPercentile(sorted []float64, p float64) float64 {
	pos := p * float64(len(sorted)-1)
	lo, hi := math.Floor(pos), math.Ceil(pos)
	if lo == hi {
		return sorted[int(lo)]
	}
	return (hi-pos)*sorted[int(lo)] + (pos-lo)*sorted[int(hi)]
}

// pctTyped sorts each group's values and evaluates pick at every
// percentage; the result has the element type.
func pctTyped[T, R any](a *collectAcc, mem memory.Allocator, lo, hi int, vals []T, cmp func(T, T) int, pick func([]T, float64) R) (arrow.Array, error) {
	n := hi - lo
	valid := make([]bool, n)
	var out []R
	var idx []int32
	var sorted []T
	var zero R
	for g := lo; g < hi; g++ {
		idx = a.positions(g, idx[:0])
		if len(idx) == 0 {
			if !a.pct.array {
				out = append(out, zero)
			}
			continue
		}
		sorted = sorted[:0]
		for _, p := range idx {
			sorted = append(sorted, vals[p])
		}
		slices.SortFunc(sorted, cmp)
		if a.pct.desc {
			slices.Reverse(sorted)
		}
		valid[g-lo] = true
		for _, p := range a.pct.ps {
			out = append(out, pick(sorted, p))
		}
	}
	return pctResult(mem, a.elem, a.pct, out, valid), nil
}

// pctResult builds the result of a percentile aggregate over len(valid)
// groups, of element type dt: out holds a value for every group (zero for
// an invalid one) when pct is a single percentage, and otherwise the
// len(pct.ps) values of each valid group in turn, which become one list
// per group.
func pctResult[R any](mem memory.Allocator, dt arrow.DataType, pct pctParams, out []R, valid []bool) arrow.Array {
	n := len(valid)
	if !pct.array {
		return kernels.NewFixedArray(mem, dt, out, n, validFromSeen(valid))
	}
	child := kernels.NewFixedArray(mem, dt, out, len(out), nil)
	defer child.Release()
	offs := make([]int32, n+1)
	k := int32(len(pct.ps))
	for i, v := range valid {
		offs[i+1] = offs[i]
		if v {
			offs[i+1] += k
		}
	}
	return listOf(mem, arrow.ListOf(dt), offs, validFromSeen(valid), child)
}

// validityBuffer builds a validity bitmap from valid.
func validityBuffer(mem memory.Allocator, valid []bool) *memory.Buffer {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(valid, nil)
	arr := b.NewArray()
	defer arr.Release()
	buf := arr.Data().Buffers()[1]
	buf.Retain()
	return buf
}
