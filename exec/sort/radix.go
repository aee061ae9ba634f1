package sort

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// intKey returns, for a column of an integer-like type (ints, date32,
// timestamp, decimal64), a function writing the order-preserving unsigned
// key of row i; nil for other types.
func intKey(arr arrow.Array) func(i int) uint64 {
	const sign = 1 << 63
	switch a := arr.(type) {
	case *array.Int8:
		v := a.Int8Values()
		return func(i int) uint64 { return uint64(int64(v[i])) ^ sign }
	case *array.Int16:
		v := a.Int16Values()
		return func(i int) uint64 { return uint64(int64(v[i])) ^ sign }
	case *array.Int32:
		v := a.Int32Values()
		return func(i int) uint64 { return uint64(int64(v[i])) ^ sign }
	case *array.Int64:
		v := a.Int64Values()
		return func(i int) uint64 { return uint64(v[i]) ^ sign }
	case *array.Date32:
		v := arrow.Int32Traits.CastFromBytes(arrow.Date32Traits.CastToBytes(a.Date32Values()))
		return func(i int) uint64 { return uint64(int64(v[i])) ^ sign }
	case *array.Timestamp:
		v := arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(a.TimestampValues()))
		return func(i int) uint64 { return uint64(v[i]) ^ sign }
	case *array.Decimal64:
		v := arrow.Int64Traits.CastFromBytes(a.Data().Buffers()[1].Bytes())[a.Data().Offset():]
		return func(i int) uint64 { return uint64(v[i]) ^ sign }
	case *array.Duration: // a day-time interval: microseconds
		v := arrow.GetValues[int64](a.Data(), 1)
		return func(i int) uint64 { return uint64(v[i]) ^ sign }
	case *array.MonthInterval: // a year-month interval: months
		v := arrow.GetValues[int32](a.Data(), 1)
		return func(i int) uint64 { return uint64(int64(v[i])) ^ sign }
	}
	return nil
}

// radixSortRun sorts run (row ids in ascending order) by the single integer
// key k of arr with a stable LSD radix sort, so equal keys keep their order.
// It reports false when the column type is not integer-like.
func radixSortRun(arr arrow.Array, k Key, run []int32) bool {
	key := intKey(arr)
	if key == nil {
		return false
	}
	type pair struct {
		k uint64
		i int32
	}
	var bits []byte
	off := arr.Data().Offset()
	if arr.NullN() > 0 {
		bits = arr.NullBitmapBytes()
	}
	// Stable-partition the nulls out of run.
	vals := make([]pair, 0, len(run))
	var nulls []int32
	for _, i := range run {
		if bits != nil && !bitutil.BitIsSet(bits, off+int(i)) {
			nulls = append(nulls, i)
			continue
		}
		u := key(int(i))
		if k.Desc {
			u = ^u
		}
		vals = append(vals, pair{u, i})
	}
	tmp := make([]pair, len(vals))
	var count [256]int
	for shift := uint(0); shift < 64 && len(vals) > 0; shift += 8 {
		count = [256]int{}
		for _, p := range vals {
			count[byte(p.k>>shift)]++
		}
		if count[byte(vals[0].k>>shift)] == len(vals) {
			continue // every key has the same digit here
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, p := range vals {
			d := byte(p.k >> shift)
			tmp[count[d]] = p
			count[d]++
		}
		vals, tmp = tmp, vals
	}
	out := run[:0]
	if k.NullsFirst {
		out = append(out, nulls...)
	}
	for _, p := range vals {
		out = append(out, p.i)
	}
	if !k.NullsFirst {
		out = append(out, nulls...)
	}
	return true
}
