package aggregate

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// This file holds mode, listagg, percentile_disc, skewness, kurtosis, the
// regr_* statistics and histogram_numeric. Mode, percentile_disc and
// histogram_numeric collect their values (collect.go) and compute at the
// end; the regr_* functions keep corr's moments (moments.go); skewness and
// kurtosis keep the third and fourth central moments too.

// extResultType is ResultType for the functions of this file that do not
// collect values; ok is false for the others.
func extResultType(f Func, in arrow.DataType) (arrow.DataType, bool, error) {
	if t, ok, err := sketchResultType(f, in); ok {
		return t, true, err
	}
	switch f {
	case ListAgg, ListAggOrdered:
		if in.ID() != arrow.STRING {
			return nil, true, fmt.Errorf("%s of %s is not supported: the input must be cast to string", f, in)
		}
		return in, true, nil
	case Skewness, Kurtosis, RegrSXX, RegrSYY, RegrSXY, RegrSlope, RegrIntercept, RegrR2:
		if in.ID() != arrow.FLOAT64 {
			return nil, true, fmt.Errorf("%s of %s is not supported: the input must be cast to double", f, in)
		}
		return in, true, nil
	case CountMinSketch:
		switch in.ID() {
		case arrow.INT64, arrow.STRING, arrow.BINARY:
			return arrow.BinaryTypes.Binary, true, nil
		}
		return nil, true, fmt.Errorf("%s of %s is not supported: the input must be bigint, string or binary", f, in)
	}
	return nil, false, nil
}

// extStateFields is stateFields for the functions of extResultType.
func extStateFields(sp Spec, fields func([]arrow.DataType, ...string) []arrow.Field) ([]arrow.Field, bool) {
	if sf, ok := sketchStateFields(sp); ok {
		return sf, true
	}
	f64 := arrow.PrimitiveTypes.Float64
	switch sp.Func {
	case ListAgg, ListAggOrdered:
		return fields([]arrow.DataType{arrow.ListOf(arrow.BinaryTypes.String), arrow.ListOf(arrow.BinaryTypes.Binary)}, "list", "keys"), true
	case Skewness, Kurtosis:
		return fields([]arrow.DataType{f64, f64, f64, f64, f64}, "n", "avg", "m2", "m3", "m4"), true
	case RegrSXX, RegrSYY, RegrSXY, RegrSlope, RegrIntercept, RegrR2:
		return fields([]arrow.DataType{f64, f64, f64, f64, f64, f64}, "n", "xavg", "yavg", "ck", "xm2", "ym2"), true
	case CountMinSketch:
		return fields([]arrow.DataType{arrow.BinaryTypes.Binary}, "sketch"), true
	}
	return nil, false
}

// newExtAccumulator is newAccumulator for the functions of extResultType.
func newExtAccumulator(sp Spec, in arrow.DataType, merge bool) (accumulator, bool, error) {
	if a, ok, err := newSketchAccumulator(sp, merge); ok {
		return a, true, err
	}
	switch sp.Func {
	case ListAgg, ListAggOrdered:
		return &listAggAcc{byKey: sp.Func == ListAggOrdered, merge: merge, delim: sp.Delimiter, desc: sp.Desc, nullsFirst: sp.NullsFirst,
			keyDesc: sp.KeyDesc, keyNullsFirst: sp.KeyNullsFirst}, true, nil
	case Skewness, Kurtosis:
		return &highMomentsAcc{f: sp.Func, merge: merge}, true, nil
	case RegrSXX, RegrSYY, RegrSXY, RegrSlope, RegrIntercept, RegrR2:
		return &momentsAcc{f: sp.Func, merge: merge, two: true, corr: true}, true, nil
	case CountMinSketch:
		if len(sp.Percentages) != 2 {
			return nil, true, fmt.Errorf("count_min_sketch needs eps and confidence, got %d parameters", len(sp.Percentages))
		}
		p, err := newCMSParams(sp.Percentages[0], sp.Percentages[1], sp.Accuracy)
		if err != nil {
			return nil, true, err
		}
		return &cmsAcc{merge: merge, p: p}, true, nil
	}
	return nil, false, nil
}

