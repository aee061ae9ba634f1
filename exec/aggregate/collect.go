package aggregate

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// --- collect_list, collect_set, and the value lists of percentile/median ---

// isCollect reports whether f keeps a list of its input values per group:
// collect_list, collect_set and the percentile functions.
func isCollect(f Func) bool {
	switch f {
	case CollectList, CollectSet, PercentileApprox, PercentileApproxArray, Percentile, PercentileArray, Median,
		Mode, PercentileDisc, HistogramNumeric:
		return true
	}
	return false
}

// collectElemType returns the element type of f's value list over input in:
// the input type for collect_list, collect_set and percentile_approx, double
// for the exact percentiles.
func collectElemType(f Func, in arrow.DataType) (arrow.DataType, error) {
	switch f {
	case CollectList:
		return in, nil
	case CollectSet:
		if !kernels.KeyEncodable(in) {
			return nil, fmt.Errorf("%s of %s is not supported", f, in)
		}
		return in, nil
	case PercentileApprox, PercentileApproxArray:
		switch in.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
			arrow.DECIMAL64, arrow.DECIMAL128, arrow.DATE32, arrow.TIMESTAMP:
			return in, nil
		}
	case Mode:
		if orderKeyType(in) && in.ID() != arrow.BINARY {
			return in, nil
		}
	case HistogramNumeric:
		switch in.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64:
			return arrow.PrimitiveTypes.Float64, nil
		}
	case Percentile, PercentileArray, Median, PercentileDisc:
		switch in.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
			arrow.DECIMAL64, arrow.DECIMAL128:
			return arrow.PrimitiveTypes.Float64, nil
		}
	}
	return nil, fmt.Errorf("%s of %s is not supported", f, in)
}

// collectResultType is ResultType for the collecting functions:
// collect_list and collect_set → array of the input type; percentile_approx
// → the input type (PercentileApproxArray: an array of it); percentile and
// median → double (PercentileArray: array<double>).
func collectResultType(f Func, in arrow.DataType) (arrow.DataType, error) {
	elem, err := collectElemType(f, in)
	if err != nil {
		return nil, err
	}
	switch f {
	case PercentileApprox, Percentile, Median, Mode, PercentileDisc:
		return elem, nil
	case HistogramNumeric:
		return histogramType(in), nil
	}
	return arrow.ListOf(elem), nil
}

// collectStateFields is the partial state of the collecting functions: one
// column "<Name>$list", the list of the group's values (never null; nulls
// are not collected); percentile_approx keeps a sketch instead (see
// approxStateFields).
func collectStateFields(sp Spec, in arrow.DataType) ([]arrow.Field, error) {
	elem, err := collectElemType(sp.Func, valueType(in))
	if err != nil {
		return nil, err
	}
	if _, err := newPctParams(sp); err != nil {
		return nil, err
	}
	if isApprox(sp.Func) {
		return approxStateFields(sp, elem), nil
	}
	return []arrow.Field{{Name: sp.Name + "$list", Type: arrow.ListOf(elem), Nullable: true}}, nil
}

// collectAcc keeps, per group, references to the group's values. Each batch's
// retained values are copied into a compact chunk held in Go memory (the
// accumulator has no release hook, so it holds no buffers of the query's
// allocator); results gather them into the query's allocator.
type collectAcc struct {
	f       Func
	in      arrow.DataType // the input type (histogram_numeric's x)
	desc    bool           // mode: ties go to the largest value
	bins    int            // histogram_numeric's number of bins
	merge   bool
	set     bool
	toFloat bool // exact percentiles: inputs are converted to double
	elem    arrow.DataType
	pct     pctParams
	local   memory.Allocator
	chunks  []arrow.Array
	bases   []int64
	refs    [][]int64 // per group: chunk<<32 | position, in arrival order
	seen    map[string]struct{}
	key     []byte
	rows    []int32
	gs      []uint32
	all     arrow.Array // the chunks concatenated, built on first output
}

