package aggregate

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// --- central moments: stddev, variance, covariance, correlation ---

// momentsAcc keeps, per group, the row count, the means and the sums of
// squared deviations (and of co-deviations for two inputs), updated row by
// row with Welford's recurrence and merged with Chan et al.'s formula.
type momentsAcc struct {
	f        Func
	merge    bool
	two      bool // covariance or correlation
	corr     bool
	n        []float64
	xavg, xm []float64
	yavg, ym []float64
	ck       []float64
}

func (a *momentsAcc) grow(n int) {
	a.n, a.xavg, a.xm = growTo(a.n, n), growTo(a.xavg, n), growTo(a.xm, n)
	if a.two {
		a.yavg, a.ck = growTo(a.yavg, n), growTo(a.ck, n)
		if a.corr {
			a.ym = growTo(a.ym, n)
		}
	}
}

func float64Col(f Func, c arrow.Array) ([]float64, error) {
	if _, ok := c.(*array.Float64); !ok {
		return nil, fmt.Errorf("%s: input type %s, expected double (the planner casts numeric inputs)", f, c.DataType())
	}
	return kernels.FixedValues[float64](c), nil
}

func (a *momentsAcc) update(gids []uint32, cols []arrow.Array) error {
	if a.merge {
		return a.mergeStates(gids, cols)
	}
	xs, err := float64Col(a.f, cols[0])
	if err != nil {
		return err
	}
	if !a.two {
		c := cols[0]
		noNulls := c.NullN() == 0
		n, avg, m2 := a.n, a.xavg, a.xm
		for i, g := range gids {
			if noNulls || c.IsValid(i) {
				x := xs[i]
				n1 := n[g] + 1
				d := x - avg[g]
				avg[g] += d / n1
				m2[g] += d * (x - avg[g])
				n[g] = n1
			}
		}
		return nil
	}
	ys, err := float64Col(a.f, cols[1])
	if err != nil {
		return err
	}
	cx, cy := cols[0], cols[1]
	noNulls := cx.NullN() == 0 && cy.NullN() == 0
	n, xavg, yavg, ck := a.n, a.xavg, a.yavg, a.ck
	for i, g := range gids {
		if noNulls || (cx.IsValid(i) && cy.IsValid(i)) {
			x, y := xs[i], ys[i]
			n1 := n[g] + 1
			dx, dy := x-xavg[g], y-yavg[g]
			xavg[g] += dx / n1
			yavg[g] += dy / n1
			ck[g] += dx * (y - yavg[g])
			if a.corr {
				a.xm[g] += dx * (x - xavg[g])
				a.ym[g] += dy * (y - yavg[g])
			}
			n[g] = n1
		}
	}
	return nil
}

// mergeStates folds partial states (columns in the order of stateFields)
// into the groups.
func (a *momentsAcc) mergeStates(gids []uint32, cols []arrow.Array) error {
	vals := make([][]float64, len(cols))
	for k, c := range cols {
		v, err := float64Col(a.f, c)
		if err != nil {
			return err
		}
		vals[k] = v
	}
	cn := cols[0]
	for i, g := range gids {
		if !cn.IsValid(i) {
			continue
		}
		n2 := vals[0][i]
		if n2 == 0 {
			continue
		}
		n1 := a.n[g]
		if n1 == 0 {
			a.n[g] = n2
			a.xavg[g] = vals[1][i]
			if a.two {
				a.yavg[g], a.ck[g] = vals[2][i], vals[3][i]
				if a.corr {
					a.xm[g], a.ym[g] = vals[4][i], vals[5][i]
				}
			} else {
				a.xm[g] = vals[2][i]
			}
			continue
		}
		n := n1 + n2
		w := n1 * n2 / n
		dx := vals[1][i] - a.xavg[g]
		a.xavg[g] += dx * n2 / n
		a.n[g] = n
		if !a.two {
			a.xm[g] += vals[2][i] + dx*dx*w
			continue
		}
		dy := vals[2][i] - a.yavg[g]
		a.yavg[g] += dy * n2 / n
		a.ck[g] += vals[3][i] + dx*dy*w
		if a.corr {
			a.xm[g] += vals[4][i] + dx*dx*w
			a.ym[g] += vals[5][i] + dy*dy*w
		}
	}
	return nil
}