// --- regr_*: corr's state over the (y, x) pairs without a null ---

// regrResult computes a regr_* function from corr's moments. The first
// input is y and the second x, so the accumulator's x statistics are y's:
// xavg = avg(y), yavg = avg(x), xm = Σ(y-ȳ)², ym = Σ(x-x̄)². As in Spark:
// no pairs → null; slope and intercept are null when x does not vary; r2
// is null when y does not vary and 1 when x does not.
func (a *momentsAcc) regrResult(mem memory.Allocator, lo, hi int) arrow.Array {
	out := make([]float64, hi-lo)
	valid := make([]bool, hi-lo)
	for i := range out {
		g := lo + i
		if a.n[g] == 0 {
			continue
		}
		sxx, syy, sxy := a.ym[g], a.xm[g], a.ck[g]
		switch a.f {
		case RegrSXX:
			out[i] = sxx
		case RegrSYY:
			out[i] = syy
		case RegrSXY:
			out[i] = sxy
		case RegrSlope:
			if sxx == 0 {
				continue
			}
			out[i] = sxy / sxx
		case RegrIntercept:
			if sxx == 0 {
				continue
			}
			out[i] = a.xavg[g] - sxy/sxx*a.yavg[g]
		case RegrR2:
			if syy == 0 {
				continue
			}
			if sxx == 0 {
				out[i] = 1
				break
			}
			c := sxy / math.Sqrt(syy*sxx)
			out[i] = c * c
		}
		valid[i] = true
	}
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Float64, out, hi-lo, validFromSeen(valid))
}

// isRegr reports whether f is a regr_* function computed from moments.
func isRegr(f Func) bool { return f >= RegrSXX && f <= RegrR2 }

// --- skewness and kurtosis ---

// highMomentsAcc keeps per group the count, mean and the second to fourth
// central moment sums, updated one value at a time and merged with the
// pairwise formulas of Chan et al. and Pébay.
type highMomentsAcc struct {
	f          Func
	merge      bool
	n, mean    []float64
	m2, m3, m4 []float64
}

func (a *highMomentsAcc) grow(n int) {
	a.n, a.mean, a.m2, a.m3, a.m4 = growTo(a.n, n), growTo(a.mean, n), growTo(a.m2, n), growTo(a.m3, n), growTo(a.m4, n)
}

// add folds a group of nb values with mean mb and moment sums m2b..m4b
// into group g.
func (a *highMomentsAcc) add(g uint32, nb, mb, m2b, m3b, m4b float64) {
	na := a.n[g]
	if nb == 0 {
		return
	}
	if na == 0 {
		a.n[g], a.mean[g], a.m2[g], a.m3[g], a.m4[g] = nb, mb, m2b, m3b, m4b
		return
	}
	n := na + nb
	d := mb - a.mean[g]
	d2 := d * d
	m2a, m3a := a.m2[g], a.m3[g]
	a.m4[g] += m4b + d2*d2*na*nb*(na*na-na*nb+nb*nb)/(n*n*n) + 6*d2*(na*na*m2b+nb*nb*m2a)/(n*n) + 4*d*(na*m3b-nb*m3a)/n
	a.m3[g] += m3b + d*d2*na*nb*(na-nb)/(n*n) + 3*d*(na*m2b-nb*m2a)/n
	a.m2[g] += m2b + d2*na*nb/n
	a.mean[g] += d * nb / n
	a.n[g] = n
}

