package aggregate

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
)

// Hashing constants (odd 64-bit multipliers) and the table's seed, which
// differs from the exchange's so repartitioned keys spread over the table.
const (
	prime1    = 0x9E3779B97F4A7C15
	prime2    = 0xC2B2AE3D27D4EB4F
	prime3    = 0x165667B19E3779F9
	nullHash  = 0x2545F4914F6CDD1D
	tableSeed = 0x3C6EF372FE94F82B
	// longString marks, in the packed form of a string key, a string longer
	// than 7 bytes (a packed short string never has 0xFF in its top byte).
	longString = ^uint64(0)
)

func combine(h, v uint64) uint64 { return bits.RotateLeft64(h*prime1, 23) ^ v }

func hashLong(b []byte) uint64 {
	h := uint64(tableSeed) ^ (uint64(len(b)) * prime1)
	for len(b) >= 8 {
		h = bits.RotateLeft64(h^(binary.LittleEndian.Uint64(b)*prime2), 31) * prime1
		b = b[8:]
	}
	var tail uint64
	for i, c := range b {
		tail |= uint64(c) << (8 * i)
	}
	return kernels.Mix64(bits.RotateLeft64(h^(tail*prime3), 27) * prime1)
}

// pack returns the packed form of a string: its bytes and length in one
// word when it has at most 7 bytes, longString otherwise.
func pack(b []byte) uint64 {
	if len(b) > 7 {
		return longString
	}
	v := uint64(len(b)) << 56
	for i, c := range b {
		v |= uint64(c) << (8 * i)
	}
	return v
}

// packAll stores in dst the packed form of every string given by offsets
// (relative to base) into data.
func packAll(dst []uint64, data []byte, offs []int32, base int32) {
	dst = dst[:len(offs)-1]
	for i := range dst {
		s, e := int(offs[i]-base), int(offs[i+1]-base)
		l := e - s
		switch {
		case l > 7:
			dst[i] = longString
		case s+8 <= len(data):
			w := binary.LittleEndian.Uint64(data[s : s+8])
			dst[i] = w&(1<<(8*uint(l))-1) | uint64(l)<<56
		default:
			dst[i] = pack(data[s:e])
		}
	}
}

type keyKind uint8

const (
	kindFixed  keyKind = iota // one normalized word per value
	kindDec128                // two words per value
	kindString                // packed word plus bytes
)

// keyCol stores the values of one key column for every group and holds the
// normalized view of the current batch's column.
type keyCol struct {
	dt   arrow.DataType // output type (dictionaries output their value type)
	kind keyKind

	vals  []uint64 // per group: normalized value, two words for decimal128, packed form for strings
	null  []bool   // per group
	sdata []byte   // string bytes of all groups
	soffs []int    // per group start in sdata, plus the end

	bv    []uint64 // per row of the batch, like vals
	bnull []bool
	// strings of the batch: row i has bytes sd[so[j]-sbase:so[j+1]-sbase] with
	// j = sidx[i] (dictionary) or i.
	sd    []byte
	so    []int32
	sbase int32
	sidx  []int32
}

func newKeyCol(dt arrow.DataType) (*keyCol, error) {
	c := &keyCol{dt: dt, kind: kindFixed}
	switch t := dt.(type) {
	case *arrow.DictionaryType:
		if t.ValueType.ID() != arrow.STRING {
			return nil, fmt.Errorf("unsupported dictionary key type %s", dt)
		}
		c.dt = arrow.BinaryTypes.String
		c.kind = kindString
	case *arrow.StringType, *arrow.BinaryType:
		c.kind = kindString
	case *arrow.Decimal128Type:
		c.kind = kindDec128
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type,
		*arrow.Float32Type, *arrow.Float64Type, *arrow.BooleanType, *arrow.Date32Type,
		*arrow.TimestampType, *arrow.Decimal64Type, *arrow.DurationType, *arrow.MonthIntervalType:
	default:
		return nil, fmt.Errorf("unsupported key type %s", dt)
	}
	if c.kind == kindString {
		c.soffs = []int{0}
	}
	return c, nil
}

