package aggregate

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/gspark/gspark/exec/kernels"
)

// Slots of a small-domain key column: a byte value (a one-byte string, a
// boolean or a small integer) indexes slots 0..255 directly.
const (
	slotEmpty   = 256 // the empty string
	slotNull    = 257
	slotCount   = 258
	slotInvalid = 0xFFFF // a dictionary entry that is not a short string
	// smallMaxBits bounds the width of a combined code, so the direct-index
	// array has at most 64Ki entries.
	smallMaxBits = 16
)

// smallKeys is a cache in front of the hash table for key tuples whose
// columns each hold strings of at most one byte (or up to shortCap
// distinct strings of up to shortMax bytes), booleans or integers in
// [0, 256) (int8: any value), plus null. Every column value gets a dense
// per-column id on first sight; the ids of a row, concatenated, index an
// array of group ids learned from the hash table. A batch whose codes all
// hit is resolved without hashing; any miss sends the batch through the hash
// table and records its answers. A value outside the domain disables the
// cache for good, so group ids always come from the hash table and the
// fallback is transparent. One or two key columns of one-byte strings
// without nulls are resolved in one pass through pairs, indexed by the bytes.
type smallKeys struct {
	cols   []smallCol
	direct []uint32 // combined code → group id + 1; 0 is unknown
	codes  []uint32 // per row of the batch
	dslot  []uint16 // per entry of the current dictionary: its slot
	// single and pairs map the bytes of one or two one-byte string keys
	// (first byte high) straight to group id + 1; 0 is unknown.
	single *[1 << 8]uint32
	pairs  *[1 << 16]uint32
}

type smallCol struct {
	id    [slotCount]uint16 // slot → local id + 1; 0 is unassigned
	n     int               // local ids assigned
	bits  uint              // width of the column's field in a code
	short *shortIDs         // strings of 2 to shortMax bytes, made on first sight
}

// Strings of two to shortMax bytes (codes such as "TRUCK" or
// "4-NOT SPECIFIED") stay in the small domain through a per-column table of
// at most shortCap of them, each packed with its length into two words.
const (
	shortMax   = 15
	shortCap   = 64
	shortSlots = 128 // a power of two, twice shortCap
)

// shortKey is a packed string: its first eight bytes in lo, the rest in
// hi with the length in hi's top byte (so hi is never 0 for a string).
type shortKey struct{ lo, hi uint64 }

// shortIDs maps packed strings to local ids + 1 by open addressing; a key
// whose hi is 0 is an empty slot.
type shortIDs struct {
	keys [shortSlots]shortKey
	ids  [shortSlots]uint16
	n    int
}

// packShort packs s (at most shortMax bytes) with its length.
func packShort(s []byte) shortKey {
	k := shortKey{hi: uint64(len(s)) << 56}
	for i, ch := range s {
		if i < 8 {
			k.lo |= uint64(ch) << (8 * i)
		} else {
			k.hi |= uint64(ch) << (8 * (i - 8))
		}
	}
	return k
}

// packAt packs data[s:e] (one to shortMax bytes) as packShort does, with
// two 8-byte loads when data has sixteen bytes from s.
func packAt(data []byte, s, e int) shortKey {
	n := e - s
	if s+16 > len(data) {
		return packShort(data[s:e])
	}
	lo := binary.LittleEndian.Uint64(data[s:])
	if n <= 8 {
		return shortKey{lo: lo & (^uint64(0) >> (64 - 8*n)), hi: uint64(n) << 56}
	}
	hi := binary.LittleEndian.Uint64(data[s+8:]) & (^uint64(0) >> (64 - 8*(n-8)))
	return shortKey{lo: lo, hi: hi | uint64(n)<<56}
}

// shortSlot is the home slot of packed string k.
func shortSlot(k shortKey) uint64 {
	return ((k.lo ^ k.hi*0xC2B2AE3D27D4EB4F) * 0x9E3779B97F4A7C15) >> 57 // 7 bits: shortSlots
}

// shortIDAt returns the local id + 1 of data[s:e] (two to shortMax bytes),
// as shortID does, looking at the home slot first without a call.
func (c *smallCol) shortIDAt(data []byte, s, e int) (uint16, bool) {
	k := packAt(data, s, e)
	if t := c.short; t != nil {
		if h := shortSlot(k); t.keys[h] == k {
			return t.ids[h], true
		}
	}
	return c.shortID(k)
}