func newCollectAcc(sp Spec, in arrow.DataType, merge bool) (accumulator, error) {
	elem, err := collectElemType(sp.Func, valueType(in))
	if err != nil {
		return nil, err
	}
	if isApprox(sp.Func) {
		return newApproxAcc(sp, elem, merge)
	}
	a := &collectAcc{f: sp.Func, in: valueType(in), desc: sp.Desc, bins: int(sp.Bins), merge: merge, set: sp.Func == CollectSet, elem: elem, local: memory.NewGoAllocator()}
	a.toFloat = !merge && elem.ID() == arrow.FLOAT64 && valueType(in).ID() != arrow.FLOAT64
	if a.set {
		a.seen = map[string]struct{}{}
	}
	if a.pct, err = newPctParams(sp); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *collectAcc) grow(n int) { a.refs = growTo(a.refs, n) }

func (a *collectAcc) update(gids []uint32, cols []arrow.Array) error {
	src := cols[0]
	a.rows, a.gs = a.rows[:0], a.gs[:0]
	if a.merge {
		l, ok := src.(*array.List)
		if !ok || !arrow.TypeEqual(l.DataType().(*arrow.ListType).Elem(), a.elem) {
			return fmt.Errorf("%s: state type %s, expected %s", a.f, src.DataType(), arrow.ListOf(a.elem))
		}
		offs := l.Offsets()[l.Data().Offset():]
		for i, g := range gids {
			if l.IsValid(i) {
				for k := offs[i]; k < offs[i+1]; k++ {
					a.rows = append(a.rows, k)
					a.gs = append(a.gs, g)
				}
			}
		}
		src = l.ListValues()
	} else {
		if d, ok := src.(*array.Dictionary); ok {
			plain, err := kernels.DecodeDictionary(a.local, d)
			if err != nil {
				return fmt.Errorf("%s: %w", a.f, err)
			}
			src = plain
		}
		if a.toFloat {
			f, err := toFloat64Array(a.local, src)
			if err != nil {
				return fmt.Errorf("%s: %w", a.f, err)
			}
			src = f
		}
		if !arrow.TypeEqual(src.DataType(), a.elem) {
			return fmt.Errorf("%s: input type %s, expected %s", a.f, src.DataType(), a.elem)
		}
		noNulls := src.NullN() == 0
		for i, g := range gids {
			if noNulls || src.IsValid(i) {
				a.rows = append(a.rows, int32(i))
				a.gs = append(a.gs, g)
			}
		}
	}
	if a.set && len(a.rows) > 0 {
		if err := a.dedupe(src); err != nil {
			return err
		}
	}
	if len(a.rows) == 0 {
		return nil
	}
	chunk, err := kernels.Take(a.local, src, a.rows)
	if err != nil {
		return fmt.Errorf("%s: %w", a.f, err)
	}
	c := int64(len(a.chunks))
	a.chunks = append(a.chunks, chunk)
	a.all = nil
	for k, g := range a.gs {
		a.refs[g] = append(a.refs[g], c<<32|int64(k))
	}
	return nil
}

// dedupe drops from rows/gs the values their group has already seen.
func (a *collectAcc) dedupe(src arrow.Array) error {
	key, err := kernels.KeyEncoder(src)
	if err != nil {
		return fmt.Errorf("%s: %w", a.f, err)
	}
	out := 0
	for k, r := range a.rows {
		g := a.gs[k]
		a.key = binary.LittleEndian.AppendUint32(a.key[:0], g)
		a.key = key(a.key, int(r))
		if _, dup := a.seen[string(a.key)]; dup {
			continue
		}
		a.seen[string(a.key)] = struct{}{}
		a.rows[out], a.gs[out] = r, g
		out++
	}
	a.rows, a.gs = a.rows[:out], a.gs[:out]
	return nil
}