// load fills the batch view from a (n rows) and combines its hashes into hs.
func (c *keyCol) load(a arrow.Array, hs []uint64) error {
	n := a.Len()
	words := n
	if c.kind == kindDec128 {
		words = 2 * n
	}
	if cap(c.bv) < words {
		c.bv = make([]uint64, words)
		c.bnull = make([]bool, n)
	}
	c.bv = c.bv[:words]
	c.bnull = c.bnull[:n]
	bv := c.bv
	switch x := a.(type) {
	case *array.Int8:
		kernels.Widen(bv, kernels.FixedValues[int8](a))
	case *array.Int16:
		kernels.Widen(bv, kernels.FixedValues[int16](a))
	case *array.Int32, *array.Date32, *array.MonthInterval:
		kernels.Widen(bv, kernels.FixedValues[int32](a))
	case *array.Int64, *array.Timestamp, *array.Decimal64, *array.Duration:
		copy(bv, kernels.FixedValues[uint64](a))
	case *array.Float32:
		for i, v := range kernels.FixedValues[float32](a) {
			bv[i] = kernels.FloatKeyBits(float64(v))
		}
	case *array.Float64:
		for i, v := range kernels.FixedValues[float64](a) {
			bv[i] = kernels.FloatKeyBits(v)
		}
	case *array.Boolean:
		for i := range n {
			if x.Value(i) {
				bv[i] = 1
			} else {
				bv[i] = 0
			}
		}
	case *array.Decimal128:
		d := a.Data()
		raw := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(d.Buffers()[1].Bytes()))), d.Buffers()[1].Len()/8)
		copy(bv, raw[2*d.Offset():2*(d.Offset()+n)])
	case *array.String:
		c.sd, c.so, c.sidx = x.ValueBytes(), x.ValueOffsets(), nil
		c.sbase = c.so[0]
		packAll(bv, c.sd, c.so[:n+1], c.sbase)
	case *array.Binary:
		c.sd, c.so, c.sidx = x.ValueBytes(), x.ValueOffsets(), nil
		c.sbase = c.so[0]
		packAll(bv, c.sd, c.so[:n+1], c.sbase)
	case *array.Dictionary:
		dict, ok := x.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("unsupported dictionary key type %s", a.DataType())
		}
		c.sd, c.so = dict.ValueBytes(), dict.ValueOffsets()
		c.sbase = c.so[0]
		if cap(c.sidx) < n {
			c.sidx = make([]int32, n)
		}
		c.sidx = c.sidx[:n]
		packed := make([]uint64, dict.Len())
		for j := range packed {
			packed[j] = pack(c.sd[c.so[j]-c.sbase : c.so[j+1]-c.sbase])
		}
		for i := range n {
			if x.IsNull(i) {
				c.sidx[i] = 0
				bv[i] = 0
				continue
			}
			j := x.GetValueIndex(i)
			c.sidx[i] = int32(j)
			bv[i] = packed[j]
		}
	default:
		return fmt.Errorf("unsupported key type %s", a.DataType())
	}
	if a.NullN() == 0 {
		clear(c.bnull)
	} else {
		for i := range n {
			c.bnull[i] = a.IsNull(i)
		}
		w := words / n
		for i, isNull := range c.bnull {
			if isNull {
				for k := 0; k < w; k++ {
					bv[i*w+k] = 0
				}
			}
		}
	}
	// Hash the normalized values.
	switch c.kind {
	case kindFixed:
		for i, v := range bv {
			hs[i] = combine(hs[i], v*prime2)
		}
	case kindDec128:
		for i := range hs {
			hs[i] = combine(hs[i], kernels.Mix64(bv[2*i]^kernels.Mix64(bv[2*i+1]+prime2)))
		}
	case kindString:
		for i, v := range bv {
			if v == longString {
				hs[i] = combine(hs[i], hashLong(c.rowBytes(i)))
			} else {
				hs[i] = combine(hs[i], v*prime2)
			}
		}
	}
	if a.NullN() > 0 {
		for i, isNull := range c.bnull {
			if isNull {
				hs[i] ^= nullHash
			}
		}
	}
	return nil
}