// shortID returns the local id + 1 of packed string k, assigning one on
// first sight; false when the column already holds shortCap such strings.
func (c *smallCol) shortID(k shortKey) (uint16, bool) {
	if c.short == nil {
		c.short = new(shortIDs)
	}
	t := c.short
	h := shortSlot(k)
	for {
		switch {
		case t.keys[h] == k:
			return t.ids[h], true
		case t.keys[h].hi == 0:
			if t.n == shortCap {
				return 0, false
			}
			t.n++
			c.n++
			t.keys[h], t.ids[h] = k, uint16(c.n)
			return uint16(c.n), true
		}
		h = (h + 1) & (shortSlots - 1)
	}
}

// forget drops the group ids the cache learned (the table behind it was
// emptied); the columns' value ids stay, as they name values, not groups.
func (sk *smallKeys) forget() {
	clear(sk.direct)
	if sk.single != nil {
		clear(sk.single[:])
	}
	if sk.pairs != nil {
		clear(sk.pairs[:])
	}
}

// newSmallKeys returns the cache for key columns of the given types, or nil
// when some type never fits a small domain.
func newSmallKeys(types []arrow.DataType) *smallKeys {
	if len(types) == 0 || len(types) > smallMaxBits {
		return nil
	}
	for _, dt := range types {
		switch t := dt.(type) {
		case *arrow.StringType, *arrow.BooleanType, *arrow.Int8Type, *arrow.Int16Type,
			*arrow.Int32Type, *arrow.Int64Type:
		case *arrow.DictionaryType:
			if t.ValueType.ID() != arrow.STRING {
				return nil
			}
		default:
			return nil
		}
	}
	return &smallKeys{cols: make([]smallCol, len(types))}
}

// assign gives slot s the next local id and returns the id + 1.
func (c *smallCol) assign(s int) uint16 {
	c.n++
	c.id[s] = uint16(c.n)
	return uint16(c.n)
}

// encode computes the combined code of every row of cols (n rows). It
// reports false when some value is outside the domain or the codes would
// not fit smallMaxBits; the cache must then be dropped.
func (sk *smallKeys) encode(cols []arrow.Array, n int) ([]uint32, bool) {
	if cap(sk.codes) < n {
		sk.codes = make([]uint32, n)
	}
	codes := sk.codes[:n]
	for {
		clear(codes)
		for k := range sk.cols {
			if !sk.encodeCol(&sk.cols[k], cols[k], codes) {
				return nil, false
			}
		}
		// Re-lay the code fields when some column got more ids than its
		// field holds; the learned group ids are then forgotten.
		total, changed := uint(0), sk.direct == nil
		for k := range sk.cols {
			c := &sk.cols[k]
			b := uint(bits.Len(uint(max(c.n-1, 0))))
			if b != c.bits {
				c.bits, changed = b, true
			}
			total += b
		}
		if total > smallMaxBits {
			return nil, false
		}
		if !changed {
			return codes, true
		}
		sk.direct = make([]uint32, 1<<total)
	}
}

// encodeCol shifts the field of column c, for array a, into codes.
func (sk *smallKeys) encodeCol(c *smallCol, a arrow.Array, codes []uint32) bool {
	n := len(codes)
	b := c.bits
	var valid []byte
	off := a.Data().Offset()
	if a.NullN() > 0 {
		valid = a.NullBitmapBytes()
	}
	switch x := a.(type) {
	case *array.String:
		offs := x.ValueOffsets()[:n+1]
		if valid == nil {
			return encodeStrings(c, codes, offs, x.ValueBytes())
		}
		return encodeNullableStrings(c, codes, offs, x.ValueBytes(), valid, off)
	case *array.Dictionary:
		dict, ok := x.Dictionary().(*array.String)
		if !ok {
			return false
		}
		dslot := sk.dictSlots(dict)
		switch ix := x.Indices().(type) {
		case *array.Int8:
			return encodeDict(c, codes, kernels.FixedValues[int8](ix), dslot, valid, off)
		case *array.Uint8:
			return encodeDict(c, codes, kernels.FixedValues[uint8](ix), dslot, valid, off)
		case *array.Int16:
			return encodeDict(c, codes, kernels.FixedValues[int16](ix), dslot, valid, off)
		case *array.Uint16:
			return encodeDict(c, codes, kernels.FixedValues[uint16](ix), dslot, valid, off)
		case *array.Int32:
			return encodeDict(c, codes, kernels.FixedValues[int32](ix), dslot, valid, off)
		case *array.Uint32:
			return encodeDict(c, codes, kernels.FixedValues[uint32](ix), dslot, valid, off)
		case *array.Int64:
			return encodeDict(c, codes, kernels.FixedValues[int64](ix), dslot, valid, off)
		case *array.Uint64:
			return encodeDict(c, codes, kernels.FixedValues[uint64](ix), dslot, valid, off)
		}
		return false
	case *array.Boolean:
		for i := range codes {
			slot := 0
			if valid != nil && !bitutil.BitIsSet(valid, off+i) {
				slot = slotNull
			} else if x.Value(i) {
				slot = 1
			}
			v := c.id[slot]
			if v == 0 {
				v = c.assign(slot)
			}
			codes[i] = codes[i]<<b | uint32(v-1)
		}
	case *array.Int8:
		return encodeInts(c, codes, kernels.FixedValues[int8](a), valid, off, 0xFF)
	case *array.Int16:
		return encodeInts(c, codes, kernels.FixedValues[int16](a), valid, off, 0)
	case *array.Int32:
		return encodeInts(c, codes, kernels.FixedValues[int32](a), valid, off, 0)
	case *array.Int64:
		return encodeInts(c, codes, kernels.FixedValues[int64](a), valid, off, 0)
	default:
		return false
	}
	return true
}