// toFloat64Array converts a numeric array to double, keeping its nulls.
func toFloat64Array(mem memory.Allocator, src arrow.Array) (arrow.Array, error) {
	n := src.Len()
	out := make([]float64, n)
	switch c := src.(type) {
	case *array.Int8:
		convert(out, kernels.FixedValues[int8](c))
	case *array.Int16:
		convert(out, kernels.FixedValues[int16](c))
	case *array.Int32:
		convert(out, kernels.FixedValues[int32](c))
	case *array.Int64:
		convert(out, kernels.FixedValues[int64](c))
	case *array.Float32:
		convert(out, kernels.FixedValues[float32](c))
	case *array.Float64:
		convert(out, kernels.FixedValues[float64](c))
	case *array.Decimal64:
		scale := math.Pow10(int(c.DataType().(*arrow.Decimal64Type).Scale))
		for i, v := range kernels.FixedValues[int64](c) {
			out[i] = float64(v) / scale
		}
	case *array.Decimal128:
		scale := c.DataType().(*arrow.Decimal128Type).Scale
		for i := range out {
			if c.IsValid(i) {
				out[i] = c.Value(i).ToFloat64(scale)
			}
		}
	default:
		return nil, fmt.Errorf("input type %s is not numeric", src.DataType())
	}
	var valid []bool
	if src.NullN() > 0 {
		valid = make([]bool, n)
		for i := range valid {
			valid[i] = src.IsValid(i)
		}
	}
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Float64, out, n, valid), nil
}

func convert[T int8 | int16 | int32 | int64 | float32 | float64](dst []float64, src []T) {
	for i, v := range src[:len(dst)] {
		dst[i] = float64(v)
	}
}

// values returns every collected value in one array (Go memory) and the
// position of each chunk's first value in it.
func (a *collectAcc) values() (arrow.Array, error) {
	if a.all != nil {
		return a.all, nil
	}
	switch len(a.chunks) {
	case 0:
		a.all = array.MakeArrayOfNull(a.local, a.elem, 0)
	case 1:
		a.all = a.chunks[0]
	default:
		all, err := array.Concatenate(a.chunks, a.local)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.f, err)
		}
		a.all = all
	}
	a.bases = a.bases[:0]
	base := int64(0)
	for _, c := range a.chunks {
		a.bases = append(a.bases, base)
		base += int64(c.Len())
	}
	return a.all, nil
}

// positions returns the positions in values() of group g's values.
func (a *collectAcc) positions(g int, dst []int32) []int32 {
	for _, r := range a.refs[g] {
		dst = append(dst, int32(a.bases[r>>32]+r&(1<<32-1)))
	}
	return dst
}

// lists builds the list array of groups lo..hi: each group's values, in
// arrival order; a group without values gets an empty list.
func (a *collectAcc) lists(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	all, err := a.values()
	if err != nil {
		return nil, err
	}
	n := hi - lo
	offs := make([]int32, n+1)
	var idx []int32
	for g := lo; g < hi; g++ {
		idx = a.positions(g, idx)
		offs[g-lo+1] = int32(len(idx))
	}
	child, err := kernels.Take(mem, all, idx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.f, err)
	}
	defer child.Release()
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize(4 * (n + 1))
	copy(arrow.Int32Traits.CastFromBytes(offBuf.Bytes()), offs)
	d := array.NewData(arrow.ListOf(a.elem), n, []*memory.Buffer{nil, offBuf}, []arrow.ArrayData{child.Data()}, 0, 0)
	offBuf.Release()
	defer d.Release()
	return array.MakeFromData(d), nil
}

func (a *collectAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	l, err := a.lists(mem, lo, hi)
	if err != nil {
		return nil, err
	}
	return []arrow.Array{l}, nil
}

func (a *collectAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	switch a.f {
	case CollectList, CollectSet:
		return a.lists(mem, lo, hi)
	case Mode:
		return a.mode(mem, lo, hi)
	case HistogramNumeric:
		return a.histogram(mem, lo, hi)
	}
	return a.percentiles(mem, lo, hi)
}