func (c *keyCol) rowBytes(i int) []byte {
	j := i
	if c.sidx != nil {
		j = int(c.sidx[i])
	}
	return c.sd[c.so[j]-c.sbase : c.so[j+1]-c.sbase]
}

// equal reports whether row i of the batch equals the key of group g.
func (c *keyCol) equal(g uint32, i int) bool {
	if c.null[g] != c.bnull[i] {
		return false
	}
	switch c.kind {
	case kindFixed:
		return c.vals[g] == c.bv[i]
	case kindDec128:
		return c.vals[2*g] == c.bv[2*i] && c.vals[2*g+1] == c.bv[2*i+1]
	default:
		if c.vals[g] != c.bv[i] {
			return false
		}
		if c.bv[i] != longString {
			return true
		}
		return bytes.Equal(c.sdata[c.soffs[g]:c.soffs[g+1]], c.rowBytes(i))
	}
}

// add appends row i of the batch as a new group's key.
func (c *keyCol) add(i int) {
	push(&c.null, c.bnull[i])
	switch c.kind {
	case kindFixed:
		push(&c.vals, c.bv[i])
	case kindDec128:
		c.vals = exec.AppendLarge(c.vals, c.bv[2*i], c.bv[2*i+1])
	default:
		push(&c.vals, c.bv[i])
		if !c.bnull[i] {
			b := c.rowBytes(i)
			if len(c.sdata)+len(b) <= cap(c.sdata) {
				c.sdata = append(c.sdata, b...)
			} else {
				c.sdata = appendDoubling(c.sdata, b)
			}
		}
		push(&c.soffs, len(c.sdata))
	}
}

// push appends v to *s. While the slice has room (reserve gives the
// per-group ones the table's capacity) it is appended to in place, which
// stores only its length: assigning a slice returned by a call would store
// its pointer too, and every pointer store into the heap costs a write
// barrier while the collector runs.
func push[T any](s *[]T, v T) {
	if len(*s) < cap(*s) {
		*s = append(*s, v)
		return
	}
	*s = exec.AppendLarge(*s, v)
}

// appendDoubling is append(s, b...) for a full s, growing its capacity at
// least twofold (through exec.MakeLargeCap, for its huge page hint): the
// string bytes of a table's keys are one buffer that grows without bound,
// and a smaller step copies and clears them many times over.
func appendDoubling(s, b []byte) []byte {
	t := exec.MakeLargeCap[byte](len(s), max(len(s)+len(b), 2*cap(s), 64))
	copy(t, s)
	return append(t, b...)
}

// table maps key tuples to dense group ids with open addressing.
type table struct {
	cols   []*keyCol
	hashes []uint64 // per group
	slots  []uint64 // high 32 bits of the hash, low 32 bits group id + 1; 0 is empty
	mask   uint64
	n      int

	rowHash []uint64
	gids    []uint32
	small   *smallKeys // nil once the keys left the small domain
	// kv replaces slots when the key is one fixed-width column: per slot the
	// key word and group id + 1 (bit 32 set for the null key), so a probe
	// reads one cache line.
	kv []uint64
	// sink keeps the result of lookupFixed's warming loads.
	sink uint64
	// probes counts the rows looked up in the hash table (lookupFixed's
	// rows equal to the previous one are not): probes-n of them found
	// their group there.
	probes int
	// grown counts the times the table doubled.
	grown int
	// ctx, when set, is looked at while a large table grows, so that a
	// cancelled query does not wait for a rehash of millions of groups.
	ctx context.Context
}