// encodeStrings encodes strings without nulls given by offs into data.
func encodeStrings(c *smallCol, codes []uint32, offs []int32, data []byte) bool {
	b := c.bits
	base := offs[0]
	if int(offs[len(codes)]-base) == len(codes) && len(data) >= len(codes) {
		// Every string has one byte when no offset step differs from 1.
		var bad int32
		for i, o := range offs[1 : len(codes)+1] {
			bad |= o - offs[i] - 1
		}
		if bad == 0 {
			for i, ch := range data[:len(codes)] {
				v := c.id[ch]
				if v == 0 {
					v = c.assign(int(ch))
				}
				codes[i] = codes[i]<<b | uint32(v-1)
			}
			return true
		}
	}
	offs = offs[1 : len(codes)+1]
	start := base
	for i, end := range offs {
		var v uint16
		switch n := end - start; {
		case n == 1 || n == 0:
			slot := slotEmpty
			if n == 1 {
				slot = int(data[start-base])
			}
			if v = c.id[slot]; v == 0 {
				v = c.assign(slot)
			}
		case n <= shortMax:
			var ok bool
			if v, ok = c.shortIDAt(data, int(start-base), int(end-base)); !ok {
				return false
			}
		default:
			return false
		}
		start = end
		codes[i] = codes[i]<<b | uint32(v-1)
	}
	return true
}

// encodeNullableStrings is encodeStrings with a validity bitmap.
func encodeNullableStrings(c *smallCol, codes []uint32, offs []int32, data []byte, valid []byte, off int) bool {
	b := c.bits
	base := offs[0]
	for i := range codes {
		s, e := offs[i], offs[i+1]
		slot := slotEmpty
		switch {
		case !bitutil.BitIsSet(valid, off+i):
			slot = slotNull
		case e-s == 1:
			slot = int(data[s-base])
		case e-s > shortMax:
			return false
		case e != s:
			v, ok := c.shortIDAt(data, int(s-base), int(e-base))
			if !ok {
				return false
			}
			codes[i] = codes[i]<<b | uint32(v-1)
			continue
		}
		v := c.id[slot]
		if v == 0 {
			v = c.assign(slot)
		}
		codes[i] = codes[i]<<b | uint32(v-1)
	}
	return true
}

// dictSlots returns the slot of every entry of dict (slotInvalid for null
// entries and strings longer than one byte).
func (sk *smallKeys) dictSlots(dict *array.String) []uint16 {
	m := dict.Len()
	if cap(sk.dslot) < m {
		sk.dslot = make([]uint16, m)
	}
	ds := sk.dslot[:m]
	for j := range ds {
		switch {
		case dict.IsNull(j):
			ds[j] = slotInvalid
		case len(dict.Value(j)) == 0:
			ds[j] = slotEmpty
		case len(dict.Value(j)) == 1:
			ds[j] = uint16(dict.Value(j)[0])
		default:
			ds[j] = slotInvalid
		}
	}
	return ds
}

func encodeDict[T int8 | uint8 | int16 | uint16 | int32 | uint32 | int64 | uint64](c *smallCol, codes []uint32, idx []T, dslot []uint16, valid []byte, off int) bool {
	idx = idx[:len(codes)]
	b := c.bits
	for i, j := range idx {
		slot := slotNull
		if valid == nil || bitutil.BitIsSet(valid, off+i) {
			if uint64(j) >= uint64(len(dslot)) {
				return false
			}
			slot = int(dslot[j])
			if slot == slotInvalid {
				return false
			}
		}
		v := c.id[slot]
		if v == 0 {
			v = c.assign(slot)
		}
		codes[i] = codes[i]<<b | uint32(v-1)
	}
	return true
}

