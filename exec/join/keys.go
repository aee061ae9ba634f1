package join

import (
	"context"
	"fmt"
	"hash/maphash"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
)

// keyKind is the physical representation a key column is normalized to.
type keyKind int

const (
	kindFixed  keyKind = iota // one uint64 per row
	kindDec128                // two uint64 per row (lo, hi)
	kindString                // bytes addressed through offsets, optionally via dictionary indices
)

// keyCol is one key column of a batch (or of the whole build side) in a form
// that can be hashed and compared without per-row interface calls.
type keyCol struct {
	kind  keyKind
	fixed []uint64 // kindFixed values, kindDec128 low words
	hi    []uint64 // kindDec128 high words
	offs  []int32  // kindString offsets
	data  []byte   // kindString bytes
	dict  []int32  // kindString dictionary indices, nil for plain strings
	// nulls flags the null rows of a null-safe key column (null equals
	// null); nil for ordinary columns, whose nulls go to keySet.null.
	nulls []bool
	// borrowed: fixed is the values buffer of the loaded array itself, to
	// be read only and dropped (never reused) by the next load.
	borrowed bool
}

// isNull reports whether row i is null in a null-safe key column.
func (k *keyCol) isNull(i int) bool { return k.nulls != nil && k.nulls[i] }

// str returns the bytes of row i of a string key column.
func (k *keyCol) str(i int) []byte {
	if k.dict != nil {
		i = int(k.dict[i])
	}
	return k.data[k.offs[i]:k.offs[i+1]]
}

// keySet holds the key columns of a batch, the combined null flags (a row
// with any null key never matches) and the row hashes.
type keySet struct {
	cols  []keyCol
	null  []bool
	hash  []uint64
	nulls int
	// unhashed: hash does not hold the rows' hashes (loaded without
	// them); see ensureHash.
	unhashed bool
	// borrow lets load point a 64-bit integer key column at the array's
	// own values instead of copying them, for keys that live no longer
	// than their batch and are never written: a probe stream's.
	borrow bool
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// growCtx is grow for a caller whose context may be cancelled: a large new
// slice is allocated by exec.MakeLargeContext, which returns ctx's error at
// once instead of waiting for the runtime to clear it.
func growCtx[T any](ctx context.Context, s []T, n int) ([]T, error) {
	if cap(s) < n {
		return exec.MakeLargeContext[T](ctx, n, n)
	}
	return s[:n], nil
}

// loadChunk is the number of rows keyCol.load converts between two looks at
// its context. The build side's keys are loaded as one column of all its
// rows into fresh memory, so the conversion is bounded by page faults: a 40M
// row column took hundreds of milliseconds in one piece.
const loadChunk = 1 << 16

// load normalizes the key arrays of one batch into ks, reusing its buffers.
// nullSafe[c] (nil: all false) makes column c compare null as equal to null.
// It looks at ctx between columns, every loadChunk rows while converting
// and every hashChunk rows while hashing, so that loading the keys of a
// large build side stops soon after a cancel.
func (ks *keySet) load(ctx context.Context, arrs []arrow.Array, nullSafe []bool, seed maphash.Seed) error {
	return ks.loadWith(ctx, arrs, nullSafe, seed, true)
}

// loadWith is load, hashing the rows only when hash is set: a probe of a
// table placed by key value reads the key values alone. Without hashing,
// ks.hash is left as it was.
func (ks *keySet) loadWith(ctx context.Context, arrs []arrow.Array, nullSafe []bool, seed maphash.Seed, hash bool) error {
	n := 0
	if len(arrs) > 0 {
		n = arrs[0].Len()
	}
	if len(ks.cols) != len(arrs) {
		ks.cols = make([]keyCol, len(arrs))
	}
	var err error
	if ks.null, err = growCtx(ctx, ks.null, n); err != nil {
		return err
	}
	clear(ks.null)
	if hash {
		if ks.hash, err = growCtx(ctx, ks.hash, n); err != nil {
			return err
		}
	}
	for c, a := range arrs {
		k := &ks.cols[c]
		null := ks.null
		if c < len(nullSafe) && nullSafe[c] {
			if k.nulls, err = growCtx(ctx, k.nulls, n); err != nil {
				return err
			}
			clear(k.nulls)
			null = k.nulls
		} else {
			k.nulls = nil
		}
		if err := k.load(ctx, a, null, ks.borrow && k.nulls == nil); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if k.nulls != nil && k.kind != kindString {
			// Null slots hold arbitrary bytes: give them one value so they hash alike.
			for i, isNull := range k.nulls {
				if isNull {
					k.fixed[i] = 0
					if k.kind == kindDec128 {
						k.hi[i] = 0
					}
				}
			}
		}
	}
	ks.nulls = 0
	for _, b := range ks.null {
		if b {
			ks.nulls++
		}
	}
	ks.unhashed = !hash
	if !hash {
		return nil
	}
	return ks.computeHash(ctx, seed)
}

// ensureHash hashes the rows of keys loaded without their hashes.
func (ks *keySet) ensureHash(ctx context.Context, seed maphash.Seed) error {
	if !ks.unhashed {
		return nil
	}
	var err error
	if ks.hash, err = growCtx(ctx, ks.hash, len(ks.null)); err != nil {
		return err
	}
	if err := ks.computeHash(ctx, seed); err != nil {
		return err
	}
	ks.unhashed = false
	return nil
}

// markNulls sets null[i] for every null row of a.
func markNulls(a arrow.Array, null []bool) {
	if a.NullN() == 0 {
		return
	}
	bits := a.NullBitmapBytes()
	off := a.Data().Offset()
	if len(bits) == 0 {
		for i := range null {
			null[i] = true
		}
		return
	}
	for i := range null {
		if !bitutil.BitIsSet(bits, off+i) {
			null[i] = true
		}
	}
}

// load normalizes key column a into k, reusing k's buffers, and marks its
// null rows in null. Fixed-width columns are converted loadChunk rows at a
// time, with ctx looked at in between; with borrow, an Int64 or Timestamp
// column is read in place instead (see keySet.borrow).
func (k *keyCol) load(ctx context.Context, a arrow.Array, null []bool, borrow bool) error {
	n := a.Len()
	k.dict = nil
	if k.borrowed {
		k.fixed, k.borrowed = nil, false
	}
	if borrow {
		var vals []int64
		switch arr := a.(type) {
		case *array.Int64:
			vals = arr.Int64Values()
		case *array.Timestamp:
			vals = arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(arr.TimestampValues()))
		}
		if vals != nil {
			k.kind = kindFixed
			k.fixed, k.borrowed = unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(vals))), len(vals)), true
			markNulls(a, null)
			return nil
		}
	}
	switch a.(type) {
	case *array.Int8, *array.Int16, *array.Int32, *array.Int64, *array.Date32, *array.Timestamp,
		*array.Decimal64, *array.Float32, *array.Float64, *array.Boolean:
		k.kind = kindFixed
	case *array.Decimal128:
		k.kind = kindDec128
	default:
		return k.loadVariable(a, null)
	}
	var err error
	if k.fixed, err = growCtx(ctx, k.fixed, n); err != nil {
		return err
	}
	if k.kind == kindDec128 {
		if k.hi, err = growCtx(ctx, k.hi, n); err != nil {
			return err
		}
	}
	if n <= loadChunk {
		markNulls(a, null)
		k.fillFixed(a, 0)
		return nil
	}
	for lo := 0; lo < n; lo += loadChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+loadChunk, n)
		part := array.NewSlice(a, int64(lo), int64(hi))
		markNulls(part, null[lo:hi])
		k.fillFixed(part, lo)
		part.Release()
	}
	return nil
}

