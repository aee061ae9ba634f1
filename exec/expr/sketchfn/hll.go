package sketchfn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// gspark's HyperLogLog sketch, the BINARY value of hll_sketch_agg,
// hll_union_agg and hll_union. It is not Apache DataSketches' format:
// gspark neither writes nor reads the sketches Spark makes.
//
// Layout (integers little-endian):
//
//	bytes 0-3  magic "GHLL"
//	byte  4    format version, 1
//	byte  5    lgConfigK, 4..21 (K = 2^lgConfigK registers)
//	byte  6    mode: 0 exact, 1 registers
//	byte  7    zero
//	exact:     uint32 n, then n distinct 64-bit value hashes in ascending order
//	registers: K bytes, register i holding the largest rank of the hashes
//	           whose top lgConfigK bits are i (0 for none)
//
// A sketch stays exact while it holds at most K/8 distinct hashes (so it is
// never larger than its registers would be): its estimate is then the exact
// number of distinct values, as DataSketches' list and set modes give for
// small counts. Beyond that the hashes move into the registers and the
// estimate is HyperLogLog's, with linear counting for small fill.

// MinLgConfigK and MaxLgConfigK bound lgConfigK, as Spark's.
const (
	MinLgConfigK     = 4
	MaxLgConfigK     = 21
	DefaultLgConfigK = 12
)

const (
	hllMagic      = "GHLL"
	hllVersion    = 1
	hllHeader     = 8
	modeExact     = 0
	modeRegisters = 1
)

// ErrBadSketch marks a BINARY value that is not a gspark HLL sketch.
var ErrBadSketch = errors.New("not a gspark HLL sketch (sketches written by Spark/DataSketches cannot be read)")

// HLL is a HyperLogLog sketch: exact hashes while few, registers after.
type HLL struct {
	lgK    int
	hashes []uint64 // exact mode: sorted, distinct; nil once regs is set
	regs   []byte
}

// CheckLgConfigK rejects an lgConfigK outside 4..21, naming the function.
func CheckLgConfigK(fn string, lgK int64) error {
	if lgK < MinLgConfigK || lgK > MaxLgConfigK {
		return fmt.Errorf("[HLL_INVALID_LG_K] invalid call to %s: lgConfigK must be between %d and %d inclusive, got %d", fn, MinLgConfigK, MaxLgConfigK, lgK)
	}
	return nil
}

// NewHLL returns an empty sketch with 2^lgK registers; lgK must pass
// CheckLgConfigK.
func NewHLL(lgK int) *HLL { return &HLL{lgK: lgK} }

// LgConfigK returns the sketch's lgConfigK.
func (s *HLL) LgConfigK() int { return s.lgK }

func (s *HLL) exactLimit() int { return (1 << s.lgK) / 8 }

// HashInt64 is the hash of an integer value (int and bigint values hash
// alike, as Spark's sketch widens an int to a long).
func HashInt64(v int64) uint64 {
	return mix64(uint64(v) ^ 0x9e3779b97f4a7c15)
}

// HashBytes is the hash of a string's UTF-8 bytes or of a binary value.
func HashBytes(b []byte) uint64 {
	// FNV-1a over the bytes and the length, then a 64-bit finalizer.
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	h ^= uint64(len(b))
	return mix64(h)
}

// mix64 is a 64-bit finalizer (the one of SplitMix64): every input bit
// affects every output bit.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Add adds a value's hash.
func (s *HLL) Add(h uint64) {
	if s.regs != nil {
		s.addReg(h)
		return
	}
	i, found := slices.BinarySearch(s.hashes, h)
	if found {
		return
	}
	s.hashes = slices.Insert(s.hashes, i, h)
	if len(s.hashes) > s.exactLimit() {
		s.toRegisters()
	}
}

func (s *HLL) addReg(h uint64) {
	idx := h >> (64 - s.lgK)
	rest := h << s.lgK
	rank := byte(min(bits.LeadingZeros64(rest), 64-s.lgK) + 1)
	if rank > s.regs[idx] {
		s.regs[idx] = rank
	}
}