func (a *momentsAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	f64 := arrow.PrimitiveTypes.Float64
	n := hi - lo
	out := []arrow.Array{newFixedArray(mem, f64, a.n[lo:hi], n, nil), newFixedArray(mem, f64, a.xavg[lo:hi], n, nil)}
	if !a.two {
		return append(out, newFixedArray(mem, f64, a.xm[lo:hi], n, nil)), nil
	}
	out = append(out, newFixedArray(mem, f64, a.yavg[lo:hi], n, nil), newFixedArray(mem, f64, a.ck[lo:hi], n, nil))
	if a.corr {
		out = append(out, newFixedArray(mem, f64, a.xm[lo:hi], n, nil), newFixedArray(mem, f64, a.ym[lo:hi], n, nil))
	}
	return out, nil
}

// result follows Spark: no rows → null; the sample statistics of one row →
// null; correlation with a zero variance → NaN (0/0).
func (a *momentsAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	out := make([]float64, hi-lo)
	valid := make([]bool, hi-lo)
	for i := range out {
		g := lo + i
		n := a.n[g]
		if n == 0 {
			continue
		}
		samp := a.f == StddevSamp || a.f == VarSamp || a.f == CovarSamp
		if samp && n == 1 {
			continue
		}
		if a.f == Corr && n == 1 {
			continue
		}
		valid[i] = true
		switch a.f {
		case StddevSamp:
			out[i] = math.Sqrt(a.xm[g] / (n - 1))
		case StddevPop:
			out[i] = math.Sqrt(a.xm[g] / n)
		case VarSamp:
			out[i] = a.xm[g] / (n - 1)
		case VarPop:
			out[i] = a.xm[g] / n
		case CovarSamp:
			out[i] = a.ck[g] / (n - 1)
		case CovarPop:
			out[i] = a.ck[g] / n
		case Corr:
			out[i] = a.ck[g] / math.Sqrt(a.xm[g]*a.ym[g])
		}
	}
	return newFixedArray(mem, arrow.PrimitiveTypes.Float64, out, hi-lo, validFromSeen(valid)), nil
}

// --- count_if ---

type countIfAcc struct{ countAcc }

func (a *countIfAcc) update(gids []uint32, cols []arrow.Array) error {
	c, ok := cols[0].(*array.Boolean)
	if !ok {
		return fmt.Errorf("count_if: input type %s, expected boolean", cols[0].DataType())
	}
	cnt := a.cnt
	for i, g := range gids {
		if c.IsValid(i) && c.Value(i) {
			cnt[g]++
		}
	}
	return nil
}

// --- first, last, any_value, max_by, min_by ---

// seqShift places the partition index above the row ordinal in a sequence
// number, so sequence numbers order rows by partition, then by position.
const seqShift = 40

// pickAcc keeps one input value per group chosen by a sequence number
// (partition index and row position): the smallest for first/any_value,
// the largest for last; for max_by/min_by the row with the greatest/least
// ordering value, ties going to the smallest sequence number.
type pickAcc struct {
	f           Func
	merge       bool
	ignoreNulls bool
	part        int64
	rows        int64
	seq         []int64
	seen        []bool
	vals        valueStore
	ord         ordStore // max_by/min_by only
	pick        []int32  // per group: the batch row chosen, or -1
	dirty       []uint32
	seqBuf      []int64
}

func (a *pickAcc) setPartition(p int) { a.part = int64(p) }

func (a *pickAcc) grow(n int) {
	old := len(a.pick)
	a.seq, a.seen = growTo(a.seq, n), growTo(a.seen, n)
	a.pick = growTo(a.pick, n)
	for i := old; i < len(a.pick); i++ {
		a.pick[i] = -1
	}
	a.vals.grow(n)
	if a.ord != nil {
		a.ord.grow(n)
	}
}