// fillFixed writes the values of a fixed-width column a (of the kinds load
// lists) into k.fixed (and k.hi) from row at on.
func (k *keyCol) fillFixed(a arrow.Array, at int) {
	n := a.Len()
	fixed := k.fixed[at : at+n]
	switch arr := a.(type) {
	case *array.Int8:
		kernels.Widen(fixed, arr.Int8Values())
	case *array.Int16:
		kernels.Widen(fixed, arr.Int16Values())
	case *array.Int32:
		kernels.Widen(fixed, arr.Int32Values())
	case *array.Int64:
		kernels.Widen(fixed, arr.Int64Values())
	case *array.Date32:
		kernels.Widen(fixed, arrow.Int32Traits.CastFromBytes(arrow.Date32Traits.CastToBytes(arr.Date32Values())))
	case *array.Timestamp:
		kernels.Widen(fixed, arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(arr.TimestampValues())))
	case *array.Decimal64:
		for i := range n {
			fixed[i] = uint64(arr.Value(i))
		}
	case *array.Decimal128:
		hi := k.hi[at : at+n]
		for i := range n {
			v := arr.Value(i)
			fixed[i], hi[i] = v.LowBits(), uint64(v.HighBits())
		}
	case *array.Float32:
		for i, v := range arr.Float32Values() {
			fixed[i] = kernels.FloatKeyBits(float64(v))
		}
	case *array.Float64:
		for i, v := range arr.Float64Values() {
			fixed[i] = kernels.FloatKeyBits(v)
		}
	case *array.Boolean:
		for i := range n {
			if arr.Value(i) {
				fixed[i] = 1
			} else {
				fixed[i] = 0
			}
		}
	}
}

// loadVariable loads a string, binary or dictionary-encoded string column.
func (k *keyCol) loadVariable(a arrow.Array, null []bool) error {
	markNulls(a, null)
	n := a.Len()
	switch arr := a.(type) {
	case *array.String:
		k.kind = kindString
		k.offs, k.data = kernels.StringBuffers(arr)
	case *array.Binary:
		k.kind = kindString
		k.offs, k.data = kernels.BinaryBuffers(arr)
	case *array.Dictionary:
		dv := kernels.DictionaryValues(arr)
		defer dv.Release()
		dict, ok := dv.(*array.String)
		if !ok {
			return fmt.Errorf("unsupported join key type %s", a.DataType())
		}
		k.kind = kindString
		k.offs, k.data = kernels.StringBuffers(dict)
		k.dict = grow(k.dict, n)
		if err := dictIndices(arr.Indices(), k.dict); err != nil {
			return err
		}
		if dict.NullN() > 0 {
			for i, j := range k.dict {
				if !null[i] && dict.IsNull(int(j)) {
					null[i] = true
				}
			}
		}
	default:
		return fmt.Errorf("unsupported join key type %s", a.DataType())
	}
	return nil
}