func (s *HLL) toRegisters() {
	s.regs = make([]byte, 1<<s.lgK)
	for _, h := range s.hashes {
		s.addReg(h)
	}
	s.hashes = nil
}

// downsample lowers a sketch in register mode to lgK registers: register
// i of the larger sketch goes to i >> d; the d index bits dropped become
// the leading bits of the rest of the hash, so the rank is recomputed from
// them exactly.
func (s *HLL) downsample(lgK int) {
	if lgK >= s.lgK {
		return
	}
	if s.regs == nil {
		s.lgK = lgK
		if len(s.hashes) > s.exactLimit() {
			s.toRegisters()
		}
		return
	}
	d := s.lgK - lgK
	out := make([]byte, 1<<lgK)
	for i, r := range s.regs {
		if r == 0 {
			continue
		}
		low := uint64(i) & (1<<d - 1)
		var rank byte
		if low != 0 {
			rank = byte(bits.LeadingZeros64(low<<(64-d)) + 1)
		} else {
			rank = byte(min(int(r)+d, 64-lgK+1))
		}
		if j := i >> d; rank > out[j] {
			out[j] = rank
		}
	}
	s.lgK, s.regs = lgK, out
}

// Merge adds o to s. Sketches of different lgConfigK merge only when
// allowDifferent is set, at the smaller one (Spark's rule); fn names the
// function in the error.
func (s *HLL) Merge(fn string, o *HLL, allowDifferent bool) error {
	if s.lgK != o.lgK {
		if !allowDifferent {
			return fmt.Errorf("[HLL_UNION_DIFFERENT_LG_K] sketches have different lgConfigK values: %d and %d; set the allowDifferentLgConfigK parameter to true to call %s with different lgConfigK values", s.lgK, o.lgK, fn)
		}
		if o.lgK < s.lgK {
			s.downsample(o.lgK)
		} else {
			o = o.clone()
			o.downsample(s.lgK)
		}
	}
	if o.regs == nil {
		for _, h := range o.hashes {
			s.Add(h)
		}
		return nil
	}
	if s.regs == nil {
		s.toRegisters()
	}
	for i, r := range o.regs {
		if r > s.regs[i] {
			s.regs[i] = r
		}
	}
	return nil
}

func (s *HLL) clone() *HLL {
	return &HLL{lgK: s.lgK, hashes: slices.Clone(s.hashes), regs: slices.Clone(s.regs)}
}

// Estimate is the number of distinct values: exact in exact mode,
// HyperLogLog's estimate (linear counting while registers are empty)
// otherwise.
func (s *HLL) Estimate() float64 {
	if s.regs == nil {
		return float64(len(s.hashes))
	}
	m := float64(len(s.regs))
	sum, zeros := 0.0, 0
	for _, r := range s.regs {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	alpha := 0.7213 / (1 + 1.079/m)
	switch m {
	case 16:
		alpha = 0.673
	case 32:
		alpha = 0.697
	case 64:
		alpha = 0.709
	}
	e := alpha * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros))
	}
	return e
}

// Marshal writes the sketch in the layout above.
func (s *HLL) Marshal() []byte {
	out := make([]byte, hllHeader, hllHeader+4+8*len(s.hashes)+len(s.regs))
	copy(out, hllMagic)
	out[4], out[5] = hllVersion, byte(s.lgK)
	if s.regs != nil {
		out[6] = modeRegisters
		return append(out, s.regs...)
	}
	out = binary.LittleEndian.AppendUint32(out, uint32(len(s.hashes)))
	for _, h := range s.hashes {
		out = binary.LittleEndian.AppendUint64(out, h)
	}
	return out
}