func newTable(types []arrow.DataType) (*table, error) {
	t := &table{slots: make([]uint64, 64), mask: 63}
	for i, dt := range types {
		c, err := newKeyCol(dt)
		if err != nil {
			return nil, fmt.Errorf("group column %d: %w", i, err)
		}
		t.cols = append(t.cols, c)
	}
	t.small = newSmallKeys(types)
	if len(t.cols) == 1 && t.cols[0].kind == kindFixed {
		t.slots, t.kv = nil, make([]uint64, 2*64)
	}
	return t, nil
}

// groups returns the number of groups.
func (t *table) groups() int { return t.n }

// lookup returns the group id of every row of the key columns (n rows),
// creating groups for new keys. The slice is reused by the next call.
func (t *table) lookup(cols []arrow.Array, n int) ([]uint32, error) {
	t.ensureRows(n)
	gids := t.gids[:n]
	if len(t.cols) == 0 {
		if n > 0 && t.n == 0 {
			t.n = 1
		}
		clear(gids)
		return gids, nil
	}
	if sk := t.small; sk != nil {
		d, isBytes := sk.byteCols(cols)
		if isBytes && sk.probeBytes(d, gids) {
			return gids, nil
		}
		codes, ok := sk.encode(cols, n)
		if ok {
			if !sk.probe(codes, gids) {
				if err := t.lookupHash(cols, gids); err != nil {
					return nil, err
				}
				sk.learn(codes, gids)
			}
			if isBytes {
				sk.learnBytes(d, gids)
			}
			return gids, nil
		}
		t.small = nil
	}
	if err := t.lookupHash(cols, gids); err != nil {
		return nil, err
	}
	return gids, nil
}

// ensureRows gives the per-row scratch slices room for n rows.
func (t *table) ensureRows(n int) {
	if cap(t.gids) < n {
		t.gids = make([]uint32, n)
		t.rowHash = make([]uint64, n)
	}
}

// hashRows returns the hash of every row of the key columns (n rows), as
// lookupHash places them, in a slice the next call reuses.
func (t *table) hashRows(cols []arrow.Array, n int) ([]uint64, error) {
	t.ensureRows(n)
	hs := t.rowHash[:n]
	for i := range hs {
		hs[i] = tableSeed
	}
	for k, c := range t.cols {
		if err := c.load(cols[k], hs); err != nil {
			return nil, fmt.Errorf("group column %d: %w", k, err)
		}
	}
	for i := range hs {
		hs[i] = kernels.Mix64(hs[i])
	}
	return hs, nil
}

// lookupHash is lookup through the hash table.
func (t *table) lookupHash(cols []arrow.Array, gids []uint32) error {
	hs, err := t.hashRows(cols, len(gids))
	if err != nil {
		return err
	}
	cs := t.cols
	if t.kv != nil {
		return t.lookupFixed(cs[0], hs, gids)
	}
	t.probes += len(hs)
	wide := false // a decimal128 key needs the general comparison
	for _, c := range cs {
		wide = wide || c.kind == kindDec128
	}
	for i, h := range hs {
		tag := h >> 32 << 32
		pos := h & t.mask
		for {
			s := t.slots[pos]
			if s == 0 {
				g := uint32(t.n)
				t.n++
				t.hashes = append(t.hashes, h)
				for _, c := range cs {
					c.add(i)
				}
				t.slots[pos] = tag | uint64(g+1)
				gids[i] = g
				if uint64(t.n)*2 > t.mask {
					if err := t.grow(); err != nil {
						return err
					}
				}
				break
			}
			if s>>32<<32 == tag {
				g := uint32(s) - 1
				eq := true
				if wide {
					for _, c := range cs {
						if !c.equal(g, i) {
							eq = false
							break
						}
					}
				} else {
					for _, c := range cs {
						v := c.bv[i]
						if c.vals[g] != v || c.null[g] != c.bnull[i] ||
							(v == longString && c.kind == kindString && !bytes.Equal(c.sdata[c.soffs[g]:c.soffs[g+1]], c.rowBytes(i))) {
							eq = false
							break
						}
					}
				}
				if eq {
					gids[i] = g
					break
				}
			}
			pos = (pos + 1) & t.mask
		}
	}
	return nil
}