func (a *highMomentsAcc) update(gids []uint32, cols []arrow.Array) error {
	if a.merge {
		var v [5][]float64
		for k := range v {
			x, err := float64Col(a.f, cols[k])
			if err != nil {
				return err
			}
			v[k] = x
		}
		for i, g := range gids {
			if cols[0].IsValid(i) {
				a.add(g, v[0][i], v[1][i], v[2][i], v[3][i], v[4][i])
			}
		}
		return nil
	}
	xs, err := float64Col(a.f, cols[0])
	if err != nil {
		return err
	}
	c := cols[0]
	noNulls := c.NullN() == 0
	for i, g := range gids {
		if noNulls || c.IsValid(i) {
			a.add(g, 1, xs[i], 0, 0, 0)
		}
	}
	return nil
}

func (a *highMomentsAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	f64 := arrow.PrimitiveTypes.Float64
	n := hi - lo
	out := make([]arrow.Array, 0, 5)
	for _, v := range [][]float64{a.n, a.mean, a.m2, a.m3, a.m4} {
		out = append(out, kernels.NewFixedArray(mem, f64, v[lo:hi], n, nil))
	}
	return out, nil
}

// result follows Spark: null without values and (spark.sql.legacy.
// statisticalAggregate off) when the values do not vary; skewness is
// √n·m3/m2^1.5, kurtosis the excess n·m4/m2² − 3.
func (a *highMomentsAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	out := make([]float64, hi-lo)
	valid := make([]bool, hi-lo)
	for i := range out {
		g := lo + i
		n, m2 := a.n[g], a.m2[g]
		if n == 0 || m2 == 0 {
			continue
		}
		valid[i] = true
		if a.f == Skewness {
			out[i] = math.Sqrt(n) * a.m3[g] / math.Sqrt(m2*m2*m2)
		} else {
			out[i] = n*a.m4[g]/(m2*m2) - 3
		}
	}
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Float64, out, hi-lo, validFromSeen(valid)), nil
}

// --- percentile_disc ---

// discretePercentile is the SQL standard's percentile_disc over sorted
// values: the first value whose cumulative distribution reaches p.
func discretePercentile(sorted []float64, p float64) float64 {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// --- order-preserving keys (mode, listagg) ---

// orderKeyType reports whether appendOrderKey supports values of type t
// (or listagg's sortKey, for a struct of several keys).
func orderKeyType(t arrow.DataType) bool {
	if st, ok := t.(*arrow.StructType); ok {
		for _, f := range st.Fields() {
			if !orderKeyType(f.Type) {
				return false
			}
		}
		return st.NumFields() > 0
	}
	switch valueType(t).ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DECIMAL64, arrow.DECIMAL128, arrow.DATE32, arrow.TIMESTAMP, arrow.STRING, arrow.BINARY:
		return true
	}
	return false
}

// appendOrderKey appends the bytes of valid value i of a such that byte
// order is Spark's value order (NaN above every number, -0.0 equal to 0.0,
// false before true) and equal values have equal bytes. Strings escape
// their zero bytes and end with two zeros, so that no key is a prefix of
// another and inverting the bytes reverses the order.
func appendOrderKey(dst []byte, a arrow.Array, i int) ([]byte, error) {
	u64 := func(v uint64) []byte { return binary.BigEndian.AppendUint64(dst, v) }
	float := func(f float64) []byte {
		if f != f {
			f = math.NaN()
		} else if f == 0 {
			f = 0
		}
		b := math.Float64bits(f)
		if b>>63 == 1 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		return u64(b)
	}
	switch c := a.(type) {
	case *array.Boolean:
		if c.Value(i) {
			return append(dst, 1), nil
		}
		return append(dst, 0), nil
	case *array.Int8:
		return u64(uint64(int64(c.Value(i))) ^ 1<<63), nil
	case *array.Int16:
		return u64(uint64(int64(c.Value(i))) ^ 1<<63), nil
	case *array.Int32:
		return u64(uint64(int64(c.Value(i))) ^ 1<<63), nil
	case *array.Date32:
		return u64(uint64(int64(c.Value(i))) ^ 1<<63), nil
	case *array.Int64:
		return u64(uint64(c.Value(i)) ^ 1<<63), nil
	case *array.Timestamp:
		return u64(uint64(c.Value(i)) ^ 1<<63), nil
	case *array.Decimal64:
		return u64(uint64(c.Value(i)) ^ 1<<63), nil
	case *array.Decimal128:
		v := c.Value(i)
		dst = binary.BigEndian.AppendUint64(dst, uint64(v.HighBits())^1<<63)
		return binary.BigEndian.AppendUint64(dst, v.LowBits()), nil
	case *array.Float32:
		return float(float64(c.Value(i))), nil
	case *array.Float64:
		return float(c.Value(i)), nil
	case *array.String:
		return appendEscaped(dst, c.Value(i)), nil
	case *array.Binary:
		return appendEscaped(dst, string(c.Value(i))), nil
	}
	return nil, fmt.Errorf("ordering values of type %s is not supported", a.DataType())
}