// dictIndices copies the indices of a dictionary array into dst as int32.
func dictIndices(idx arrow.Array, dst []int32) error {
	switch ix := idx.(type) {
	case *array.Int8:
		for i, v := range ix.Int8Values() {
			dst[i] = int32(v)
		}
	case *array.Int16:
		for i, v := range ix.Int16Values() {
			dst[i] = int32(v)
		}
	case *array.Int32:
		copy(dst, ix.Int32Values())
	case *array.Int64:
		for i, v := range ix.Int64Values() {
			dst[i] = int32(v)
		}
	case *array.Uint8:
		for i, v := range ix.Uint8Values() {
			dst[i] = int32(v)
		}
	case *array.Uint16:
		for i, v := range ix.Uint16Values() {
			dst[i] = int32(v)
		}
	case *array.Uint32:
		for i, v := range ix.Uint32Values() {
			dst[i] = int32(v)
		}
	default:
		return fmt.Errorf("unsupported dictionary index type %s", idx.DataType())
	}
	return nil
}

const golden = 0x9e3779b97f4a7c15

// hashChunk is the number of rows computeHash hashes between two looks at
// its context: a few milliseconds of work at most.
const hashChunk = 1 << 16

// computeHash fills ks.hash, hashChunk rows at a time (column by column
// within a chunk), and stops with ctx's error once ctx is done.
func (ks *keySet) computeHash(ctx context.Context, seed maphash.Seed) error {
	dicts := make([][]uint64, len(ks.cols))
	for c := range ks.cols {
		k := &ks.cols[c]
		if k.kind == kindString && k.dict != nil {
			// Hash each dictionary entry once.
			nd := len(k.offs) - 1
			dh := make([]uint64, nd)
			for d := range nd {
				dh[d] = maphash.Bytes(seed, k.data[k.offs[d]:k.offs[d+1]])
			}
			dicts[c] = dh
		}
	}
	for lo := 0; lo < len(ks.hash); lo += hashChunk {
		if lo > 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		ks.hashRows(seed, dicts, lo, min(lo+hashChunk, len(ks.hash)))
	}
	return nil
}

// hashRows hashes rows [lo, hi) of ks into ks.hash; dicts[c] holds the
// hashes of the dictionary entries of a dictionary-encoded string column c.
func (ks *keySet) hashRows(seed maphash.Seed, dicts [][]uint64, lo, hi int) {
	h := ks.hash[lo:hi]
	for i := range h {
		h[i] = golden
	}
	for c := range ks.cols {
		k := &ks.cols[c]
		switch k.kind {
		case kindFixed:
			for i, v := range k.fixed[lo:hi] {
				h[i] = kernels.Mix64(h[i]*31 + v)
			}
		case kindDec128:
			hw := k.hi[lo:hi]
			for i, v := range k.fixed[lo:hi] {
				h[i] = kernels.Mix64(kernels.Mix64(h[i]*31+v) ^ hw[i])
			}
		case kindString:
			if dh := dicts[c]; k.dict != nil {
				nd := len(dh)
				for i, j := range k.dict[lo:hi] {
					if k.isNull(lo + i) {
						h[i] = kernels.Mix64(h[i]*31 + golden)
					} else if j >= 0 && int(j) < nd {
						h[i] = kernels.Mix64(h[i]*31 + dh[j])
					}
				}
			} else {
				for i := range h {
					r := lo + i
					if k.isNull(r) {
						h[i] = kernels.Mix64(h[i]*31 + golden)
						continue
					}
					h[i] = kernels.Mix64(h[i]*31 + maphash.Bytes(seed, k.data[k.offs[r]:k.offs[r+1]]))
				}
			}
		}
	}
}

// equal reports whether row i of probe keys equals row j of build keys.
func equal(p *keySet, i int, b *keySet, j int) bool {
	for c := range p.cols {
		pk, bk := &p.cols[c], &b.cols[c]
		if pk.nulls != nil {
			pn, bn := pk.nulls[i], bk.nulls[j]
			if pn || bn {
				if pn != bn {
					return false
				}
				continue
			}
		}
		switch pk.kind {
		case kindFixed:
			if pk.fixed[i] != bk.fixed[j] {
				return false
			}
		case kindDec128:
			if pk.fixed[i] != bk.fixed[j] || pk.hi[i] != bk.hi[j] {
				return false
			}
		case kindString:
			if string(pk.str(i)) != string(bk.str(j)) {
				return false
			}
		}
	}
	return true
}