// take records row i of the batch as the choice of group g.
func (a *pickAcc) take(g uint32, i int, s int64) {
	a.seen[g] = true
	a.seq[g] = s
	if a.pick[g] < 0 {
		a.dirty = append(a.dirty, g)
	}
	a.pick[g] = int32(i)
}

func (a *pickAcc) update(gids []uint32, cols []arrow.Array) error {
	val := cols[0]
	var seqs []int64
	var seqCol arrow.Array
	if a.merge {
		seqCol = cols[len(cols)-1]
		seqs = kernels.FixedValues[int64](seqCol)
	} else {
		a.seqBuf = growTo(a.seqBuf[:0], len(gids))
		base := a.part<<seqShift + a.rows
		for i := range gids {
			a.seqBuf[i] = base + int64(i)
		}
		seqs = a.seqBuf
		a.rows += int64(len(gids))
	}
	a.dirty = a.dirty[:0]
	switch {
	case a.ord != nil:
		if err := a.ord.pick(a, gids, cols[1], seqs); err != nil {
			return err
		}
	case a.f == Last:
		for i, g := range gids {
			if a.qualifies(val, seqCol, i) && (!a.seen[g] || seqs[i] > a.seq[g]) {
				a.take(g, i, seqs[i])
			}
		}
	default:
		for i, g := range gids {
			if a.qualifies(val, seqCol, i) && (!a.seen[g] || seqs[i] < a.seq[g]) {
				a.take(g, i, seqs[i])
			}
		}
	}
	if len(a.dirty) == 0 {
		return nil
	}
	err := a.vals.set(val, a.dirty, a.pick)
	for _, g := range a.dirty {
		a.pick[g] = -1
	}
	return err
}

// qualifies reports whether row i may be chosen by first/last/any_value.
func (a *pickAcc) qualifies(val, seqCol arrow.Array, i int) bool {
	if a.merge {
		return seqCol.IsValid(i)
	}
	return !a.ignoreNulls || val.IsValid(i)
}

func (a *pickAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	valid := validFromSeen(a.seen[lo:hi])
	out := []arrow.Array{a.vals.array(mem, lo, hi)}
	if a.ord != nil {
		out = append(out, a.ord.array(mem, lo, hi, valid))
	}
	return append(out, newFixedArray(mem, arrow.PrimitiveTypes.Int64, a.seq[lo:hi], hi-lo, valid)), nil
}

func (a *pickAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return a.vals.array(mem, lo, hi), nil
}

// valueStore holds one value (or null) of a given type per group.
type valueStore interface {
	grow(n int)
	// set copies, for every group g in gs, row rows[g] of col.
	set(col arrow.Array, gs []uint32, rows []int32) error
	array(mem memory.Allocator, lo, hi int) arrow.Array
}

func newValueStore(dt arrow.DataType) (valueStore, error) {
	switch dt.ID() {
	case arrow.INT8:
		return &fixedStore[int8]{dt: dt}, nil
	case arrow.INT16:
		return &fixedStore[int16]{dt: dt}, nil
	case arrow.INT32, arrow.DATE32:
		return &fixedStore[int32]{dt: dt}, nil
	case arrow.INT64, arrow.TIMESTAMP, arrow.DECIMAL64:
		return &fixedStore[int64]{dt: dt}, nil
	case arrow.FLOAT32:
		return &fixedStore[float32]{dt: dt}, nil
	case arrow.FLOAT64:
		return &fixedStore[float64]{dt: dt}, nil
	case arrow.DECIMAL128:
		return &fixedStore[decimal128.Num]{dt: dt}, nil
	case arrow.BOOL:
		return &boolStore{}, nil
	case arrow.STRING:
		return &stringStore{}, nil
	}
	return nil, fmt.Errorf("values of type %s are not supported", dt)
}

