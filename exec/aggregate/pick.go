package aggregate

import (
	"bytes"
	"cmp"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

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
	return append(out, kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Int64, a.seq[lo:hi], hi-lo, valid)), nil
}

func (a *pickAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return a.vals.array(mem, lo, hi), nil
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
	case arrow.BINARY:
		return &ordString{binary: true}, nil
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
	return kernels.NewFixedArray(mem, o.dt, o.cur[lo:hi], hi-lo, valid)
}

type ordString struct {
	cur    [][]byte
	binary bool // BINARY ordering values instead of strings
}

func (o *ordString) grow(n int) { o.cur = growTo(o.cur, n) }

func (o *ordString) pick(a *pickAcc, gids []uint32, ord arrow.Array, seqs []int64) error {
	c, ok := ord.(byteArray)
	if !ok || (ord.DataType().ID() == arrow.BINARY) != o.binary {
		return fmt.Errorf("%s: ordering type %s, expected string or binary", a.f, ord.DataType())
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
	b := newBytesBuilder(mem, o.binary)
	defer b.Release()
	for g := lo; g < hi; g++ {
		if valid == nil || valid[g-lo] {
			b.Append(o.cur[g])
		} else {
			b.AppendNull()
		}
	}
	return finishBytes(b, o.binary)
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
	return kernels.NewFixedArray(mem, o.dt, o.cur[lo:hi], hi-lo, valid)
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