func appendEscaped(dst []byte, s string) []byte {
	for k := 0; k < len(s); k++ {
		dst = append(dst, s[k])
		if s[k] == 0 {
			dst = append(dst, 0xFF)
		}
	}
	return append(dst, 0, 0)
}

// --- mode ---

// mode picks each group's most frequent value; among equally frequent
// values the smallest (the largest when desc is set), which is Spark's
// rule for mode(x, true) and mode() WITHIN GROUP (ORDER BY x [DESC]), and
// one of the values Spark allows for mode(x).
func (a *collectAcc) mode(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	all, err := a.values()
	if err != nil {
		return nil, err
	}
	idx := make([]int32, 0, hi-lo)
	var pos []int32
	counts := map[string]int{}
	var key []byte
	for g := lo; g < hi; g++ {
		pos = a.positions(g, pos[:0])
		clear(counts)
		best, bestN := int32(-1), 0
		var bestKey string
		for _, p := range pos {
			if key, err = appendOrderKey(key[:0], all, int(p)); err != nil {
				return nil, fmt.Errorf("%s: %w", a.f, err)
			}
			k := string(key)
			counts[k]++
			n := counts[k]
			c := strings.Compare(k, bestKey)
			if a.desc {
				c = -c
			}
			if n > bestN || n == bestN && c < 0 {
				best, bestN, bestKey = p, n, k
			}
		}
		idx = append(idx, best)
	}
	return kernels.Take(mem, all, idx)
}

// --- histogram_numeric ---

// histogramType is histogram_numeric's result over input in: an array of
// (x of the input type, y double) bins.
func histogramType(in arrow.DataType) arrow.DataType {
	return arrow.ListOf(arrow.StructOf(
		arrow.Field{Name: "x", Type: in, Nullable: true},
		arrow.Field{Name: "y", Type: arrow.PrimitiveTypes.Float64, Nullable: true}))
}

// bin is one bin of a numeric histogram: a centre and a weight.
type bin struct{ x, y float64 }

// streamingHistogram builds the histogram of Ben-Haim and Tom-Tov (the
// one of Hive and Spark) over vals in ascending order: each value joins
// the bin of the same centre or gets its own, and while there are more
// than nb bins the two closest neighbours merge into one at their
// weighted mean.
func streamingHistogram(vals []float64, nb int) []bin {
	var bins []bin
	for _, v := range vals {
		i, found := slices.BinarySearchFunc(bins, v, func(b bin, v float64) int {
			switch {
			case b.x < v:
				return -1
			case b.x > v:
				return 1
			}
			return 0
		})
		if found {
			bins[i].y++
			continue
		}
		bins = slices.Insert(bins, i, bin{v, 1})
		for len(bins) > nb {
			m := 0
			for k := 1; k+1 < len(bins); k++ {
				if bins[k+1].x-bins[k].x < bins[m+1].x-bins[m].x {
					m = k
				}
			}
			y := bins[m].y + bins[m+1].y
			bins[m] = bin{(bins[m].x*bins[m].y + bins[m+1].x*bins[m+1].y) / y, y}
			bins = slices.Delete(bins, m+1, m+2)
		}
	}
	return bins
}