// UnmarshalHLL reads a sketch Marshal wrote; anything else is an error
// wrapping ErrBadSketch.
func UnmarshalHLL(b []byte) (*HLL, error) {
	if len(b) < hllHeader || string(b[:4]) != hllMagic {
		return nil, ErrBadSketch
	}
	if b[4] != hllVersion {
		return nil, fmt.Errorf("%w: format version %d, expected %d", ErrBadSketch, b[4], hllVersion)
	}
	lgK := int(b[5])
	if lgK < MinLgConfigK || lgK > MaxLgConfigK || b[7] != 0 {
		return nil, fmt.Errorf("%w: lgConfigK %d", ErrBadSketch, lgK)
	}
	s := &HLL{lgK: lgK}
	body := b[hllHeader:]
	switch b[6] {
	case modeRegisters:
		if len(body) != 1<<lgK {
			return nil, fmt.Errorf("%w: %d register bytes, expected %d", ErrBadSketch, len(body), 1<<lgK)
		}
		for _, r := range body {
			if int(r) > 64-lgK+1 {
				return nil, fmt.Errorf("%w: register value %d", ErrBadSketch, r)
			}
		}
		s.regs = slices.Clone(body)
	case modeExact:
		if len(body) < 4 {
			return nil, fmt.Errorf("%w: truncated", ErrBadSketch)
		}
		n := int(binary.LittleEndian.Uint32(body))
		if n > s.exactLimit() || len(body) != 4+8*n {
			return nil, fmt.Errorf("%w: %d bytes for %d hashes", ErrBadSketch, len(body), n)
		}
		s.hashes = make([]uint64, n)
		for i := range s.hashes {
			s.hashes[i] = binary.LittleEndian.Uint64(body[4+8*i:])
			if i > 0 && s.hashes[i] <= s.hashes[i-1] {
				return nil, fmt.Errorf("%w: hashes out of order", ErrBadSketch)
			}
		}
	default:
		return nil, fmt.Errorf("%w: mode %d", ErrBadSketch, b[6])
	}
	return s, nil
}

// EstimateExpr is hll_sketch_estimate(sketch): the estimate rounded to a
// bigint.
func EstimateExpr(x expr.Expr) expr.Expr {
	const name = "hll_sketch_estimate"
	return expr.UDF(name, arrow.PrimitiveTypes.Int64, []expr.Expr{x}, func(mem memory.Allocator, cols []arrow.Array) (arrow.Array, error) {
		c, ok := cols[0].(*array.Binary)
		if !ok {
			return nil, fmt.Errorf("%s: argument of type %s, expected binary", name, cols[0].DataType())
		}
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Resize(c.Len())
		for i := 0; i < c.Len(); i++ {
			if c.IsNull(i) {
				b.AppendNull()
				continue
			}
			s, err := UnmarshalHLL(c.Value(i))
			if err != nil {
				return nil, fmt.Errorf("[HLL_INVALID_INPUT_SKETCH_BUFFER] %s: %w", name, err)
			}
			b.Append(int64(math.Round(s.Estimate())))
		}
		return b.NewArray(), nil
	})
}

// UnionExpr is hll_union(a, b[, allowDifferentLgConfigK]): the union of
// two sketches, null when either is null.
func UnionExpr(a, b expr.Expr, allowDifferent bool) expr.Expr {
	const name = "hll_union"
	return expr.UDF(name, arrow.BinaryTypes.Binary, []expr.Expr{a, b}, func(mem memory.Allocator, cols []arrow.Array) (arrow.Array, error) {
		l, ok1 := cols[0].(*array.Binary)
		r, ok2 := cols[1].(*array.Binary)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s: arguments of types %s and %s, expected binary", name, cols[0].DataType(), cols[1].DataType())
		}
		out := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		defer out.Release()
		for i := 0; i < l.Len(); i++ {
			if l.IsNull(i) || r.IsNull(i) {
				out.AppendNull()
				continue
			}
			x, err := UnmarshalHLL(l.Value(i))
			if err != nil {
				return nil, fmt.Errorf("[HLL_INVALID_INPUT_SKETCH_BUFFER] %s: first argument: %w", name, err)
			}
			y, err := UnmarshalHLL(r.Value(i))
			if err != nil {
				return nil, fmt.Errorf("[HLL_INVALID_INPUT_SKETCH_BUFFER] %s: second argument: %w", name, err)
			}
			if err := x.Merge(name, y, allowDifferent); err != nil {
				return nil, err
			}
			out.Append(x.Marshal())
		}
		return out.NewArray(), nil
	})
}