type fixedStore[T any] struct {
	dt    arrow.DataType
	vals  []T
	valid []bool
}

func (s *fixedStore[T]) grow(n int) { s.vals, s.valid = growTo(s.vals, n), growTo(s.valid, n) }

func (s *fixedStore[T]) set(col arrow.Array, gs []uint32, rows []int32) error {
	if !arrow.TypeEqual(col.DataType(), s.dt) {
		return fmt.Errorf("input type %s, expected %s", col.DataType(), s.dt)
	}
	in := kernels.FixedValues[T](col)
	for _, g := range gs {
		r := int(rows[g])
		s.valid[g] = col.IsValid(r)
		if s.valid[g] {
			s.vals[g] = in[r]
		}
	}
	return nil
}

func (s *fixedStore[T]) array(mem memory.Allocator, lo, hi int) arrow.Array {
	return newFixedArray(mem, s.dt, s.vals[lo:hi], hi-lo, validFromSeen(s.valid[lo:hi]))
}

type boolStore struct{ vals, valid []bool }

func (s *boolStore) grow(n int) { s.vals, s.valid = growTo(s.vals, n), growTo(s.valid, n) }

func (s *boolStore) set(col arrow.Array, gs []uint32, rows []int32) error {
	c, ok := col.(*array.Boolean)
	if !ok {
		return fmt.Errorf("input type %s, expected boolean", col.DataType())
	}
	for _, g := range gs {
		r := int(rows[g])
		s.valid[g] = c.IsValid(r)
		s.vals[g] = s.valid[g] && c.Value(r)
	}
	return nil
}

func (s *boolStore) array(mem memory.Allocator, lo, hi int) arrow.Array {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(s.vals[lo:hi], s.valid[lo:hi])
	return b.NewArray()
}

type stringStore struct {
	vals  [][]byte
	valid []bool
}

func (s *stringStore) grow(n int) { s.vals, s.valid = growTo(s.vals, n), growTo(s.valid, n) }

func (s *stringStore) set(col arrow.Array, gs []uint32, rows []int32) error {
	var str *array.String
	var dict *array.Dictionary
	switch c := col.(type) {
	case *array.String:
		str = c
	case *array.Dictionary:
		d, ok := c.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("input type %s, expected string", col.DataType())
		}
		str, dict = d, c
	default:
		return fmt.Errorf("input type %s, expected string", col.DataType())
	}
	offs, data := str.ValueOffsets(), str.ValueBytes()
	base := offs[0]
	for _, g := range gs {
		r := int(rows[g])
		s.valid[g] = col.IsValid(r)
		if !s.valid[g] {
			continue
		}
		if dict != nil {
			r = dict.GetValueIndex(r)
		}
		s.vals[g] = append(s.vals[g][:0], data[offs[r]-base:offs[r+1]-base]...)
	}
	return nil
}

func (s *stringStore) array(mem memory.Allocator, lo, hi int) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(hi - lo)
	for g := lo; g < hi; g++ {
		if s.valid[g] {
			b.BinaryBuilder.Append(s.vals[g])
		} else {
			b.AppendNull()
		}
	}
	return b.NewArray()
}

// ordStore holds the extreme ordering value of max_by/min_by per group.
type ordStore interface {
	grow(n int)
	// pick offers every row with a non-null ordering value to its group.
	pick(a *pickAcc, gids []uint32, ord arrow.Array, seqs []int64) error
	array(mem memory.Allocator, lo, hi int, valid []bool) arrow.Array
}