// encodeInts encodes integer keys; wrap (0xFF for int8) makes every value
// fit a byte, otherwise values outside [0, 256) leave the domain.
func encodeInts[T int8 | int16 | int32 | int64](c *smallCol, codes []uint32, vals []T, valid []byte, off int, wrap uint64) bool {
	vals = vals[:len(codes)]
	b := c.bits
	for i, x := range vals {
		slot := slotNull
		if valid == nil || bitutil.BitIsSet(valid, off+i) {
			u := uint64(int64(x))
			if wrap != 0 {
				u &= wrap
			}
			if u >= 256 {
				return false
			}
			slot = int(u)
		}
		v := c.id[slot]
		if v == 0 {
			v = c.assign(slot)
		}
		codes[i] = codes[i]<<b | uint32(v-1)
	}
	return true
}

// oneByteStrings returns the bytes of x when x has no nulls and every
// string has exactly one byte.
func oneByteStrings(x *array.String) ([]byte, bool) {
	n := x.Len()
	if n == 0 || x.NullN() > 0 {
		return nil, false
	}
	offs := x.ValueOffsets()[:n+1]
	data := x.ValueBytes()
	base := offs[0]
	if int(offs[n]-base) != n || len(data) < n || base < 0 {
		return nil, false
	}
	// offs must be base, base+1, ...: compare two offsets per word.
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(offs))), 4*len(offs))
	exp := uint64(uint32(base)) | uint64(uint32(base+1))<<32
	var bad uint64
	j := 0
	for ; j+8 <= len(raw); j += 8 {
		bad |= binary.LittleEndian.Uint64(raw[j:j+8]) ^ exp
		exp += 2 | 2<<32
	}
	// A last odd offset is offs[n], checked above.
	return data[:n], bad == 0
}

// byteCols returns the bytes of the key columns when there are one or two
// and every value is a one-byte string (no nulls).
func (sk *smallKeys) byteCols(cols []arrow.Array) ([2][]byte, bool) {
	var d [2][]byte
	if len(sk.cols) > 2 {
		return d, false
	}
	for k := range sk.cols {
		x, ok := cols[k].(*array.String)
		if !ok {
			return d, false
		}
		if d[k], ok = oneByteStrings(x); !ok {
			return d, false
		}
	}
	return d, true
}

// probeBytes resolves the rows of byteCols columns d through the byte-pair
// array in one pass and reports whether every row was known.
func (sk *smallKeys) probeBytes(d [2][]byte, gids []uint32) bool {
	gids = gids[:len(d[0])]
	var miss uint32
	if d[1] == nil {
		if sk.single == nil {
			return false
		}
		for i, c0 := range d[0] {
			g := sk.single[c0]
			gids[i] = g - 1
			miss |= g - 1
		}
		return miss>>31 == 0
	}
	if sk.pairs == nil {
		return false
	}
	d1 := d[1][:len(gids)]
	for i, c0 := range d[0] {
		g := sk.pairs[uint16(c0)<<8|uint16(d1[i])]
		gids[i] = g - 1
		miss |= g - 1
	}
	return miss>>31 == 0
}

// learnBytes records the group ids of rows of byteCols columns d.
func (sk *smallKeys) learnBytes(d [2][]byte, gids []uint32) {
	gids = gids[:len(d[0])]
	if d[1] == nil {
		if sk.single == nil {
			sk.single = new([1 << 8]uint32)
		}
		for i, c0 := range d[0] {
			sk.single[c0] = gids[i] + 1
		}
		return
	}
	if sk.pairs == nil {
		sk.pairs = new([1 << 16]uint32)
	}
	d1 := d[1][:len(gids)]
	for i, c0 := range d[0] {
		sk.pairs[uint16(c0)<<8|uint16(d1[i])] = gids[i] + 1
	}
}

// probe resolves every code through the direct array into gids and reports
// whether all were known.
func (sk *smallKeys) probe(codes, gids []uint32) bool {
	direct := sk.direct
	mask := uint32(len(direct) - 1)
	gids = gids[:len(codes)]
	known := true
	for i, c := range codes {
		v := direct[c&mask]
		gids[i] = v - 1
		known = known && v != 0
	}
	return known
}

// learn records the group id of every code.
func (sk *smallKeys) learn(codes, gids []uint32) {
	direct := sk.direct
	mask := uint32(len(direct) - 1)
	gids = gids[:len(codes)]
	for i, c := range codes {
		direct[c&mask] = gids[i] + 1
	}
}