// lookupFixed is the probe loop of lookupHash over kv. A row whose key
// equals the previous row's takes its group without probing, so input
// clustered by key (an ordered or partly ordered column) touches the table
// once per run of equal keys.
func (t *table) lookupFixed(c *keyCol, hs []uint64, gids []uint32) error {
	kv, mask := t.kv, t.mask
	bv, bnull := c.bv[:len(hs)], c.bnull[:len(hs)]
	// The previous row's key and group; prevNB has bit 33 set while there
	// is no previous row, so it matches no key.
	prevV, prevNB, prevG := uint64(0), uint64(1)<<33, uint32(0)
	probes := 0
	// Touch every row's home slot first: these loads do not depend on each
	// other, so the cache misses of a large table overlap instead of
	// being paid one after another in the probe loop below.
	var sink uint64
	for _, h := range hs {
		sink += kv[2*(h&mask)+1]
	}
	t.sink = sink
	for i, h := range hs {
		v := bv[i]
		var nb uint64
		if bnull[i] {
			nb = 1 << 32
		}
		if v == prevV && nb == prevNB {
			gids[i] = prevG
			continue
		}
		probes++
		pos := h & mask
		for {
			e := kv[2*pos+1]
			if e == 0 {
				g := uint32(t.n)
				t.n++
				c.add(i)
				kv[2*pos], kv[2*pos+1] = v, uint64(g+1)|nb
				gids[i] = g
				if uint64(t.n)*2 > mask {
					if err := t.grow(); err != nil {
						return err
					}
					kv, mask = t.kv, t.mask
				}
				break
			}
			if kv[2*pos] == v && e&(1<<32) == nb {
				gids[i] = uint32(e) - 1
				break
			}
			pos = (pos + 1) & mask
		}
		prevV, prevNB, prevG = v, nb, gids[i]
	}
	t.probes += probes
	return nil
}

// empty drops every group but keeps the table's capacity: a partial
// aggregation starting over on input like the one it had will fill it
// again.
func (t *table) empty() {
	clear(t.slots)
	clear(t.kv)
	t.n, t.probes = 0, 0
	t.hashes = t.hashes[:0]
	if t.small != nil {
		t.small.forget()
	}
	for _, c := range t.cols {
		c.vals, c.null, c.sdata = c.vals[:0], c.null[:0], c.sdata[:0]
		if c.kind == kindString {
			c.soffs = c.soffs[:1]
		}
	}
}

// unreducing reports whether the table has reached partialCap groups while
// almost every lookup through it made a new group (fewer than one in
// partialHits found one): input whose keys repeat only in runs of equal
// keys (lineitem grouped by l_orderkey), which such a table cannot reduce
// further.
func (t *table) unreducing() bool { return t.rarelyHit(partialCap) }

// distinctKeys reports whether the table has seen passCheck groups while
// fewer than one lookup in partialHits found its group: the keys are
// (almost) all distinct, so aggregating them in a partial DISTINCT reduces
// nothing.
func (t *table) distinctKeys() bool { return t.rarelyHit(passCheck) }

// rarelyHit reports whether the table holds at least groups groups while
// fewer than one lookup in partialHits found an existing group.
func (t *table) rarelyHit(groups int) bool {
	return t.n >= groups && (t.probes-t.n)*partialHits < t.probes
}

// passCheck is the number of groups at which a partial DISTINCT judges its
// input.
const passCheck = 1 << 14

// partialCap is the size at which a partial aggregation's table is judged:
// 65,536 groups, a table of a few MiB that stays in the cache.
const partialCap = 1 << 16

// partialHits is the share of lookups (one in partialHits) that must find
// their group in a full table for a partial aggregation to keep growing it.
const partialHits = 8