func newOrdStore(dt arrow.DataType) (ordStore, error) {
	switch dt.ID() {
	case arrow.INT8:
		return &ordFixed[int8]{dt: dt}, nil
	case arrow.INT16:
		return &ordFixed[int16]{dt: dt}, nil
	case arrow.INT32, arrow.DATE32:
		return &ordFixed[int32]{dt: dt}, nil
	case arrow.INT64, arrow.TIMESTAMP, arrow.DECIMAL64:
		return &ordFixed[int64]{dt: dt}, nil
	case arrow.FLOAT32:
		return &ordFixed[float32]{dt: dt}, nil
	case arrow.FLOAT64:
		return &ordFixed[float64]{dt: dt}, nil
	case arrow.DECIMAL128:
		return &ordDec128{dt: dt}, nil
	case arrow.BOOL:
		return &ordBool{}, nil
	case arrow.STRING:
		return &ordString{}, nil
	}
	return nil, fmt.Errorf("ordering by %s is not supported", dt)
}

// ordCmp compares like Spark: NaN is greater than every number and equal to itself.
func ordCmp[T cmp.Ordered](x, y T) int {
	xn, yn := x != x, y != y
	switch {
	case xn || yn:
		if xn && yn {
			return 0
		}
		if xn {
			return 1
		}
		return -1
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// wins reports whether a row with ordering comparison c (row vs current)
// and sequence number s replaces the current choice with sequence number cur.
func (a *pickAcc) wins(c int, s, cur int64) bool {
	if a.f == MinBy {
		c = -c
	}
	return c > 0 || (c == 0 && s < cur)
}

type ordFixed[T cmp.Ordered] struct {
	dt  arrow.DataType
	cur []T
}

func (o *ordFixed[T]) grow(n int) { o.cur = growTo(o.cur, n) }

func (o *ordFixed[T]) pick(a *pickAcc, gids []uint32, ord arrow.Array, seqs []int64) error {
	if !arrow.TypeEqual(ord.DataType(), o.dt) {
		return fmt.Errorf("%s: ordering type %s, expected %s", a.f, ord.DataType(), o.dt)
	}
	in := kernels.FixedValues[T](ord)
	noNulls := ord.NullN() == 0
	for i, g := range gids {
		if !noNulls && !ord.IsValid(i) {
			continue
		}
		v := in[i]
		if !a.seen[g] || a.wins(ordCmp(v, o.cur[g]), seqs[i], a.seq[g]) {
			o.cur[g] = v
			a.take(g, i, seqs[i])
		}
	}
	return nil
}

func (o *ordFixed[T]) array(mem memory.Allocator, lo, hi int, valid []bool) arrow.Array {
	return newFixedArray(mem, o.dt, o.cur[lo:hi], hi-lo, valid)
}

type ordString struct{ cur [][]byte }

func (o *ordString) grow(n int) { o.cur = growTo(o.cur, n) }

func (o *ordString) pick(a *pickAcc, gids []uint32, ord arrow.Array, seqs []int64) error {
	c, ok := ord.(*array.String)
	if !ok {
		return fmt.Errorf("%s: ordering type %s, expected string", a.f, ord.DataType())
	}
	offs, data := c.ValueOffsets(), c.ValueBytes()
	base := offs[0]
	for i, g := range gids {
		if !c.IsValid(i) {
			continue
		}
		v := data[offs[i]-base : offs[i+1]-base]
		if !a.seen[g] || a.wins(bytes.Compare(v, o.cur[g]), seqs[i], a.seq[g]) {
			o.cur[g] = append(o.cur[g][:0], v...)
			a.take(g, i, seqs[i])
		}
	}
	return nil
}

func (o *ordString) array(mem memory.Allocator, lo, hi int, valid []bool) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for g := lo; g < hi; g++ {
		if valid == nil || valid[g-lo] {
			b.BinaryBuilder.Append(o.cur[g])
		} else {
			b.AppendNull()
		}
	}
	return b.NewArray()
}

// --- approx_count_distinct: HyperLogLog ---

// HLLPrecision is the number of index bits of approx_count_distinct's
// sketch: Spark's default relative error 0.05 gives
// ceil(2*log2(1.106/0.05)) = 9, that is 512 registers.
const HLLPrecision = 9

const (
	hllRegisters = 1 << HLLPrecision
	hllQ         = 64 - HLLPrecision // hash bits left after the index
	hllSeed      = 0x5851F42D4C957F2D
)

// hllStateType returns the type of approx_count_distinct's partial state:
// one byte per register.
func hllStateType() arrow.DataType { return &arrow.FixedSizeBinaryType{ByteWidth: hllRegisters} }

// hashWord hashes a 64-bit value.
func hashWord(v uint64) uint64 { return kernels.Mix64((v ^ hllSeed) * prime1) }

// hllAcc keeps a HyperLogLog sketch of 8-bit registers per group.
type hllAcc struct {
	merge bool
	regs  []byte
	hs    []uint64
}

func (a *hllAcc) grow(n int) { a.regs = growTo(a.regs, n*hllRegisters) }

// hashes fills a.hs with the hash of every row of c (nulls hash arbitrarily).
func (a *hllAcc) hashes(c arrow.Array) error {
	n := c.Len()
	a.hs = growTo(a.hs[:0], n)
	hs := a.hs[:n]
	switch c := c.(type) {
	case *array.Int8:
		hashInts(hs, kernels.FixedValues[int8](c))
	case *array.Int16:
		hashInts(hs, kernels.FixedValues[int16](c))
	case *array.Int32:
		hashInts(hs, kernels.FixedValues[int32](c))
	case *array.Date32:
		hashInts(hs, kernels.FixedValues[int32](c))
	case *array.Int64, *array.Timestamp, *array.Decimal64:
		hashInts(hs, kernels.FixedValues[int64](c))
	case *array.Float32:
		for i, v := range kernels.FixedValues[float32](c)[:n] {
			hs[i] = hashWord(kernels.FloatKeyBits(float64(v)))
		}
	case *array.Float64:
		for i, v := range kernels.FixedValues[float64](c)[:n] {
			hs[i] = hashWord(kernels.FloatKeyBits(v))
		}
	case *array.Decimal128:
		for i, v := range kernels.FixedValues[decimal128.Num](c)[:n] {
			hs[i] = hashWord(v.LowBits() ^ hashWord(uint64(v.HighBits())))
		}
	case *array.Boolean:
		for i := range hs {
			if c.Value(i) {
				hs[i] = hashWord(1)
			} else {
				hs[i] = hashWord(0)
			}
		}
	case *array.String:
		offs, data := c.ValueOffsets(), c.ValueBytes()
		base := offs[0]
		for i := range hs {
			hs[i] = hashWord(hashLong(data[offs[i]-base : offs[i+1]-base]))
		}
	case *array.Dictionary:
		d, ok := c.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("approx_count_distinct: unsupported input type %s", c.DataType())
		}
		dh := make([]uint64, d.Len())
		for j := range dh {
			dh[j] = hashWord(hashLong([]byte(d.Value(j))))
		}
		for i := range hs {
			if c.IsValid(i) {
				hs[i] = dh[c.GetValueIndex(i)]
			}
		}
	default:
		return fmt.Errorf("approx_count_distinct: unsupported input type %s", c.DataType())
	}
	return nil
}