// histogram computes histogram_numeric for groups lo..hi; a group without
// values gives null. The centres are converted back to the input type.
func (a *collectAcc) histogram(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	all, err := a.values()
	if err != nil {
		return nil, err
	}
	if a.bins < 2 {
		return nil, fmt.Errorf("%s needs at least 2 bins, got %d", a.f, a.bins)
	}
	vals := kernels.FixedValues[float64](all)
	lb := array.NewListBuilder(mem, histogramType(a.in).(*arrow.ListType).Elem())
	defer lb.Release()
	sb := lb.ValueBuilder().(*array.StructBuilder)
	yb := sb.FieldBuilder(1).(*array.Float64Builder)
	var pos []int32
	var sorted []float64
	for g := lo; g < hi; g++ {
		pos = a.positions(g, pos[:0])
		if len(pos) == 0 {
			lb.AppendNull()
			continue
		}
		sorted = sorted[:0]
		for _, p := range pos {
			sorted = append(sorted, vals[p])
		}
		slices.Sort(sorted)
		lb.Append(true)
		for _, b := range streamingHistogram(sorted, a.bins) {
			sb.Append(true)
			switch xb := sb.FieldBuilder(0).(type) {
			case *array.Int8Builder:
				xb.Append(int8(b.x))
			case *array.Int16Builder:
				xb.Append(int16(b.x))
			case *array.Int32Builder:
				xb.Append(int32(b.x))
			case *array.Int64Builder:
				xb.Append(int64(b.x))
			case *array.Float32Builder:
				xb.Append(float32(b.x))
			case *array.Float64Builder:
				xb.Append(b.x)
			default:
				return nil, fmt.Errorf("%s of %s is not supported", a.f, a.in)
			}
			yb.Append(b.y)
		}
	}
	return lb.NewArray(), nil
}

// --- listagg ---

// listAggAcc keeps per group the non-null values and each value's sort
// key: with WITHIN GROUP the encoded ordering key (see appendOrderKey: a
// first byte placing null keys, then the key's bytes, inverted for a
// descending order), otherwise the row's sequence number (partition index
// << 40 + row position), so that the values join in the order of the input
// whatever order the exchange delivers the partial states in.
type listAggAcc struct {
	byKey, merge     bool
	desc, nullsFirst bool
	delim            string
	part, rows       int64
	vals             [][]string
	keys             [][][]byte
	// keyDesc and keyNullsFirst are the directions of a struct key's
	// fields (several ORDER BY keys).
	keyDesc, keyNullsFirst []bool
}

func (a *listAggAcc) setPartition(p int) { a.part = int64(p) }

func (a *listAggAcc) grow(n int) {
	a.vals = growTo(a.vals, n)
	a.keys = growTo(a.keys, n)
}