// fixedHash is the hash lookupHash computes for a single fixed-width key
// with normalized value v (0 when null).
func fixedHash(v uint64, null bool) uint64 {
	h := combine(tableSeed, v*prime2)
	if null {
		h ^= nullHash
	}
	return kernels.Mix64(h)
}

// presize makes room for n groups in an empty table, so that it does not
// grow on its way there: the slot array is allocated at the size doubling
// would reach and the per-group slices (reserve) get the capacity. A table
// that has groups, or room for n already, is left as it is. Its keys are
// then beyond a small domain, so the small-key cache is dropped.
func (t *table) presize(ctx context.Context, n int) error {
	size := tableSize(n)
	if t.n > 0 || size <= t.mask+1 {
		return nil
	}
	if err := t.reserve(ctx, n+1); err != nil {
		return err
	}
	if t.kv != nil {
		kv, err := exec.MakeLargeContext[uint64](ctx, int(2*size), int(2*size))
		if err != nil {
			return err
		}
		t.kv = kv
	} else {
		slots, err := exec.MakeLargeContext[uint64](ctx, int(size), int(size))
		if err != nil {
			return err
		}
		t.slots = slots
	}
	t.mask = size - 1
	t.small = nil
	return nil
}

// tableSize is the number of slots a table holding n groups has: the
// smallest power of two, at least 64, that stays more than twice n (grow
// doubles a table when its groups reach half its slots).
func tableSize(n int) uint64 {
	size := uint64(64)
	for uint64(n)*2 > size-1 {
		size *= 2
	}
	return size
}

// slotBytes is the size of one slot of the table: a key word and a group
// id over kv, a tagged group id otherwise.
func (t *table) slotBytes() int64 {
	if t.kv != nil {
		return 16
	}
	return 8
}

// grow doubles the table. Over kv it walks the old slots in order,
// recomputing each key's hash: a key's home in the new table is its old
// home or that plus the old size (the position is the low bits of the
// hash), so the writes move through the new table in two sequential
// streams instead of at random, and no per-group hashes are kept.
//
// A large table looks at t.ctx every growCheck groups; when the query is
// cancelled, grow stops with the context's error and leaves the old table
// as it was.
func (t *table) grow() error {
	size := (t.mask + 1) * 2
	mask := size - 1
	ctx := t.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if err := t.reserve(ctx, int(size/2)+1); err != nil {
		return err
	}
	if t.kv != nil {
		old := t.kv
		kv, err := exec.MakeLargeContext[uint64](ctx, int(2*size), int(2*size))
		if err != nil {
			return err
		}
		for p := 0; p < len(old); p += 2 {
			if p&(2*growCheck-1) == 0 && p > 0 {
				if err := t.cancelled(); err != nil {
					return err
				}
			}
			e := old[p+1]
			if e == 0 {
				continue
			}
			v := old[p]
			pos := fixedHash(v, e&(1<<32) != 0) & mask
			for kv[2*pos+1] != 0 {
				pos = (pos + 1) & mask
			}
			kv[2*pos], kv[2*pos+1] = v, e
		}
		t.kv, t.mask = kv, mask
		t.grown++
		return nil
	}
	slots, err := exec.MakeLargeContext[uint64](ctx, int(size), int(size))
	if err != nil {
		return err
	}
	for g, h := range t.hashes {
		if g&(growCheck-1) == 0 && g > 0 {
			if err := t.cancelled(); err != nil {
				return err
			}
		}
		pos := h & mask
		for slots[pos] != 0 {
			pos = (pos + 1) & mask
		}
		slots[pos] = h>>32<<32 | uint64(g+1)
	}
	t.slots, t.mask = slots, mask
	t.grown++
	return nil
}