func hashInts[T int8 | int16 | int32 | int64](hs []uint64, vals []T) {
	vals = vals[:len(hs)]
	for i, v := range vals {
		hs[i] = hashWord(uint64(int64(v)))
	}
}

func (a *hllAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	regs := a.regs
	if a.merge {
		st, ok := c.(*array.FixedSizeBinary)
		if !ok || st.DataType().(*arrow.FixedSizeBinaryType).ByteWidth != hllRegisters {
			return fmt.Errorf("approx_count_distinct: state type %s, expected %s", c.DataType(), hllStateType())
		}
		for i, g := range gids {
			if !c.IsValid(i) {
				continue
			}
			dst := regs[int(g)*hllRegisters : (int(g)+1)*hllRegisters]
			for j, r := range st.Value(i)[:hllRegisters] {
				dst[j] = max(dst[j], r)
			}
		}
		return nil
	}
	if err := a.hashes(c); err != nil {
		return err
	}
	hs := a.hs
	noNulls := c.NullN() == 0
	for i, g := range gids {
		if noNulls || c.IsValid(i) {
			h := hs[i]
			j := int(g)*hllRegisters + int(h>>hllQ)
			r := byte(bits.LeadingZeros64(h<<HLLPrecision|1<<(HLLPrecision-1)) + 1)
			regs[j] = max(regs[j], r)
		}
	}
	return nil
}