// sortKey encodes row i of the key column k; a struct key (several ORDER
// BY keys) is the concatenation of its fields' keys, each with its own
// direction.
func (a *listAggAcc) sortKey(k arrow.Array, i int) ([]byte, error) {
	if st, ok := k.(*array.Struct); ok && len(a.keyDesc) == st.NumField() {
		var out []byte
		for f := 0; f < st.NumField(); f++ {
			var err error
			if out, err = appendDirectedKey(out, st.Field(f), i, a.keyDesc[f], a.keyNullsFirst[f]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return appendDirectedKey(nil, k, i, a.desc, a.nullsFirst)
}

// appendDirectedKey appends the key of row i of k: a byte placing nulls
// first or last, then the value's order key, inverted when descending.
func appendDirectedKey(dst []byte, k arrow.Array, i int, desc, nullsFirst bool) ([]byte, error) {
	if k.IsNull(i) {
		if nullsFirst {
			return append(dst, 0), nil
		}
		return append(dst, 2), nil
	}
	start := len(dst) + 1
	b, err := appendOrderKey(append(dst, 1), k, i)
	if err != nil {
		return nil, fmt.Errorf("listagg: %w", err)
	}
	if desc {
		for j := start; j < len(b); j++ {
			b[j] = ^b[j]
		}
	}
	return b, nil
}

func (a *listAggAcc) update(gids []uint32, cols []arrow.Array) error {
	if a.merge {
		l, ok := cols[0].(*array.List)
		if !ok {
			return fmt.Errorf("listagg: state type %s, expected a list of strings", cols[0].DataType())
		}
		vs, ok := l.ListValues().(*array.String)
		if !ok {
			return fmt.Errorf("listagg: state type %s, expected a list of strings", cols[0].DataType())
		}
		var ks *array.Binary
		kl, ok := cols[1].(*array.List)
		if ok {
			ks, ok = kl.ListValues().(*array.Binary)
		}
		if !ok {
			return fmt.Errorf("listagg: key state type %s, expected a list of binary", cols[1].DataType())
		}
		for i, g := range gids {
			if l.IsNull(i) {
				continue
			}
			s, e := l.ValueOffsets(i)
			for j := s; j < e; j++ {
				a.vals[g] = append(a.vals[g], strings.Clone(vs.Value(int(j))))
				a.keys[g] = append(a.keys[g], bytes.Clone(ks.Value(int(j))))
			}
		}
		return nil
	}
	var vs *array.String
	switch c := cols[0].(type) {
	case *array.String:
		vs = c
	case *array.Dictionary:
		plain, err := kernels.DecodeDictionary(memory.DefaultAllocator, c)
		if err != nil {
			return fmt.Errorf("listagg: %w", err)
		}
		defer plain.Release()
		vs, _ = plain.(*array.String)
	}
	if vs == nil {
		return fmt.Errorf("listagg: input type %s, expected string", cols[0].DataType())
	}
	base := a.part<<40 + a.rows
	a.rows += int64(len(gids))
	for i, g := range gids {
		if vs.IsNull(i) {
			continue
		}
		a.vals[g] = append(a.vals[g], strings.Clone(vs.Value(i)))
		var k []byte
		if a.byKey {
			var err error
			if k, err = a.sortKey(cols[1], i); err != nil {
				return err
			}
		}
		// The row's sequence number orders the values without a key and
		// breaks the ties of a key (a key is no prefix of another).
		a.keys[g] = append(a.keys[g], binary.BigEndian.AppendUint64(k, uint64(base+int64(i))))
	}
	return nil
}

func (a *listAggAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	vb := array.NewListBuilder(mem, arrow.BinaryTypes.String)
	defer vb.Release()
	sb := vb.ValueBuilder().(*array.StringBuilder)
	for g := lo; g < hi; g++ {
		vb.Append(true)
		sb.AppendValues(a.vals[g], nil)
	}
	kb := array.NewListBuilder(mem, arrow.BinaryTypes.Binary)
	defer kb.Release()
	bb := kb.ValueBuilder().(*array.BinaryBuilder)
	for g := lo; g < hi; g++ {
		kb.Append(true)
		bb.AppendValues(a.keys[g], nil)
	}
	return []arrow.Array{vb.NewArray(), kb.NewArray()}, nil
}

// result joins each group's values, sorted by key (ties in input order),
// with the delimiter; a group without values gives null.
func (a *listAggAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	var order []int
	var parts []string
	for g := lo; g < hi; g++ {
		vals := a.vals[g]
		if len(vals) == 0 {
			b.AppendNull()
			continue
		}
		keys := a.keys[g]
		order = order[:0]
		for i := range vals {
			order = append(order, i)
		}
		slices.SortStableFunc(order, func(x, y int) int { return bytes.Compare(keys[x], keys[y]) })
		parts = parts[:0]
		for _, i := range order {
			parts = append(parts, vals[i])
		}
		b.Append(strings.Join(parts, a.delim))
	}
	return b.NewArray(), nil
}