// reserve makes room for n groups in the per-group slices the table
// appends to (hashes and key words; not the bytes of long strings), so
// that the large ones grow through exec.GrowLarge, which a cancelled ctx
// interrupts, rather than inside an append.
func (t *table) reserve(ctx context.Context, n int) error {
	var err error
	if t.kv == nil {
		if t.hashes, err = exec.GrowLarge(ctx, t.hashes, n); err != nil {
			return err
		}
	}
	for _, c := range t.cols {
		if c.null, err = exec.GrowLarge(ctx, c.null, n); err != nil {
			return err
		}
		w := n
		if c.kind == kindDec128 {
			w = 2 * n
		}
		if c.vals, err = exec.GrowLarge(ctx, c.vals, w); err != nil {
			return err
		}
		if c.kind == kindString {
			if c.soffs, err = exec.GrowLarge(ctx, c.soffs, n+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// growCheck is how many groups grow moves between looks at the context: a
// few hundred microseconds of rehashing.
const growCheck = 1 << 16

// cancelled returns the error of the table's context, if it has one and it
// is done.
func (t *table) cancelled() error {
	if t.ctx == nil {
		return nil
	}
	return t.ctx.Err()
}

// array builds the key column's values for groups [lo, hi) in mem.
func (c *keyCol) array(mem memory.Allocator, lo, hi int) arrow.Array {
	valid := c.null[lo:hi]
	switch dt := c.dt.(type) {
	case *arrow.StringType:
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Reserve(hi - lo)
		b.ReserveData(c.soffs[hi] - c.soffs[lo])
		for g := lo; g < hi; g++ {
			if c.null[g] {
				b.AppendNull()
			} else {
				b.BinaryBuilder.Append(c.sdata[c.soffs[g]:c.soffs[g+1]])
			}
		}
		return b.NewArray()
	case *arrow.BinaryType:
		b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		defer b.Release()
		b.Reserve(hi - lo)
		b.ReserveData(c.soffs[hi] - c.soffs[lo])
		for g := lo; g < hi; g++ {
			if c.null[g] {
				b.AppendNull()
			} else {
				b.Append(c.sdata[c.soffs[g]:c.soffs[g+1]])
			}
		}
		return b.NewArray()
	case *arrow.BooleanType:
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		b.Reserve(hi - lo)
		for g := lo; g < hi; g++ {
			if c.null[g] {
				b.AppendNull()
			} else {
				b.UnsafeAppend(c.vals[g] != 0)
			}
		}
		return b.NewArray()
	case *arrow.Decimal128Type:
		return kernels.NewFixedArray(mem, dt, c.vals[2*lo:2*hi], hi-lo, invert(valid))
	case *arrow.Int8Type:
		return kernels.NewFixedArray(mem, dt, narrow[int8](c.vals[lo:hi]), hi-lo, invert(valid))
	case *arrow.Int16Type:
		return kernels.NewFixedArray(mem, dt, narrow[int16](c.vals[lo:hi]), hi-lo, invert(valid))
	case *arrow.Int32Type, *arrow.Date32Type, *arrow.MonthIntervalType:
		return kernels.NewFixedArray(mem, dt, narrow[int32](c.vals[lo:hi]), hi-lo, invert(valid))
	case *arrow.Float32Type:
		f := make([]float32, hi-lo)
		for i, v := range c.vals[lo:hi] {
			f[i] = float32(math.Float64frombits(v))
		}
		return kernels.NewFixedArray(mem, dt, f, hi-lo, invert(valid))
	default: // int64, float64, timestamp, decimal64, day-time interval: the word is the value
		return kernels.NewFixedArray(mem, dt, c.vals[lo:hi], hi-lo, invert(valid))
	}
}

func narrow[T int8 | int16 | int32](v []uint64) []T {
	out := make([]T, len(v))
	for i, x := range v {
		out[i] = T(int64(x))
	}
	return out
}

func invert(null []bool) []bool {
	any := false
	for _, n := range null {
		if n {
			any = true
			break
		}
	}
	if !any {
		return nil
	}
	valid := make([]bool, len(null))
	for i, n := range null {
		valid[i] = !n
	}
	return valid
}