func (a *hllAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	return []arrow.Array{newFixedArray(mem, hllStateType(), a.regs[lo*hllRegisters:hi*hllRegisters], hi-lo, nil)}, nil
}

func (a *hllAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	out := make([]int64, hi-lo)
	for g := lo; g < hi; g++ {
		out[g-lo] = hllEstimate(a.regs[g*hllRegisters : (g+1)*hllRegisters])
	}
	return newFixedArray(mem, arrow.PrimitiveTypes.Int64, out, hi-lo, nil), nil
}

// hllEstimate returns the cardinality estimate of one sketch with Ertl's
// improved estimator ("New cardinality estimation algorithms for
// HyperLogLog sketches", 2017), which needs no empirical bias correction.
func hllEstimate(regs []byte) int64 {
	var c [hllQ + 2]float64
	for _, r := range regs {
		c[r]++
	}
	const m = float64(hllRegisters)
	if c[0] == m {
		return 0
	}
	z := m * hllTau(1-c[hllQ+1]/m)
	for k := hllQ; k >= 1; k-- {
		z = 0.5 * (z + c[k])
	}
	z += m * hllSigma(c[0]/m)
	const alphaInf = 0.5 / math.Ln2
	return int64(math.Round(alphaInf * m * m / z))
}

func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += x * y
		y += y
		if z == prev {
			return z
		}
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		d := 1 - x
		z -= d * d * y
		if z == prev {
			return z / 3
		}
	}
}

type ordDec128 struct {
	dt  arrow.DataType
	cur []decimal128.Num
}

func (o *ordDec128) grow(n int) { o.cur = growTo(o.cur, n) }

func (o *ordDec128) pick(a *pickAcc, gids []uint32, ord arrow.Array, seqs []int64) error {
	if !arrow.TypeEqual(ord.DataType(), o.dt) {
		return fmt.Errorf("%s: ordering type %s, expected %s", a.f, ord.DataType(), o.dt)
	}
	in := kernels.FixedValues[decimal128.Num](ord)
	for i, g := range gids {
		if !ord.IsValid(i) {
			continue
		}
		v := in[i]
		if !a.seen[g] || a.wins(v.Cmp(o.cur[g]), seqs[i], a.seq[g]) {
			o.cur[g] = v
			a.take(g, i, seqs[i])
		}
	}
	return nil
}

func (o *ordDec128) array(mem memory.Allocator, lo, hi int, valid []bool) arrow.Array {
	return newFixedArray(mem, o.dt, o.cur[lo:hi], hi-lo, valid)
}

// ordBool orders false before true.
type ordBool struct{ cur []bool }

func (o *ordBool) grow(n int) { o.cur = growTo(o.cur, n) }

func (o *ordBool) pick(a *pickAcc, gids []uint32, ord arrow.Array, seqs []int64) error {
	c, ok := ord.(*array.Boolean)
	if !ok {
		return fmt.Errorf("%s: ordering type %s, expected boolean", a.f, ord.DataType())
	}
	for i, g := range gids {
		if !c.IsValid(i) {
			continue
		}
		v := c.Value(i)
		cv := 0
		if v != o.cur[g] {
			cv = -1
			if v {
				cv = 1
			}
		}
		if !a.seen[g] || a.wins(cv, seqs[i], a.seq[g]) {
			o.cur[g] = v
			a.take(g, i, seqs[i])
		}
	}
	return nil
}

func (o *ordBool) array(mem memory.Allocator, lo, hi int, valid []bool) arrow.Array {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(o.cur[lo:hi], valid)
	return b.NewArray()
}
